"""What the coach's cohort table is built from: five queries, none over the activity lines.

The companies and their periods (carbon.coaching.footprints.read_cohort), the targets, each
company's latest audit entry and line change, and its action counts: plain tuples, compared
with ``==`` by carbon.coaching.dashboard to tell which companies changed since it last built
the table. Their number does not grow with the cohort.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from carbon.coaching.footprints import CohortRows, read_cohort
from carbon.db.models import Action, AuditLog, Enrolment, ReportingPeriod, Target


@dataclass(frozen=True)
class TargetRow:
    id: int
    company_id: int
    kind: str
    intensity_unit: str | None
    reduction_pct: float
    base_period_id: int
    target_year: int


@dataclass(frozen=True)
class Inputs:
    """Everything the table is built from, as the database gave it (compared with ``==``)."""

    cohort: CohortRows
    targets: tuple[TargetRow, ...]
    audit: tuple[tuple[Any, ...], ...]  # (company id, latest audit entry, latest line change)
    actions: tuple[tuple[Any, ...], ...]  # per company: counts and sums (see _action_rows)

    def by_company(self) -> dict[int, CompanyInputs]:
        """The same rows, company by company, in the table's (name) order."""
        periods: dict[int, list[tuple[Any, ...]]] = {}
        for r in self.cohort.periods:
            periods.setdefault(r[1], []).append(r)
        targets: dict[int, list[TargetRow]] = {}
        for t in self.targets:
            targets.setdefault(t.company_id, []).append(t)
        audit = {r[0]: r for r in self.audit}
        actions = {r[0]: r for r in self.actions}
        return {
            c[0]: CompanyInputs(c, tuple(periods.get(c[0], ())), tuple(targets.get(c[0], ())),
                                audit.get(c[0]), actions.get(c[0]))
            for c in self.cohort.companies
        }  # fmt: skip


@dataclass(frozen=True)
class CompanyInputs:
    company: tuple[Any, ...]
    periods: tuple[tuple[Any, ...], ...]
    targets: tuple[TargetRow, ...]
    audit: tuple[Any, ...] | None
    actions: tuple[Any, ...] | None


def read_inputs(session: Session, cohort_id: int) -> Inputs:
    in_cohort = select(Enrolment.company_id).where(Enrolment.cohort_id == cohort_id)
    return Inputs(
        read_cohort(session, cohort_id),
        _target_rows(session, in_cohort),
        _audit_rows(session, in_cohort),
        _action_rows(session, in_cohort),
    )


def _audit_rows(session: Session, in_cohort: Select[Any]) -> tuple[tuple[Any, ...], ...]:
    """Per company: its latest audit entry (through the (company_id, at) index) and the latest
    change to its lines (``ReportingPeriod.lines_changed_at``): the lines are not read."""
    latest_audit = (
        select(func.max(AuditLog.at))
        .where(AuditLog.company_id == Enrolment.company_id)
        .scalar_subquery()
    )
    p = ReportingPeriod
    latest_lines = (
        select(func.max(p.lines_changed_at))
        .where(p.company_id == Enrolment.company_id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Enrolment.company_id, latest_audit, latest_lines).where(
            Enrolment.company_id.in_(in_cohort)
        )
    ).all()
    return tuple(tuple(r) for r in rows)


def _action_rows(session: Session, in_cohort: Select[Any]) -> tuple[tuple[Any, ...], ...]:
    a = Action
    live = a.status != "abandoned"
    rows = session.execute(
        select(
            a.company_id,
            func.count(),
            func.count(a.expected_avoided_tco2e_per_year),
            func.sum(case((live, 1), else_=0)),
            func.sum(case((a.status.in_(["in_progress", "done"]), 1), else_=0)),
            func.sum(case((live, a.expected_avoided_tco2e_per_year), else_=None)),
            func.sum(a.achieved_avoided_tco2e),
        )
        .where(a.company_id.in_(in_cohort))
        .group_by(a.company_id)
        .order_by(a.company_id)
    ).all()
    return tuple(tuple(r) for r in rows)


def _target_rows(session: Session, in_cohort: Select[Any]) -> tuple[TargetRow, ...]:
    t = Target
    rows = session.execute(
        select(t.id, t.company_id, t.kind, t.intensity_unit, t.reduction_pct,
               t.base_period_id, t.target_year)
        .where(t.company_id.in_(in_cohort))
        .order_by(t.id)
    ).all()  # fmt: skip
    return tuple(TargetRow(*r) for r in rows)
