"""A company's first year, end to end, in a real browser, from a database without the demo.

The administrator (created as an operator would, with ``carbon admin user create --admin``)
creates a programme, a cohort and a company through the administration pages, and invites the
company's member and a coach; the member opens 2026, adds a line by the form and lines by a
spreadsheet import, reads the results and submits; the coach finds the company, comments and
validates; both download the PDF. axe-core runs on every page visited and fails the test on any
WCAG 2 A/AA violation. Screenshots of the first year (in French) go to docs/screens/ with
``CARBON_UPDATE_SCREENS=1``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from carbon.cli import app as cli_app
from carbon.config import PROJECT_ROOT, Settings
from carbon.db import migrate
from carbon.web.app import create_app

from .conftest import _CSP_REPORTER, Console, parse_number, served

pytestmark = pytest.mark.browser

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The screenshots kept in the repository are refreshed on demand (CARBON_UPDATE_SCREENS=1), so
# that an ordinary run leaves the working tree as it was.
SCREENS = PROJECT_ROOT / (
    "docs/screens" if os.environ.get("CARBON_UPDATE_SCREENS") == "1" else "test-artifacts/screens"
)
ADMIN, MEMBER, COACH = (
    "admin@alpes.example.org",
    "gerante@alpes.example.org",
    "coach@alpes.example.org",
)
PASSWORD = "une phrase de passe assez longue"
YEAR = 2026
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def fresh_server(
    chromium_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: Any
) -> Iterator[str]:
    """The app on a migrated, empty database (no demo) and its first administrator."""

    folder = tmp_path_factory.mktemp("lifecycle")
    url = f"sqlite:///{folder / 'carbon.db'}"
    settings = Settings(env="test", database_url=url)
    migrate.upgrade(settings)
    monkeypatch_module.setenv("CARBON_DATABASE_URL", url)
    monkeypatch_module.setenv("CARBON_ENV", "test")
    made = CliRunner().invoke(
        cli_app, ["admin", "user", "create", "--email", ADMIN, "--name", "Camille", "--admin"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    application = create_app(settings)
    application.state.import_dir = folder / "imports"
    with served(application, "uvicorn-lifecycle") as base_url:
        yield base_url


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as mp:
        yield mp


class Visit:
    """One person's browser context: every page it lands on is checked by axe-core."""

    def __init__(self, browser: Any, base_url: str, console: Console, checked: list[str]):
        self.context = browser.new_context(base_url=base_url, locale="fr-FR",
                                           accept_downloads=True)  # fmt: skip
        self.context.set_default_timeout(15_000)
        self.context.add_init_script(_CSP_REPORTER)
        self.page = self.context.new_page()
        self.page.on(
            "console", lambda m: console.errors.append(m.text) if m.type == "error" else None
        )
        self.page.on("pageerror", lambda exc: console.errors.append(f"uncaught: {exc}"))
        self.checked = checked
        self.violations: list[str] = []

    def axe(self) -> None:
        """Run axe-core on the page as it is now; record what it finds."""
        page = self.page
        page.wait_for_load_state()
        # An htmx indicator fading out is not what a reader sees once the request is over.
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
        page.wait_for_timeout(250)
        # Evaluated through the DevTools protocol, which the page's CSP does not govern (an
        # injected <script> would be refused by it, as it should).
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
        found = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
            ".then(r => r.violations.map(v => v.id + ': ' + v.help + ' — ' +"
            " v.nodes.map(n => n.target.join(' ')).join(', ')))",
            WCAG,
        )
        path = re.sub(r"^https?://[^/]+", "", page.url)
        self.checked.append(path)
        self.violations += [f"{path}: {v}" for v in found]

    def goto(self, path: str) -> Any:
        self.page.goto(path)
        self.axe()
        return self.page

    def click_and_wait(self, selector: str) -> None:
        with self.page.expect_navigation():
            self.page.click(selector)
        self.axe()

    def close(self) -> None:
        self.context.close()


def sign_in(v: Visit, email: str) -> None:
    v.goto("/login")
    v.page.fill("input[name=email]", email)
    v.page.fill("input[name=password]", PASSWORD)
    v.page.click("#login-form button[type=submit]")
    v.page.wait_for_url(re.compile(r"/(companies|cohorts|admin)"))
    v.axe()


def accept_invitation(v: Visit, link: str, name: str) -> None:
    v.goto(link)
    v.page.fill("#f-display_name", name)
    v.page.fill("#f-password", PASSWORD)
    v.page.fill("#f-password_confirm", PASSWORD)
    v.click_and_wait("#invite-form button[type=submit]")


def invite(v: Visit, email: str, role: str, target: tuple[str, dict[str, str]]) -> str:
    page = v.goto("/invitations")
    page.fill("#f-email", email)
    page.check(f"input[name=role][value={role}]")
    page.select_option(target[0], **target[1])
    v.click_and_wait("#new-invitation button[type=submit]")
    return page.locator("#link").input_value()


