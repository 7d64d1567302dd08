"""A cohort's companies, their reporting periods and footprints, loaded in a fixed few queries.

A coach's page for 300 companies must not run 300 computations one after the other (about 2.5 ms
each, mostly pandas bookkeeping on a dozen lines): the lines of every period the page needs are
read in one query, checked and coded once per library version, and each period's slice goes
through ``compute_encoded``; unchanged periods come from the results cache
(``carbon.db.compute.compute_many``). Same engine, same rules, same results as
``compute_period``, period by period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.accounting.headcount import year_fte
from carbon.accounting.results import ComputationResult
from carbon.coaching.path import PeriodState, reference_period
from carbon.db.compute import compute_many
from carbon.db.models import Company, Enrolment, ReportingPeriod


@dataclass(frozen=True)
class CompanyInfo:
    id: int
    name: str
    sector: str
    country: str
    fte: float | None
    revenue_keur: float | None
    sector_unit_label: str | None
    enrolled_at: datetime


@dataclass(frozen=True)
class Period:
    id: int
    company_id: int
    year: int
    status: str
    is_base_year: bool
    library_version_id: int
    fte: float | None
    revenue_keur: float | None
    sector_activity: float | None
    line_count: int
    lines_revision: int = 0

    @property
    def state(self) -> PeriodState:
        return PeriodState(self.year, self.status, self.is_base_year, self.line_count)

    def denominator(self, unit: str, company: CompanyInfo) -> float | None:
        """FTE, k€ or sector units of this year (methodology §11).

        Only the FTE falls back to the company's current figure; revenue and sector activity
        (skier-days…) change every year, so a year without its own has no such intensity, as on
        the results page, in the PDF and in the VSME disclosure.
        """
        if unit == "fte":
            return year_fte(self.fte, company.fte)
        if unit == "revenue_keur":
            return self.revenue_keur
        return self.sector_activity


@dataclass
class CohortFootprints:
    companies: dict[int, CompanyInfo]  # in name order
    periods: dict[int, list[Period]]  # company id → its periods, by year
    results: dict[int, ComputationResult | None] = field(default_factory=dict)  # None: bad lines
    postes: dict[int, frozenset[str]] = field(default_factory=dict)  # postes with lines
    _references: dict[int, Period | None] = field(default_factory=dict, repr=False)

    def current(self, company_id: int) -> Period | None:
        """The latest year: the one the company is working on."""
        periods = self.periods.get(company_id)
        return periods[-1] if periods else None

    def footprint(self, company_id: int) -> Period | None:
        """The latest year with lines: the footprint the page shows."""
        with_lines = [p for p in self.periods.get(company_id, []) if p.line_count]
        return with_lines[-1] if with_lines else None

    def reference(self, company_id: int) -> Period | None:
        # Asked several times per company by the cohort page: worked out once.
        if company_id not in self._references:
            periods = self.periods.get(company_id, [])
            ref = reference_period(p.state for p in periods)
            found = None if ref is None else next(p for p in periods if p.year == ref.year)
            self._references[company_id] = found
        return self._references[company_id]

    def result(self, period: Period | None) -> ComputationResult | None:
        return None if period is None else self.results.get(period.id)


@dataclass(frozen=True)
class CohortRows:
    """What the database says of a cohort's companies and periods, as plain tuples: comparable
    with ``==``, so a page can tell that nothing changed since it last built from them."""

    companies: tuple[tuple[Any, ...], ...]
    periods: tuple[tuple[Any, ...], ...]


def read_cohort(session: Session, cohort_id: int) -> CohortRows:
    """The enrolled companies and their periods (two queries; no line is read)."""
    rows = session.execute(
        select(
            Company.id, Company.name, Company.sector, Company.country, Company.fte,
            Company.revenue_keur, Company.sector_unit_label, Enrolment.enrolled_at,
        )
        .join(Enrolment, Enrolment.company_id == Company.id)
        .where(Enrolment.cohort_id == cohort_id)
        .order_by(Company.name, Company.id)
    ).all()  # fmt: skip
    in_cohort = select(Enrolment.company_id).where(Enrolment.cohort_id == cohort_id)
    p = ReportingPeriod
    period_rows = session.execute(
        select(p.id, p.company_id, p.year, p.status, p.is_base_year, p.library_version_id,
               p.fte, p.revenue_keur, p.sector_activity, p.line_count, p.lines_revision)
        .where(p.company_id.in_(in_cohort))
        .order_by(p.company_id, p.year)
    ).all()  # fmt: skip
    return CohortRows(tuple(tuple(r) for r in rows), tuple(tuple(r) for r in period_rows))


def load_cohort(
    session: Session,
    cohort_id: int,
    extra_period_ids: Iterable[int] = (),
    rows: CohortRows | None = None,
) -> CohortFootprints:
    """Companies, periods and the footprints of each company's latest and reference periods.

    ``extra_period_ids`` are computed too (the base periods of targets). ``rows`` from
    :func:`read_cohort` when the caller has them; else two queries, and one more for the lines
    of the periods the results cache does not hold.
    """
    rows = rows or read_cohort(session, cohort_id)
    companies = {r[0]: CompanyInfo(*r) for r in rows.companies}
    periods: dict[int, list[Period]] = {}
    for r in rows.periods:
        periods.setdefault(r[1], []).append(Period(*r))
    data = CohortFootprints(companies, periods)
    wanted = set(extra_period_ids)
    for company_id in companies:
        for chosen in (data.footprint(company_id), data.reference(company_id)):
            if chosen is not None:
                wanted.add(chosen.id)
    by_id = {q.id: q for qs in periods.values() for q in qs}
    compute_periods(session, data, [by_id[i] for i in sorted(wanted) if i in by_id])
    return data


def compute_periods(session: Session, data: CohortFootprints, periods: list[Period]) -> None:
    """Fill ``data.results`` and ``data.postes`` for ``periods`` (cached, batched: see
    carbon.db.compute.compute_many). A period with a line the engine refuses gets None."""
    if not periods:
        return
    computed = compute_many(
        session,
        [(q.id, q.library_version_id) for q in periods],
        revisions={q.id: (q.line_count, q.lines_revision) for q in periods},
    )
    for pid, (result, postes) in computed.items():
        data.results[pid] = result
        if postes:
            data.postes[pid] = postes
