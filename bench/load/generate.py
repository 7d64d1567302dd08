"""A large dataset for the load test: 300 companies × 5 years × 300 activity lines.

    python -m bench.load.generate postgresql+psycopg://postgres@127.0.0.1:5432/carbon_load

Creates the database if needed (PostgreSQL), migrates it, loads the bundled library and writes
one cohort of companies with Core bulk inserts (about 450,000 lines). Logins: the coach
``coach@load.example`` and members ``member<N>@load.example`` of the first 20 companies, all
with the password ``carbon-load``.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

from carbon.auth import hash_password
from carbon.config import Settings
from carbon.db.factor_store import save_library
from carbon.db.line_stats import recount
from carbon.db.migrate import upgrade
from carbon.db.models import (
    ActivityLine,
    Cohort,
    CohortCoach,
    Company,
    Enrolment,
    Membership,
    Programme,
    ReportingPeriod,
    Site,
    User,
)
from carbon.db.session import make_engine, make_sessionmaker, session_scope
from carbon.factors.bundled import activities, load_bundled_library

PASSWORD = "carbon-load"
SECTORS = ("lift", "resort", "hotel", "engineering", "equipment", "services", "agrifood")


def ensure_database(url: str) -> None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
        )
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def generate(url: str, companies: int, years: int, lines: int, seed: int = 1) -> dict[str, int]:
    ensure_database(url)
    settings = Settings(database_url=url, env="test")
    upgrade(settings)
    engine = make_engine(settings)
    rng = random.Random(seed)
    catalogue = activities()
    with session_scope(make_sessionmaker(engine)) as s:
        if s.scalar(select(Programme.id).where(Programme.code == "LOAD")):
            raise SystemExit(f"{url} already holds the load dataset")
        version = save_library(s, load_bundled_library(), source="bundled", make_default=True)
        pw = hash_password(PASSWORD, settings)
        programme = Programme(code="LOAD", name_fr="Programme de charge", name_it="", name_en="")
        s.add(programme)
        s.flush()
        cohort = Cohort(programme_id=programme.id, name="Cohorte de charge", edition=1)
        coach = User(email="coach@load.example", password_hash=pw, display_name="Coach")
        s.add_all([cohort, coach])
        s.flush()
        s.add(CohortCoach(cohort_id=cohort.id, user_id=coach.id))
        first_year = 2026 - years
        company_ids = []
        for i in range(companies):
            country = "IT" if i % 5 == 0 else "FR"
            c = Company(name=f"Entreprise {i:03d}", country=country, sector=SECTORS[i % 7],
                        fte=rng.randint(5, 120), revenue_keur=rng.randint(500, 30000))  # fmt: skip
            s.add(c)
            s.flush()
            company_ids.append((c.id, country))
            s.add(Enrolment(company_id=c.id, cohort_id=cohort.id))
            s.add(Site(company_id=c.id, name=f"Site {i}", country=country))
            if i < 20:
                u = User(email=f"member{i}@load.example", password_hash=pw, display_name=f"M{i}")
                s.add(u)
                s.flush()
                s.add(Membership(user_id=u.id, company_id=c.id))
        s.flush()
        period_rows = [
            {"company_id": cid, "year": first_year + k, "is_base_year": k == 0,
             "status": "validated" if k < years - 1 else "draft",
             "library_version_id": version.id, "fte": 20.0, "revenue_keur": 3000.0,
             "version_id": 1, "created_at": datetime.now(UTC)}
            for cid, _ in company_ids for k in range(years)
        ]  # fmt: skip
        s.execute(insert(ReportingPeriod), period_rows)
        periods = s.execute(select(ReportingPeriod.id, ReportingPeriod.company_id)).all()
        country_of = dict(company_ids)
        now = datetime.now(UTC)
        batch: list[dict[str, object]] = []
        total = 0
        for pid, cid in periods:
            for _ in range(lines):
                a = rng.choice(catalogue)
                batch.append({
                    "period_id": pid, "activity_id": a.activity_id, "poste": a.poste,
                    "factor_id": a.factor_id_for(country_of[cid]),
                    "quantity": round(rng.lognormvariate(6, 1.5), 1), "unit": a.default_unit,
                    "data_quality": rng.choice(("measured", "estimated", "extrapolated")),
                    "version_id": 1, "created_at": now,
                })  # fmt: skip
            if len(batch) >= 20_000:
                s.execute(insert(ActivityLine), batch)
                total += len(batch)
                batch = []
        if batch:
            s.execute(insert(ActivityLine), batch)
            total += len(batch)
        recount(s)  # Core inserts skip the flush hook that keeps each period's line count
    engine.dispose()
    return {"companies": companies, "periods": len(periods), "lines": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--companies", type=int, default=300)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--lines", type=int, default=300)
    args = parser.parse_args()
    t0 = time.perf_counter()
    counts = generate(args.url, args.companies, args.years, args.lines)
    print(counts, f"in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
