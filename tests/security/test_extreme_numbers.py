"""A database that already holds extreme numbers renders on every page, PDF and export.

Numbers entered before the bounds existed (or by hand in the database) must not take a page
down: 1e200 tons of diesel made the period page, the results, the company PDF, the cohort page
and the cohort PDF answer 500 (OverflowError and decimal errors while formatting), so one cohort
member broke the coach's page for the whole cohort. Each value below goes into every number
column a page shows: quantities, a supplier factor, FTE, turnover, sector activity, a target,
an action's cost and savings; a target on that base year.
"""

from __future__ import annotations

import math

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.db.models import ActivityLine, Enrolment
from carbon.i18n import fmt_number
from tests import factories as f

from .conftest import Client, World

EXTREMES = [
    pytest.param(1e200, id="1e200"),
    pytest.param(-1e308, id="-1e308"),
    pytest.param(1.7976931348623157e308, id="max-float"),
    pytest.param(5e-324, id="smallest-subnormal"),
    pytest.param(math.nan, id="nan"),
    pytest.param(math.inf, id="inf"),
]


def _store(db: Session, world: World, value: float) -> None:
    if (math.isnan(value) or math.isinf(value)) and db.get_bind().dialect.name == "sqlite":
        # SQLite stores NaN as NULL (refused by NOT NULL), and an infinity is what 1e400 reads
        # as: the cases a PostgreSQL column holds.
        pytest.skip("SQLite cannot hold NaN in a NOT NULL column")
    lines = db.scalars(select(ActivityLine).where(ActivityLine.period_id == world.period_a.id))
    for line in lines:
        line.quantity = value
        if line.poste == "2.1":  # a supplier factor only applies to energy bought
            line.supplier_factor_kgco2e = value
    for holder in (world.company_a, world.period_a):
        holder.fte = value
        holder.revenue_keur = value
    world.period_a.sector_activity = value
    f.make_target(db, world.period_a)  # its percentage is bounded by a CHECK constraint
    f.make_action(db, world.company_a, cost_eur=value, expected_avoided_tco2e_per_year=value,
                  achieved_avoided_tco2e=value)  # fmt: skip
    db.flush()


def _pages(db: Session, world: World) -> list[str]:
    period, company = world.period_a.id, world.company_a.id
    cohort = db.scalar(select(Enrolment.cohort_id).where(Enrolment.company_id == company))
    line = db.scalar(select(ActivityLine.id).where(ActivityLine.period_id == period))
    return [
        f"/companies/{company}", f"/companies/{company}/peers", f"/companies/{company}/plan",
        f"/companies/{company}/certificate.pdf?cohort={cohort}", f"/admin/companies/{company}",
        f"/periods/{period}", f"/periods/{period}/activities", f"/periods/{period}/results",
        f"/periods/{period}/postes/1.2", f"/periods/{period}/postes/2.1",
        f"/periods/{period}/validation", f"/periods/{period}/compare",
        f"/periods/{period}/report.pdf", f"/periods/{period}/export.xlsx",
        f"/periods/{period}/export.csv", f"/periods/{period}/beges.xlsx",
        f"/lines/{line}/edit",
        f"/cohorts/{cohort}", f"/cohorts/{cohort}/report.pdf", f"/cohorts/{cohort}/export.xlsx",
        f"/cohorts/{cohort}/certificates.pdf", f"/admin/cohorts/{cohort}",
        "/api/companies", f"/api/companies/{company}/periods", f"/api/periods/{period}",
        f"/api/periods/{period}/results", f"/api/periods/{period}/lines", f"/api/lines/{line}",
    ]  # fmt: skip


@pytest.mark.parametrize("value", EXTREMES)
def test_every_page_renders_a_stored_extreme_value(
    db_session: Session, world: World, app: FastAPI, value: float
) -> None:
    _store(db_session, world, value)
    failed = {}
    with Client(app, base_url="http://testserver", raise_server_exceptions=False) as admin:
        admin.login(world.admin)
        answers = {path: admin.get(path) for path in _pages(db_session, world)}
    # A negative, NaN or infinite quantity is refused by the engine: the period's own report
    # and exports then answer 409 naming the line and column (the period page lists the same
    # errors, with the lines, so they can be fixed). Everything else still answers 200.
    computable = math.isfinite(value) and value >= 0
    for path, r in answers.items():
        expected = 200 if computable or not _needs_the_computation(path) else 409
        if r.status_code != expected:
            failed[path] = r.status_code
        elif expected == 409:
            assert "column quantity" in r.text, path
    assert failed == {}


def _needs_the_computation(path: str) -> bool:
    period_files = ("/report.pdf", "/export.xlsx", "/export.csv", "/beges.xlsx")
    return (path.startswith("/api/periods/") and path.endswith("/results")) or (
        path.startswith("/periods/") and path.endswith(period_files)
    )


@pytest.mark.parametrize(
    ("value", "locale", "shown"),
    [
        (1e200, "fr", "1,0\u00a0×\u00a010²⁰⁰"),
        (-1.7976931348623157e308, "en", "-1.8\u00a0×\u00a010³⁰⁸"),
        (9.96e20, "it", "1,0\u00a0×\u00a010²¹"),  # 9.96 rounds up to 10.0: one more power
        (1e15, "en", "1.0\u00a0×\u00a010¹⁵"),  # the first shown scientifically
        (999_999_999_999_999.0, "en", "999,999,999,999,999.0"),  # the last shown in full
        (math.nan, "fr", "—"),
        (math.inf, "fr", "—"),
    ],
)
def test_numbers_beyond_any_footprint_are_shown_in_scientific_notation(
    value: float, locale: str, shown: str
) -> None:
    assert fmt_number(value, locale) == shown
