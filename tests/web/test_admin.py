"""Administration: admins only (404 for everyone else), programmes, cohorts, enrolments,
companies with checked legal identifiers, users, and the factor-library versions."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from carbon.db.models import (
    AuditLog,
    Cohort,
    CohortCoach,
    Company,
    Enrolment,
    LibraryVersion,
    Programme,
    User,
)
from tests.factors.ademe_fixture import element, poste, render

from .conftest import World


def soup(r: Any) -> BeautifulSoup:
    return BeautifulSoup(r.text, "html.parser")


def cohort(db: Session, name: str) -> Cohort:
    return db.scalars(select(Cohort).where(Cohort.name == name)).one()


def admin_gets(world: World, db: Session) -> list[str]:
    a = cohort(db, "Cohort A")
    return [
        "/admin", "/admin/programmes", f"/admin/programmes/{a.programme_id}",
        f"/admin/cohorts/{a.id}", "/admin/companies", f"/admin/companies/{world.company_a.id}",
        "/admin/users", "/admin/factors",
    ]  # fmt: skip


def admin_posts(world: World, db: Session) -> list[tuple[str, dict[str, str]]]:
    a = cohort(db, "Cohort A")
    company = {"name": "X", "country": "FR", "sector": "other"}
    return [
        ("/admin/programmes", {"code": "NEW", "name_fr": "Nouveau"}),
        (f"/admin/programmes/{a.programme_id}", {"code": "NEW", "name_fr": "Nouveau"}),
        ("/admin/cohorts", {"programme_id": str(a.programme_id), "name": "C9"}),
        (f"/admin/cohorts/{a.id}", {"programme_id": str(a.programme_id), "name": "Renamed"}),
        (f"/admin/cohorts/{a.id}/enrolments", {"company_id": str(world.company_b.id)}),
        ("/admin/companies", company),
        (f"/admin/companies/{world.company_a.id}", company),
        (f"/admin/companies/{world.company_a.id}/enrolments", {"cohort_id": str(a.id)}),
        (f"/admin/users/{world.bob.id}", {"is_active": "0"}),
        (f"/admin/factors/{world.library.id}/default", {}),
        ("/admin/factors", {"label": "x"}),
    ]


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "dave"])
def test_administration_is_404_for_everyone_else(
    as_user: Any, world: World, db_session: Session, persona: str
) -> None:
    c = as_user(persona)
    for url in admin_gets(world, db_session):
        assert c.get(url).status_code == 404, url
    audit_before = db_session.scalar(select(func.count()).select_from(AuditLog))
    for url, data in admin_posts(world, db_session):
        assert c.form(url, data).status_code == 404, url
    assert db_session.scalar(select(func.count()).select_from(AuditLog)) == audit_before
    assert world.bob.is_active and db_session.scalar(
        select(Company).where(Company.name == "X")
    ) is None  # fmt: skip


def test_every_admin_page_renders_for_the_admin(
    as_user: Any, world: World, db_session: Session
) -> None:
    c = as_user("admin")
    for url in admin_gets(world, db_session):
        r = c.get(url)
        assert r.status_code == 200, url
        assert soup(r).select_one("nav.subnav a[aria-current=page]") is not None, url


def test_admin_posts_need_the_csrf_token(as_user: Any, world: World, db_session: Session) -> None:
    c = as_user("admin")
    for url, data in admin_posts(world, db_session):
        assert c.post(url, data=data).status_code == 403, url


def test_anonymous_is_sent_to_login(client: Any, world: World) -> None:
    r = client.get("/admin", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/admin"


# --- Programmes, cohorts, enrolments -----------------------------------------------------------


def test_programme_and_cohort_creation(as_user: Any, world: World, db_session: Session) -> None:
    c = as_user("admin")
    data = {"code": "MC0", "name_fr": "Mission Carb 0", "name_it": "Missione Carb 0"}
    r = c.form("/admin/programmes", data, follow_redirects=False)
    assert r.status_code == 303
    programme = db_session.scalars(select(Programme).where(Programme.code == "MC0")).one()
    r = c.form("/admin/programmes", {"code": "MC0", "name_fr": "Encore"})
    assert r.status_code == 422
    assert "already has this code" in soup(r).select_one("#f-code-error").get_text()

    r = c.form("/admin/cohorts", {"programme_id": str(programme.id), "name": "Cohorte 1",
                                  "edition": "1", "start_date": "2026-03-02",
                                  "end_date": "2026-01-01"})  # fmt: skip
    assert r.status_code == 422
    assert "before the start date" in soup(r).select_one("#f-end_date-error").get_text()
    r = c.form("/admin/cohorts", {"programme_id": str(programme.id), "name": "Cohorte 1",
                                  "edition": "1", "start_date": "2026-03-02",
                                  "end_date": "2026-10-31"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    new = cohort(db_session, "Cohorte 1")
    assert (new.edition, new.start_date.isoformat()) == (1, "2026-03-02")
    actions = db_session.scalars(select(AuditLog.entity).where(AuditLog.action == "create")).all()
    assert {"programme", "cohort"} <= set(actions)


def test_coaches_and_enrolments_decide_who_sees_a_company(
    as_user: Any, world: World, db_session: Session
) -> None:
    admin, dave = as_user("admin"), as_user("dave")
    b = cohort(db_session, "Cohort B")
    assert dave.get(f"/companies/{world.company_a.id}").status_code == 404
    # Company A follows cohort B too (a second programme year): dave, its coach, now sees it.
    r = admin.form(f"/admin/companies/{world.company_a.id}/enrolments", {"cohort_id": str(b.id)})
    assert r.status_code == 200
    assert db_session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.company_id == world.company_a.id)) == 2  # fmt: skip
    assert dave.get(f"/companies/{world.company_a.id}").status_code == 200
    admin.form(f"/admin/cohorts/{b.id}/enrolments",
               {"company_id": str(world.company_a.id), "remove": "1"})  # fmt: skip
    assert dave.get(f"/companies/{world.company_a.id}").status_code == 404
    assert db_session.scalars(select(AuditLog.action).where(AuditLog.entity == "enrolment")
                              ).all() == ["enrol", "unenrol"]  # fmt: skip

    # Coaches: carol joins dave on cohort B.
    r = admin.form(f"/admin/cohorts/{b.id}", {
        "programme_id": str(b.programme_id), "name": "Cohort B",
        "coaches": [str(world.dave.id), str(world.carol.id)],
    })  # fmt: skip
    assert r.status_code == 200
    coaches = db_session.scalars(select(CohortCoach.user_id).where(CohortCoach.cohort_id == b.id))
    assert set(coaches) == {world.dave.id, world.carol.id}
    assert as_user("carol").get(f"/companies/{world.company_b.id}").status_code == 200


def test_coach_picker_lists_coaches_only_and_refuses_a_member(
    as_user: Any, world: World, db_session: Session
) -> None:
    admin = as_user("admin")
    b = cohort(db_session, "Cohort B")
    page = soup(admin.get(f"/admin/cohorts/{b.id}"))
    offered = {int(str(i["value"])) for i in page.select("input[name=coaches]")}
    # carol and dave coach; alice and bob are members of companies A and B: not offered.
    assert {world.carol.id, world.dave.id} <= offered
    assert not offered & {world.alice.id, world.bob.id}
    # Posted anyway (an old form, a crafted request): refused, and nothing changes.
    r = admin.form(f"/admin/cohorts/{b.id}", {
        "programme_id": str(b.programme_id), "name": "Cohort B",
        "coaches": [str(world.dave.id), str(world.alice.id)],
    })  # fmt: skip
    assert r.status_code == 422
    assert "member" in soup(r).select_one(".field-error").get_text()
    coaches = db_session.scalars(select(CohortCoach.user_id).where(CohortCoach.cohort_id == b.id))
    assert set(coaches) == {world.dave.id}
    assert as_user("alice").get(f"/companies/{world.company_b.id}").status_code == 404


def test_admin_lands_on_the_state_of_the_programmes(
    as_user: Any, world: World, db_session: Session
) -> None:
    admin = as_user("admin")
    r = admin.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin"
    page = soup(admin.get("/admin"))
    a = cohort(db_session, "Cohort A")
    row = page.select_one(f"#state-{a.id}")
    assert row is not None
    # Company A has lines in its 2024 draft: one company at "computed", none elsewhere.
    by_stage = {td["data-stage"]: td.get_text(strip=True) for td in row.select("td[data-stage]")}
    assert by_stage["computed"] == "1"
    assert sum(int(v) for v in by_stage.values()) == 1
    link = row.select_one("td[data-stage=computed] a")
    assert link is not None and link["href"] == f"/cohorts/{a.id}?stage=computed"


# --- Companies ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("country", "legal_id", "stored"), [
    # SIREN 732 829 320: Luhn, doubling every second digit from the right:
    # 7 (3→6) 2 (8→16→7) 2 (9→18→9) 3 (2→4) 0 → 7+6+2+7+2+9+3+4+0 = 40, a multiple of 10.
    ("FR", "732 829 320", "732829320"),
    # Partita IVA 00743110157: office 015; 0+0+(7→14→5)+4+(3→6)+1+(1→2)+0+(1→2)+5+(7→14→5)
    # (doubling every second digit from the right) = 30.
    ("IT", "IT00743110157", "00743110157"),
    ("CH", "CHE-123.456.789", "CHE-123.456.789"),  # no check known: kept as typed
    ("FR", "", None),
])  # fmt: skip
def test_company_creation_normalises_the_legal_id(
    as_user: Any, world: World, db_session: Session, country: str, legal_id: str,
    stored: str | None,
) -> None:  # fmt: skip
    r = as_user("admin").form("/admin/companies", {
        "name": "Gamma", "country": country, "legal_id": legal_id, "sector": "lift",
        "fte": "12,5",
    }, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    company = db_session.scalars(select(Company).where(Company.name == "Gamma")).one()
    assert (company.legal_id, company.fte, company.country) == (stored, 12.5, country)


@pytest.mark.parametrize(("country", "legal_id", "message"), [
    ("FR", "732829321", "check digit"),  # the last digit changed: the sum is 41
    ("FR", "73282932", "9 digits"),
    ("FR", "73282932000019", "SIRET"),
    ("IT", "00743110158", "check digit"),
    ("IT", "00743111957", "office code"),  # office 195 does not exist
])  # fmt: skip
def test_invalid_legal_id_is_refused(
    as_user: Any, world: World, db_session: Session, country: str, legal_id: str, message: str
) -> None:
    r = as_user("admin").form(f"/admin/companies/{world.company_a.id}", {
        "name": "Alpha Remontées", "country": country, "legal_id": legal_id, "sector": "lift",
    })  # fmt: skip
    assert r.status_code == 422
    assert message in soup(r).select_one("#f-legal_id-error").get_text()
    db_session.refresh(world.company_a)
    assert world.company_a.legal_id != legal_id


def test_company_edit_is_audited(as_user: Any, world: World, db_session: Session) -> None:
    r = as_user("admin").form(f"/admin/companies/{world.company_a.id}", {
        "name": "Alpha Remontées SAS", "country": "FR", "legal_id": "552100554", "sector": "lift",
    }, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    entry = db_session.scalars(select(AuditLog).where(AuditLog.entity == "company")).one()
    assert (
        entry.before["name"] == "Alpha Remontées" and entry.after["name"] == "Alpha Remontées SAS"
    )
    assert entry.company_id == world.company_a.id


# --- Users ---------------------------------------------------------------------------------------


def test_deactivated_user_is_signed_out_and_admin_rights(
    as_user: Any, world: World, db_session: Session
) -> None:
    admin, bob = as_user("admin"), as_user("bob")
    r = admin.form(f"/admin/users/{world.bob.id}", {"is_active": "0"}, follow_redirects=False)
    assert r.status_code == 303
    assert bob.get("/companies", follow_redirects=False).status_code == 303  # to the login page
    admin.form(f"/admin/users/{world.carol.id}", {"is_admin": "1"})
    assert as_user("carol").get("/admin").status_code == 200
    entries = db_session.scalars(select(AuditLog).where(AuditLog.entity == "user_account")).all()
    assert len(entries) == 2 and all("password_hash" not in (e.after or {}) for e in entries)
    # No admin can lock themself out.
    r = admin.form(f"/admin/users/{world.admin.id}", {"is_admin": "0"})
    assert r.status_code == 409
    assert db_session.get(User, world.admin.id).is_admin  # type: ignore[union-attr]


# --- Factor-library versions -------------------------------------------------------------------

TINY_EXPORT = render([
    element(30001, name_fr="Électricité", unit="kgCO2e/kWh", total=0.06, uncertainty=10),
    element(30002, name_fr="Gazole", unit="kgCO2e/litre", total="3,16"),
    poste(30002, "Combustion", "2,51"),
    poste(30002, "Amont", "0,65"),
])  # fmt: skip


def upload(c: Any, data: bytes, label: str = "ADEME test 1", **extra: str) -> Any:
    return c.post("/admin/factors", data={"csrf_token": c.csrf, "label": label, **extra},
                  files={"file": ("base.csv", data, "text/csv")})  # fmt: skip


def versions(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(LibraryVersion)) or 0


def test_ademe_upload_imports_once(as_user: Any, world: World, db_session: Session) -> None:
    c = as_user("admin")
    r = upload(c, TINY_EXPORT, make_default="1")
    assert r.status_code == 200, r.text
    assert "Imported 2 factors" in soup(r).select_one("#import-outcome").get_text()
    version = db_session.scalars(
        select(LibraryVersion).where(LibraryVersion.source == "ademe")
    ).one()
    assert (version.label, version.factor_count, version.is_default) == ("ADEME test 1", 2, True)
    assert db_session.scalars(select(AuditLog).where(AuditLog.action == "import")).one()
    # The same file again, even under another name, is the same version.
    r = upload(c, TINY_EXPORT, label="ADEME test bis")
    assert "already imported as “ADEME test 1”" in soup(r).select_one("#import-outcome").get_text()
    assert versions(db_session) == 2  # the bundled library and this one
    page = soup(c.get("/admin/factors"))
    assert "default for new periods" in page.select_one(f"#version-{version.id}").get_text()


def test_htmx_upload_returns_the_form_and_the_list(as_user: Any, world: World) -> None:
    c = as_user("admin")
    r = c.post("/admin/factors", data={"label": "ADEME htmx"},
               files={"file": ("base.csv", TINY_EXPORT, "text/csv")},
               headers={"HX-Request": "true", "X-CSRF-Token": c.csrf})  # fmt: skip
    assert r.status_code == 200 and "<html" not in r.text
    page = soup(r)
    assert page.select_one("#factor-import") is not None
    assert page.select_one("#versions")["hx-swap-oob"] == "true"


def test_malformed_export_is_refused_with_its_line(
    as_user: Any, world: World, db_session: Session
) -> None:
    bad = render([element(30001), element(30002, total="abc")])
    r = upload(as_user("admin"), bad)
    assert r.status_code == 422
    message = soup(r).select_one("#f-file-error").get_text()
    assert "nothing was stored" in message and "line 3" in message and "'abc'" in message
    assert versions(db_session) == 1


def test_oversized_upload_is_refused(
    as_user: Any, world: World, db_session: Session, app: FastAPI
) -> None:
    c = as_user("admin")
    app.state.settings = app.state.settings.model_copy(update={"max_factor_upload_bytes": 100})
    r = upload(c, TINY_EXPORT)
    assert r.status_code == 422
    assert "larger than" in soup(r).select_one("#f-file-error").get_text()
    assert versions(db_session) == 1


def test_upload_needs_a_label_and_a_file(as_user: Any, world: World) -> None:
    c = as_user("admin")
    r = c.post("/admin/factors", data={"csrf_token": c.csrf, "label": ""})
    assert r.status_code == 422
    page = soup(r)
    assert page.select_one("#f-label-error") and page.select_one("#f-file-error")


def test_choosing_the_default_version(as_user: Any, world: World, db_session: Session) -> None:
    c = as_user("admin")
    upload(c, TINY_EXPORT)
    new = db_session.scalars(select(LibraryVersion).where(LibraryVersion.source == "ademe")).one()
    r = c.form(f"/admin/factors/{new.id}/default", follow_redirects=False)
    assert r.status_code == 303
    db_session.expire_all()
    defaults = db_session.scalars(select(LibraryVersion.id).where(LibraryVersion.is_default)).all()
    assert defaults == [new.id]
    # Periods keep the version they were created with.
    db_session.refresh(world.period_a)
    assert world.period_a.library_version_id == world.library.id


def test_company_form_refuses_rather_than_cuts(
    as_user: Any, world: World, db_session: Session
) -> None:
    """A NAF code longer than the 16 characters kept was silently cut; a field the form does
    not have is refused by name (carbon.inputs.company.CompanyForm)."""
    r = as_user("admin").form("/admin/companies", {
        "name": "Gamma", "country": "FR", "sector": "lift", "sector_code": "X" * 17,
        "fte": "1e7",
    })  # fmt: skip
    assert r.status_code == 422
    page = BeautifulSoup(r.text, "html.parser")
    assert page.select_one("#f-sector_code-error").get_text() == (
        "NAF / ATECO code: at most 16 characters."
    )
    # 10⁶ FTE is the bound (carbon.inputs.numbers.MAX_FTE).
    assert page.select_one("#f-fte-error").get_text() == "Employees (FTE): at most 1,000,000."
    assert db_session.scalars(select(Company).where(Company.name == "Gamma")).all() == []
