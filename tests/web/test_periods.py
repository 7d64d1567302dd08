"""Opening a reporting period (page and API) and choosing the base year."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.db.models import ActivityLine, AuditLog, ReportingPeriod
from carbon.db.periods import create_period
from carbon.inputs.period import PeriodIn

from .conftest import World


def _periods(s: Session, company_id: int) -> dict[int, ReportingPeriod]:
    s.expire_all()
    rows = s.scalars(select(ReportingPeriod).where(ReportingPeriod.company_id == company_id))
    return {p.year: p for p in rows}


@pytest.mark.parametrize("persona", ["alice", "carol", "admin"])
def test_members_coaches_and_admins_open_a_year_from_the_company_page(
    as_user: Any, world: World, db_session: Session, persona: str
) -> None:
    c = as_user(persona)
    page = c.get(f"/companies/{world.company_a.id}")
    assert 'id="open-period"' in page.text
    r = c.form(f"/companies/{world.company_a.id}/periods", {"year": "2026"}, follow_redirects=False)
    assert r.status_code == 303
    new = _periods(db_session, world.company_a.id)[2026]
    assert r.headers["location"] == f"/periods/{new.id}"
    assert new.status == "draft" and new.library_version_id == world.library.id
    assert new.lines == []
    entry = db_session.scalar(
        select(AuditLog).where(AuditLog.entity == "reporting_period", AuditLog.action == "create")
    )
    assert entry is not None and entry.actor_user_id == getattr(world, persona).id


def test_a_second_period_for_the_same_year_is_refused_with_a_message(
    as_user: Any, world: World, db_session: Session
) -> None:
    c = as_user("alice")
    r = c.form(f"/companies/{world.company_a.id}/periods", {"year": "2024"})
    assert r.status_code == 409
    assert "2024 is already open for this company" in r.text
    assert 'value="2024"' in r.text  # the form keeps what was typed
    assert len(_periods(db_session, world.company_a.id)) == 1


def test_bad_figures_are_refused_field_by_field_and_nothing_is_stored(
    as_user: Any, world: World, db_session: Session
) -> None:
    c = as_user("alice")
    form = {"year": "2026", "fte": "inf", "revenue_keur": "-3"}
    r = c.form(f"/companies/{world.company_a.id}/periods", form)
    assert r.status_code == 422
    assert "Give a number." in r.text  # fte: inf is not a finite number
    assert "Give a number between 0 and" in r.text  # revenue
    r = c.form(
        f"/companies/{world.company_a.id}/periods", {"year": "2026", "starts_on": "2025-10-01"}
    )
    assert r.status_code == 422
    assert "A fiscal year needs both its first and its last day." in r.text
    assert 2026 not in _periods(db_session, world.company_a.id)


def test_the_refusal_is_in_french_for_a_french_user(
    as_user: Any, world: World, db_session: Session
) -> None:
    world.alice.locale = "fr"
    db_session.flush()
    c = as_user("alice")
    c.headers["Accept-Language"] = "fr"
    r = c.form(f"/companies/{world.company_a.id}/periods", {"year": "2024"})
    assert "2024 est déjà ouvert pour cette entreprise" in r.text


def test_a_fiscal_year_keeps_its_dates(as_user: Any, world: World, db_session: Session) -> None:
    c = as_user("alice")
    form = {"year": "2026", "starts_on": "2025-10-01", "ends_on": "2026-09-30"}
    r = c.form(f"/companies/{world.company_a.id}/periods", form, follow_redirects=False)
    assert r.status_code == 303
    p = _periods(db_session, world.company_a.id)[2026]
    assert (p.starts_on.isoformat(), p.ends_on.isoformat()) == ("2025-10-01", "2026-09-30")


@pytest.mark.parametrize(("choice", "quantities"), [("quantities", [10.0, 1000.0]),
                                                    ("blank", [0.0, 0.0])])  # fmt: skip
def test_copy_last_year_keeps_or_blanks_quantities_and_audits_the_copies(
    as_user: Any, world: World, db_session: Session, choice: str, quantities: list[float]
) -> None:
    old = world.period_a.lines
    old[0].comment, old[0].evidence_ref = "invoice March", "F-2024-12"
    db_session.flush()
    c = as_user("alice")
    form = {"year": "2025", "copy_last_year": choice}
    assert c.form(f"/companies/{world.company_a.id}/periods", form).status_code == 200
    new = _periods(db_session, world.company_a.id)[2025]
    lines = sorted(new.lines, key=lambda ln: ln.id)
    assert [ln.factor_id for ln in lines] == ["bundled:elec-fr-2022", "bundled:diesel-b7-fr"]
    assert [ln.quantity for ln in lines] == quantities
    assert all(ln.comment is None and ln.evidence_ref is None for ln in lines)
    audited = db_session.scalars(
        select(AuditLog.entity_id).where(
            AuditLog.entity == "activity_line", AuditLog.action == "create"
        )
    )
    assert {int(i) for i in audited} == {ln.id for ln in lines}
    # The old year is untouched.
    assert (
        db_session.scalar(select(ActivityLine.quantity).where(ActivityLine.id == old[0].id)) == 10
    )


def test_changing_the_base_year_asks_for_confirmation_and_is_audited(
    as_user: Any, world: World, db_session: Session
) -> None:
    later = create_period(db_session, None, world.company_a, PeriodIn(year=2025)).period
    db_session.flush()
    c = as_user("alice")
    page = c.get(f"/companies/{world.company_a.id}").text
    assert "will be recomputed from 2025" in page
    r = c.form(f"/periods/{later.id}/base-year", {})
    assert r.status_code == 422 and "Tick the box to confirm" in r.text
    assert _periods(db_session, world.company_a.id)[2024].is_base_year
    r = c.form(f"/periods/{later.id}/base-year", {"confirm": "yes"}, follow_redirects=False)
    assert r.status_code == 303
    years = _periods(db_session, world.company_a.id)
    assert years[2025].is_base_year and not years[2024].is_base_year
    entry = db_session.scalar(select(AuditLog).where(AuditLog.action == "base_year"))
    assert entry is not None
    assert (entry.before, entry.after) == ({"base_year": 2024}, {"base_year": 2025})


def test_a_new_base_year_at_creation_replaces_the_old_one(
    world: World, db_session: Session
) -> None:
    create_period(db_session, None, world.company_a, PeriodIn(year=2023, is_base_year=True))
    years = _periods(db_session, world.company_a.id)
    assert years[2023].is_base_year and not years[2024].is_base_year


def test_an_empty_company_says_what_to_do_first(
    as_user: Any, world: World, db_session: Session
) -> None:
    db_session.delete(world.period_a)
    db_session.flush()
    page = as_user("alice").get(f"/companies/{world.company_a.id}").text
    assert "No reporting period yet." in page
    assert 'id="periods"' not in page


# --- The JSON API ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "carol", "admin"])
def test_api_opens_a_period_for_those_allowed(
    as_user: Any, world: World, db_session: Session, persona: str
) -> None:
    c = as_user(persona)
    body = {"year": 2026, "fte": 12.5, "is_base_year": False}
    r = c.post(
        f"/api/companies/{world.company_a.id}/periods", json=body,
        headers={"X-CSRF-Token": c.csrf},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    out = r.json()
    assert (out["year"], out["fte"], out["status"], out["company_id"]) == (
        2026, 12.5, "draft", world.company_a.id
    )  # fmt: skip
    assert out["factor_library"] == world.library.label
    assert 2026 in _periods(db_session, world.company_a.id)


@pytest.mark.parametrize("persona", ["bob", "dave"])
def test_api_hides_other_companies(
    as_user: Any, world: World, db_session: Session, persona: str
) -> None:
    c = as_user(persona)
    r = c.post(
        f"/api/companies/{world.company_a.id}/periods", json={"year": 2026},
        headers={"X-CSRF-Token": c.csrf},
    )  # fmt: skip
    assert r.status_code == 404
    assert 2026 not in _periods(db_session, world.company_a.id)


def test_api_refuses_without_csrf_and_anonymous(client: Any, as_user: Any, world: World) -> None:
    url = f"/api/companies/{world.company_a.id}/periods"
    assert as_user("alice").post(url, json={"year": 2026}).status_code == 403
    assert client.post(url, json={"year": 2026}).status_code in (401, 403)


def test_api_duplicate_year_is_409_and_bad_input_422(as_user: Any, world: World) -> None:
    c = as_user("alice")
    url, headers = f"/api/companies/{world.company_a.id}/periods", {"X-CSRF-Token": c.csrf}
    r = c.post(url, json={"year": 2024}, headers=headers)
    assert r.status_code == 409 and "2024" in r.json()["detail"]
    r = c.post(url, json={"year": 2026, "fte": -1, "extra": 1}, headers=headers)
    assert r.status_code == 422
    fields = {e["loc"][-1] for e in r.json()["detail"]}
    assert fields == {"fte", "extra"}


def test_the_route_is_in_the_openapi_schema(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    op = schema["paths"]["/api/companies/{company_id}/periods"]["post"]
    assert {"201", "409", "422", "404"} <= set(op["responses"])
    assert "PeriodIn" in str(op["requestBody"])
