"""The period page's line form and in-place line editor, as htmx drives them.

A refused line must come back as the one form that sent it (not inserted a second time into the
workspace, which htmx targets on success), with the values as typed and the messages in the
reader's language; a line is edited in its own table row, and the saved workspace gives the
focus back to that row.
"""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from carbon.db.models import ActivityLine

from .conftest import World

NBSP = "\u00a0"


def soup(r: Any) -> BeautifulSoup:
    return BeautifulSoup(r.text, "html.parser")


def in_french(c: Any) -> Any:
    c.form("/lang", {"lang": "fr", "next": "/companies"})
    c.refresh_csrf("/companies")
    return c


def count_lines(db: Session, period_id: int) -> int:
    return db.scalar(select(func.count()).where(ActivityLine.period_id == period_id)) or 0


def as_shown(line: ActivityLine) -> dict[str, str]:
    """The fields the line's editor posts back unchanged."""
    by_activity = bool(line.activity_id)
    return {
        "activity_id": line.activity_id or "",
        "factor_id": "" if by_activity else line.factor_id,
        "poste": "" if by_activity else line.poste,
        "unit": line.unit,
        "data_quality": line.data_quality,
        "version_id": str(line.version_id),
    }


def test_refused_line_comes_back_as_the_form_in_place_in_french(
    as_user: Any, world: World, db_session: Session
) -> None:
    c = in_french(as_user("alice"))
    before = count_lines(db_session, world.period_a.id)
    sent = {"activity_id": "electricity-buildings", "quantity": "-5", "unit": "kWh",
            "data_quality": "estimated", "comment": "facture EDF de mars"}  # fmt: skip
    r = c.htmx("POST", f"/periods/{world.period_a.id}/lines", data=sent)
    assert r.status_code == 422
    # The form's target is the workspace; the answer replaces the form instead.
    assert r.headers["HX-Retarget"] == "#line-form"
    assert r.headers["HX-Reswap"] == "outerHTML"
    page = soup(r)
    assert "<html" not in r.text
    assert page.select_one("#workspace") is None  # the indicators and tables stay as they are
    assert len(page.select("#line-form")) == 1 and len(page.select("form")) == 1
    assert page.select_one("#quantity")["value"] == "-5"
    assert page.select_one("#comment")["value"] == "facture EDF de mars"
    assert page.select_one("#activity-id")["value"] == "electricity-buildings"
    assert page.select_one("#data_quality option[selected]")["value"] == "estimated"
    assert page.select_one("#quantity")["aria-invalid"] == "true"
    error = page.select_one("#quantity-error").get_text()
    assert error == f"Quantité{NBSP}: le nombre ne peut pas être négatif."
    assert count_lines(db_session, world.period_a.id) == before


def test_an_unknown_field_is_refused_by_name(as_user: Any, world: World) -> None:
    data = {"activity_id": "electricity-buildings", "quantity": "5", "unit": "kWh", "colour": "x"}
    r = as_user("alice").htmx("POST", f"/periods/{world.period_a.id}/lines", data=data)
    assert r.status_code == 422
    assert "colour: this field is not expected." in soup(r).get_text()


def test_edit_opens_the_row_as_its_form(as_user: Any, world: World) -> None:
    line = world.period_a.lines[0]
    r = as_user("alice").htmx("GET", f"/lines/{line.id}/edit")
    assert r.status_code == 200
    page = soup(r)
    (row,) = page.select("tr")  # only the row, swapped for the line's own row
    assert row["id"] == f"line-{line.id}"
    assert page.select_one("#line-form") is None and page.select_one("#workspace") is None
    form = row.select_one("form")
    assert form["hx-post"] == f"/lines/{line.id}"
    assert row.select_one("#edit-quantity").has_attr("autofocus")
    assert row.select_one("input[name=version_id]")["value"] == str(line.version_id)


def test_refused_edit_stays_in_its_row_with_the_values(
    as_user: Any, world: World, db_session: Session
) -> None:
    line = world.period_a.lines[0]
    quantity = line.quantity
    data = {**as_shown(line), "quantity": "1e200", "comment": "relevé"}
    r = as_user("alice").htmx("POST", f"/lines/{line.id}", data=data)
    assert r.status_code == 422
    assert r.headers["HX-Retarget"] == f"#line-{line.id}"
    page = soup(r)
    (row,) = page.select("tr")
    assert row["id"] == f"line-{line.id}"
    assert row.select_one("#edit-quantity")["value"] == "1e200"
    assert row.select_one("#edit-comment")["value"] == "relevé"
    # 10¹² is the largest quantity (carbon.inputs.numbers.MAX_QUANTITY).
    error = row.select_one("#edit-quantity-error").get_text()
    assert error == "Quantity: at most 1,000,000,000,000."
    db_session.refresh(line)
    assert line.quantity == quantity


def test_saved_edit_returns_the_workspace_with_focus_on_the_line(
    as_user: Any, world: World, db_session: Session
) -> None:
    line = world.period_a.lines[0]
    data = {**as_shown(line), "quantity": "12,5", "data_quality": "measured"}
    r = as_user("alice").htmx("POST", f"/lines/{line.id}", data=data)
    assert r.status_code == 200, r.text
    page = soup(r)
    assert "HX-Retarget" not in r.headers
    assert page.select_one(f"#line-{line.id} .line-editor") is None
    assert page.select_one(f"#edit-line-{line.id}").has_attr("autofocus")
    assert len(page.select("[autofocus]")) == 1
    db_session.refresh(line)
    assert line.quantity == 12.5 and line.data_quality == "measured"


def test_cancel_gives_the_focus_back_to_the_line(as_user: Any, world: World) -> None:
    line = world.period_a.lines[0]
    r = as_user("alice").htmx("GET", f"/periods/{world.period_a.id}?line={line.id}")
    assert r.status_code == 200
    assert soup(r).select_one(f"#edit-line-{line.id}").has_attr("autofocus")


def test_edit_without_script_shows_the_row_as_a_form_in_the_page(
    as_user: Any, world: World
) -> None:
    line = world.period_a.lines[0]
    page = soup(as_user("alice").get(f"/lines/{line.id}/edit"))
    assert page.select_one(f"tr#line-{line.id}.line-editor form") is not None
    # The add-line form below stays blank and separate.
    assert page.select_one("#line-form #quantity")["value"] == ""
