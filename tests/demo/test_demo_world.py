"""The demo world passes the project's own checks and gives a coach something to coach.

A demo where every company sits at the last step, validated and busy, shows nothing of the
cohort page's purpose; a demo whose SIRENs fail the SIREN check teaches the wrong thing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.coaching.dashboard import Flag, build_dashboard
from carbon.coaching.path import STAGE_ORDER
from carbon.config import Settings
from carbon.db.models import Cohort, Company, ReportingPeriod
from carbon.demo.load import load_demo
from carbon.demo.world import MC0_COMPANIES, PZCM_COMPANIES
from carbon.identifiers import normalise_legal_id


def test_every_demo_identifier_passes_the_identifier_checks() -> None:
    for spec in PZCM_COMPANIES + MC0_COMPANIES:
        # What the administrator's form would store for this number: the number itself.
        assert normalise_legal_id(spec.country, spec.legal_id) == spec.legal_id, spec.name
    ids = [spec.legal_id for spec in PZCM_COMPANIES + MC0_COMPANIES]
    assert len(set(ids)) == len(ids)


def test_loaded_demo_companies_pass_the_identifier_checks(
    db_session: Session, db_settings: Settings
) -> None:
    load_demo(db_session, db_settings)
    companies = db_session.scalars(select(Company)).all()
    assert len(companies) == 22
    for company in companies:
        assert company.legal_id is not None
        assert normalise_legal_id(company.country, company.legal_id) == company.legal_id


def test_demo_companies_are_at_every_stage_of_the_year(
    db_session: Session, db_settings: Settings
) -> None:
    load_demo(db_session, db_settings)
    statuses = set(db_session.scalars(select(ReportingPeriod.status)))
    assert statuses == {"draft", "submitted", "validated", "locked"}
    with_period = set(db_session.scalars(select(ReportingPeriod.company_id)))
    all_ids = set(db_session.scalars(select(Company.id)))
    assert all_ids - with_period, "some company has not opened a year yet"

    now = datetime.now(UTC)
    stages: set[str] = set()
    flags: set[Flag] = set()
    missing_categories = 0
    for cohort in db_session.scalars(select(Cohort)):
        rows = build_dashboard(db_session, cohort.id, now=now).rows
        stages |= {r.stage.value for r in rows}
        flags |= {f for r in rows for f in r.flags}
        missing_categories += sum(
            bool(r.completeness.missing) for r in rows if r.current is not None
        )
        # Not every company has been active in the same week.
        assert len({r.last_activity.date() for r in rows if r.last_activity}) > 3
    assert stages == {s.value for s in STAGE_ORDER}
    assert {Flag.stuck, Flag.to_validate} <= flags
    assert missing_categories >= 3


def test_demo_member_company_keeps_its_three_years(
    db_session: Session, db_settings: Settings
) -> None:
    # The browser tests sign in as the demo member and work in its open 2025.
    load_demo(db_session, db_settings)
    first = db_session.scalar(select(Company).where(Company.name == PZCM_COMPANIES[0].name))
    assert first is not None
    years = {p.year: p.status for p in first.periods}
    assert years == {2023: "validated", 2024: "validated", 2025: "draft"}


def test_demo_sector_units_are_written_as_people_write_them(
    db_session: Session, db_settings: Settings
) -> None:
    load_demo(db_session, db_settings)
    labels = {
        (c.country, c.sector_unit_label)
        for c in db_session.scalars(select(Company))
        if c.sector_unit_label
    }
    assert ("FR", "journée-skieur") in labels
    assert ("IT", "giornata-sciatore") in labels
    assert not any(label in ("skier-day", "overnight stay") for _, label in labels)
