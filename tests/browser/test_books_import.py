"""Importing the hotel's FEC through the web, in a real browser, in French, on a fresh database.

A company member chooses the FEC in the file input, sees the preview swapped in by htmx (the
lines with their poste's name, factor, kgCO2e and rule layer; excluded and unmapped accounts),
confirms, and lands on the year's page with the imported lines. axe-core checks the preview
(WCAG 2 A/AA). The preview's screenshot goes to docs/screens/books-import-preview.png with
``CARBON_UPDATE_SCREENS=1``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from carbon.auth import hash_password
from carbon.config import Settings
from carbon.db import migrate
from carbon.db.factor_store import save_library
from carbon.db.session import make_engine, make_sessionmaker
from carbon.factors.bundled import load_bundled_library
from carbon.web.app import create_app
from tests import factories as f

from .conftest import Console, parse_number, served
from .test_lifecycle import SCREENS, shot
from .test_rules import axe_violations

pytestmark = pytest.mark.browser

HOTEL = Path(__file__).parents[1] / "data" / "123456782FEC20251231.txt"
MEMBER = "hotel@example.org"
PASSWORD = "une phrase de passe assez longue"


@pytest.fixture(scope="module")
def hotel_server(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database with one French hotel, its member and its draft 2025."""
    folder = tmp_path_factory.mktemp("books")
    settings = Settings(env="test", database_url=f"sqlite:///{folder / 'carbon.db'}")
    migrate.upgrade(settings)
    engine = make_engine(settings)
    with make_sessionmaker(engine)() as session:
        version = save_library(session, load_bundled_library(), source="bundled",
                               make_default=True)  # fmt: skip
        hotel = f.make_company(session, name="Hôtel des Cimes", legal_id="123456782",
                               sector="hotel", country="FR")  # fmt: skip
        member = f.make_user(session, email=MEMBER, display_name="Gérante", locale="fr",
                             password_hash=hash_password(PASSWORD, settings))  # fmt: skip
        f.make_membership(session, user=member, company=hotel)
        f.make_period(session, hotel, version, year=2025)
        session.commit()
    engine.dispose()
    app = create_app(settings)
    app.state.import_dir = folder / "imports"
    with served(app, "uvicorn-books") as base_url:
        yield base_url


def test_the_member_imports_the_hotel_fec(browser: Any, hotel_server: str) -> None:
    console = Console()
    context = browser.new_context(base_url=hotel_server, locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("console", lambda m: console.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: console.errors.append(f"uncaught: {exc}"))
    try:
        page.goto("/login")
        page.fill("input[name=email]", MEMBER)
        page.fill("input[name=password]", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_url(re.compile(r"/companies/\d+$"))
        page.locator("#periods a", has_text="2025").first.click()
        page.wait_for_url(re.compile(r"/periods/\d+$"))
        period_url = page.url
        page.click("#import-books-link")
        page.wait_for_url(re.compile(r"/periods/\d+/import/books$"))
        assert page.inner_text("h1") == "Importer depuis la comptabilité"

        page.set_input_files("#books-file", str(HOTEL))
        page.click("#books-form button[type=submit]")
        page.wait_for_selector("#import-rows")
        rows = page.locator("#import-rows tbody tr")
        assert rows.count() == 8
        assert "règle par défaut" in rows.first.inner_text()
        # The same hand computation as tests/db/test_fec_import.py: 34,856 kg CO2e.
        assert parse_number(page.inner_text("#import-total")) == pytest.approx(34_856.0)
        excluded = page.inner_text("#import-excluded")
        assert "641" in excluded and "635" in excluded
        assert "6081" in page.inner_text("#import-unmapped")
        # A poste shows its name on hover, never a bare number.
        assert rows.first.locator("abbr[title]").count() == 1
        assert axe_violations(page) == []
        shot(page, "books-import-preview")

        with page.expect_navigation():
            page.click("#import-confirm")
        assert page.url == period_url
        assert "8 lignes importées de 123456782FEC20251231.txt." in page.inner_text("#flash")
        workspace = page.inner_text("#workspace")
        # The lines are there, named by account and supplier, 34.856 t shown as 34,9 t.
        assert "607 Achats de marchandises — Metro Grenoble" in workspace
        assert "2183 Materiel informatique — Info Alpes" in workspace
        assert "34,9\u00a0t CO₂e" in workspace
        # Each spend line's factor by its name, never its identifier.
        assert "Produits alimentaires et boissons (ratio monétaire)" in workspace
        assert "bundled:" not in workspace
    finally:
        context.close()
    assert console.unexpected() == []
    assert SCREENS.joinpath("books-import-preview.png").exists()


def test_a_signed_invoice_is_refused_in_place(
    browser: Any, hotel_server: str, tmp_path: Path
) -> None:
    console = Console()
    console.allow("status of 422")  # the refusal, on purpose
    context = browser.new_context(base_url=hotel_server, locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("console", lambda m: console.errors.append(m.text) if m.type == "error" else None)
    signed = tmp_path / "IT01234567890_00001.xml.p7m"
    signed.write_bytes(b"0\x82\x01\x00")
    try:
        page.goto("/login")
        page.fill("input[name=email]", MEMBER)
        page.fill("input[name=password]", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_url(re.compile(r"/companies/\d+$"))
        page.locator("#periods a", has_text="2025").first.click()
        page.wait_for_url(re.compile(r"/periods/\d+$"))
        page.click("#import-books-link")
        page.set_input_files("#books-file", str(signed))
        page.click("#books-form button[type=submit]")
        page.wait_for_selector("#import-refusal")
        text = page.inner_text("#import-refusal")
        assert "enveloppe signée .p7m" in text and "extrayez-en d'abord la facture XML" in text
        assert page.locator("#books-form").count() == 1  # swapped in place: the form stays
        assert axe_violations(page) == []
    finally:
        context.close()
    assert console.unexpected() == []
