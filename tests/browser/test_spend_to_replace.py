"""The results page's "replace the biggest spend lines first", in French, in a real browser.

The demo company's years hold spends in k€ (food purchases, construction works): the section
lists them with their shares, formatted for French, and each row's link leads to its line. With
``CARBON_UPDATE_SCREENS=1`` the section's screenshot refreshes docs/screens/.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from carbon.config import PROJECT_ROOT

from .conftest import parse_number, period_id, shoot
from .test_lifecycle import AXE, WCAG

pytestmark = pytest.mark.browser

SCREEN = PROJECT_ROOT / "docs/screens/results-spend-to-replace.png"


def test_the_spend_lines_to_replace_in_french(company_page: Any) -> None:
    page = company_page
    pid = period_id(page, 2024)
    response = page.goto(f"/periods/{pid}/results")
    assert response is not None and response.status == 200
    section = page.locator("#spend-to-replace")
    assert section.is_visible(), "the demo company's spends in k€ are not listed"
    assert "Remplacer d'abord les plus grosses lignes de dépenses" in section.inner_text()
    rows = section.locator("tbody tr")
    assert 1 <= rows.count() <= 10
    shares = [parse_number(rows.nth(i).locator("td").nth(4).inner_text())
              for i in range(rows.count())]  # fmt: skip
    assert shares == sorted(shares, reverse=True)  # by share of the total, largest first
    # French numbers: a decimal comma and a no-break space before "%".
    assert re.fullmatch(r"\d+,\d\u00a0%", rows.first.locator("td").nth(5).inner_text())
    assert rows.first.locator("td").nth(6).inner_text().strip()  # what would replace it
    # WCAG 2 A/AA on the section, as test_lifecycle checks every page (axe-core, through the
    # DevTools protocol: the page's CSP refuses injected scripts).
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    found = page.evaluate(
        "tags => axe.run('#spend-to-replace', {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => v.id + ': ' + v.help))",
        WCAG,
    )
    assert found == []
    shoot(page, "results-spend-to-replace")
    if os.environ.get("CARBON_UPDATE_SCREENS") == "1":
        section.screenshot(path=str(SCREEN))
    link = rows.first.locator("a").first
    href = link.get_attribute("href") or ""
    assert re.fullmatch(rf"/periods/{pid}/postes/\d\.\d#line-\d+", href), href
    page.goto(href)
    assert page.locator(f"#{href.split('#')[1]}").count() == 1
