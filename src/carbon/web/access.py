"""Who may see and change what: the one place where permissions are decided.

A company member sees their companies; a coach the companies enrolled in the cohorts they coach;
an administrator everything. Routes ask these functions and answer 404 for what a user may not
see, so that the existence of another company's data is not revealed either.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.db.models import CohortCoach, Enrolment, Membership, ReportingPeriod, User


@dataclass(frozen=True)
class Principal:
    user: User
    member_of: frozenset[int]  # company ids
    coach_of: frozenset[int]  # cohort ids

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def is_admin(self) -> bool:
        return self.user.is_admin

    @property
    def is_coach(self) -> bool:
        return bool(self.coach_of)


def load_principal(session: Session, user: User) -> Principal:
    members = session.scalars(select(Membership.company_id).where(Membership.user_id == user.id))
    coached = session.scalars(select(CohortCoach.cohort_id).where(CohortCoach.user_id == user.id))
    return Principal(user=user, member_of=frozenset(members), coach_of=frozenset(coached))


def coached_company_ids(session: Session, principal: Principal) -> frozenset[int]:
    if not principal.coach_of:
        return frozenset()
    rows = session.scalars(
        select(Enrolment.company_id).where(Enrolment.cohort_id.in_(principal.coach_of))
    )
    return frozenset(rows)


def can_view_company(session: Session, principal: Principal, company_id: int) -> bool:
    return (
        principal.is_admin
        or company_id in principal.member_of
        or company_id in coached_company_ids(session, principal)
    )


def can_coach_company(session: Session, principal: Principal, company_id: int) -> bool:
    return principal.is_admin or company_id in coached_company_ids(session, principal)


def can_enter_data(principal: Principal, company_id: int) -> bool:
    """Activity data is entered by the company itself (and by an administrator on its behalf)."""
    return principal.is_admin or company_id in principal.member_of


def can_edit_period(principal: Principal, period: ReportingPeriod) -> bool:
    """A submitted, validated or locked period is read-only for the company."""
    return period.status == "draft" and can_enter_data(principal, period.company_id)


def can_view_cohort(principal: Principal, cohort_id: int) -> bool:
    return principal.is_admin or cohort_id in principal.coach_of
