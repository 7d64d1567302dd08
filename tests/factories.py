"""Small factories for test data: each builds one row with sensible defaults, adds it and flushes.

They never commit, so everything they make disappears with the test's rolled-back transaction
(see ``db_session`` in tests/conftest.py). Keyword arguments override any column; parents that
are not given are made on the fly, so ``make_line(db_session)`` is a complete, valid line.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from carbon.db.base import Base
from carbon.db.models import (
    Action,
    ActivityLine,
    Cohort,
    CohortCoach,
    Company,
    Enrolment,
    Invitation,
    LibraryVersion,
    Membership,
    Programme,
    ReportingPeriod,
    Site,
    Target,
    User,
)

_seq = itertools.count(1)
M = TypeVar("M", bound=Base)


def _n() -> int:
    return next(_seq)


def _add(session: Session, obj: M) -> M:
    session.add(obj)
    session.flush()
    return obj


def make_programme(session: Session, **kw: Any) -> Programme:
    n = _n()
    fields: dict[str, Any] = {
        "code": f"P{n}",
        "name_fr": f"Programme {n}",
        "name_it": f"Programma {n}",
        "name_en": f"Programme {n}",
    }
    return _add(session, Programme(**(fields | kw)))


def make_cohort(session: Session, programme: Programme | None = None, **kw: Any) -> Cohort:
    n = _n()
    fields: dict[str, Any] = {
        "programme": programme or make_programme(session),
        "name": f"Cohorte {n}",
        "edition": 1,
        "start_date": date(2026, 3, 2),
        "end_date": date(2026, 11, 2),
    }
    return _add(session, Cohort(**(fields | kw)))


def make_company(session: Session, **kw: Any) -> Company:
    n = _n()
    fields: dict[str, Any] = {
        "name": f"Remontées {n}",
        "country": "FR",
        "legal_id": f"{n:09d}",
        "sector": "lift",
        "fte": 25.0,
        "revenue_keur": 4200.0,
        "sector_unit_label": "skier-day",
    }
    return _add(session, Company(**(fields | kw)))


def make_site(session: Session, company: Company | None = None, **kw: Any) -> Site:
    company = company or make_company(session)
    fields: dict[str, Any] = {
        "company": company,
        "name": f"Site {_n()}",
        "country": company.country,
        "municipality": "Val Thorens",
    }
    return _add(session, Site(**(fields | kw)))


def make_user(session: Session, **kw: Any) -> User:
    n = _n()
    fields: dict[str, Any] = {
        "email": f"user{n}@example.org",
        # Not a real hash: tests that log in set their own with the web layer's (cheap) hasher.
        "password_hash": "not-a-hash",
        "display_name": f"User {n}",
        "locale": "fr",
    }
    return _add(session, User(**(fields | kw)))


def make_membership(
    session: Session, user: User | None = None, company: Company | None = None, **kw: Any
) -> Membership:
    fields: dict[str, Any] = {
        "user": user or make_user(session),
        "company": company or make_company(session),
        "role": "member",
    }
    return _add(session, Membership(**(fields | kw)))


def make_enrolment(
    session: Session, company: Company | None = None, cohort: Cohort | None = None, **kw: Any
) -> Enrolment:
    fields: dict[str, Any] = {
        "company": company or make_company(session),
        "cohort": cohort or make_cohort(session),
    }
    return _add(session, Enrolment(**(fields | kw)))


def make_cohort_coach(
    session: Session, user: User | None = None, cohort: Cohort | None = None, **kw: Any
) -> CohortCoach:
    fields: dict[str, Any] = {
        "user": user or make_user(session),
        "cohort": cohort or make_cohort(session),
    }
    return _add(session, CohortCoach(**(fields | kw)))


def make_invitation(session: Session, **kw: Any) -> Invitation:
    """A member invitation to a new company, unless ``cohort``/``company`` say otherwise."""
    n = _n()
    fields: dict[str, Any] = {
        "token_hash": hashlib.sha256(f"token-{n}".encode()).hexdigest(),
        "email": f"invitee{n}@example.org",
        "role": "member",
        "expires_at": datetime.now(UTC) + timedelta(days=7),
    }
    if "cohort" not in kw and "company" not in kw:
        fields["company"] = make_company(session)
    return _add(session, Invitation(**(fields | kw)))


def make_library_version(session: Session, **kw: Any) -> LibraryVersion:
    """A version row with no factors (factor_store.save_library makes real ones)."""
    n = _n()
    fields: dict[str, Any] = {
        "label": f"test-library-{n}",
        "source": "bundled",
        "content_digest": hashlib.sha256(f"library-{n}".encode()).hexdigest(),
        "factor_count": 0,
    }
    return _add(session, LibraryVersion(**(fields | kw)))


def make_period(
    session: Session,
    company: Company | None = None,
    library_version: LibraryVersion | None = None,
    **kw: Any,
) -> ReportingPeriod:
    fields: dict[str, Any] = {
        "company": company or make_company(session),
        "library_version": library_version or make_library_version(session),
        "year": 2024,
        "status": "draft",
    }
    return _add(session, ReportingPeriod(**(fields | kw)))


def make_line(session: Session, period: ReportingPeriod | None = None, **kw: Any) -> ActivityLine:
    """100 MWh of grid electricity, measured."""
    fields: dict[str, Any] = {
        "period": period or make_period(session),
        "poste": "2.1",
        "factor_id": "bundled:elec-fr",
        "quantity": 100.0,
        "unit": "MWh",
        "data_quality": "measured",
    }
    return _add(session, ActivityLine(**(fields | kw)))


def make_target(session: Session, base_period: ReportingPeriod | None = None, **kw: Any) -> Target:
    base_period = base_period or make_period(session, is_base_year=True)
    fields: dict[str, Any] = {
        "company_id": base_period.company_id,
        "base_period": base_period,
        "target_year": 2030,
        "reduction_pct": 42.0,
        "kind": "absolute",
    }
    return _add(session, Target(**(fields | kw)))


def make_action(session: Session, company: Company | None = None, **kw: Any) -> Action:
    fields: dict[str, Any] = {
        "company": company or make_company(session),
        "title": f"Variateurs de vitesse {_n()}",
        "postes": "2.1",
        "status": "planned",
        "expected_avoided_tco2e_per_year": 12.5,
    }
    return _add(session, Action(**(fields | kw)))
