"""A period's dashboard in one downward pass: load, compute, shape.

``load_dashboard`` reads what the period's dashboard needs (the company's years, their results
through carbon.db.compute, the period's lines and library), then hands it to the pure
:func:`carbon.web.results_view.build_dashboard`, which shapes it for the page. The results page
and the results API both call it, so they cannot disagree. Nothing is kept here: the results
themselves are kept by the application's carbon.db.compute.Computations, and the rest costs a
few milliseconds (docs/performance.md, fifth session).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.accounting.factors import FactorLibrary
from carbon.accounting.results import ComputationResult
from carbon.db.compute import compute_many, compute_period, library_for, uncertainty_scale
from carbon.db.models import ActivityLine, ReportingPeriod
from carbon.factors.bundled import find_activity
from carbon.i18n import get_locale
from carbon.web.results_view import (
    BaseYear,
    Dashboard,
    LineInfo,
    PeriodFacts,
    YearRow,
    build_dashboard,
    factor_record,
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
        fte=period.fte,
        revenue_keur=period.revenue_keur,
        sector_activity=period.sector_activity,
        sector_unit_label=period.company.sector_unit_label,
    )


@dataclass(frozen=True)
class DashboardInputs:
    """Everything the dashboard of one period is built from, read from the database."""

    result: ComputationResult
    library: FactorLibrary
    lines: dict[int, LineInfo]
    facts: PeriodFacts
    base: BaseYear | None
    history: tuple[YearRow, ...]


def read_inputs(session: Session, period: ReportingPeriod, locale: str) -> DashboardInputs:
    """The period's result, library and lines, and its company's other years (their results
    under the revisions the periods already carry: no query each). ComputationError on bad
    lines of this period; another year that cannot be computed is shown so in the history."""
    result = compute_period(session, period)
    others = [p for p in period.company.periods if p.id != period.id]
    computed = compute_many(
        session,
        [(p.id, p.library_version_id) for p in others],
        revisions={p.id: (p.line_count, p.lines_revision) for p in others},
    )
    history, base = [], None
    for p in period.company.periods:  # ordered by year
        r = result if p.id == period.id else computed[p.id][0]
        history.append(YearRow(p.id, p.year, p.is_base_year, p.status, r))
        if p.is_base_year and p.id != period.id and r is not None:
            base = BaseYear(p.year, r, facts_of(p))
    library = library_for(session, period.library_version_id)
    lines = line_infos(session, period, library, locale)
    return DashboardInputs(result, library, lines, facts_of(period), base, tuple(history))


def load_dashboard(session: Session, period: ReportingPeriod) -> Dashboard:
    """The period's dashboard with the company's other years; ComputationError on bad lines."""
    locale = get_locale()
    i = read_inputs(session, period, locale)
    return build_dashboard(i.result, i.library, i.lines, i.facts, locale, i.base, i.history,
                           uncertainty_scale(session))  # fmt: skip
