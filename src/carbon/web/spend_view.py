"""The results page's "replace the biggest spend lines first": rows and what would replace each.

The ranking is the engine's (:mod:`carbon.accounting.spend`, methodology.md § 17); this module
names each line and says which physical data would replace it (carbon.reports.spend_hints, the
company PDF's source of the same hints).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from carbon.accounting.results import ComputationResult
from carbon.imports.fec_mapping import AccountRule
from carbon.reports.spend_hints import account_of, default_hint, rule_hint

if TYPE_CHECKING:
    from carbon.web.results_view import LineInfo


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


def rule_hints(
    lines: Mapping[int, LineInfo], rules: Mapping[str, AccountRule], locale: str = "en"
) -> dict[int, str]:  # fmt: skip
    """line id -> the physical hint of the rule that mapped it, for lines from a FEC, in the
    reader's language where the rule has it (the shipped rules do)."""
    hints = {}
    for line_id, info in lines.items():
        hint = rule_hint(info.evidence_ref, rules, locale)
        if hint:
            hints[line_id] = hint
    return hints


def from_books(lines: Mapping[int, LineInfo]) -> bool:
    """Whether any line came from a FEC (only then are the account rules worth reading)."""
    return any(account_of(info.evidence_ref) for info in lines.values())


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
