"""Browser fixtures: the real app under uvicorn on the demo world, and Debian's Chromium.

What the HTTP tests cannot see is checked here: htmx really swapping fragments (the CSP forbids
inline scripts, so a missing attribute shows only in a browser), the language switch, files
chosen in a real file input. One server and one browser serve the whole session; each test gets
a new browser context (its own cookies), so tests do not depend on one another's sign-in.

The server runs in a thread of this process on a free 127.0.0.1 port, on a fresh SQLite file
migrated by Alembic and loaded with the demo (``Settings(env="test")``: cheap password hashes).
Tests change that database (a line added in one test is there for the next), so they compare
before and after within themselves rather than with fixed totals.

Chromium is never downloaded: Playwright drives ``/usr/bin/chromium``. Without it the tests are
skipped, unless ``CARBON_REQUIRE_BROWSER=1`` (CI), which makes that a failure. Every console
error and every Content-Security-Policy violation fails the test that caused it; a test expecting
an error response declares it with ``console.allow(...)``. Screenshots of the main pages go to
``test-artifacts/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from carbon.config import PROJECT_ROOT
from carbon.demo.load import DEMO_PASSWORD
from carbon.web.app import create_app
from tests.conftest import demo_database

SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
COMPANY_USER = "company@example.org"

# Reports CSP violations to the console, where the console check sees them (Chromium also logs
# its own "Refused to ..." line; this one names the directive even for blocked inline handlers).
_CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the demo world, served by uvicorn in a thread; yields its base URL."""
    folder = tmp_path_factory.mktemp("browser")
    settings = demo_database(folder)

    app = create_app(settings)
    app.state.import_dir = folder / "imports"
    with served(app, "uvicorn") as base_url:
        yield base_url


@contextmanager
def served(app: Any, name: str) -> Iterator[str]:
    """``app`` served by uvicorn in a thread on a free loopback port; yields its base URL and
    stops the server (and disposes of the app's engine) afterwards."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the test server did not start", pytrace=False)
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.engine.dispose()


@dataclass
class Console:
    """Console errors and CSP violations of one test's pages."""

    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """An error the test expects, such as the 422 of a refused upload."""
        self.allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser: Any, live_server: str, console: Console) -> Iterator[Any]:
    """A page in a fresh context (no cookies), French first like most users."""
    context = browser.new_context(base_url=live_server, locale="fr-FR")
    context.set_default_timeout(10_000)
    context.add_init_script(_CSP_REPORTER)
    pg = context.new_page()
    pg.on("console", lambda m: console.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda exc: console.errors.append(f"uncaught: {exc}"))
    yield pg
    context.close()
    unexpected = console.unexpected()
    if unexpected:
        pytest.fail("console errors or CSP violations:\n" + "\n".join(unexpected), pytrace=False)


@pytest.fixture
def company_page(page: Any) -> Any:
    """``page`` signed in as the demo company's member, on the company's page."""
    page.goto("/login")
    page.fill("input[name=email]", COMPANY_USER)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    # htmx signs in and answers with HX-Redirect; "/" then sends a one-company member home.
    page.wait_for_url(re.compile(r"/companies/\d+$"))
    return page


def shoot(page: Any, name: str) -> None:
    """A full-page screenshot, to look at what the tests saw."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def period_id(page: Any, year: int) -> int:
    """The id of the company's period of ``year``, read from the company page's links."""
    link = page.locator("#periods a", has_text=str(year)).first
    href = link.get_attribute("href") or ""
    match = re.fullmatch(r"/periods/(\d+)", href)
    assert match, href
    return int(match.group(1))


def parse_number(text: str, locale: str = "fr") -> float:
    """``1 234,5 t CO₂e`` (fr) or ``1.234,5`` (it) or ``1,234.5`` (en) as a float."""
    number = re.sub(r"[^\d,.\-]", "", text)
    if locale in ("fr", "it"):
        number = number.replace(".", "").replace(",", ".")
    else:
        number = number.replace(",", "")
    return float(number)
