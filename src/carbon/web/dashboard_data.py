"""A period's dashboard in one downward pass: load, compute, shape.

``load_dashboard`` reads what the period's dashboard needs (the company's years, their results
through carbon.db.compute, the period's lines and library), then hands it to the pure
carbon.web.results_view, which shapes it for the page. The results page and the results API
both call it, so they cannot disagree.

The application keeps built dashboards (:class:`Dashboards`, ``app.state.dashboards``) per
period and language while the company's years are unchanged, and each period's own figures
for the result they came from: members reread their dashboard far more often than they change
a line, and the shaping (labels of 300 lines, uncertainty contributors) is most of the page's
time (docs/performance.md, fifth session).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from carbon.accounting.factors import FactorLibrary
from carbon.accounting.headcount import year_fte
from carbon.db.compute import (
    compute_many,
    compute_period,
    library_for,
    scale_key,
    uncertainty_scale,
)
from carbon.db.mapping_rules import cohort_of, rules_for
from carbon.db.models import ActivityLine, MappingRule, ReportingPeriod
from carbon.factors.bundled import find_activity
from carbon.i18n import get_locale
from carbon.lru import Lru
from carbon.web.results_view import (
    BaseYear,
    Dashboard,
    LineInfo,
    OwnFigures,
    PeriodFacts,
    YearRow,
    compare_years,
    factor_record,
    own_figures,
)
from carbon.web.spend_view import from_books, rule_hints


def factor_name(library: FactorLibrary, factor_id: str, locale: str) -> str:
    f = factor_record(library, factor_id)
    # An empty name is as good as none: fall back to French, then to the identifier.
    return str(f[f"name_{locale}"] or f["name_fr"] or factor_id)


def line_infos(
    session: Session, period: ReportingPeriod, library: FactorLibrary, locale: str
) -> dict[int, LineInfo]:
    # Plain rows, not ORM objects: a period has hundreds of lines and the page only reads them.
    line = ActivityLine
    rows = session.execute(
        select(line.id, line.activity_id, line.factor_id, line.data_quality, line.quantity,
               line.unit, line.comment, line.evidence_ref)
        .where(line.period_id == period.id)
        .order_by(line.id)
    ).all()  # fmt: skip
    infos = {}
    for line_id, activity_id, factor_id, quality, quantity, unit, comment, evidence in rows:
        act = find_activity(activity_id) if activity_id else None
        label = act.name(locale) if act else factor_name(library, factor_id, locale)
        infos[line_id] = LineInfo(line_id, label, quality, quantity, unit, comment, evidence,
                                  activity_id)  # fmt: skip
    return infos


def facts_of(period: ReportingPeriod) -> PeriodFacts:
    return PeriodFacts(
        year=period.year,
        fte=year_fte(period.fte, period.company.fte),
        revenue_keur=period.revenue_keur,
        sector_activity=period.sector_activity,
        sector_unit_label=period.company.sector_unit_label,
    )


class Dashboards:
    """Dashboards built by the application, and each period's own figures, per period and
    language; an entry is used only for the inputs it was built from, so it is never stale."""

    def __init__(self, size: int = 2_000) -> None:
        self.built: Lru[tuple[int, str], tuple[tuple[Any, ...], Dashboard]] = Lru(size)
        self.own: Lru[tuple[int, str], OwnFigures] = Lru(size)


def rules_revision(session: Session, company_id: int) -> tuple[Any, ...]:
    """Where the account rules a company's FEC lines take their physical hints from stand (its
    cohort, and the count, versions, last id and last change of its and its cohort's rules):
    a coach's edit of a hint changes it, so a kept dashboard is not shown with the old one."""
    cohort_id = cohort_of(session, company_id)
    owners = MappingRule.company_id == company_id
    if cohort_id is not None:
        owners = owners | (MappingRule.cohort_id == cohort_id)
    rule = MappingRule
    row = session.execute(
        select(func.count(rule.id), func.sum(rule.version_id), func.max(rule.id),
               func.max(rule.updated_at)).where(owners)
    ).one()  # fmt: skip
    return (cohort_id, *row)


def _inputs(session: Session, period: ReportingPeriod, rules: tuple[Any, ...]) -> tuple[Any, ...]:
    """What a period's dashboard is built from, as its company's periods say it: each year's
    figures, status and pinned library, its lines' revision (carbon.db.line_stats renews it
    on any change to a line, comments included), the deployment's scale, and the revision of
    the company's account rules (the spend lines' hints)."""
    company = period.company
    return (
        rules,
        scale_key(uncertainty_scale(session)),
        company.sector_unit_label,
        company.fte,  # a year without its own FTE divides by the company's
        tuple(
            (p.id, p.year, p.is_base_year, p.status, p.library_version_id, p.line_count,
             p.lines_revision, p.fte, p.revenue_keur, p.sector_activity)
            for p in company.periods
        ),
    )  # fmt: skip


def load_dashboard(
    session: Session, period: ReportingPeriod, kept: Dashboards | None = None
) -> Dashboard:
    """The period's dashboard with the company's other years; ComputationError on bad lines.
    With ``kept`` (the application's), one built from the same inputs is returned as it is."""
    locale = get_locale()
    key = (period.id, locale)
    rules = rules_revision(session, period.company_id)
    inputs = _inputs(session, period, rules)
    hit = None if kept is None else kept.built.get(key)
    if hit is not None and hit[0] == inputs:
        return hit[1]
    # Load and compute...
    result = compute_period(session, period)
    others = [p for p in period.company.periods if p.id != period.id]
    # ...the other years under the revisions the periods already carry (no query each)...
    computed = compute_many(
        session,
        [(p.id, p.library_version_id) for p in others],
        revisions={p.id: (p.line_count, p.lines_revision) for p in others},
    )
    history, base = [], None
    for p in period.company.periods:  # ordered by year
        # None: the year cannot be computed, shown so in the history; not an error of this page.
        r = result if p.id == period.id else computed[p.id][0]
        history.append(YearRow(p.id, p.year, p.is_base_year, p.status, r))
        if p.is_base_year and p.id != period.id and r is not None:
            base = BaseYear(p.year, r, facts_of(p))
    # ...then shape: the period's own figures (kept apart, for an edit of another year), and
    # the comparison with the base year and the history.
    own = None if kept is None else kept.own.get(key)
    if own is None or own.result is not result or own.rules != rules:
        library = library_for(session, period.library_version_id)
        lines = line_infos(session, period, library, locale)
        hints = (
            rule_hints(lines, rules_for(session, period.company), locale)
            if from_books(lines)
            else {}
        )
        own = own_figures(result, library, lines, uncertainty_scale(session), hints)
        own = replace(own, rules=rules)
        if kept is not None:
            kept.own.put(key, own)
    dashboard = compare_years(own, facts_of(period), locale, base, history)
    if kept is not None:
        kept.built.put(key, (inputs, dashboard))
    return dashboard
