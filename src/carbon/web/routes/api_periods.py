"""The JSON API, reporting periods: open a year for a company.

The body is :class:`carbon.inputs.period.PeriodIn`, the same model as the company page's form
and ``carbon period create``, and the period is opened by :func:`carbon.db.periods.create_period`
(pinned to the default factor library, audited). Like every write, it needs the session's CSRF
token in ``X-CSRF-Token``.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from carbon.db.periods import PeriodExists, create_period
from carbon.i18n import gettext as _
from carbon.inputs.period import PeriodIn
from carbon.web.deps import Id, PrincipalDep, SessionDep
from carbon.web.routes.api import period_out
from carbon.web.routes.api_lines import WRITE_ERRORS
from carbon.web.routes.api_models import ErrorOut, PeriodOut
from carbon.web.routes.periods import company_for_periods

router = APIRouter(prefix="/api", tags=["reporting periods"])


@router.post(
    "/companies/{company_id}/periods",
    status_code=201,
    response_model=PeriodOut,
    responses={
        **WRITE_ERRORS,
        409: {"model": ErrorOut, "description": "The company already has a period that year"},
    },
)
def api_create_period(
    company_id: Id, body: PeriodIn, session: SessionDep, principal: PrincipalDep
) -> PeriodOut:
    """Open a reporting period (calendar or fiscal year) for a company you belong to or coach;
    optionally start from the latest earlier year's lines and make it the base year (audited)."""
    company = company_for_periods(session, principal, company_id)
    try:
        opened = create_period(session, principal.id, company, body)
    except PeriodExists as exc:
        session.rollback()
        raise HTTPException(
            409, _("%(year)d is already open for this company.") % {"year": exc.period.year}
        ) from None
    session.commit()
    session.refresh(opened.period)
    return period_out(principal, opened.period)
