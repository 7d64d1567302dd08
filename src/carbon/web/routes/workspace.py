"""The company workspace: companies, their reporting periods, and a period's activity lines."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.accounting.engine import ComputationError
from carbon.accounting.postes import POSTES
from carbon.db.activity_lines import set_status
from carbon.db.compute import compute_period, library_for
from carbon.db.models import Company, ReportingPeriod, Site
from carbon.factors.bundled import activities
from carbon.i18n import get_locale
from carbon.i18n import gettext as _
from carbon.web.access import (
    Principal,
    can_coach_company,
    can_edit_period,
    can_enter_data,
    coached_company_ids,
)
from carbon.web.deps import MAX_ID, FormDep, Id, PrincipalDep, SessionDep
from carbon.web.loaders import company_or_404, period_or_404
from carbon.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(principal: PrincipalDep) -> Response:
    if principal.is_admin:
        return RedirectResponse("/admin", 303)  # the state of the programmes
    if principal.is_coach:
        return RedirectResponse("/cohorts", 303)
    if len(principal.member_of) == 1:
        return RedirectResponse(f"/companies/{next(iter(principal.member_of))}", 303)
    return RedirectResponse("/companies", 303)


def visible_companies(session: Session, principal: Principal) -> list[Company]:
    query = select(Company).order_by(Company.name)
    if not principal.is_admin:
        ids = principal.member_of | coached_company_ids(session, principal)
        query = query.where(Company.id.in_(ids))
    return list(session.scalars(query))


@router.get("/companies")
def companies_page(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    return render(request, "companies.html", {"companies": visible_companies(session, principal)})


@router.get("/companies/{company_id}")
def company_page(
    request: Request, company_id: Id, session: SessionDep, principal: PrincipalDep
) -> Response:
    company = company_or_404(session, principal, company_id)
    return render(request, "company.html", company_context(session, principal, company))


def company_context(session: Session, principal: Principal, company: Company) -> dict[str, Any]:
    """The company page: its periods with their totals, and the form that opens a new one."""
    periods = sorted(company.periods, key=lambda p: p.year, reverse=True)
    totals: dict[int, Any] = {}
    for p in periods:
        try:
            totals[p.id] = compute_period(session, p)
        except ComputationError:
            totals[p.id] = None
    may_open = can_enter_data(principal, company.id) or can_coach_company(
        session, principal, company.id
    )
    next_year = (periods[0].year + 1) if periods else date.today().year
    return {
        "company": company,
        "periods": periods,
        "results": totals,
        "can_open": may_open,
        "period_form": {"year": str(next_year), "copy_last_year": "none"},
        "period_errors": {},
    }


def period_context(
    session: Session, principal: Principal, period: ReportingPeriod
) -> dict[str, Any]:
    """Everything the period page and its fragments show.

    Lines stored before today's checks (or changed in the database) may not compute: the page
    then lists them with what is wrong, so that they can be corrected or deleted, and no totals.
    """
    try:
        result = compute_period(session, period)
        errors = []
    except ComputationError as exc:
        result, errors = None, exc.errors
    detail = result.lines.set_index("line") if result is not None and len(period.lines) else None
    by_poste: dict[str, list[Any]] = {}
    for line in sorted(period.lines, key=lambda ln: ln.id):
        by_poste.setdefault(line.poste, []).append(line)
    locale = get_locale()
    submittable = period.status == "draft" and can_enter_data(principal, period.company_id)
    return {
        "period": period,
        "company": period.company,
        "result": result,
        "compute_errors": errors,
        "line_kg": {} if detail is None else detail["kgco2e"].to_dict(),
        "line_u": {} if detail is None else detail["uncertainty_kgco2e"].to_dict(),
        "lines_by_poste": by_poste,
        "postes_in_use": [p for p in POSTES if p.code in by_poste],
        "editable": can_edit_period(principal, period),
        "can_submit": submittable and period.line_count > 0,
        "submit_needs_lines": submittable and period.line_count == 0,
        "can_validate": period.status == "submitted"
        and can_coach_company(session, principal, period.company_id),
        "sites": list(session.scalars(select(Site).where(Site.company_id == period.company_id))),
        "activity_names": {a.activity_id: a.name(locale) for a in activities()},
        "factor_names": _factor_names(session, period, locale),
    }


def _factor_names(session: Session, period: ReportingPeriod, locale: str) -> dict[str, str]:
    """Names of the factors of lines without an activity (the books' spend lines), so that no
    line shows only its factor's identifier."""
    wanted = {line.factor_id for line in period.lines if not line.activity_id}
    if not wanted:
        return {}
    factors = library_for(session, period.library_version_id).factors
    rows = factors[factors["factor_id"].isin(wanted)]
    column = f"name_{locale}" if f"name_{locale}" in rows.columns else "name_fr"
    names = rows[column].fillna(rows["name_fr"]).astype(str)
    return dict(zip(rows["factor_id"].astype(str), names, strict=True))


@router.get("/periods/{period_id}")
def period_page(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep,
    line: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:  # fmt: skip
    """The period; ``line`` puts the focus on that line's row (a cancelled edit comes back)."""
    period = period_or_404(session, principal, period_id)
    ctx = period_context(session, principal, period)
    ctx.update(form={}, errors={}, focus_line=line)
    return render(request, "period.html", ctx, blocks=["workspace"])


@router.post("/periods/{period_id}/submit")
def submit_period(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    period = period_or_404(session, principal, period_id)
    if not can_enter_data(principal, period.company_id):
        raise HTTPException(403, _("Only the company itself submits its footprint."))
    if period.status != "draft":
        raise HTTPException(409, _("Only a draft period can be submitted."))
    if period.line_count == 0:
        raise HTTPException(
            409, _("A year without any line cannot be submitted: enter its lines first.")
        )
    if form.get("confirm") != "yes":
        # Submitting makes the year read-only: it is done only when the person says they mean it.
        ctx = period_context(session, principal, period)
        ctx.update(form={}, errors={}, submit_error=_("Tick the box to confirm the submission."))
        return render(request, "period.html", ctx, status_code=422)
    set_status(session, principal.id, period, "submitted")
    session.commit()
    return RedirectResponse(f"/periods/{period.id}", 303)
