"""The list of cohorts a coach follows, each with the counts that tell where to look first."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from carbon.db.models import Cohort, Enrolment, Programme, ReportingPeriod


@dataclass(frozen=True)
class CohortSummary:
    id: int
    name: str
    programme_code: str
    programme_names: dict[str, str]  # locale → name
    start_date: date | None
    end_date: date | None
    companies: int
    awaiting_validation: int  # submitted periods
    validated: int  # validated or locked periods

    def programme_name(self, locale: str) -> str:
        return self.programme_names.get(locale) or self.programme_names["fr"]


def cohort_summaries(
    session: Session, cohort_ids: Collection[int] | None = None
) -> list[CohortSummary]:
    """Cohorts (all of them when ``cohort_ids`` is None), newest first; three queries in all."""
    query = (
        select(Cohort, Programme)
        .join(Programme, Programme.id == Cohort.programme_id)
        .order_by(Cohort.start_date.desc().nulls_last(), Cohort.name)
    )
    if cohort_ids is not None:
        query = query.where(Cohort.id.in_(list(cohort_ids)))
    pairs = session.execute(query).all()
    ids = [c.id for c, _ in pairs]
    if not ids:
        return []
    companies = dict(
        session.execute(
            select(Enrolment.cohort_id, func.count())
            .where(Enrolment.cohort_id.in_(ids))
            .group_by(Enrolment.cohort_id)
        ).all()
    )
    status = ReportingPeriod.status
    periods = {
        row[0]: (int(row[1] or 0), int(row[2] or 0))
        for row in session.execute(
            select(
                Enrolment.cohort_id,
                func.sum(case((status == "submitted", 1), else_=0)),
                func.sum(case((status.in_(["validated", "locked"]), 1), else_=0)),
            )
            .join(ReportingPeriod, ReportingPeriod.company_id == Enrolment.company_id)
            .where(Enrolment.cohort_id.in_(ids))
            .group_by(Enrolment.cohort_id)
        ).all()
    }
    return [
        CohortSummary(
            id=c.id,
            name=c.name,
            programme_code=p.code,
            programme_names={"fr": p.name_fr, "it": p.name_it, "en": p.name_en},
            start_date=c.start_date,
            end_date=c.end_date,
            companies=companies.get(c.id, 0),
            awaiting_validation=periods.get(c.id, (0, 0))[0],
            validated=periods.get(c.id, (0, 0))[1],
        )
        for c, p in pairs
    ]
