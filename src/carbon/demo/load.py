"""Loading the demo world into a database, idempotently.

Every object is looked up by its natural key (programme code, e-mail, legal identifier, company
and year…) before being created, so running ``carbon demo`` twice changes nothing. Quantities
come from a random generator seeded by the company's identifier: the same demo every time.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from carbon.auth import hash_password
from carbon.config import Settings
from carbon.db import audit
from carbon.db.base import Base
from carbon.db.factor_store import save_library
from carbon.db.models import (
    Action,
    ActivityLine,
    Cohort,
    CohortCoach,
    Company,
    Enrolment,
    Membership,
    Programme,
    ReportingPeriod,
    Site,
    Target,
    User,
)
from carbon.demo.world import (
    ACTION_LIBRARY,
    JOURNEYS,
    MC0_COMPANIES,
    PLAN_NOT_STARTED,
    PLAN_STARTED,
    PROFILES,
    PZCM_COMPANIES,
    SECTOR_UNIT_LABELS,
    YEARS,
    DemoCompany,
)
from carbon.factors.bundled import find_activity, load_bundled_library
from carbon.plan.savings import heat_pump_saving_kg

DEMO_PASSWORD = "carbon-demo"
M = TypeVar("M", bound=Base)


def _get_or_create(session: Session, model: type[M], key: dict[str, Any], **values: Any) -> M:
    obj = session.scalar(select(model).filter_by(**key))
    if obj is None:
        obj = model(**key, **values)
        session.add(obj)
        session.flush()
    return obj


def _user(session: Session, settings: Settings, email: str, name: str, **extra: Any) -> User:
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email,
            display_name=name,
            password_hash=hash_password(DEMO_PASSWORD, settings),
            **extra,
        )
        session.add(user)
        session.flush()
    return user


def load_demo(session: Session, settings: Settings) -> dict[str, int]:
    """Create what is missing of the demo; return how many objects of each kind it holds."""
    library = load_bundled_library()
    version = save_library(session, library, source="bundled", make_default=True)
    factor_total = dict(
        zip(library.factors["factor_id"], library.factors["total_kgco2e"], strict=True)
    )

    admin = _user(session, settings, "admin@example.org", "Camille Administratrice", is_admin=True)
    coach = _user(session, settings, "coach@example.org", "Julien Coach", locale="fr")
    member = _user(session, settings, "company@example.org", "Sophie Gérante", locale="fr")

    pzcm = _get_or_create(
        session,
        Programme,
        {"code": "PZCM"},
        name_fr="Parcours Zéro Carbone Montagne",
        name_it="Percorso Zero Carbonio Montagna",
        name_en="Zero Carbon Mountain Path",
        description="CCI Provence-Alpes-Côte d'Azur, Région Sud, Cluster Montagne, GRDF",
    )
    mc0 = _get_or_create(
        session,
        Programme,
        {"code": "MC0"},
        name_fr="Mission Carb 0",
        name_it="Mission Carb 0",
        name_en="Mission Carb 0",
        description="Interreg VI-A France–Italie ALCOTRA 2023–2026",
    )
    cohorts = [
        (
            _get_or_create(
                session,
                Cohort,
                {"programme_id": pzcm.id, "name": "Cohorte 2"},
                edition=2,
                start_date=date(2026, 3, 2),
                end_date=date(2026, 11, 30),
            ),
            PZCM_COMPANIES,
        ),
        (
            _get_or_create(
                session,
                Cohort,
                {"programme_id": mc0.id, "name": "Coorte transfrontaliera 2025"},
                edition=1,
                start_date=date(2025, 9, 15),
                end_date=date(2026, 12, 15),
            ),
            MC0_COMPANIES,
        ),
    ]
    now = datetime.now(UTC)
    for cohort, companies in cohorts:
        _get_or_create(session, CohortCoach, {"cohort_id": cohort.id, "user_id": coach.id})
        for spec in companies:
            company = _company(session, spec)
            # Its last act was idle_days ago; it enrolled a month before (a new one, that day).
            last_act = now - timedelta(days=spec.idle_days)
            enrolled = last_act - timedelta(days=30 if JOURNEYS[spec.journey] else 0)
            _get_or_create(
                session,
                Enrolment,
                {"company_id": company.id, "cohort_id": cohort.id},
                enrolled_at=enrolled,
            )
            _periods(session, company, spec, version.id, factor_total, admin.id, last_act)
            if spec.journey in PLAN_STARTED | PLAN_NOT_STARTED:
                _plan(session, company, spec, factor_total, spec.journey in PLAN_STARTED)
    first = session.scalar(select(Company).where(Company.legal_id == PZCM_COMPANIES[0].legal_id))
    assert first is not None
    _get_or_create(session, Membership, {"user_id": member.id, "company_id": first.id})
    session.flush()
    return {
        name: session.scalar(select(func.count()).select_from(model)) or 0
        for name, model in (
            ("companies", Company),
            ("users", User),
            ("periods", ReportingPeriod),
            ("lines", ActivityLine),
            ("actions", Action),
            ("targets", Target),
        )
    }


def _company(session: Session, spec: DemoCompany) -> Company:
    profile = PROFILES[spec.sector]
    # A demo loaded before its identifiers passed the SIREN / Partita IVA check gets them fixed.
    old = session.scalar(
        select(Company).where(Company.name == spec.name, Company.legal_id != spec.legal_id)
    )
    if old is not None:
        old.legal_id = spec.legal_id
        session.flush()
    unit = profile.sector_unit
    company = _get_or_create(
        session,
        Company,
        {"legal_id": spec.legal_id},
        name=spec.name,
        country=spec.country,
        sector=spec.sector,
        fte=spec.fte,
        revenue_keur=round(spec.fte * profile.revenue_keur_per_fte),
        sector_unit_label=SECTOR_UNIT_LABELS[unit][spec.country] if unit else None,
    )
    _get_or_create(
        session,
        Site,
        {"company_id": company.id, "name": spec.municipality},
        country=spec.country,
        municipality=spec.municipality,
    )
    return company


def _periods(
    session: Session,
    company: Company,
    spec: DemoCompany,
    version_id: int,
    factor_total: dict[str, float],
    actor_id: int,
    last_act: datetime,
) -> None:
    """The company's years as its journey says (JOURNEYS), dated so that its last act, the
    latest year's submission or validation and its lines' last change, was at ``last_act``."""
    profile = PROFILES[spec.sector]
    rng = random.Random(spec.legal_id)
    scale = spec.fte / profile.ref_fte
    site = session.scalar(select(Site).where(Site.company_id == company.id))
    journey = JOURNEYS[spec.journey]
    for year, status, kept in journey:
        k = year - YEARS[0]
        trend = (1 - spec.yearly_reduction) ** k
        fte = round(spec.fte * (1 + 0.02 * k), 1)
        latest = year == journey[-1][0]
        submitted = last_act if latest else datetime(year + 1, 3, 15, tzinfo=UTC)
        validated = last_act if latest else datetime(year + 1, 4, 20, tzinfo=UTC)
        period = _get_or_create(
            session,
            ReportingPeriod,
            {"company_id": company.id, "year": year},
            is_base_year=year == journey[0][0],
            status=status,
            library_version_id=version_id,
            fte=fte,
            revenue_keur=round(fte * profile.revenue_keur_per_fte * (1 + 0.03 * k)),
            sector_activity=round(profile.sector_units_per_fte * spec.fte * rng.uniform(0.9, 1.1))
            if profile.sector_unit
            else None,
            submitted_at=submitted if status != "draft" else None,
            validated_at=validated if status in ("validated", "locked") else None,
        )
        has_lines = session.scalar(
            select(func.count())
            .select_from(ActivityLine)
            .where(ActivityLine.period_id == period.id)
        )
        if has_lines:
            continue
        count = 0
        for activity_id, quantity, quality in _kept_lines(profile.lines, kept):
            activity = find_activity(activity_id)
            if activity is None:
                raise LookupError(f"demo profile {spec.sector!r} names unknown {activity_id!r}")
            factor_id = activity.factor_id_for(spec.country)
            if factor_id not in factor_total:
                raise LookupError(f"activity {activity_id!r} names unknown factor {factor_id!r}")
            noise = rng.uniform(0.92, 1.08)
            session.add(
                ActivityLine(
                    period_id=period.id,
                    site_id=site.id if site else None,
                    activity_id=activity_id,
                    poste=activity.poste,
                    factor_id=factor_id,
                    quantity=round(quantity * scale * trend * noise, 1),
                    unit=activity.default_unit,
                    data_quality=quality,
                    comment=None,
                    evidence_ref=f"DEMO-{year}-{activity_id}",
                    created_by_id=actor_id,
                )
            )
            count += 1
        entry = audit.record(
            session,
            actor_id,
            "seed",
            "reporting_period",
            period.id,
            None,
            {"lines_added": count, "source": "carbon demo"},
            company_id=company.id,
        )
        entry.at = last_act if latest else datetime(year + 1, 2, 1, tzinfo=UTC)
        session.flush()
        # The flush stamped the lines "changed now"; the demo's company did that at last_act.
        session.execute(
            update(ReportingPeriod)
            .where(ReportingPeriod.id == period.id)
            .values(lines_changed_at=min(entry.at, last_act))
        )
    session.flush()


def _kept_lines(
    lines: tuple[tuple[str, float, str], ...], kept: str
) -> tuple[tuple[str, float, str], ...]:
    """The profile's lines a company at this point of its journey has typed (see JOURNEYS)."""
    if kept == "few":
        return lines[:2]
    if kept == "no_purchases":
        return tuple(
            line for line in lines if not (found := find_activity(line[0])) or found.poste[0] != "4"
        )
    return lines


