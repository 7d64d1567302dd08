"""A period's dashboard from the database: its inputs gathered, and built dashboards kept.

``load_dashboard`` feeds the pure :func:`carbon.web.results_view.build_dashboard` steps (the
period's own figures, then the comparison with the company's other years) and keeps what it
built per period and language while the company's years are unchanged: members reread their
dashboard far more often than they change a line. The results page and the results API both
read it, so they cannot disagree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.accounting.factors import FactorLibrary
from carbon.accounting.headcount import year_fte
from carbon.accounting.results import ComputationResult
from carbon.db.compute import (
    compute_many,
    compute_period,
    database_key,
    library_for,
    scale_key,
)
from carbon.db.models import ActivityLine, ReportingPeriod
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
               line.unit, line.comment)
        .where(line.period_id == period.id)
        .order_by(line.id)
    ).all()  # fmt: skip
    infos = {}
    for line_id, activity_id, factor_id, quality, quantity, unit, comment in rows:
        act = find_activity(activity_id) if activity_id else None
        label = act.name(locale) if act else factor_name(library, factor_id, locale)
        infos[line_id] = LineInfo(line_id, label, quality, quantity, unit, comment)
    return infos


def facts_of(period: ReportingPeriod) -> PeriodFacts:
    return PeriodFacts(
        year=period.year,
        fte=year_fte(period.fte, period.company.fte),
        revenue_keur=period.revenue_keur,
        sector_activity=period.sector_activity,
        sector_unit_label=period.company.sector_unit_label,
    )


# Per database, period and language: the last dashboard built and what it was built from.
_dashboards: Lru[tuple[Any, ...], tuple[tuple[Any, ...], Dashboard]] = Lru(2_000)


def _inputs(period: ReportingPeriod) -> tuple[Any, ...]:
    """What a period's dashboard is built from, as its company's periods say it: each year's
    figures, status and pinned library, and its lines' revision (carbon.db.line_stats renews it
    on any change to a line, comments included)."""
    company = period.company
    return (
        scale_key(),
        company.sector_unit_label,
        company.fte,  # a year without its own FTE divides by the company's
        tuple(
            (p.id, p.year, p.is_base_year, p.status, p.library_version_id, p.line_count,
             p.lines_revision, p.fte, p.revenue_keur, p.sector_activity)
            for p in company.periods
        ),
    )  # fmt: skip


def load_dashboard(session: Session, period: ReportingPeriod) -> Dashboard:
    """The period's dashboard with the company's other years; ComputationError on bad lines.

    Kept while its inputs are unchanged: members reread their dashboard far more often than
    they change a line, and building it (six footprints, the lines' labels, the uncertainty
    contributors) is most of the page's time.
    """
    locale = get_locale()
    key = (database_key(session), period.id, locale)
    inputs = _inputs(period)
    hit = _dashboards.get(key)
    if hit is not None and hit[0] == inputs:
        return hit[1]
    dashboard = _build(session, period, locale)
    _dashboards.put(key, (inputs, dashboard))
    return dashboard


def clear_cache() -> None:
    _dashboards.clear()
    _owns.clear()


def _build(session: Session, period: ReportingPeriod, locale: str) -> Dashboard:
    result = compute_period(session, period)
    # The other years: from the results cache, under the revisions the periods already carry.
    others = [p for p in period.company.periods if p.id != period.id]
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
    return compare_years(_own(session, period, result, locale), facts_of(period), locale, base,
                         history)  # fmt: skip


# Per database, period and language: the figures of the period alone, for the result they were
# derived from (held here, so ``is`` is a safe test: the results cache gives the same object
# for the same lines' revision, library and scale).
_owns: Lru[tuple[Any, ...], OwnFigures] = Lru(2_000)


def _own(
    session: Session, period: ReportingPeriod, result: ComputationResult, locale: str
) -> OwnFigures:
    key = (database_key(session), period.id, locale)
    own = _owns.get(key)
    if own is not None and own.result is result:
        return own
    library = library_for(session, period.library_version_id)
    own = own_figures(result, library, line_infos(session, period, library, locale))
    _owns.put(key, own)
    return own
