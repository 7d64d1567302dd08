"""The plan page: who may see and change it, the target and trajectory, actions with htmx."""

from __future__ import annotations

import json
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.db.factor_store import save_library
from carbon.db.models import Action, AuditLog, Target
from carbon.factors.ademe import read_ademe_export
from tests import factories as f
from tests.factors.ademe_fixture import element, render
from tests.plan.libraries import old_grid_library

from .conftest import World


def soup(r: Any) -> BeautifulSoup:
    return BeautifulSoup(r.text, "html.parser")


def plan_url(world: World) -> str:
    return f"/companies/{world.company_a.id}/plan"


@pytest.fixture
def year_2025(world: World, db_session: Session) -> Any:
    """Company A in 2025: 900 L of groomer diesel (2,790 kg) and the same 10 MWh (520 kg)."""
    period = f.make_period(db_session, world.company_a, world.library, year=2025)
    f.make_line(db_session, period, poste="2.1", factor_id="bundled:elec-fr-2022", quantity=10,
                unit="MWh", activity_id="electricity-buildings")  # fmt: skip
    f.make_line(db_session, period, poste="1.2", factor_id="bundled:diesel-b7-fr", quantity=900,
                unit="litre", activity_id="groomer-diesel")  # fmt: skip
    db_session.flush()
    return period


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [
    ("alice", 200), ("bob", 404), ("carol", 200), ("dave", 404), ("admin", 200),
])  # fmt: skip
def test_plan_page_access(as_user: Any, world: World, persona: str, status: int) -> None:
    r = as_user(persona).get(plan_url(world))
    assert r.status_code == status
    if status == 404:
        assert "Alpha Remontées" not in r.text


