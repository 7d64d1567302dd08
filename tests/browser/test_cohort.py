"""The coach's cohort page in a real browser, on a laptop's 1,366 × 768 screen.

The table was ~1,460 px wide, so the targets and intensities were cut off behind a horizontal
scrollbar most coaches never saw. It now keeps six columns and puts the rest behind each row's
"Details"; "who needs me" comes first, and its headers sort the table in place.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from carbon.demo.load import DEMO_PASSWORD

from .conftest import shoot

pytestmark = pytest.mark.browser

COACH = "coach@example.org"
LAPTOP = {"width": 1366, "height": 768}

# Widths wider than their box: the page itself, and any scrolling container on it.
_OVERFLOWS = """() => {
  const doc = document.documentElement;
  const out = [];
  if (doc.scrollWidth > doc.clientWidth) out.push(["page", doc.scrollWidth, doc.clientWidth]);
  for (const el of document.querySelectorAll(".table-wrap, #companies")) {
    const [wide, box] = [el.scrollWidth, el.clientWidth];
    if (wide > box + 1) out.push([el.className || el.id, wide, box]);
  }
  return out;
}"""


@pytest.fixture
def coach_page(page: Any) -> Any:
    page.set_viewport_size(LAPTOP)
    page.goto("/login")
    page.fill("input[name=email]", COACH)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(re.compile(r"/cohorts"))
    page.goto("/cohorts")
    page.locator("#cohorts tbody th a").first.click()
    page.wait_for_url(re.compile(r"/cohorts/\d+$"))
    return page


def test_cohort_table_fits_a_laptop_screen(coach_page: Any) -> None:
    page = coach_page
    assert page.locator(".cohort-table tbody tr").count() >= 8
    assert page.evaluate(_OVERFLOWS) == []
    # Opening every row's details keeps the table inside the screen.
    for summary in page.locator(".cohort-table details summary").all():
        summary.click()
    assert page.locator(".cohort-table details[open]").count() >= 5
    assert page.evaluate(_OVERFLOWS) == []
    shoot(page, "cohort-details-open")


def test_who_needs_me_comes_first_and_sorts_by_its_headers(coach_page: Any) -> None:
    page = coach_page
    # The table is the first section under the title: the indicators come after it.
    heading = page.locator("h2").first
    assert heading.get_attribute("id") == "who-needs-me"
    table_top = page.locator(".cohort-table").bounding_box()["y"]
    assert table_top < page.locator("#kpis").bounding_box()["y"]

    page.locator("thead a", has_text=re.compile("Dernière activité")).click()
    page.wait_for_url(re.compile(r"sort=activity"))
    dates = page.locator(".cohort-table tbody tr td:nth-of-type(3) time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )
    assert len(dates) >= 5 and dates == sorted(dates)  # the longest silent first
    page.locator("thead a", has_text=re.compile("Dernière activité")).click()
    page.wait_for_url(re.compile(r"sort=activity&dir=desc"))
    dates = page.locator(".cohort-table tbody tr td:nth-of-type(3) time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )
    assert dates == sorted(dates, reverse=True)

    page.locator("thead a", has_text=re.compile("Étape")).click()
    page.wait_for_url(re.compile(r"sort=stage"))
    stages = page.locator(".cohort-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.stage)"
    )
    order = ["collecting", "computed", "submitted", "validated", "plan", "under_way", "follow_up"]
    assert [order.index(s) for s in stages] == sorted(order.index(s) for s in stages)
    assert len(set(stages)) >= 5  # the demo has companies at every stage
