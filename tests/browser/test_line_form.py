"""The line form and the in-place line editor in a real browser (htmx swaps, focus, French).

Before, a refused line replaced the workspace with a second copy of the form, and the next
submit failed with htmx:targetError (the console fixture fails a test on such an error); and
"Modifier" opened the editor far below the line, out of sight.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Console, parse_number, period_id, shoot

pytestmark = pytest.mark.browser

DRAFT_YEAR = 2025  # the demo company's open period
NBSP = "\u00a0"


def open_draft(page: Any) -> int:
    pid = period_id(page, DRAFT_YEAR)
    page.goto(f"/periods/{pid}")
    return pid


def submit_quantity(page: Any, typed: str) -> None:
    page.fill("#line-form #quantity", typed)
    page.click("#line-form button[type=submit]")


def test_two_refused_lines_then_a_good_one(company_page: Any, console: Console) -> None:
    page = company_page
    open_draft(page)
    console.allow(r"status of 422")  # a refused line answers 422, swapped in place
    page.evaluate("window.carbonNoReload = true")  # a full reload would lose this
    before = page.locator("#total-value").inner_text()
    page.fill("#activity-q", "dameuse")
    page.locator("#activity-results a[data-activity='groomer-diesel']").click()
    page.wait_for_selector("#unit option[value='litre']", state="attached")
    page.fill("#comment", "cuve de mars")

    submit_quantity(page, "-5")
    error = page.locator("#quantity-error")
    error.wait_for()
    assert error.inner_text() == f"Quantité{NBSP}: le nombre ne peut pas être négatif."
    submit_quantity(page, "1e200")
    page.wait_for_function(
        "() => (document.querySelector('#quantity-error') || {}).textContent?.includes('au plus')"
    )
    # One form, values kept, and the totals and tables still there.
    assert page.locator("#line-form").count() == 1
    assert page.locator("form[hx-post$='/lines']").count() == 1
    assert page.locator("#comment").input_value() == "cuve de mars"
    assert page.locator("#activity-id").input_value() == "groomer-diesel"
    assert page.locator("#workspace #total-value").inner_text() == before

    submit_quantity(page, "1000")
    page.wait_for_function(
        "before => document.querySelector('#total-value').textContent.trim() !== before",
        arg=before.strip(),
    )
    # 1 000 L × 3,17 kgCO2e/L (bundled:diesel-offroad-fr, GNR) = 3 170 kg = 3,17 t; the page
    # shows totals to one decimal, so the difference of two shown totals is within 0,05 t.
    after = page.locator("#total-value").inner_text()
    assert parse_number(after) - parse_number(before) == pytest.approx(3.17, abs=0.05)
    assert page.locator("#quantity-error").count() == 0
    assert page.locator("#line-form #quantity").input_value() == ""  # a fresh form
    assert page.evaluate("window.carbonNoReload") is True
    shoot(page, "line-form-after-refusals")  # last: a screenshot leaves inline styles behind


def test_a_line_is_edited_in_its_row_and_the_focus_comes_back(
    company_page: Any, console: Console
) -> None:
    page = company_page
    open_draft(page)
    console.allow(r"status of 422")  # a refused edit answers 422, swapped in its row
    row = page.locator("#workspace tr[id^='line-']").first
    row_id = row.get_attribute("id") or ""
    line_id = row_id.removeprefix("line-")
    page.click(f"#edit-line-{line_id}")
    editor = page.locator(f"tr#{row_id}.line-editor")
    editor.wait_for()
    # The row is the form, on screen, and the quantity has the focus.
    assert page.evaluate("document.activeElement.id") == "edit-quantity"
    box = editor.bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert 0 <= box["y"] < viewport["height"]

    page.fill("#edit-quantity", "abc")
    page.click(f"tr#{row_id} button[type=submit]")
    page.locator("#edit-quantity-error").wait_for()
    assert "n'est pas un nombre" in page.locator("#edit-quantity-error").inner_text()
    assert page.locator(f"tr#{row_id}.line-editor").count() == 1  # still in its row

    page.fill("#edit-quantity", "4321")
    page.click(f"tr#{row_id} button[type=submit]")
    # Wait for the saved workspace itself: under load the click's answer can come after the
    # first look, and the row's edit button is found only once the editor has left.
    page.locator(f"tr#{row_id}.line-editor").wait_for(state="detached")
    page.locator(f"#edit-line-{line_id}").wait_for()
    page.wait_for_function(f"document.activeElement.id === 'edit-line-{line_id}'")
    assert page.evaluate("document.activeElement.id") == f"edit-line-{line_id}"
    quantity = page.locator(f"tr#{row_id} td.num").first.inner_text()
    assert parse_number(quantity) == 4321
    shoot(page, "line-edited-in-place")
