"""The mountain action library: decarbonisation actions that programme companies commonly take.

Coaches start an action plan from a short list of known actions (groomer eco-driving, HVO, lift
variable-speed drives, rail offers for guests…) rather than a blank page; each entry carries the
BEGES poste(s) it reduces, a typical saving range in % and where that range comes from, so that a
proposed figure can always be traced back. Kept as data in ``emission_factors/actions.csv`` next to
the factors, and checked when read, like the activity catalogue:

- ``postes`` and ``activities`` are ``|``-separated; ``activities`` (optional) names the catalogue
  activities the saving applies to (eco-driving saves groomer diesel, not all of poste 1.2);
- ``evidence`` says how solid the range is: ``programme`` (the programme's reference figures),
  ``computed`` (worked out from the bundled factors, arithmetic in ``rationale``) or ``estimate``
  (an order of magnitude the coach should confirm with the company's own data).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from carbon.accounting.postes import POSTE_CODES
from carbon.factors.bundled import BUNDLED_DIR, find_activity

ACTIONS_FILE = "actions.csv"
EVIDENCE = ("programme", "computed", "estimate")
COLUMNS = (
    "action_id", "title_fr", "title_it", "title_en", "description_fr", "description_it",
    "description_en", "postes", "activities", "saving_low_pct", "saving_high_pct", "evidence",
    "rationale",
)  # fmt: skip


class ActionLibraryError(ValueError):
    """A broken actions.csv: unknown postes or activities, or a range that is not a range."""


@dataclass(frozen=True)
class LibraryAction:
    action_id: str
    titles: dict[str, str]  # locale -> title
    descriptions: dict[str, str]
    postes: tuple[str, ...]
    activities: tuple[str, ...]  # catalogue activity ids the saving applies to; () = the postes
    saving_low_pct: float
    saving_high_pct: float
    evidence: str
    rationale: str

    def title(self, locale: str) -> str:
        return self.titles.get(locale) or self.titles["fr"]

    def description(self, locale: str) -> str:
        return self.descriptions.get(locale) or self.descriptions["fr"]

    @property
    def saving_mid_pct(self) -> float:
        return (self.saving_low_pct + self.saving_high_pct) / 2


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def _row(row: dict[str, str], line: int, problems: list[str]) -> LibraryAction | None:
    where = f"{ACTIONS_FILE}, row {line}"
    postes, acts = _split(row["postes"]), _split(row["activities"])
    for code in postes:
        if code not in POSTE_CODES:
            problems.append(f"{where}: unknown poste {code!r}")
    if not postes:
        problems.append(f"{where}: no poste")
    for activity_id in acts:
        activity = find_activity(activity_id)
        if activity is None:
            problems.append(f"{where}: unknown activity {activity_id!r}")
        elif activity.poste not in postes:
            problems.append(f"{where}: activity {activity_id} is in poste {activity.poste}")
    try:
        low, high = float(row["saving_low_pct"]), float(row["saving_high_pct"])
    except ValueError:
        problems.append(f"{where}: the saving range must be two numbers")
        return None
    if not 0 < low <= high <= 100:
        problems.append(f"{where}: the saving range must satisfy 0 < low <= high <= 100")
    if row["evidence"] not in EVIDENCE:
        problems.append(f"{where}: evidence must be one of {', '.join(EVIDENCE)}")
    locales = ("fr", "it", "en")
    for column in [f"title_{loc}" for loc in locales] + ["rationale"]:
        if not row[column].strip():
            problems.append(f"{where}: {column} is empty")
    return LibraryAction(
        action_id=row["action_id"].strip(),
        titles={loc: row[f"title_{loc}"].strip() for loc in locales},
        descriptions={loc: row[f"description_{loc}"].strip() for loc in locales},
        postes=postes,
        activities=acts,
        saving_low_pct=low,
        saving_high_pct=high,
        evidence=row["evidence"],
        rationale=row["rationale"].strip(),
    )


def read_action_library(path: Path) -> tuple[LibraryAction, ...]:
    """Read and check an actions file; raise :class:`ActionLibraryError` listing every problem."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ActionLibraryError(f"{ACTIONS_FILE}: the columns must be {', '.join(COLUMNS)}")
        rows = list(reader)
    problems: list[str] = []
    found = [_row(row, i + 2, problems) for i, row in enumerate(rows)]
    ids = [a.action_id for a in found if a is not None]
    problems += [
        f"{ACTIONS_FILE}: action_id {i!r} appears twice" for i in set(ids) if ids.count(i) > 1
    ]
    if problems:
        raise ActionLibraryError("\n".join(problems))
    return tuple(a for a in found if a is not None)


@cache
def action_library() -> tuple[LibraryAction, ...]:
    """The bundled library, in file order (read once)."""
    return read_action_library(BUNDLED_DIR / ACTIONS_FILE)


def find_library_action(action_id: str) -> LibraryAction | None:
    return next((a for a in action_library() if a.action_id == action_id), None)
