"""The results page's "replace the biggest spend lines first": rows and what would replace each.

The ranking is the engine's (:mod:`carbon.accounting.spend`, methodology.md § 17); this module
names each line and says which physical data would replace it: the ``physical_hint`` of the
account rule a line from the books was mapped by (``FEC <digest> <account>/<supplier>`` in its
evidence), else a hint from the line's activity or poste, in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from carbon.accounting.results import ComputationResult
from carbon.i18n import N_, gettext
from carbon.imports.fec_mapping import AccountRule, rule_for

if TYPE_CHECKING:
    from carbon.web.results_view import LineInfo

# The evidence an FEC import writes on its lines (carbon.imports.fec_mapping.activity_rows).
_FEC_EVIDENCE: Final = re.compile(r"^FEC [0-9a-f]+ ([0-9A-Za-z]+)/")

POSTE_HINTS: Final[Mapping[str, str]] = {
    **dict.fromkeys(("1.1", "1.2", "2.1", "2.2"),
                    N_("Energy from the bills: kWh of electricity and gas, litres of fuel.")),
    "1.4": N_("Refrigerant top-ups in kg, from the maintenance records."),
    **dict.fromkeys(("3.1", "3.2"), N_("Tonnes and kilometres (t.km) by mode of transport.")),
    **dict.fromkeys(("3.3", "3.4", "3.5"),
                    N_("Kilometres by mode (car, train, plane) and hotel nights.")),
    "4.1": N_("Quantities bought (kg, litres, units) by product, or your suppliers' own product "
              "footprints."),
    "4.2": N_("The equipment and works by type, with their number, mass or surface."),
    "4.3": N_("Tonnes of waste by type and treatment (landfill, incineration, recycling)."),
    **dict.fromkeys(("4.4", "5.2"),
                    N_("The leased assets' energy use (kWh, litres), or their type and size.")),
    "4.5": N_("Your suppliers' own footprint for the service, or what it is made of (kilometres "
              "travelled, energy used)."),
}  # fmt: skip
HINT_FOOD: Final = N_("Meals served by type (with meat, vegetarian), or kg of food by kind.")
HINT_ANY: Final = N_("Physical quantities (kg, kWh, km) in place of euros.")


@dataclass(frozen=True)
class SpendRow:
    """A spend line to replace, with its shares (%) and the physical data that would replace it."""

    line: LineInfo
    poste: str
    factor_id: str
    kgco2e: float
    share_total_pct: float
    share_uncertainty_pct: float
    hint: str


def account_of(evidence_ref: str | None) -> str | None:
    """The account a line from a FEC was mapped from, read from its evidence; else None."""
    match = _FEC_EVIDENCE.match(evidence_ref or "")
    return match.group(1) if match else None


def rule_hints(
    lines: Mapping[int, LineInfo], rules: Mapping[str, AccountRule], locale: str = "en"
) -> dict[int, str]:  # fmt: skip
    """line id -> the physical hint of the rule that mapped it, for lines from a FEC, in the
    reader's language where the rule has it (the shipped rules do)."""
    hints = {}
    for line_id, info in lines.items():
        account = account_of(info.evidence_ref)
        rule = rule_for(account, rules) if account else None
        hint = rule.text("physical_hint", locale).strip() if rule is not None else ""
        if hint:
            hints[line_id] = hint
    return hints


def from_books(lines: Mapping[int, LineInfo]) -> bool:
    """Whether any line came from a FEC (only then are the account rules worth reading)."""
    return any(account_of(info.evidence_ref) for info in lines.values())


def default_hint(poste: str, factor_id: str, activity_id: str | None) -> str:
    """What would replace a spend line when no rule says: by its activity, else its poste."""
    if "food" in factor_id or (activity_id or "").startswith(("purchases-food", "meals-")):
        return gettext(HINT_FOOD)
    return gettext(POSTE_HINTS.get(poste, HINT_ANY))


def spend_rows(
    result: ComputationResult,
    lines: Mapping[int, LineInfo],
    hints: Mapping[int, str] | None = None,
) -> tuple[SpendRow, ...]:
    """The top spend lines of ``result`` (none when the year has no spend line); ``hints`` are
    the rules' hints by line id (:func:`rule_hints`)."""
    hints = hints or {}
    if result.total_kgco2e <= 0 or not len(result.lines):
        return ()
    rows = []
    for r in result.spend_to_replace().to_dict("records"):
        info = lines[int(r["line"])]
        hint = hints.get(info.line_id) or default_hint(
            str(r["poste"]), str(r["factor_id"]), info.activity_id
        )
        rows.append(
            SpendRow(info, str(r["poste"]), str(r["factor_id"]), float(r["kgco2e"]),
                     float(r["share_total_pct"]), float(r["share_uncertainty_pct"]), hint)
        )  # fmt: skip
    return tuple(rows)