def shot(page: Any, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def download_pdf(v: Visit, selector: str) -> bytes:
    # A PDF is built in a child process at a lower priority: slow on a loaded machine.
    with v.page.expect_download(timeout=90_000) as info:
        v.page.click(selector)
    path = info.value.path()
    assert path is not None
    return Path(path).read_bytes()


def test_a_company_lives_its_first_year_without_the_demo(browser: Any, fresh_server: str) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run npm install", pytrace=False)
    console, checked = Console(), []
    admin = Visit(browser, fresh_server, console, checked)
    member = Visit(browser, fresh_server, console, checked)
    coach = Visit(browser, fresh_server, console, checked)
    try:
        # --- The administrator sets up the programme, the cohort and the company -------------
        page = admin.goto("/login")
        page.fill("input[name=email]", ADMIN)
        page.fill("input[name=password]", "not the password")
        page.click("#login-form button[type=submit]")
        page.locator("#login-error").wait_for()
        console.allow(r"status of 422")  # the refused sign-in answers 422, swapped in place
        admin.axe()
        sign_in(admin, ADMIN)
        page = admin.goto("/cohorts")
        assert page.locator("#no-cohorts").is_visible()
        page = admin.goto("/admin/programmes")
        page.fill("#f-code", "PZCM")
        page.fill("#f-name_fr", "Parcours Zéro Carbone Montagne")
        admin.click_and_wait("#new-programme button[type=submit]")
        page.fill("#new-cohort #f-name", "Cohorte 2026")
        page.fill("#new-cohort #f-start_date", f"{YEAR}-01-12")
        page.fill("#new-cohort #f-end_date", f"{YEAR}-12-18")
        admin.click_and_wait("#new-cohort button[type=submit]")
        match = re.search(r"(/admin/cohorts/(\d+))$", page.url)  # the new cohort's page
        assert match, page.url
        cohort_path, cohort_id = match.groups()

        page = admin.goto("/admin/companies")
        page.fill("#f-name", "Remontées du Col")
        page.select_option("#f-country", "FR")
        page.select_option("#f-sector", "lift")
        admin.click_and_wait("#new-company button[type=submit]")
        page = admin.goto(cohort_path)
        page.select_option("#enrol-company", label="Remontées du Col")
        admin.click_and_wait("#enrolments form.form button[type=submit]")
        assert page.locator("#enrolments li", has_text="Remontées du Col").count() == 1

        member_link = invite(admin, MEMBER, "member", ("#f-company", {"label": "Remontées du Col"}))
        coach_link = invite(admin, COACH, "coach", ("#f-cohort", {"value": cohort_id}))

        # --- The member opens 2026, enters lines two ways, reads the results, submits ----------
        accept_invitation(member, member_link, "Anne Gérante")
        page = member.page
        if not re.search(r"/companies/\d+$", page.url):
            page = member.goto("/")
        company_path = re.sub(r"^https?://[^/]+", "", page.url)
        assert page.locator("#no-period").is_visible()
        shot(page, "1-empty-company")
        page.fill("#f-year", str(YEAR))
        page.fill("#f-fte", "12,5")
        page.check("input[name=is_base_year]")
        shot(page, "2-open-the-year")
        member.click_and_wait("#open-period button[type=submit]")
        assert re.search(r"/periods/\d+$", page.url)
        period_path = re.sub(r"^https?://[^/]+", "", page.url)
        assert page.locator("#no-lines").is_visible()

        page.fill("#activity-q", "remontées")
        page.locator("#activity-results a[data-activity='electricity-lifts']").click()
        page.wait_for_selector("#unit option[value='kWh']", state="attached")
        page.fill("#quantity", "10000")
        page.select_option("#unit", "kWh")
        page.click("#line-form button[type=submit]")
        # 10 000 kWh × 0,052 kg CO₂e/kWh (bundled:elec-fr-2022) = 520 kg = 0,5 t.
        page.wait_for_function(
            "() => document.querySelector('#total-value').textContent.includes('0,5')"
        )
        member.axe()

        page = member.goto(f"{period_path}/import")
        # 12 500 kWh × 0,052 kg/kWh (bundled:elec-fr-2022) = 650 kg.
        sheet = ("Activité;Quantité;Unité;Qualité\r\n"
                 "Électricité de la neige de culture;12 500;kWh;facture\r\n")  # fmt: skip
        page.set_input_files(
            "#import-file",
            files=[{"name": "conso.csv", "mimeType": "text/csv", "buffer": sheet.encode()}],
        )
        page.click("#import-form button[type=submit]")
        page.locator("#import-confirm").wait_for()
        member.axe()
        member.click_and_wait("#import-confirm")

        page = member.goto(f"{period_path}/results")
        # 520 + 650 = 1 170 kg = 1,2 t (rounded to 0,1 t).
        assert parse_number(page.locator("#total-value").inner_text()) == pytest.approx(1.2)
        shot(page, "3-results")
        page = member.goto(period_path)
        page.click("#submit-period summary")
        page.check("#submit-period input[name=confirm]")
        member.axe()
        member.click_and_wait("#submit-period form button[type=submit]")
        assert page.locator("h1 .status-submitted").count() == 1
        member_pdf = download_pdf(member, f"a[href='{period_path}/report.pdf']")
        assert member_pdf.startswith(b"%PDF")

        # --- The coach finds the company, comments, validates ---------------------------------
        accept_invitation(coach, coach_link, "Julien Coach")
        page = coach.goto("/cohorts")
        coach.click_and_wait("#cohorts a")
        page.locator("a", has_text="Remontées du Col").first.click()
        page.wait_for_load_state()
        coach.axe()
        page = coach.goto(company_path)
        page = coach.goto(period_path)
        page.locator("#comment-body").wait_for()
        page.fill("#comment-body", "Merci, pensez aux déplacements domicile-travail l’an prochain.")
        page.click("#validation form.thread__form button[type=submit]")
        page.locator("#validation .thread__item").first.wait_for()
        coach.axe()
        shot(page, "4-coach-view")
        coach.click_and_wait(".validation__move--validate button")
        assert page.locator("h1 .status-validated").count() == 1
        coach_pdf = download_pdf(coach, f"a[href='{period_path}/report.pdf']")
        assert coach_pdf.startswith(b"%PDF")
    finally:
        for v in (admin, member, coach):
            v.close()
    violations = admin.violations + member.violations + coach.violations
    assert violations == [], "axe-core (WCAG 2 A/AA):\n" + "\n".join(violations)
    assert console.unexpected() == [], "\n".join(console.unexpected())
    assert len(checked) >= 20