def _plan(
    session: Session,
    company: Company,
    spec: DemoCompany,
    factor_total: dict[str, float],
    started: bool,
) -> None:
    if session.scalar(
        select(func.count()).select_from(Action).where(Action.company_id == company.id)
    ):
        return
    profile = PROFILES[spec.sector]
    scale = spec.fte / profile.ref_fte
    quantities = {a: q * scale for a, q, _ in profile.lines}
    statuses = ("identified", "planned", "in_progress", "done")[: 4 if started else 2]
    rng = random.Random(spec.legal_id + "actions")
    for i, (title, postes, activity_id, share) in enumerate(ACTION_LIBRARY):
        if activity_id not in quantities:
            continue
        activity = find_activity(activity_id)
        assert activity is not None
        kg = quantities[activity_id] * factor_total[activity.factor_id_for(spec.country)]
        if share is None:  # the heat pump: what it saves depends on the site's own grid
            grid = find_activity("electricity-buildings")
            assert grid is not None
            saved = heat_pump_saving_kg(
                quantities[activity_id], kg, factor_total[grid.factor_id_for(spec.country)]
            )
        else:
            saved = kg * share
        status = statuses[(i + len(spec.name)) % len(statuses)]
        quantified = rng.random() < 0.5
        session.add(
            Action(
                company_id=company.id,
                title=title,
                postes=postes,
                status=status,
                owner="Direction",
                start_date=date(2026, 1 + i % 9, 1),
                expected_avoided_tco2e_per_year=round(saved / 1000, 1) if quantified else None,
                achieved_avoided_tco2e=round(saved * 0.5 / 1000, 1)
                if quantified and status == "done"
                else None,
                cost_eur=float(rng.choice((2_000, 15_000, 40_000, 120_000))),
            )
        )
    base = session.scalar(
        select(ReportingPeriod).where(
            ReportingPeriod.company_id == company.id, ReportingPeriod.is_base_year.is_(True)
        )
    )
    if base is not None and not session.scalar(
        select(func.count()).select_from(Target).where(Target.company_id == company.id)
    ):
        session.add(
            Target(
                company_id=company.id,
                base_period_id=base.id,
                target_year=2030,
                reduction_pct=30.0 if len(spec.name) % 2 else 42.0,
                kind="absolute",
            )
        )
    session.flush()
