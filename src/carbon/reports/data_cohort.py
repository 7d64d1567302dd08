"""Filling the cohort report's plain data (reports/model_cohort.py) from the database.

Each company is seen through its base year and its latest measured year, both computed in one
batch (reports/data.py: ``compute_periods``), and its action plan. The stages and KPIs are
computed here, simply (``stage_of``); the coaching dashboard (carbon.coaching) has its own, and
a later pass may share them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from carbon.accounting.headcount import year_fte
from carbon.db.models import Action, ActivityLine, Cohort, ReportingPeriod
from carbon.reports.data import compute_periods, named
from carbon.reports.model import LIVE_ACTION_STATUSES
from carbon.reports.model_cohort import CohortCompany, CohortReport

_DONE = ("validated", "locked")


def stage_of(statuses: Sequence[str], has_lines: bool, action_statuses: Sequence[str]) -> str:
    """How far a company has come: the furthest step it has reached (model.STAGES)."""
    live = [s for s in action_statuses if s in LIVE_ACTION_STATUSES]
    if any(s in ("in_progress", "done") for s in live):
        return "acting"
    if live:
        return "planning"
    if any(s in _DONE for s in statuses):
        return "validated"
    if "submitted" in statuses:
        return "submitted"
    return "measuring" if has_lines else "not_started"


def cohort_report(
    session: Session,
    cohort: Cohort,
    locale: str,
    today: date | None = None,
    company_ids: Collection[int] | None = None,
) -> CohortReport:
    """The cohort's companies (or only ``company_ids`` of them: one certificate)."""
    companies = [
        e.company for e in cohort.enrolments if company_ids is None or e.company_id in company_ids
    ]
    ids = [c.id for c in companies]
    periods = session.scalars(
        select(ReportingPeriod)
        .where(ReportingPeriod.company_id.in_(ids))
        .options(selectinload(ReportingPeriod.library_version))
    ).all()
    counts: dict[int, int] = dict(
        session.execute(
            select(ActivityLine.period_id, func.count())
            .where(ActivityLine.period_id.in_([p.id for p in periods]))
            .group_by(ActivityLine.period_id)
        ).all()
    )
    by_company: dict[int, list[ReportingPeriod]] = defaultdict(list)
    for p in sorted(periods, key=lambda p: p.year):
        by_company[p.company_id].append(p)
    # Only the base and latest years are computed: the table and the KPIs need no more.
    chosen: dict[int, tuple[ReportingPeriod | None, ReportingPeriod | None]] = {}
    for cid in ids:
        measured = [p for p in by_company[cid] if counts.get(p.id)]
        base = next((p for p in by_company[cid] if p.is_base_year), None) or next(
            iter(measured), None
        )
        chosen[cid] = (base, measured[-1] if measured else None)
    needed = {p.id: p for pair in chosen.values() for p in pair if p is not None}
    results, _ = compute_periods(session, needed.values())
    actions: dict[int, list[Action]] = defaultdict(list)
    for a in session.scalars(select(Action).where(Action.company_id.in_(ids))):
        actions[a.company_id].append(a)

    rows = []
    for company in companies:
        base, latest = chosen[company.id]
        base_r = results.get(base.id) if base and counts.get(base.id) else None
        latest_r = results.get(latest.id) if latest else None
        its_actions = actions[company.id]
        live = [a for a in its_actions if a.status in LIVE_ACTION_STATUSES]
        statuses = [p.status for p in by_company[company.id]]
        rows.append(
            CohortCompany(
                company_id=company.id,
                name=company.name,
                country=company.country,
                sector=company.sector,
                fte=year_fte(latest.fte if latest else None, company.fte),
                base_year=base.year if base else None,
                base_kg=base_r.total_kgco2e if base_r else None,
                latest_year=latest.year if latest else None,
                latest_kg=latest_r.total_kgco2e if latest_r else None,
                latest_status=latest.status if latest else None,
                latest_by_category=latest_r.by_category if latest_r else {},
                stage=stage_of(
                    statuses, latest is not None, [a.status for a in actions[company.id]]
                ),
                validated=any(s in _DONE for s in statuses),
                actions=len(its_actions),
                quantified=sum(
                    1 for a in its_actions if a.expected_avoided_tco2e_per_year is not None
                ),
                expected_t=sum(a.expected_avoided_tco2e_per_year or 0.0 for a in live),
                achieved_t=sum(a.achieved_avoided_tco2e or 0.0 for a in its_actions),
                validated_periods=sum(1 for s in statuses if s in _DONE),
            )
        )
    versions = Counter(p.library_version.label for p in periods if counts.get(p.id))
    coaches = tuple(sorted(c.user.display_name or c.user.email for c in cohort.coaches))
    return CohortReport(
        programme=named(cohort.programme, locale),
        programme_code=cohort.programme.code,
        cohort=cohort.name,
        start=cohort.start_date,
        end=cohort.end_date,
        companies=tuple(sorted(rows, key=lambda c: c.name.casefold())),
        coaches=coaches,
        library_versions=dict(sorted(versions.items())),
        generated_on=today or date.today(),
    )