def test_anonymous_is_sent_to_login(client: Any, world: World) -> None:
    r = client.get(plan_url(world), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


@pytest.mark.parametrize("persona", ["bob", "dave"])
def test_outsiders_cannot_change_the_plan(
    as_user: Any, world: World, db_session: Session, persona: str
) -> None:
    action = f.make_action(db_session, world.company_a)
    c = as_user(persona)
    base = plan_url(world)
    posts = [
        (base, {"base_period_id": str(world.period_a.id), "target_year": "2030",
                "reduction_pct": "42", "kind": "absolute"}),
        (f"{base}/target/delete", {}),
        (f"{base}/actions", {"title": "x", "status": "planned"}),
        (f"{base}/actions/{action.id}", {"title": "x", "status": "planned"}),
        (f"{base}/actions/{action.id}/delete", {}),
    ]  # fmt: skip
    for url, data in posts:
        assert c.form(url, data).status_code == 404, url
    for url in (f"{base}/actions/new", f"{base}/actions/{action.id}/edit"):
        assert c.get(url).status_code == 404, url
    assert db_session.scalars(select(Target)).all() == []
    assert db_session.get(Action, action.id) is not None


def test_action_of_another_company_is_404(as_user: Any, world: World, db_session: Session) -> None:
    other = f.make_action(db_session, world.company_b)
    r = as_user("alice").form(f"{plan_url(world)}/actions/{other.id}/delete")
    assert r.status_code == 404
    assert db_session.get(Action, other.id) is not None


@pytest.mark.parametrize(
    "path", ["", "/target/delete", "/actions", "/actions/1", "/actions/1/delete"]
)
def test_posts_without_csrf_token_are_refused(as_user: Any, world: World, path: str) -> None:
    r = as_user("alice").post(plan_url(world) + path, data={"title": "x"})
    assert r.status_code == 403


# --- Target and trajectory ---------------------------------------------------------------------


def test_coach_sets_a_target_and_the_page_says_on_track(
    as_user: Any, world: World, year_2025: Any, db_session: Session
) -> None:
    c = as_user("carol")
    r = c.form(plan_url(world), {"base_period_id": str(world.period_a.id), "target_year": "2030",
                                 "reduction_pct": "42", "kind": "absolute"},
               follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    target = db_session.scalars(select(Target)).one()
    assert (target.target_year, target.reduction_pct, target.kind) == (2030, 42.0, "absolute")
    entry = db_session.scalars(select(AuditLog).where(AuditLog.entity == "target")).one()
    assert entry.actor_user_id == world.carol.id and entry.action == "create"

    page = soup(c.get(plan_url(world)))
    # Base 2024 = 520 + 3,100 = 3,620 kg. 2025 = 520 + 900 × 3.10 = 3,310 kg.
    # Target path: −42 % over 6 years = −7 %/year: 2025 = 3,620 × 0.93 = 3,366.6 kg (3.4 t).
    # Columns: actual, target, scopes 1+2, their SBTi path, scope 3, its SBTi path. All of the
    # 3,620 kg base is scopes 1+2 (diesel 1.2, electricity 2.1); scope 3 is 0.
    # SBTi 1.5 °C on scopes 1+2, 2025 = 3,620 × (1 − 0.042) = 3,468.0 kg; scope 3 path 0.
    rows = {
        tr.th.get_text(" ", strip=True).split()[0]: [td.get_text(strip=True) for td in tr("td")]
        for tr in page.select("#trajectory-table tbody tr")
    }
    zero = "0.0\xa0t CO₂e"
    assert rows["2024"] == ["3.6\xa0t CO₂e"] * 4 + [zero, zero]
    assert rows["2025"] == ["3.3\xa0t CO₂e", "3.4\xa0t CO₂e", "3.3\xa0t CO₂e", "3.5\xa0t CO₂e",
                            zero, zero]  # fmt: skip
    # 2030: target 3,620 × 0.58 = 2,099.6 kg; SBTi scopes 1+2 3,620 × (1 − 6 × 0.042)
    # = 2,707.8 kg; never 4.2 % of the whole footprint applied to scope 3.
    assert rows["2030"] == ["—", "2.1\xa0t CO₂e", "—", "2.7\xa0t CO₂e", "—", zero]
    assert "On track" in page.select_one("#on-track").get_text()
    chart = json.loads(page.select_one("#chart-trajectory").string)
    assert chart["labels"][:2] == ["2024", "2025"]
    assert chart["series"][0]["values"][:2] == [3.62, 3.31]
    assert chart["series"][1]["values"][1] == pytest.approx(3.367, abs=1e-3)  # 3.3666 t


def test_latest_year_above_the_path_is_not_on_track(
    as_user: Any, world: World, year_2025: Any, db_session: Session
) -> None:
    # −70 % by 2026 is −35 %/year: 2025 path = 3,620 × 0.65 = 2,353 kg < 3,310 kg actual.
    f.make_target(db_session, world.period_a, target_year=2026, reduction_pct=70.0)
    page = soup(as_user("alice").get(plan_url(world)))
    assert "Not on track" in page.select_one("#on-track").get_text()


def test_intensity_target_per_fte(
    as_user: Any, world: World, year_2025: Any, db_session: Session
) -> None:
    world.period_a.fte = 10.0
    year_2025.fte = 12.0
    f.make_target(db_session, world.period_a, target_year=2030, reduction_pct=30.0,
                  kind="intensity", intensity_unit="fte")  # fmt: skip
    page = soup(as_user("alice").get(plan_url(world)))
    rows = [[td.get_text(strip=True) for td in tr("td")]
            for tr in page.select("#intensity-table tbody tr")]  # fmt: skip
    # 2024: 3,620 kg / 10 FTE = 0.362 t/FTE; 2025: 3,310 / 12 = 0.27583 t/FTE.
    # Path: −30 % over 6 years = −5 %/year: 2025 = 0.362 × 0.95 = 0.3439 t/FTE: on track.
    assert rows[0] == ["0.36", "0.36"]
    assert rows[1] == ["0.28", "0.34"]
    assert "On track" in page.select("#on-track")[-1].get_text()


def test_intensity_without_denominator_says_what_is_missing(
    as_user: Any, world: World, db_session: Session
) -> None:
    f.make_target(db_session, world.period_a, kind="intensity", intensity_unit="revenue_keur")
    page = soup(as_user("alice").get(plan_url(world)))
    assert "k€ of revenue" in page.select_one("#trajectory .notice-inline").get_text()
    assert page.select_one("#intensity-table") is None
    assert page.select_one("#trajectory-table") is not None  # absolute emissions still shown


def test_bad_target_shows_errors_and_stores_nothing(
    as_user: Any, world: World, db_session: Session
) -> None:
    r = as_user("alice").form(plan_url(world), {
        "base_period_id": str(world.period_a.id), "target_year": "2020", "reduction_pct": "140",
        "kind": "intensity", "intensity_unit": "",
    })  # fmt: skip
    assert r.status_code == 422
    page = soup(r)
    assert "after the base year" in page.select_one("#target_year-error").get_text()
    assert "between 0 and 100" in page.select_one("#reduction_pct-error").get_text()
    assert db_session.scalars(select(Target)).all() == []


# --- Actions -----------------------------------------------------------------------------------


def test_library_pick_prefills_the_form_with_the_arithmetic(as_user: Any, world: World) -> None:
    r = as_user("alice").htmx("GET", f"{plan_url(world)}/actions/new?library=groomer-eco-driving")
    assert r.status_code == 200 and "<html" not in r.text
    page = soup(r)
    assert page.select_one("#title")["value"] == "Eco-driving of snow groomers"
    assert page.select_one('input[name=postes][value="1.2"]').has_attr("checked")
    # Groomer diesel lines in 2024: 1,000 L × 3.10 = 3,100 kg; × 7.5 % (middle of 5–10 %)
    # = 232.5 kg = 0.23 t a year; range 155 to 310 kg.
    assert page.select_one("#expected_avoided_tco2e_per_year")["value"] == "0.23"
    text = page.select_one("#proposal-arithmetic").get_text(" ", strip=True)
    assert "Snow groomer diesel" in text
    assert "3.10\xa0t CO₂e × 7.5% = 0.23\xa0t CO₂e" in text
    assert "0.16\xa0t CO₂e" in text and "0.31\xa0t CO₂e" in text


def test_library_pick_falls_back_to_the_poste(as_user: Any, world: World) -> None:
    # No lift electricity line: the basis is poste 2.1 (520 kg); 520 × 15 % = 78 kg = 0.08 t.
    page = soup(as_user("alice").get(
        f"{plan_url(world)}/actions/new?library=lift-drives-eco-driving"))  # fmt: skip
    assert page.select_one("#expected_avoided_tco2e_per_year")["value"] == "0.08"
    assert "emissions in poste 2.1" in page.select_one("#proposal-arithmetic").get_text()
    # Nothing in 3.4: no figure is proposed.
    page = soup(as_user("alice").get(f"{plan_url(world)}/actions/new?library=rail-offers-guests"))
    assert page.select_one("#expected_avoided_tco2e_per_year")["value"] == ""
    assert "no emissions in poste 3.4" in page.select_one("#proposal-arithmetic").get_text()


def test_create_edit_delete_action_with_audit(
    as_user: Any, world: World, db_session: Session
) -> None:
    c = as_user("alice")
    r = c.htmx("POST", f"{plan_url(world)}/actions", data={
        "title": "Eco-driving", "postes": ["1.2", "3.3"], "status": "planned", "owner": "Luc",
        "start_date": "2026-01-05", "end_date": "2026-04-30", "cost_eur": "2 500",
        "expected_avoided_tco2e_per_year": "0,23",
    })  # fmt: skip
    assert r.status_code == 200, r.text
    page = soup(r)
    assert page.select_one("#actions") is not None
    assert page.select_one("#action-form")["hx-swap-oob"] == "true"
    action = db_session.scalars(select(Action)).one()
    assert (action.postes, action.cost_eur, action.expected_avoided_tco2e_per_year) == (
        "1.2,3.3", 2500.0, 0.23,
    )  # fmt: skip
    assert page.select_one("#kpi-expected").get_text(strip=True) == "0.2 t CO₂e"

    r = c.htmx("GET", f"{plan_url(world)}/actions/{action.id}/edit")
    assert soup(r).select_one("#cost_eur")["value"] == "2500"
    r = c.htmx("POST", f"{plan_url(world)}/actions/{action.id}", data={
        "title": "Eco-driving", "postes": "1.2", "status": "done", "achieved_avoided_tco2e": "0.3",
    })  # fmt: skip
    assert r.status_code == 200
    db_session.refresh(action)
    assert (action.status, action.achieved_avoided_tco2e, action.postes) == ("done", 0.3, "1.2")

    r = c.htmx("POST", f"{plan_url(world)}/actions/{action.id}/delete")
    assert r.status_code == 200
    assert soup(r).select_one(f"#action-{action.id}") is None
    assert db_session.scalars(select(Action)).all() == []
    entries = db_session.scalars(
        select(AuditLog).where(AuditLog.entity == "action").order_by(AuditLog.id)
    ).all()
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert all(e.actor_user_id == world.alice.id for e in entries)
    assert entries[1].before["status"] == "planned" and entries[1].after["status"] == "done"
    assert entries[2].after is None and entries[2].company_id == world.company_a.id


def test_an_action_changed_by_someone_else_is_a_conflict_not_an_overwrite(
    as_user: Any, world: World, db_session: Session
) -> None:
    action = f.make_action(db_session, world.company_a, title="Relamping", status="planned")
    alice, carol = as_user("alice"), as_user("carol")
    # Both open the edit form at the same version.
    shown = [soup(c.htmx("GET", f"{plan_url(world)}/actions/{action.id}/edit"))
             for c in (alice, carol)]  # fmt: skip
    versions = [page.select_one("input[name=version_id]")["value"] for page in shown]
    assert versions == [str(action.version_id)] * 2
    url = f"{plan_url(world)}/actions/{action.id}"
    r = carol.htmx("POST", url, data={"title": "Relamping", "status": "in_progress",
                                      "version_id": versions[1]})  # fmt: skip
    assert r.status_code == 200
    # Alice saves the form she opened before Carol's change: refused, Carol's status kept.
    r = alice.htmx("POST", url, data={"title": "Relamping (LED)", "status": "abandoned",
                                      "version_id": versions[0]})  # fmt: skip
    assert r.status_code == 409 and "Reload the page" in r.text
    db_session.refresh(action)
    assert (action.title, action.status) == ("Relamping", "in_progress")
    # Nor can she delete it from the stale list; from the reloaded page she can.
    r = alice.htmx("POST", f"{url}/delete", data={"version_id": versions[0]})
    assert r.status_code == 409
    page = soup(alice.get(plan_url(world)))
    fresh = page.select_one(f"#action-{action.id} input[name=version_id]")["value"]
    assert int(fresh) == action.version_id == int(versions[0]) + 1
    r = alice.htmx("POST", f"{url}/delete", data={"version_id": fresh})
    assert r.status_code == 200 and db_session.scalars(select(Action.id)).all() == []
    audited = db_session.scalars(
        select(AuditLog.action).where(AuditLog.entity == "action").order_by(AuditLog.id)
    ).all()
    assert audited == ["update", "delete"]  # the refused changes left no trace


def test_a_target_changed_by_someone_else_is_a_conflict_not_an_overwrite(
    as_user: Any, world: World, db_session: Session
) -> None:
    alice, carol = as_user("alice"), as_user("carol")
    pages = [soup(c.get(plan_url(world))) for c in (alice, carol)]
    shown = [page.select_one("#target-form input[name=version_id]")["value"] for page in pages]
    assert shown == ["0", "0"]  # no target yet
    fields = {"base_period_id": str(world.period_a.id), "target_year": "2030", "kind": "absolute"}
    r = carol.form(plan_url(world), {**fields, "reduction_pct": "42", "version_id": shown[1]},
                   follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    # Alice's form was shown before Carol set the target: saving it would replace Carol's.
    r = alice.form(plan_url(world), {**fields, "reduction_pct": "30", "version_id": shown[0]})
    assert r.status_code == 409 and "Reload the page" in r.text
    target = db_session.scalars(select(Target)).one()
    assert target.reduction_pct == 42.0
    # Nor may the stale page remove it; the reloaded page may change it.
    r = alice.form(f"{plan_url(world)}/target/delete", {"version_id": shown[0]})
    assert r.status_code == 409
    fresh = soup(alice.get(plan_url(world))).select_one("#target-form input[name=version_id]")
    assert fresh["value"] == str(target.version_id) == "1"
    r = alice.form(plan_url(world), {**fields, "reduction_pct": "30", "version_id": "1"},
                   follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    db_session.refresh(target)
    assert (target.reduction_pct, target.version_id) == (30.0, 2)


def test_forms_work_as_plain_pages(as_user: Any, world: World, db_session: Session) -> None:
    action = f.make_action(db_session, world.company_a, title="Relamping", cost_eur=1_234_567.0)
    c = as_user("alice")
    page = soup(c.get(f"{plan_url(world)}/actions/{action.id}/edit"))
    assert page.select_one("html") is not None and page.select_one("#trajectory") is not None
    assert page.select_one("#title")["value"] == "Relamping"
    assert page.select_one("#cost_eur")["value"] == "1234567"  # as typed, not 1.23457e+06
    page = soup(c.get(f"{plan_url(world)}/actions/new?library=heat-pump"))
    assert page.select_one("html") is not None
    assert page.select_one("#title")["value"] == "Heat pump instead of a fossil boiler"


def test_coach_can_add_an_action(as_user: Any, world: World, db_session: Session) -> None:
    data = {"title": "LED", "status": "identified"}
    r = as_user("carol").form(f"{plan_url(world)}/actions", data, follow_redirects=False)
    assert r.status_code == 303  # a plain form is redirected to the page
    assert db_session.scalars(select(Action.title)).all() == ["LED"]


def test_bad_action_shows_errors_and_stores_nothing(
    as_user: Any, world: World, db_session: Session
) -> None:
    r = as_user("alice").htmx("POST", f"{plan_url(world)}/actions", data={
        "title": "", "status": "planned", "start_date": "2026-05-01", "end_date": "2026-01-01",
        "cost_eur": "beaucoup",
    })  # fmt: skip
    assert r.status_code == 422
    page = soup(r)
    assert page.select_one("#title-error") is not None
    assert "before the start date" in page.select_one("#end_date-error").get_text()
    assert page.select_one("#cost_eur-error").get_text() == (
        "Cost, €: 'beaucoup' is not a number; write it like 1 234,5."
    )
    assert db_session.scalars(select(Action)).all() == []


# --- Factor updates: /periods/{id}/compare -----------------------------------------------------


@pytest.fixture
def year_2023(world: World, db_session: Session) -> Any:
    """Company A in 2023, pinned to an older library whose French grid factor is 0.060:
    12 MWh × 0.060 = 720 kg and 1,100 L × 3.10 = 3,410 kg."""
    old = old_grid_library(db_session)
    period = f.make_period(db_session, world.company_a, old, year=2023, status="validated")
    f.make_line(db_session, period, poste="2.1", factor_id="bundled:elec-fr-2022", quantity=12,
                unit="MWh", activity_id="electricity-buildings")  # fmt: skip
    f.make_line(db_session, period, poste="1.2", factor_id="bundled:diesel-b7-fr", quantity=1100,
                unit="litre", activity_id="groomer-diesel")  # fmt: skip
    db_session.flush()
    return period


@pytest.mark.parametrize(("persona", "status"), [
    ("alice", 200), ("bob", 404), ("carol", 200), ("dave", 404), ("admin", 200),
])  # fmt: skip
def test_compare_page_access(as_user: Any, world: World, persona: str, status: int) -> None:
    assert as_user(persona).get(f"/periods/{world.period_a.id}/compare").status_code == status


def test_compare_split_adds_up(as_user: Any, world: World, year_2023: Any) -> None:
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}/compare"))
    # 2023 = 720 + 3,410 = 4,130 kg; 2024 = 520 + 3,100 = 3,620 kg: −510 kg.
    # 2024 with 2023's library: 600 + 3,100 = 3,700 kg. Activity: 3,700 − 4,130 = −430 kg;
    # factor: 3,620 − 3,700 = −80 kg; −430 − 80 = −510.
    assert page.select_one("#split-total").get_text(strip=True) == "-0.51\xa0t CO₂e"
    assert page.select_one("#split-activity").get_text(strip=True) == "-0.43\xa0t CO₂e"
    assert page.select_one("#split-factor").get_text(strip=True) == "-0.08\xa0t CO₂e"
    rows = {tr.th.select_one(".poste-code").text: [td.get_text(strip=True) for td in tr("td")]
            for tr in page.select("#split tbody tr")}  # fmt: skip
    assert rows["2.1"] == ["0.72\xa0t CO₂e", "0.52\xa0t CO₂e", "-0.20\xa0t CO₂e",
                           "-0.12\xa0t CO₂e", "-0.08\xa0t CO₂e"]  # fmt: skip
    assert rows["1.2"][3:] == ["-0.31\xa0t CO₂e", "0.00\xa0t CO₂e"]


def test_compare_with_another_version_is_display_only(
    as_user: Any, world: World, year_2023: Any, db_session: Session
) -> None:
    old = year_2023.library_version
    page = soup(as_user("carol").get(f"/periods/{world.period_a.id}/compare?version={old.id}"))
    foot = [td.get_text(strip=True) for td in page.select("#comparison tfoot td")]
    # 2024 with the old grid factor: 10,000 kWh × 0.060 = 600 kg instead of 520: +80 kg.
    assert foot == ["3.62\xa0t CO₂e", "3.70\xa0t CO₂e", "+0.08\xa0t CO₂e"]
    # The validated 2023 period compared with today's library keeps its own.
    r = as_user("carol").get(f"/periods/{year_2023.id}/compare?version={world.library.id}")
    assert r.status_code == 200
    db_session.refresh(year_2023)
    db_session.refresh(world.period_a)
    assert (year_2023.library_version_id, year_2023.status) == (old.id, "validated")
    assert world.period_a.library_version_id == world.library.id


def test_compare_with_a_version_missing_the_factors(
    as_user: Any, world: World, db_session: Session
) -> None:
    ademe = save_library(db_session, read_ademe_export(render([element(30001)]), "ADEME tiny"),
                         source="ademe")  # fmt: skip
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}/compare?version={ademe.id}"))
    assert "cannot be computed" in page.select_one("#comparison-error").get_text()
    assert page.select_one("#comparison") is None


def test_compare_page_with_a_single_library_says_so(as_user: Any, world: World) -> None:
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}/compare"))
    assert page.select_one("#no-other-version") is not None
    # No earlier period either: nothing to split.
    assert "no earlier period" in page.select_one("#year-split").get_text()


def test_plan_of_a_company_without_periods(as_user: Any, world: World, db_session: Session) -> None:
    empty = f.make_company(db_session, name="Delta")
    page = soup(as_user("admin").get(f"/companies/{empty.id}/plan"))
    assert page.select_one("#target-form") is None  # a target needs a base year
    assert "No reporting period yet" in page.select_one("#trajectory").get_text()
    assert page.select_one("#action-form") is not None


def test_action_owner_longer_than_kept_is_refused(
    as_user: Any, world: World, db_session: Session
) -> None:
    """The owner column keeps 200 characters: a longer one is refused with the field's name
    (carbon.inputs.plan.ActionForm), not cut by one database and refused by the other."""
    r = as_user("alice").htmx("POST", f"{plan_url(world)}/actions", data={
        "title": "LED", "status": "planned", "owner": "x" * 201,
    })  # fmt: skip
    assert r.status_code == 422
    assert soup(r).select_one("#owner-error").get_text() == "Owner: at most 200 characters."
    assert db_session.scalars(select(Action)).all() == []
