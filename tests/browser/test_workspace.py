"""The company's workspace in a real browser: adding a line in place, importing, Italian."""

from __future__ import annotations

import re
from typing import Any

import pytest

from carbon.accounting.postes import POSTES_BY_CODE
from carbon.factors.bundled import find_activity

from .conftest import Console, parse_number, period_id, shoot

pytestmark = pytest.mark.browser

DRAFT_YEAR = 2025  # the demo company's open period


def open_draft(page: Any) -> int:
    pid = period_id(page, DRAFT_YEAR)
    page.goto(f"/periods/{pid}")
    return pid


def line_count(page: Any, pid: int) -> int:
    page.goto(f"/periods/{pid}")
    return page.locator("#workspace tr[id^='line-']").count()


def test_sign_in_lands_on_the_company(company_page: Any) -> None:
    assert company_page.locator("h1").inner_text() == "Remontées du Vallon"
    assert company_page.locator("#periods tbody tr").count() == 3  # 2023, 2024, 2025
    shoot(company_page, "company")


def test_add_a_line_through_the_search_updates_the_total_in_place(company_page: Any) -> None:
    page = company_page
    open_draft(page)
    url = page.url
    before = page.locator("#total-value").inner_text()
    # A full reload would lose this; htmx swaps must keep it.
    page.evaluate("window.carbonNoReload = true")

    page.fill("#activity-q", "dameuse")
    choice = page.locator("#activity-results a[data-activity='groomer-diesel']")
    choice.click()
    page.wait_for_selector("#unit option[value='litre']", state="attached")
    page.fill("#quantity", "10000")
    page.select_option("#unit", "litre")
    page.click("#line-form button[type=submit]")
    page.wait_for_function(
        "before => document.querySelector('#total-value').textContent.trim() !== before",
        arg=before.strip(),
    )
    after = page.locator("#total-value").inner_text()
    # Groomers burn off-road diesel: 10 000 L × 3,17 kgCO2e/L (bundled:diesel-offroad-fr)
    # = 31 700 kg = 31,7 t: a whole number of tenths, so the total shown (rounded to 0,1 t)
    # moves by exactly 31,7.
    assert parse_number(after) - parse_number(before) == pytest.approx(31.7)
    assert page.url == url
    assert page.evaluate("window.carbonNoReload") is True
    assert page.locator("#line-form #quantity").input_value() == ""  # a fresh form
    shoot(page, "period")


def test_import_with_a_bad_row_shows_where_and_stores_nothing(
    company_page: Any, console: Console
) -> None:
    page = company_page
    pid = open_draft(page)
    before = line_count(page, pid)
    page.click(f"a[href='/periods/{pid}/import']")
    page.wait_for_url(f"**/periods/{pid}/import")
    # Row 3 has "beaucoup" as its quantity.
    sheet = (
        "Activité;Quantité;Unité;Qualité\r\n"
        "Gazole des dameuses (GNR);1 234,5;litre;facture\r\n"
        "Électricité des remontées mécaniques;beaucoup;kWh;compteur\r\n"
    ).encode()
    page.set_input_files(
        "#import-file", files=[{"name": "conso.csv", "mimeType": "text/csv", "buffer": sheet}]
    )
    console.allow(r"status of 422")  # a preview with errors answers 422, swapped in place
    page.click("#import-form button[type=submit]")
    error = page.locator("#import-errors tbody tr")
    error.first.wait_for()
    assert error.count() == 1
    cells = error.first.locator("td").all_inner_texts()
    assert cells[:2] == ["3", "Quantité"]
    assert "beaucoup" in cells[2]
    assert page.locator("form.import-confirm").count() == 0
    assert page.url.endswith(f"/periods/{pid}/import")  # swapped in place
    shoot(page, "import-errors")
    assert line_count(page, pid) == before


def test_italian_labels_and_numbers(company_page: Any) -> None:
    page = company_page
    open_draft(page)
    try:
        with page.expect_navigation():
            page.click(".lang-switch button[value=it]")
        assert page.locator("html").get_attribute("lang") == "it"
        assert page.locator(".skip-link").inner_text() == "Vai al contenuto"
        poste = page.locator("#poste-2\\.1 h2").inner_text()
        assert POSTES_BY_CODE["2.1"].label("it") in poste
        activity = find_activity("groomer-diesel")
        assert activity is not None
        assert page.locator("#workspace td", has_text=activity.name("it")).count() >= 1
        # Italian numbers: dots between thousands, a decimal comma (2.475.432,0 kWh).
        quantities = page.locator("#workspace td.num").all_inner_texts()
        assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+,\d", q.strip()) for q in quantities)
        total = page.locator("#total-value").inner_text()
        assert re.fullmatch(r"[\d.]+,\d\s?t CO₂e", total.replace("\u00a0", " ")), total
        shoot(page, "period-it")
    finally:
        # The choice is saved on the user: put French back for the other tests.
        page.click(".lang-switch button[value=fr]")
        page.wait_for_load_state()
