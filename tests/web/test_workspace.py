"""The company workspace: who sees which period, and adding, editing, deleting lines."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.db.models import ActivityLine, AuditLog

from .conftest import World


def soup(r: Any) -> BeautifulSoup:
    return BeautifulSoup(r.text, "html.parser")


def test_anonymous_is_sent_to_login(client: Any, world: World) -> None:
    r = client.get(f"/periods/{world.period_a.id}", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/login?next=/periods/{world.period_a.id}"


@pytest.mark.parametrize(("persona", "status"), [
    ("alice", 200), ("bob", 404), ("carol", 200), ("dave", 404), ("admin", 200),
])  # fmt: skip
def test_period_page_access(as_user: Any, world: World, persona: str, status: int) -> None:
    r = as_user(persona).get(f"/periods/{world.period_a.id}")
    assert r.status_code == status
    if status == 404:
        assert "Alpha Remontées" not in r.text


def test_period_page_shows_totals_by_poste(as_user: Any, world: World) -> None:
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}"))
    # 520 + 3,100 = 3,620 kg = 3.6 t.
    assert page.select_one("#total-value").get_text(strip=True) == "3.6\xa0t CO₂e"
    assert "0.5\xa0t CO₂e" in page.select_one("#poste-2\\.1 h2").get_text()
    assert "3.1\xa0t CO₂e" in page.select_one("#poste-1\\.2 h2").get_text()


def test_htmx_add_line_returns_only_the_blocks(
    as_user: Any, world: World, db_session: Session
) -> None:
    c = as_user("alice")
    r = c.htmx(
        "POST", f"/periods/{world.period_a.id}/lines",
        data={"activity_id": "electricity-buildings", "quantity": "1 000,5", "unit": "MWh",
              "data_quality": "measured", "comment": "facture EDF"},
    )  # fmt: skip
    assert r.status_code == 200, r.text
    assert "<html" not in r.text
    page = soup(r)
    assert page.select_one("#workspace") is not None
    assert page.select_one("#line-form")["hx-swap-oob"] == "true"
    # 520 + 3,100 + 1,000,500 kWh × 0.052 (= 52,026) = 55,646 kg = 55.6 t.
    assert page.select_one("#total-value").get_text(strip=True) == "55.6\xa0t CO₂e"
    line = db_session.scalars(
        select(ActivityLine).where(ActivityLine.comment == "facture EDF")
    ).one()
    assert line.quantity == 1000.5 and line.factor_id == "bundled:elec-fr-2022"
    entry = db_session.scalars(
        select(AuditLog).where(AuditLog.entity == "activity_line", AuditLog.action == "create")
    ).one()
    assert entry.actor_user_id == world.alice.id
    assert entry.after is not None and entry.after["quantity"] == 1000.5


def test_bad_line_shows_errors_and_stores_nothing(
    as_user: Any, world: World, db_session: Session
) -> None:
    c = as_user("alice")
    before = db_session.scalar(select(ActivityLine.id).order_by(ActivityLine.id.desc()))
    r = c.htmx(
        "POST", f"/periods/{world.period_a.id}/lines",
        data={"activity_id": "electricity-buildings", "quantity": "beaucoup", "unit": "MWh"},
    )  # fmt: skip
    assert r.status_code == 422
    assert soup(r).select_one("#quantity-error").get_text() == (
        "Quantity: 'beaucoup' is not a number; write it like 1 234,5."
    )
    r = c.htmx(
        "POST", f"/periods/{world.period_a.id}/lines",
        data={"activity_id": "electricity-buildings", "quantity": "5", "unit": "litre"},
    )  # fmt: skip
    assert r.status_code == 422
    assert soup(r).select_one("#unit-error").get_text() == (
        "Unit: 'litre' cannot be converted to the factor's unit 'kWh'."
    )
    after = db_session.scalar(select(ActivityLine.id).order_by(ActivityLine.id.desc()))
    assert before == after


def test_other_company_cannot_add_lines(as_user: Any, world: World) -> None:
    r = as_user("bob").htmx(
        "POST", f"/periods/{world.period_a.id}/lines",
        data={"activity_id": "electricity-buildings", "quantity": "5", "unit": "kWh"},
    )  # fmt: skip
    assert r.status_code == 404


def test_post_without_csrf_token_is_refused(as_user: Any, world: World) -> None:
    c = as_user("alice")
    r = c.post(f"/periods/{world.period_a.id}/lines", data={"quantity": "1"})
    assert r.status_code == 403


def test_stale_delete_is_a_conflict(as_user: Any, world: World, db_session: Session) -> None:
    line = world.period_a.lines[0]
    stale = line.version_id
    line.quantity = 11.0
    db_session.flush()  # someone else's edit bumps the version
    r = as_user("alice").form(f"/lines/{line.id}/delete", {"version_id": str(stale)})
    assert r.status_code == 409
    assert db_session.get(ActivityLine, line.id) is not None


def test_submitted_period_is_read_only(as_user: Any, world: World, db_session: Session) -> None:
    c = as_user("alice")
    r = c.form(f"/periods/{world.period_a.id}/submit", {"confirm": "yes"}, follow_redirects=False)
    assert r.status_code == 303
    db_session.refresh(world.period_a)
    assert world.period_a.status == "submitted"
    r = c.htmx(
        "POST", f"/periods/{world.period_a.id}/lines",
        data={"activity_id": "electricity-buildings", "quantity": "5", "unit": "kWh"},
    )  # fmt: skip
    assert r.status_code == 403


def test_submission_says_what_it_changes_and_asks_for_confirmation(
    as_user: Any, world: World, db_session: Session
) -> None:
    c = as_user("alice")
    page = c.get(f"/periods/{world.period_a.id}").text
    assert "can no longer be changed" in page and 'name="confirm"' in page
    r = c.form(f"/periods/{world.period_a.id}/submit", follow_redirects=False)
    assert r.status_code == 422
    assert "Tick the box to confirm the submission." in r.text
    db_session.refresh(world.period_a)
    assert world.period_a.status == "draft"


def test_empty_period_and_results_say_what_to_do(
    as_user: Any, world: World, db_session: Session
) -> None:
    for line in list(world.period_a.lines):
        db_session.delete(line)
    db_session.flush()
    alice, carol = as_user("alice"), as_user("carol")
    assert "add a line with the form below" in alice.get(f"/periods/{world.period_a.id}").text
    coach_view = carol.get(f"/periods/{world.period_a.id}").text
    assert "has not entered any activity line" in coach_view
    results = alice.get(f"/periods/{world.period_a.id}/results").text
    assert "No results yet: this year has no activity line." in results


def test_a_year_without_lines_cannot_be_submitted(
    as_user: Any, world: World, db_session: Session
) -> None:
    for line in list(world.period_a.lines):
        db_session.delete(line)
    db_session.flush()
    c = as_user("alice")
    page = c.get(f"/periods/{world.period_a.id}").text
    assert 'id="submit-needs-lines"' in page and 'name="confirm"' not in page
    r = c.form(f"/periods/{world.period_a.id}/submit", {"confirm": "yes"}, follow_redirects=False)
    assert r.status_code == 409
    assert "cannot be submitted" in r.text
    db_session.refresh(world.period_a)
    assert world.period_a.status == "draft"
