"""The JSON API, read side: companies, their periods and a period's results.

For scripts and spreadsheets that want the figures without scraping pages. It authenticates
with the same session cookie and answers from the same permission checks as the pages (401
when nobody is signed in, 404 for what is not yours), and its results come from the same
``load_dashboard`` as the dashboard, so the API and the page cannot disagree. Writes to activity
lines are in :mod:`carbon.web.routes.api_lines`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from carbon.accounting.engine import ComputationError
from carbon.accounting.progress import Change
from carbon.db.models import Company, ReportingPeriod
from carbon.i18n import gettext as _
from carbon.web.access import Principal, can_edit_period
from carbon.web.dashboard_data import load_dashboard
from carbon.web.deps import DashboardsDep, Id, PrincipalDep, SessionDep
from carbon.web.loaders import company_or_404, period_or_404
from carbon.web.results_view import Reliance
from carbon.web.routes.api_models import (
    CategoryOut,
    ChangeOut,
    CompanyOut,
    ErrorOut,
    IntensityOut,
    PeriodOut,
    RelianceOut,
    ResultsOut,
)
from carbon.web.routes.workspace import visible_companies

READ_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Not signed in (session cookie missing or expired)"},
    404: {"model": ErrorOut, "description": "Does not exist, or is not yours to see"},
}

router = APIRouter(prefix="/api", tags=["read"], responses=READ_ERRORS)


def period_out(principal: Principal, period: ReportingPeriod) -> PeriodOut:
    return PeriodOut(
        id=period.id,
        company_id=period.company_id,
        year=period.year,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        is_base_year=period.is_base_year,
        status=period.status,
        factor_library=period.library_version.label,
        fte=period.fte,
        revenue_keur=period.revenue_keur,
        sector_activity=period.sector_activity,
        version_id=period.version_id,
        editable=can_edit_period(principal, period),
    )


@router.get("/companies", response_model=list[CompanyOut])
def api_companies(session: SessionDep, principal: PrincipalDep) -> list[Company]:
    """The companies you may see: yours, those of the cohorts you coach, or all (administrator)."""
    return visible_companies(session, principal)


@router.get("/companies/{company_id}/periods", response_model=list[PeriodOut])
def api_company_periods(
    company_id: Id, session: SessionDep, principal: PrincipalDep
) -> list[PeriodOut]:
    """A company's reporting periods, oldest first."""
    company = company_or_404(session, principal, company_id)
    return [period_out(principal, p) for p in company.periods]


@router.get("/periods/{period_id}", response_model=PeriodOut)
def api_period(period_id: Id, session: SessionDep, principal: PrincipalDep) -> PeriodOut:
    return period_out(principal, period_or_404(session, principal, period_id))


def _change(c: Change | None) -> ChangeOut | None:
    return None if c is None else ChangeOut(absolute=c.absolute, relative_pct=c.relative_pct)


def _reliance(r: Reliance) -> RelianceOut:
    return RelianceOut(lines=r.lines, kgco2e=r.kgco2e, share_pct=r.share_pct)


@router.get(
    "/periods/{period_id}/results",
    response_model=ResultsOut,
    responses={409: {"model": ErrorOut, "description": "Some lines cannot be computed"}},
)
def api_period_results(
    period_id: Id, session: SessionDep, principal: PrincipalDep, kept: DashboardsDep
) -> ResultsOut:
    """The period's footprint (kgCO2e): totals, postes, categories, scopes, intensities and the
    change against the company's base year, computed with the period's pinned factor library."""
    period = period_or_404(session, principal, period_id)
    try:
        dash = load_dashboard(session, period, kept)
    except ComputationError as exc:
        raise HTTPException(409, _("This footprint cannot be computed: %(errors)s")
                            % {"errors": exc}) from None  # fmt: skip
    result = dash.result
    data = result.to_dict()
    data.pop("factor_library")
    return ResultsOut(
        **data,
        period_id=period.id,
        year=period.year,
        factor_library=result.library_version,
        base_year=dash.base_year,
        change_vs_base_year=_change(dash.change),
        categories=[
            CategoryOut(
                category=c.key,
                label=c.label,
                kgco2e=c.kgco2e,
                share_pct=c.share_pct,
                postes={p.poste.code: p.kgco2e for p in c.postes if not p.poste.reported_apart},
                change_vs_base_year=_change(c.change),
            )
            for c in dash.categories
        ],
        intensities=[
            IntensityOut(
                key=i.key,
                label=i.label,
                denominator=i.denominator,
                kgco2e_per_unit=i.kg_per_unit,
                base_year_kgco2e_per_unit=i.base_kg_per_unit,
                change_vs_base_year=_change(i.change),
            )
            for i in dash.intensities
        ],
        unchecked_factors=_reliance(dash.unchecked),
        estimated_factors=_reliance(dash.estimates),
    )
