"""Loading what a route may touch, or answering 404: the routes' first line of defence.

Each loader checks the signed-in principal's right to the object before returning it, so a route
cannot forget the check. A forbidden object and a missing one look the same from outside.
"""

from __future__ import annotations

from fastapi import HTTPException
from sqlalchemy.orm import Session

from carbon.db.models import ActivityLine, Cohort, Company, ReportingPeriod
from carbon.i18n import gettext as _
from carbon.web.access import Principal, can_view_cohort, can_view_company


def not_found() -> HTTPException:
    return HTTPException(status_code=404, detail=_("This page does not exist or is not yours."))


def company_or_404(session: Session, principal: Principal, company_id: int) -> Company:
    company = session.get(Company, company_id)
    if company is None or not can_view_company(session, principal, company_id):
        raise not_found()
    return company


def period_or_404(session: Session, principal: Principal, period_id: int) -> ReportingPeriod:
    period = session.get(ReportingPeriod, period_id)
    if period is None or not can_view_company(session, principal, period.company_id):
        raise not_found()
    return period


def line_or_404(session: Session, principal: Principal, line_id: int) -> ActivityLine:
    line = session.get(ActivityLine, line_id)
    if line is None or not can_view_company(session, principal, line.period.company_id):
        raise not_found()
    return line


def cohort_or_404(session: Session, principal: Principal, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None or not can_view_cohort(principal, cohort_id):
        raise not_found()
    return cohort
