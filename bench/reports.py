"""Benchmark of the reports: a company's progress report and a 300-company cohort report.

A temporary SQLite database is migrated and filled with one cohort of 300 companies, each with
5 years of 12 activity lines and 6 actions, against the bundled factor library. Each row times
the whole download as the route does it: reading and computing from the database, then the PDF.
Goals: company report < 0.5 s, cohort report (300 companies) < 10 s.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import create_engine, insert, select
from sqlalchemy.orm import Session

from bench.timing import measure
from carbon.db import migrate
from carbon.db.factor_store import save_library
from carbon.db.line_stats import recount
from carbon.db.models import (
    Action,
    ActivityLine,
    Cohort,
    Company,
    Enrolment,
    Programme,
    ReportingPeriod,
    Target,
)
from carbon.factors.bundled import activities, load_bundled_library
from carbon.reports import exports
from carbon.reports.cohort import cohort_report_pdf
from carbon.reports.company import company_report_pdf
from carbon.reports.data import period_report
from carbon.reports.data_cohort import cohort_report

N_COMPANIES = 300
YEARS = (2021, 2022, 2023, 2024, 2025)
LINES_PER_YEAR = 12
ACTIONS = 6


def fill(session: Session, rng: np.random.Generator) -> Cohort:
    version = save_library(session, load_bundled_library(), source="bundled", make_default=True)
    programme = Programme(code="PZCM", name_fr="Parcours Zéro Carbone Montagne")
    cohort = Cohort(programme=programme, name="Cohorte bench", start_date=date(2026, 3, 2),
                    end_date=date(2026, 11, 2))  # fmt: skip
    session.add(cohort)
    catalogue = [a for a in activities() if a.allowed_units][:40]
    for n in range(N_COMPANIES):
        company = Company(name=f"Entreprise {n:03d}", country="FR", sector="lift", fte=30.0,
                          revenue_keur=4000.0, sector_unit_label="skier-day")  # fmt: skip
        session.add_all([company, Enrolment(company=company, cohort=cohort)])
        picks = rng.choice(len(catalogue), LINES_PER_YEAR, replace=False)
        for year in YEARS:
            status = "validated" if year < YEARS[-1] else "draft"
            period = ReportingPeriod(company=company, year=year, library_version_id=version.id,
                                     is_base_year=year == YEARS[0], sector_activity=250_000.0,
                                     status=status)  # fmt: skip
            session.add(period)
            session.flush()
            # Core-speed inserts: the ORM's unit of work would take most of the set-up time.
            session.execute(insert(ActivityLine), [
                {"period_id": period.id, "poste": a.poste, "activity_id": a.activity_id,
                 "factor_id": a.factor_id_for("FR"), "unit": a.default_unit,
                 "quantity": float(rng.uniform(10, 5_000)), "data_quality": "measured",
                 "version_id": 1}
                for a in (catalogue[int(i)] for i in picks)
            ])  # fmt: skip
            recount(session, [period.id])  # Core inserts skip the flush hook
            if year == YEARS[0]:
                session.add(Target(company=company, base_period=period, target_year=2030,
                                   reduction_pct=42.0))  # fmt: skip
        for i in range(ACTIONS):
            session.add(Action(company=company, title=f"Action {i}", postes="2.1",
                               status=("planned", "done", "identified")[i % 3],
                               expected_avoided_tco2e_per_year=1.5 if i % 2 else None))  # fmt: skip
    session.flush()
    return cohort


def run() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        migrate.upgrade(url)
        engine = create_engine(url)
        try:
            with Session(engine) as session:
                cohort = fill(session, np.random.default_rng(42))
                session.commit()
                period = session.scalars(
                    select(ReportingPeriod).where(ReportingPeriod.year == YEARS[-1]).limit(1)
                ).one()

                def company() -> bytes:
                    return company_report_pdf(period_report(session, period, "fr"), "fr")

                def cohort_pdf() -> bytes:
                    return cohort_report_pdf(cohort_report(session, cohort, "fr"), "fr")

                def cohort_xlsx() -> bytes:
                    return exports.cohort_xlsx(cohort_report(session, cohort, "fr"), "fr")

                company()  # the factor library is loaded once per process, as in the app
                t_company, m_company, _ = measure(company, repeat=5)
                t_cohort, m_cohort, _ = measure(cohort_pdf, repeat=2)
                t_xlsx, m_xlsx, _ = measure(cohort_xlsx, repeat=2)
        finally:
            engine.dispose()
    lines = f"{len(YEARS)} years x {LINES_PER_YEAR} lines"
    return [
        {"benchmark": f"reports: company report PDF ({lines}), data + PDF", "seconds": t_company,
         "peak_mib": m_company, "goal": "< 0.5 s", "ok": t_company < 0.5},
        {"benchmark": f"reports: cohort report PDF, {N_COMPANIES} companies", "seconds": t_cohort,
         "peak_mib": m_cohort, "goal": "< 10 s", "ok": t_cohort < 10.0},
        {"benchmark": f"reports: cohort export XLSX, {N_COMPANIES} companies", "seconds": t_xlsx,
         "peak_mib": m_xlsx, "goal": "reference", "ok": True},
    ]  # fmt: skip


if __name__ == "__main__":
    from bench.run import print_rows

    print_rows(run())
