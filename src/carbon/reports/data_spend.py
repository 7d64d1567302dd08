"""The company report's "replace the biggest spend lines first": the results page's list, named
and hinted in the report's language (carbon.reports.spend_hints), for the PDF."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from carbon.accounting.results import ComputationResult
from carbon.db.mapping_rules import rules_for
from carbon.db.models import ReportingPeriod
from carbon.i18n import use_locale
from carbon.reports.model import LineInfo, SpendInfo
from carbon.reports.spend_hints import account_of, default_hint, rule_hint


def spend_infos(
    session: Session,
    period: ReportingPeriod,
    result: ComputationResult,
    lines: tuple[LineInfo, ...],
    activity_ids: Mapping[int, str | None],
    locale: str,
) -> tuple[SpendInfo, ...]:
    """The top spend lines of the period (none without a spend line), each with its hint."""
    if not lines or result.total_kgco2e <= 0:
        return ()
    ranked = result.spend_to_replace().to_dict("records")
    if not ranked:
        return ()
    by_id = {line.line_id: line for line in lines}
    books = any(account_of(line.evidence) for line in lines)
    rules = rules_for(session, period.company) if books else {}
    out = []
    for r in ranked:
        line = by_id[int(r["line"])]
        with use_locale(locale):  # the report's language, whoever asks for it
            hint = rule_hint(line.evidence, rules, locale) or default_hint(
                line.poste, line.factor_id, activity_ids.get(line.line_id)
            )
        out.append(
            SpendInfo(line.activity, line.poste, float(r["kgco2e"]),
                      float(r["share_total_pct"]), float(r["share_uncertainty_pct"]), hint)
        )  # fmt: skip
    return tuple(out)
