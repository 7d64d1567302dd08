"""The rules the schema itself enforces, on both backends, and the session set-up behind them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from carbon.config import Settings
from carbon.db import audit
from carbon.db.models import ActivityLine, AuditLog, ReportingPeriod, User
from carbon.db.session import make_engine, make_sessionmaker, session_scope
from tests.factories import (
    make_action,
    make_cohort,
    make_cohort_coach,
    make_company,
    make_enrolment,
    make_invitation,
    make_library_version,
    make_line,
    make_membership,
    make_period,
    make_site,
    make_target,
    make_user,
)


def assert_rejected(session: Session, make: Callable[[], Any]) -> None:
    """``make`` must fail in the database; the savepoint keeps the session usable afterwards."""
    with pytest.raises(IntegrityError), session.begin_nested():
        make()


def test_factories_build_a_complete_company(db_session: Session) -> None:
    company = make_company(db_session)
    site = make_site(db_session, company)
    make_membership(db_session, company=company, role="owner")
    cohort = make_cohort(db_session)
    make_enrolment(db_session, company, cohort)
    make_cohort_coach(db_session, cohort=cohort)
    period = make_period(db_session, company, is_base_year=True)
    make_line(db_session, period, site=site)
    make_target(db_session, base_period=period)
    make_action(db_session, company)
    make_invitation(db_session, cohort=cohort, role="coach")

    db_session.expire_all()
    company = db_session.get_one(type(company), company.id)
    assert [p.year for p in company.periods] == [2024]
    assert company.periods[0].lines[0].site.name == site.name
    assert company.memberships[0].role == "owner"
    assert company.enrolments[0].cohort.coaches[0].user.email.endswith("@example.org")


def test_one_period_per_company_and_year(db_session: Session) -> None:
    company = make_company(db_session)
    make_period(db_session, company, year=2024)
    assert_rejected(db_session, lambda: make_period(db_session, company, year=2024))
    make_period(db_session, company, year=2025)
    make_period(db_session, make_company(db_session), year=2024)


def test_one_base_year_per_company(db_session: Session) -> None:
    company = make_company(db_session)
    make_period(db_session, company, year=2023, is_base_year=True)
    make_period(db_session, company, year=2024, is_base_year=False)
    assert_rejected(
        db_session, lambda: make_period(db_session, company, year=2025, is_base_year=True)
    )


def test_email_is_unique_whatever_its_case(db_session: Session) -> None:
    user = make_user(db_session, email="  Marie.Dupont@Example.ORG ")
    assert user.email == "marie.dupont@example.org"
    assert_rejected(db_session, lambda: make_user(db_session, email="MARIE.DUPONT@example.org"))


def test_email_is_stored_lower_case_even_by_raw_sql(db_session: Session) -> None:
    user = make_user(db_session)
    assert_rejected(
        db_session,
        lambda: db_session.execute(
            update(User.__table__).where(User.id == user.id).values(email="Upper@example.org")
        ),
    )


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda s: make_period(s, status="approved"), id="period-status"),
        pytest.param(lambda s: make_line(s, poste="7.1"), id="line-poste"),
        pytest.param(lambda s: make_line(s, data_quality="guessed"), id="line-quality"),
        pytest.param(lambda s: make_company(s, sector="casino"), id="company-sector"),
        pytest.param(lambda s: make_company(s, country="fr"), id="company-country"),
        pytest.param(lambda s: make_user(s, locale="de"), id="user-locale"),
        pytest.param(lambda s: make_membership(s, role="admin"), id="membership-role"),
        pytest.param(lambda s: make_action(s, status="maybe"), id="action-status"),
        pytest.param(lambda s: make_target(s, reduction_pct=0), id="target-pct"),
        pytest.param(lambda s: make_target(s, kind="intensity"), id="intensity-no-unit"),
        pytest.param(lambda s: make_target(s, intensity_unit="fte"), id="absolute-with-unit"),
        pytest.param(lambda s: make_library_version(s, source="excel"), id="library-source"),
        pytest.param(
            lambda s: make_invitation(s, company=make_company(s), cohort=make_cohort(s)),
            id="invitation-both",
        ),
        pytest.param(
            lambda s: make_invitation(s, cohort=make_cohort(s), role="member"),
            id="invitation-member-of-cohort",
        ),
    ],
)
def test_check_constraints(db_session: Session, make: Callable[[Session], Any]) -> None:
    assert_rejected(db_session, lambda: make(db_session))


def test_valid_vocabulary_is_accepted(db_session: Session) -> None:
    make_target(db_session, kind="intensity", intensity_unit="sector_activity")
    make_line(db_session, poste="3.4", data_quality="extrapolated")
    make_invitation(db_session, cohort=make_cohort(db_session), role="coach")


def test_foreign_keys_are_enforced(db_session: Session) -> None:
    # On SQLite only with PRAGMA foreign_keys = ON, which make_engine sets.
    period = make_period(db_session)
    assert_rejected(db_session, lambda: make_line(db_session, period, site_id=999_999))


def test_deleting_a_period_deletes_its_lines_in_the_database(db_session: Session) -> None:
    line = make_line(db_session)
    db_session.execute(
        ReportingPeriod.__table__.delete().where(ReportingPeriod.id == line.period_id)
    )
    assert db_session.scalar(select(ActivityLine.id).where(ActivityLine.id == line.id)) is None


def test_stale_period_update_is_refused(db_session: Session) -> None:
    period = make_period(db_session)
    assert period.version_id == 1
    # Someone else saves the period in between (a plain table update: no ORM bookkeeping).
    db_session.execute(
        update(ReportingPeriod.__table__)
        .where(ReportingPeriod.id == period.id)
        .values(version_id=2, status="submitted")
    )
    period.status = "validated"
    with pytest.raises(StaleDataError):
        db_session.flush()


def test_stale_line_update_is_refused_and_fresh_one_bumps_the_version(
    db_session: Session,
) -> None:
    line = make_line(db_session)
    line.quantity = 120.0
    db_session.flush()
    assert line.version_id == 2
    assert line.updated_at is not None

    db_session.execute(
        update(ActivityLine.__table__).where(ActivityLine.id == line.id).values(version_id=3)
    )
    line.quantity = 130.0
    with pytest.raises(StaleDataError):
        db_session.flush()


def test_timestamps_come_back_aware_and_in_utc(db_session: Session) -> None:
    paris = datetime(2026, 3, 2, 9, 30, tzinfo=UTC).astimezone(ZoneInfo("Europe/Paris"))
    period = make_period(db_session, submitted_at=paris)
    db_session.expire_all()
    period = db_session.get_one(ReportingPeriod, period.id)
    assert period.submitted_at == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert period.submitted_at is not None and period.submitted_at.tzinfo == UTC
    assert period.created_at.tzinfo == UTC
    assert datetime.now(UTC) - period.created_at < timedelta(minutes=5)


def test_naive_datetimes_are_refused(db_session: Session) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        make_period(db_session, submitted_at=datetime(2026, 3, 2, 9, 30))


def test_audit_record_keeps_before_and_after(db_session: Session) -> None:
    actor = make_user(db_session)
    line = make_line(db_session)
    before = audit.snapshot(line)
    line.quantity = 150.0
    db_session.flush()

    entry = audit.record(
        db_session,
        actor.id,
        "update",
        "activity_line",
        line.id,
        before=before,
        after=audit.snapshot(line),
        company_id=line.period.company_id,
    )
    db_session.flush()
    db_session.expire_all()

    stored = db_session.get_one(AuditLog, entry.id)
    assert stored.actor_user_id == actor.id
    assert stored.entity_id == str(line.id)
    assert stored.at.tzinfo == UTC
    assert stored.before is not None and stored.after is not None
    assert (stored.before["quantity"], stored.after["quantity"]) == (100.0, 150.0)
    assert stored.after["version_id"] == 2
    assert isinstance(stored.after["created_at"], str)  # ISO text, JSON has no datetime


def test_audit_record_of_a_creation_has_no_before(db_session: Session) -> None:
    entry = audit.record(db_session, None, "create", "company", 1, None, {"name": "Téléski"})
    db_session.flush()
    assert (
        db_session.scalar(
            select(AuditLog.id).where(AuditLog.id == entry.id, AuditLog.before.is_(None))
        )
        == entry.id
    )


def test_audit_log_is_append_only(db_session: Session) -> None:
    entry = audit.record(db_session, None, "create", "company", 1, None, {"name": "A"})
    db_session.flush()
    with pytest.raises(PermissionError), db_session.begin_nested():
        entry.action = "delete"
        db_session.flush()
    with pytest.raises(PermissionError), db_session.begin_nested():
        db_session.delete(entry)
        db_session.flush()


def test_audit_refuses_what_json_cannot_hold(db_session: Session) -> None:
    with pytest.raises(TypeError):
        audit.record(db_session, None, "update", "x", 1, None, {"blob": object()})


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path: Path) -> None:
    engine = make_engine(Settings(env="test", database_url=f"sqlite:///{tmp_path / 'p.db'}"))
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


def test_session_scope_commits_or_rolls_back(tmp_path: Path) -> None:
    engine = make_engine(Settings(env="test", database_url=f"sqlite:///{tmp_path / 's.db'}"))
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
        factory = make_sessionmaker(engine)
        with session_scope(factory) as session:
            session.execute(text("INSERT INTO t VALUES (1)"))
        with pytest.raises(RuntimeError), session_scope(factory) as session:
            session.execute(text("INSERT INTO t VALUES (2)"))
            raise RuntimeError("boom")
        with session_scope(factory) as session:
            assert session.execute(text("SELECT x FROM t")).scalars().all() == [1]
    finally:
        engine.dispose()


def test_in_memory_sqlite_is_one_database_for_every_connection() -> None:
    engine = make_engine(Settings(env="test", database_url="sqlite://"))
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 0
    finally:
        engine.dispose()
