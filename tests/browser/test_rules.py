"""The cohort's account rules page in a real browser: override a shipped rule, see its layer,
and pass axe-core (WCAG 2 A/AA) on the page as shown and as refused."""

from __future__ import annotations

import re
from typing import Any

import pytest

from carbon.demo.load import DEMO_PASSWORD

from .conftest import Console, shoot
from .test_lifecycle import AXE, WCAG, shot

pytestmark = pytest.mark.browser

COACH = "coach@example.org"


def axe_violations(page: Any) -> list[str]:
    page.wait_for_load_state()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    found: list[str] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => v.id + ': ' + v.help + ' — ' +"
        " v.nodes.map(n => n.target.join(' ')).join(', ')))",
        WCAG,
    )
    return found


def test_the_coach_overrides_a_shipped_rule_for_the_cohort(page: Any, console: Console) -> None:
    console.allow("status of 422")  # the refused rule, on purpose
    page.goto("/login")
    page.fill("input[name=email]", COACH)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(re.compile(r"/cohorts"))
    page.goto("/cohorts")
    page.locator("#cohorts tbody th a").first.click()
    page.wait_for_url(re.compile(r"/cohorts/\d+$"))
    page.locator("#cohort-downloads a", has_text="Règles de comptes").click()
    page.wait_for_url(re.compile(r"/cohorts/\d+/rules$"))
    assert axe_violations(page) == []
    row = page.locator("#rule-6226, #rule-622").first
    assert "règle par défaut" in row.inner_text()
    # The shipped rules read in French, each poste named (pcg_rules.csv's label_fr).
    assert "Voyages et déplacements" in page.inner_text("#rule-6251")
    shot(page, "cohort-rules")
    # Override the shipped 607 (goods for resale, food by default) for this cohort.
    page.locator("#rule-607 a", has_text="Remplacer").click()
    page.wait_for_url(re.compile(r"\?from=607"))
    assert page.input_value("#f-prefix") == "607"
    assert page.input_value("#f-factor_id") == "bundled:money-food"
    page.fill("#f-factor_id", "bundled:elec-fr-2022")  # not a monetary ratio: refused
    page.click("#rule-form button[type=submit]")
    page.wait_for_selector("#f-factor_id-error")
    assert "n'est pas un ratio monétaire" in page.inner_text("#f-factor_id-error")
    assert page.get_attribute("#f-factor_id", "aria-invalid") == "true"
    assert axe_violations(page) == []
    page.fill("#f-factor_id", "bundled:money-textiles")
    page.fill("#f-label", "Marchandises textiles")
    with page.expect_navigation():
        page.click("#rule-form button[type=submit]")
    row = page.locator("#rule-607")
    assert "règle de la cohorte" in row.inner_text()
    assert "bundled:money-textiles" in row.inner_text()
    assert row.locator("button", has_text="Supprimer").count() == 1
    shoot(page, "cohort-rules")
    # Delete it: the shipped rule applies again.
    with page.expect_navigation():
        row.locator("button", has_text="Supprimer").click()
    assert "règle par défaut" in page.locator("#rule-607").inner_text()
