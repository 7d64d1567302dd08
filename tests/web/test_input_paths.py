"""One model, one message: a quantity refused by the form, the JSON API and the spreadsheet
import is refused with the same sentence, in the reader's language, naming the field (and, for
the import, the file, the row and the column as the user wrote it). Nothing is stored."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from carbon.db.models import ActivityLine

from .conftest import World

NBSP, NNBSP = "\u00a0", "\u202f"  # before a French colon; babel's French thousands separator

# (as typed in the form and the sheet, as sent in JSON, the French message). 10¹² is
# carbon.inputs.numbers.MAX_QUANTITY, written as babel writes it in French.
CASES = [
    ("1e200", 1e200, f"Quantité{NBSP}: au plus 1{NNBSP}000{NNBSP}000{NNBSP}000{NNBSP}000."),
    ("NaN", math.nan, f"Quantité{NBSP}: saisissez un nombre fini (ni NaN ni l'infini)."),
    ("inf", math.inf, f"Quantité{NBSP}: saisissez un nombre fini (ni NaN ni l'infini)."),
    ("-1", -1, f"Quantité{NBSP}: le nombre ne peut pas être négatif."),
]
ACTIVITY = "electricity-buildings"


@pytest.fixture(autouse=True)
def import_dir(app: FastAPI, tmp_path: Path) -> Path:
    app.state.import_dir = tmp_path
    return tmp_path


def soup(r: Any) -> BeautifulSoup:
    return BeautifulSoup(r.text, "html.parser")


def in_french(c: Any) -> Any:
    c.form("/lang", {"lang": "fr", "next": "/companies"})
    c.refresh_csrf("/companies")
    return c


def count_lines(db: Session, period_id: int) -> int:
    return db.scalar(select(func.count()).where(ActivityLine.period_id == period_id)) or 0


def by_form(c: Any, period_id: int, typed: str) -> str:
    data = {"activity_id": ACTIVITY, "quantity": typed, "unit": "kWh"}
    r = c.htmx("POST", f"/periods/{period_id}/lines", data=data)
    assert r.status_code == 422, r.text
    return str(soup(r).select_one("#quantity-error").get_text())


def post_json(c: Any, method: str, url: str, body: dict[str, Any]) -> Any:
    """``body`` as Python's JSON writes it: NaN and Infinity bare, as a careless client sends
    them (httpx refuses to), and as the server's JSON reader accepts them."""
    headers = {"X-CSRF-Token": c.csrf, "Content-Type": "application/json"}
    return c.request(method, url, content=json.dumps(body), headers=headers)


def by_api(c: Any, period_id: int, number: float) -> str:
    body = {"activity_id": ACTIVITY, "quantity": number, "unit": "kWh"}
    r = post_json(c, "POST", f"/api/periods/{period_id}/lines", body)
    assert r.status_code == 422, r.text
    (error,) = r.json()["detail"]
    assert error["loc"] == ["body", "quantity"]
    return str(error["msg"])


def by_import(c: Any, period_id: int, typed: str) -> str:
    sheet = f"Activité;Quantité;Unité\r\n{ACTIVITY};{typed};kWh\r\n".encode()
    files = {"file": ("conso-mars.csv", sheet, "text/csv")}
    r = c.post(f"/periods/{period_id}/import", data={"csrf_token": c.csrf}, files=files)
    assert r.status_code == 422, r.text
    table = soup(r).select_one("#import-errors")
    assert "conso-mars.csv" in table.select_one("caption").get_text()  # the file
    (row,) = table.select("tbody tr")
    line, column, text = (td.get_text(strip=True) for td in row.select("td"))
    assert (line, column) == ("2", "Quantité")  # the row and the header as written
    return text


@pytest.mark.parametrize(("typed", "number", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_same_refusal_through_form_api_and_import(
    as_user: Any, world: World, db_session: Session, typed: str, number: float, expected: str
) -> None:
    c = in_french(as_user("alice"))
    pid = world.period_a.id
    before = count_lines(db_session, pid)
    assert by_form(c, pid, typed) == expected
    assert by_api(c, pid, number) == expected
    assert by_import(c, pid, typed) == expected
    assert count_lines(db_session, pid) == before


@pytest.mark.parametrize("number", [1e200, math.nan, -math.inf])
def test_supplier_factor_is_bounded_too(as_user: Any, world: World, number: float) -> None:
    body = {"activity_id": ACTIVITY, "quantity": 1, "unit": "kWh", "supplier_factor_kgco2e": number}
    r = post_json(as_user("alice"), "POST", f"/api/periods/{world.period_a.id}/lines", body)
    assert r.status_code == 422, r.text
    (error,) = r.json()["detail"]
    assert error["loc"] == ["body", "supplier_factor_kgco2e"]
    assert error["msg"].startswith("Supplier-specific factor: ")


def test_api_update_refuses_the_same_numbers(as_user: Any, world: World) -> None:
    c = as_user("alice")
    line = world.period_a.lines[0]
    body = {"activity_id": ACTIVITY, "quantity": 1e200, "unit": "kWh",
            "version_id": line.version_id}  # fmt: skip
    r = post_json(c, "PUT", f"/api/lines/{line.id}", body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["msg"] == "Quantity: at most 1,000,000,000,000."


# The other figures people give, each with its bound (carbon.inputs.numbers) and field name:
# (persona, URL, the rest of a valid form, the field, its selector in the page answered).
OTHER_FORMS = [
    ("alice", "/companies/{company}/plan/actions", {"title": "LED", "status": "planned"},
     "cost_eur", "#cost_eur-error", "Cost, €"),
    ("alice", "/companies/{company}/plan/actions", {"title": "LED", "status": "planned"},
     "expected_avoided_tco2e_per_year", "#expected_avoided_tco2e_per_year-error",
     "Expected avoided, t CO₂e a year"),
    ("admin", "/admin/companies", {"name": "Gamma", "country": "FR", "sector": "lift"},
     "fte", "#f-fte-error", "Employees (FTE)"),
    ("admin", "/admin/companies", {"name": "Gamma", "country": "FR", "sector": "lift"},
     "revenue_keur", "#f-revenue_keur-error", "Revenue, k€"),
]  # fmt: skip


@pytest.mark.parametrize("typed", ["1e200", "NaN", "-inf", "-3"])
@pytest.mark.parametrize(
    ("persona", "url", "form", "field", "selector", "label"), OTHER_FORMS,
    ids=[f"{case[0]}-{case[3]}" for case in OTHER_FORMS],
)  # fmt: skip
def test_plan_and_company_figures_are_bounded(
    as_user: Any, world: World, persona: str, url: str, form: dict[str, str], field: str,
    selector: str, label: str, typed: str,
) -> None:  # fmt: skip
    c = as_user(persona)
    r = c.form(url.format(company=world.company_a.id), {**form, field: typed})
    assert r.status_code == 422, r.text
    error = soup(r).select_one(selector)
    assert error is not None, r.text
    assert error.get_text().startswith(f"{label}: "), error.get_text()
