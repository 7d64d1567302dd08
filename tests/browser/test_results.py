"""Drilling down in a real browser: from a period's results to the lines behind a poste."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import parse_number, period_id, shoot

pytestmark = pytest.mark.browser


def test_drill_down_from_a_total_to_its_lines(company_page: Any) -> None:
    page = company_page
    pid = period_id(page, 2024)  # validated: its figures do not move during the session
    response = page.goto(f"/periods/{pid}/results")
    assert response is not None
    assert response.status == 200  # a missing page is a failure, never a skip
    shoot(page, "results")
    # A poste's total, linked to its lines: follow the link by its href, as a user would.
    figures = page.locator(f"a[href^='/periods/{pid}/postes/']", has_text=re.compile(r"CO₂e"))
    assert figures.count() >= 1, "no poste total links to its lines"
    link = figures.first
    href = link.get_attribute("href") or ""
    code = href.rsplit("/", 1)[-1]
    shown = parse_number(link.inner_text())
    response = page.goto(href)
    assert response is not None and response.status == 200
    assert code in page.locator("h1").inner_text()
    lines = page.locator("tr[id^='line-']")
    assert lines.count() >= 1, f"poste {code} shows no activity line"
    # The drill-down total (2 decimals) rounds to the figure that linked to it (1 decimal).
    detail = parse_number(page.locator("#poste-total").inner_text())
    assert round(detail, 1) == pytest.approx(shown)
    shoot(page, f"poste-{code}")


def test_emissions_by_gas_open_from_the_results(company_page: Any) -> None:
    page = company_page
    pid = period_id(page, 2024)
    response = page.goto(f"/periods/{pid}/results")
    assert response is not None and response.status == 200
    table = page.locator("#by-gas-table")
    assert not table.is_visible()  # behind its disclosure
    page.locator("#by-gas summary").click()
    assert table.is_visible()
    assert re.search(r"AR5", table.locator("caption").inner_text())
    # The six rows (five gas groups and "not broken down") add up to the footprint's total,
    # each rounded to 0.1 t: within 0.05 t per row.
    rows = table.locator("tbody tr")
    assert rows.count() == 6
    total = sum(parse_number(rows.nth(i).locator("td").first.inner_text()) for i in range(6))
    shown = parse_number(page.locator("#total-value").inner_text())
    assert total == pytest.approx(shown, abs=0.05 * 6 + 0.05)
    shoot(page, "results-by-gas")
