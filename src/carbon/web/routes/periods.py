"""Opening a reporting period and choosing the base year, from the company's page.

The company's members, its coaches and administrators may do both (a coach often opens the
year with the company during the first meeting). The form is :class:`carbon.inputs.period.PeriodIn`,
the same model as the JSON API's and the CLI's; a refusal re-renders the company page with the
values kept and one message per field.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from carbon.db.models import Company
from carbon.db.periods import PeriodExists, create_period, set_base_year
from carbon.i18n import gettext as _
from carbon.inputs.period import PeriodIn, field_errors
from carbon.web.access import Principal, can_coach_company, can_enter_data
from carbon.web.deps import FormDep, Id, PrincipalDep, SessionDep
from carbon.web.loaders import company_or_404, not_found, period_or_404
from carbon.web.routes.workspace import company_context
from carbon.web.templating import render

router = APIRouter(include_in_schema=False)


def can_open_periods(session: Session, principal: Principal, company_id: int) -> bool:
    return can_enter_data(principal, company_id) or can_coach_company(
        session, principal, company_id
    )


def company_for_periods(session: Session, principal: Principal, company_id: int) -> Company:
    company = company_or_404(session, principal, company_id)
    if not can_open_periods(session, principal, company_id):
        raise not_found()
    return company


def _refused(
    request: Request,
    session: Session,
    principal: Principal,
    company: Company,
    form: dict[str, str],
    errors: dict[str, str],
    status: int,
) -> Response:
    ctx: dict[str, Any] = company_context(session, principal, company)
    ctx.update(period_form=form, period_errors=errors)
    return render(request, "company.html", ctx, status_code=status)


@router.post("/companies/{company_id}/periods")
def open_period(
    request: Request, company_id: Id, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    company = company_for_periods(session, principal, company_id)
    try:
        data = PeriodIn.model_validate(form)
    except ValidationError as exc:
        return _refused(request, session, principal, company, form, field_errors(exc), 422)
    try:
        opened = create_period(session, principal.id, company, data)
    except PeriodExists as exc:
        message = _("%(year)d is already open for this company: open it from the list below.") % {
            "year": exc.period.year
        }
        return _refused(request, session, principal, company, form, {"year": message}, 409)
    session.commit()
    return RedirectResponse(f"/periods/{opened.period.id}", 303)


@router.post("/periods/{period_id}/base-year")
def make_base_year(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    period = period_or_404(session, principal, period_id)
    company = company_for_periods(session, principal, period.company_id)
    if form.get("confirm") != "yes":
        message = _("Tick the box to confirm: the targets will be recomputed from %(year)d.") % {
            "year": period.year
        }
        return _refused(request, session, principal, company, {}, {"base_year": message}, 422)
    set_base_year(session, principal.id, period)
    session.commit()
    return RedirectResponse(f"/companies/{company.id}", 303)
