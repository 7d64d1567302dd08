"""The JSON API: same sign-in and permissions as the pages, audited writes, 409/422/403 answers.

World data (tests/web/conftest.py): period_a of company A has 520 kg in 2.1 and 3,100 kg in 1.2
(3,620 kg); period_b of company B (Italy) 20,000 kWh × 0.2655 = 5,310 kg in 2.1.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.db.models import ActivityLine, AuditLog

from .conftest import Client, World

NEW_LINE = {"activity_id": "electricity-buildings", "quantity": 5000, "unit": "kWh",
            "data_quality": "measured", "comment": "facture EDF mars"}  # fmt: skip


def api(c: Client, method: str, url: str, csrf: bool = True, **kw: Any) -> Any:
    headers = {"X-CSRF-Token": c.csrf} if csrf else {}
    return c.request(method, url, headers=headers, **kw)


def audit(s: Session, action: str) -> list[AuditLog]:
    q = select(AuditLog).where(AuditLog.entity == "activity_line", AuditLog.action == action)
    return list(s.scalars(q))


def count_lines(s: Session, period_id: int) -> int:
    return len(list(s.scalars(select(ActivityLine.id).where(ActivityLine.period_id == period_id))))


# ---- Access ------------------------------------------------------------------------------------

READS = (
    "/api/companies/{company}/periods",
    "/api/periods/{period}",
    "/api/periods/{period}/lines",
    "/api/periods/{period}/results",
    "/api/lines/{line}",
)


def _url(path: str, world: World) -> str:
    return path.format(
        company=world.company_a.id, period=world.period_a.id, line=world.period_a.lines[0].id
    )


@pytest.mark.parametrize(("persona", "status"), [
    ("alice", 200), ("bob", 404), ("carol", 200), ("dave", 404), ("admin", 200),
])  # fmt: skip
def test_read_access(as_user: Any, world: World, persona: str, status: int) -> None:
    c = as_user(persona)
    for path in READS:
        r = c.get(_url(path, world))
        assert (path, r.status_code) == (path, status)
        assert r.headers["content-type"] == "application/json"
        if status == 404:
            assert "Alpha" not in r.text and "3620" not in r.text


@pytest.mark.parametrize(("persona", "names"), [
    ("alice", ["Alpha Remontées"]), ("bob", ["Beta Albergo"]), ("carol", ["Alpha Remontées"]),
    ("dave", ["Beta Albergo"]), ("admin", ["Alpha Remontées", "Beta Albergo"]),
])  # fmt: skip
def test_companies_lists_only_visible_ones(
    as_user: Any, world: World, persona: str, names: list[str]
) -> None:
    r = as_user(persona).get("/api/companies")
    assert r.status_code == 200
    assert [c["name"] for c in r.json()] == names


ALL = (
    ("GET", "/api/companies"), *[("GET", p) for p in READS],
    ("POST", "/api/periods/{period}/lines"), ("PUT", "/api/lines/{line}"),
    ("DELETE", "/api/lines/{line}"),
)  # fmt: skip


def test_anonymous_gets_401(client: Client, world: World) -> None:
    client.refresh_csrf("/login")  # an anonymous session's token passes CSRF, not sign-in
    for method, path in ALL:
        body = {**NEW_LINE, "version_id": 1} if method in ("POST", "PUT") else None
        r = api(client, method, _url(path, world), json=body)
        assert (path, r.status_code) == (path, 401)
        assert r.json() == {"detail": "authentication required"}


@pytest.mark.parametrize(("persona", "status"), [
    ("bob", 404), ("carol", 403), ("dave", 404), ("admin", 201),
])  # fmt: skip
def test_who_may_write(as_user: Any, world: World, persona: str, status: int) -> None:
    # Coaches see company A's data but do not enter it; administrators may, on its behalf.
    r = api(as_user(persona), "POST", f"/api/periods/{world.period_a.id}/lines", json=NEW_LINE)
    assert r.status_code == status


def test_writes_need_the_csrf_header(as_user: Any, world: World, db_session: Session) -> None:
    c = as_user("alice")
    line = world.period_a.lines[0]
    before = count_lines(db_session, world.period_a.id)
    url = f"/api/periods/{world.period_a.id}/lines"
    assert api(c, "POST", url, csrf=False, json=NEW_LINE).status_code == 403
    put = {**NEW_LINE, "version_id": line.version_id}
    assert api(c, "PUT", f"/api/lines/{line.id}", csrf=False, json=put).status_code == 403
    assert api(c, "DELETE", f"/api/lines/{line.id}", csrf=False).status_code == 403
    assert count_lines(db_session, world.period_a.id) == before
    assert audit(db_session, "create") == audit(db_session, "delete") == []


# ---- Reading -----------------------------------------------------------------------------------


def test_period_and_lines(as_user: Any, world: World) -> None:
    c = as_user("alice")
    period = c.get(f"/api/periods/{world.period_a.id}").json()
    assert period["year"] == 2024 and period["is_base_year"] is True
    assert period["status"] == "draft" and period["editable"] is True
    assert period["factor_library"] == "carbon-bundled 2026.5"
    assert as_user("carol").get(f"/api/periods/{world.period_a.id}").json()["editable"] is False
    lines = c.get(f"/api/periods/{world.period_a.id}/lines").json()
    assert [(ln["poste"], ln["quantity"], ln["unit"]) for ln in lines] == [
        ("2.1", 10.0, "MWh"), ("1.2", 1000.0, "litre"),
    ]  # fmt: skip
    periods = c.get(f"/api/companies/{world.company_a.id}/periods").json()
    assert [p["id"] for p in periods] == [world.period_a.id]


def test_results(as_user: Any, world: World, db_session: Session) -> None:
    world.period_a.fte = 20.0
    db_session.flush()
    r = as_user("alice").get(f"/api/periods/{world.period_a.id}/results")
    assert r.status_code == 200
    data = r.json()
    assert data["total_kgco2e"] == pytest.approx(3620.0)
    assert data["by_poste"]["2.1"] == pytest.approx(520.0)
    assert data["by_category"]["1"] == pytest.approx(3100.0)
    assert data["by_scope"] == pytest.approx({"1": 3100.0, "2": 520.0, "3": 0.0})
    # √(520² × 0.0125 + 3,100² × 0.005) = √51,430.
    assert data["uncertainty_kgco2e"] == pytest.approx(51430**0.5)
    # Two sources: scope 1 ± 3,100 × √0.005 = 219.203, scope 2 ± 520 × √0.0125 = 58.138.
    assert data["uncertainty_method"] == "ipcc-approach-1-per-source"
    assert data["uncertainty_by_scope"] == pytest.approx(
        {"1": 219.203, "2": 58.138, "3": 0.0}, abs=1e-3
    )
    assert data["uncertainty_by_category"]["2"] == pytest.approx(58.138, abs=1e-3)
    assert data["factor_library"] == "carbon-bundled 2026.5"
    # Neither grid electricity nor diesel has a breakdown by gas in the bundled library.
    assert data["gwp_set"] == "AR5"
    assert data["by_gas"]["not_broken_down"] == pytest.approx(3620.0)
    assert data["by_gas"]["co2_fossil"] == 0.0
    cat1 = data["categories"][0]
    assert cat1["label"] == "Direct emissions" and cat1["postes"]["1.2"] == pytest.approx(3100)
    assert cat1["postes"]["1.5"] == 0.0  # poste 1.5 counts in category 1 (methodology §4)
    assert cat1["share_pct"] == pytest.approx(3100 / 3620 * 100)
    # 3,620 kg / 20 FTE = 181 kg per FTE; no revenue given.
    by_key = {i["key"]: i for i in data["intensities"]}
    assert by_key["fte"]["kgco2e_per_unit"] == pytest.approx(181.0)
    assert by_key["revenue_keur"]["kgco2e_per_unit"] is None
    assert data["base_year"] is None and data["change_vs_base_year"] is None  # it is the base
    assert data["unchecked_factors"] == {"lines": 2, "kgco2e": 3620.0, "share_pct": 100.0}
    # No supplier contract: the electricity line's market-based figure takes France's AIB
    # residual mix of 2024, 10,000 kWh × 0.02352 = 235.2 kg, and the method says so for that line
    # (alice reads English). Until December 2026 France had none and it stayed at 520 kg.
    [warning] = data["warnings"]
    assert "residual mix of FR 2024" in warning["message"] and data["warnings_omitted"] == 0
    assert data["scope2_market_kgco2e"] == pytest.approx(235.2)


# ---- Writing -----------------------------------------------------------------------------------


def test_create_update_delete_round_trip(as_user: Any, world: World, db_session: Session) -> None:
    c = as_user("alice")
    r = api(c, "POST", f"/api/periods/{world.period_a.id}/lines", json=NEW_LINE)
    assert r.status_code == 201, r.text
    line = r.json()
    # The activity chose the poste and, for a French company, the French grid factor.
    assert line["poste"] == "2.1" and line["factor_id"] == "bundled:elec-fr-2022"
    assert line["quantity"] == 5000.0 and line["comment"] == "facture EDF mars"
    (created,) = audit(db_session, "create")
    assert created.actor_user_id == world.alice.id and created.entity_id == str(line["id"])
    # 3,620 + 5,000 kWh × 0.052 (= 260) = 3,880 kg.
    total = c.get(f"/api/periods/{world.period_a.id}/results").json()["total_kgco2e"]
    assert total == pytest.approx(3880.0)

    put = {**NEW_LINE, "quantity": 6000, "version_id": line["version_id"]}
    r = api(c, "PUT", f"/api/lines/{line['id']}", json=put)
    assert r.status_code == 200, r.text
    updated = r.json()
    assert updated["quantity"] == 6000.0 and updated["version_id"] != line["version_id"]
    (entry,) = audit(db_session, "update")
    assert entry.before is not None and entry.after is not None
    assert (entry.before["quantity"], entry.after["quantity"]) == (5000.0, 6000.0)

    # The version read before the update is stale now.
    r = api(c, "PUT", f"/api/lines/{line['id']}", json=put)
    assert r.status_code == 409 and "changed" in r.json()["detail"]
    url = f"/api/lines/{line['id']}"
    assert api(c, "DELETE", url, params={"version_id": line["version_id"]}).status_code == 409
    kept = db_session.get(ActivityLine, line["id"])
    assert kept is not None and kept.quantity == 6000.0

    r = api(c, "DELETE", url, params={"version_id": updated["version_id"]})
    assert r.status_code == 204 and r.content == b""
    (deleted,) = audit(db_session, "delete")
    assert deleted.before is not None and deleted.before["quantity"] == 6000.0
    assert c.get(url).status_code == 404


def test_country_chooses_the_factor(as_user: Any, world: World) -> None:
    r = api(as_user("bob"), "POST", f"/api/periods/{world.period_b.id}/lines", json=NEW_LINE)
    assert r.status_code == 201 and r.json()["factor_id"] == "bundled:elec-it-2022"


def test_poste_and_factor_instead_of_an_activity(as_user: Any, world: World) -> None:
    body = {"poste": "1,2", "factor_id": "bundled:diesel-b7-fr", "quantity": 2.5, "unit": "m3"}
    r = api(as_user("alice"), "POST", f"/api/periods/{world.period_a.id}/lines", json=body)
    assert r.status_code == 201, r.text
    line = r.json()
    assert line["poste"] == "1.2" and line["activity_id"] is None
    assert line["data_quality"] == "estimated"  # unstated quality is an estimate


@pytest.mark.parametrize(("body", "field"), [
    ({**NEW_LINE, "quantity": "12"}, "quantity"),  # a string, not a number
    ({**NEW_LINE, "quantity": -1}, "quantity"),
    ({**NEW_LINE, "data_quality": "guessed"}, "data_quality"),
    ({**NEW_LINE, "activity_id": "no-such-thing"}, "activity_id"),
    ({**NEW_LINE, "unit": "litre"}, "unit"),  # electricity cannot be counted in litres
    ({**NEW_LINE, "poste": "1.2"}, "poste"),  # electricity belongs to 2.1
    ({**NEW_LINE, "site_id": 999999}, "site_id"),
    ({**NEW_LINE, "supplier_factor_kgco2e": -0.1}, "supplier_factor_kgco2e"),
    ({**NEW_LINE, "colour": "green"}, "colour"),
    ({"quantity": 1, "unit": "kWh"}, "poste"),  # neither an activity nor a poste and factor
    ({"poste": "2.1", "factor_id": "bundled:nope", "quantity": 1, "unit": "kWh"}, "factor_id"),
])  # fmt: skip
def test_bad_input_is_422_per_field(
    as_user: Any, world: World, db_session: Session, body: dict[str, Any], field: str
) -> None:
    before = count_lines(db_session, world.period_a.id)
    r = api(as_user("alice"), "POST", f"/api/periods/{world.period_a.id}/lines", json=body)
    assert r.status_code == 422, r.text
    errors = r.json()["detail"]
    assert field in [e["loc"][-1] for e in errors]
    assert all(e["msg"] for e in errors)
    assert count_lines(db_session, world.period_a.id) == before
    assert audit(db_session, "create") == []


def test_unit_error_message(as_user: Any, world: World) -> None:
    body = {**NEW_LINE, "unit": "litre"}
    r = api(as_user("alice"), "POST", f"/api/periods/{world.period_a.id}/lines", json=body)
    (error,) = r.json()["detail"]
    assert error["loc"] == ["body", "unit"]
    assert error["msg"] == "Unit: 'litre' cannot be converted to the factor's unit 'kWh'."


def test_submitted_period_is_read_only(as_user: Any, world: World, db_session: Session) -> None:
    world.period_a.status = "submitted"
    db_session.flush()
    c = as_user("alice")
    line = world.period_a.lines[0]
    r = api(c, "POST", f"/api/periods/{world.period_a.id}/lines", json=NEW_LINE)
    assert r.status_code == 403
    put = {**NEW_LINE, "version_id": line.version_id}
    assert api(c, "PUT", f"/api/lines/{line.id}", json=put).status_code == 403
    assert api(c, "DELETE", f"/api/lines/{line.id}").status_code == 403


def test_openapi_documents_the_api_only(client: Client) -> None:
    doc = client.get("/api/openapi.json").json()
    paths = doc["paths"]
    for path in ("/api/companies", "/api/periods/{period_id}/results",
                 "/api/periods/{period_id}/lines", "/api/lines/{line_id}"):  # fmt: skip
        assert path in paths
    assert set(paths["/api/lines/{line_id}"]) == {"get", "put", "delete"}
    assert "/periods/{period_id}/results" not in paths  # pages are not API
    schemas = doc["components"]["schemas"]
    assert {"LineIn", "LineOut", "ResultsOut", "PeriodOut", "CompanyOut"} <= set(schemas)
    assert "409" in paths["/api/lines/{line_id}"]["put"]["responses"]
    # No Swagger UI: it could not run under the CSP (inline script, CDN); no broken page either.
    assert client.get("/api/docs").status_code == 404
