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
