"""Static files (carbon.web.static_assets), and app.js at work in Chromium under the real CSP."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.testclient import TestClient
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader
from jinja2_fragments.fastapi import Jinja2Blocks
from playwright.sync_api import Browser, Page
from starlette.middleware.sessions import SessionMiddleware

from carbon.config import PROJECT_ROOT, Settings
from carbon.web.i18n import LocaleMiddleware, install_i18n
from carbon.web.security import (
    CSRFProtect,
    SecurityHeadersMiddleware,
    install_csrf,
    session_middleware_kwargs,
)
from carbon.web.static_assets import (
    STATIC_DIR,
    VENDOR_FILES,
    MissingFrontendDependencies,
    default_node_modules,
    mount_static,
    vendor_files,
)

NODE_MODULES = default_node_modules()


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    # No skip when node_modules is missing: the app refuses to start then, and so do these tests,
    # with the same message telling to run `npm ci`.
    app = FastAPI()
    mount_static(app)
    with TestClient(app) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("/static/vendor/htmx.min.js", NODE_MODULES / "htmx.org/dist/htmx.min.js"),
        ("/static/vendor/chart.umd.min.js", NODE_MODULES / "chart.js/dist/chart.umd.min.js"),
        ("/static/app.js", STATIC_DIR / "app.js"),
        ("/static/app.css", STATIC_DIR / "app.css"),
        ("/static/favicon.svg", STATIC_DIR / "favicon.svg"),
    ],
)
def test_files_are_served(client: TestClient, url: str, file: Path) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == file.read_bytes()
    expected_type = {"css": "text/css", "js": "javascript", "svg": "image/svg+xml"}[
        url.rsplit(".", 1)[1]
    ]
    assert expected_type in response.headers["content-type"]


def test_vendor_files_are_revalidated_not_resent(client: TestClient) -> None:
    etag = client.get("/static/vendor/htmx.min.js").headers["etag"]
    response = client.get("/static/vendor/htmx.min.js", headers={"If-None-Match": etag})
    assert response.status_code == 304


@pytest.mark.parametrize(
    "url",
    [
        "/static/vendor/package.json",
        "/static/vendor/htmx.org/dist/htmx.js",
        "/static/vendor/../../package.json",
        "/static/vendor/htmx.js",
        "/static/../pyproject.toml",
    ],
)
def test_nothing_else_from_node_modules_or_the_project(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 404


def test_vendor_files_are_read_only(client: TestClient) -> None:
    assert client.post("/static/vendor/htmx.min.js").status_code == 405


def test_missing_node_modules_fails_at_startup_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(MissingFrontendDependencies, match=r"Run `npm ci` in "):
        mount_static(FastAPI(), node_modules=tmp_path / "node_modules")
    with pytest.raises(MissingFrontendDependencies, match=r"chart\.umd\.min\.js"):
        htmx = tmp_path / "node_modules" / VENDOR_FILES["htmx.min.js"]
        htmx.parent.mkdir(parents=True)
        htmx.write_text("")
        vendor_files(tmp_path / "node_modules")


def test_package_json_declares_only_htmx_2_chart_js_4_and_the_pdf_font() -> None:
    package = json.loads((PROJECT_ROOT / "package.json").read_text())
    # dejavu-fonts-ttf is not served: reportlab reads it to print CO₂ in the PDFs.
    assert set(package["dependencies"]) == {"htmx.org", "chart.js", "dejavu-fonts-ttf"}
    # axe-core is for the browser test only (tests/browser/test_lifecycle.py), never served.
    assert package.get("devDependencies", {}).keys() <= {"axe-core"}
    lock = json.loads((PROJECT_ROOT / "package-lock.json").read_text())
    locked = lock["packages"]
    assert locked["node_modules/htmx.org"]["version"].startswith("2.")
    assert locked["node_modules/chart.js"]["version"].startswith("4.")
    for name in ("htmx.org", "chart.js"):
        installed = json.loads((NODE_MODULES / name / "package.json").read_text())["version"]
        assert installed == locked[f"node_modules/{name}"]["version"], "run `npm ci`"


def test_no_third_party_script_is_copied_into_the_repository() -> None:
    assert sorted(path.name for path in STATIC_DIR.iterdir()) == [
        "app.css",
        "app.js",
        "favicon.svg",
    ]


# --- In Chromium -----------------------------------------------------------------------------

CHART_PAGE = """{% extends "base.html" %}
{% block content %}
<figure class="chart">
  <div class="chart__canvas">
    <canvas id="by-category" data-chart="bar" data-chart-source="by-category-data" role="img"
            aria-label="By category"></canvas>
  </div>
  <script type="application/json" id="by-category-data">{{ by_category | tojson }}</script>
</figure>
<div class="chart__canvas">
  <canvas id="by-year" data-chart="line" data-chart-data="{{ by_year | tojson | forceescape }}"
          role="img" aria-label="By year"></canvas>
</div>
<button id="ping" hx-post="/ping" hx-target="#out">ping</button>
<output id="out"></output>
{% endblock %}
"""


def _browser_app() -> FastAPI:
    settings = Settings(env="test", secret_key="test-secret")
    loader = ChoiceLoader(
        [DictLoader({"chart.html": CHART_PAGE}), FileSystemLoader(PROJECT_ROOT / "templates")]
    )
    templates = Jinja2Blocks(env=Environment(loader=loader, autoescape=True))
    install_i18n(templates.env)
    install_csrf(templates.env)
    app = FastAPI(dependencies=[Depends(CSRFProtect())])

    @app.get("/chart")
    def chart(request: Request) -> HTMLResponse:
        context = {
            "by_category": {
                "labels": ["Émissions directes", "Énergie", "Transport"],
                "series": [{"label": "2025", "values": [12.5, 3.25, 40.0]}],
                "unit": "t CO₂e",
                "palette": [1, 2, 3],
            },
            "by_year": {
                "labels": ["2023", "2024", "2025"],
                "series": [
                    {"label": "Emissions", "values": [60, 58, 55.75]},
                    {"label": "Target", "values": [60, 57.5, 55], "dashed": True},
                ],
                "unit": "t CO₂e",
            },
        }
        return templates.TemplateResponse(request, "chart.html", context)

    @app.post("/ping")
    def ping() -> PlainTextResponse:
        return PlainTextResponse("pong")

    @app.get("/login")
    def login_page(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "login.html", {})

    @app.post("/login")
    def login(request: Request, email: str = Form(), password: str = Form()) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            "login.html",
            {"error": "Wrong e-mail or password", "email": email},
            status_code=422,
            block_name="login_form",
        )

    mount_static(app)
    app.add_middleware(LocaleMiddleware, default_locale=settings.default_locale)
    app.add_middleware(SessionMiddleware, **session_middleware_kwargs(settings))
    app.add_middleware(SecurityHeadersMiddleware)
    return app


@pytest.fixture(scope="module")
def live_server() -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(_browser_app(), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def console_errors() -> list[str]:
    return []


@pytest.fixture
def page(browser: Browser, live_server: str, console_errors: list[str]) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, locale="fr-FR")
    opened = context.new_page()
    opened.set_default_timeout(5000)
    # CSP violations, script errors and failed requests are all reported as console errors.
    opened.on(
        "console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None
    )
    opened.on("pageerror", lambda error: console_errors.append(str(error)))
    yield opened
    context.close()


@pytest.mark.browser
def test_charts_render_and_htmx_posts_with_the_csrf_header(
    page: Page, console_errors: list[str]
) -> None:
    page.goto("/chart")
    page.wait_for_function(
        "() => ['by-category', 'by-year'].every(id => window.Chart"
        " && Chart.getChart(document.getElementById(id)))"
    )
    kinds = page.evaluate(
        "() => ['by-category', 'by-year'].map(id => Chart.getChart(document.getElementById(id))"
        ".config.type)"
    )
    assert kinds == ["bar", "line"]
    datasets = page.evaluate(
        "() => Chart.getChart(document.getElementById('by-year')).data.datasets.length"
    )
    assert datasets == 2

    page.click("#ping")
    page.wait_for_function("() => document.getElementById('out').textContent === 'pong'")
    assert console_errors == []


@pytest.mark.browser
def test_a_stale_token_shows_the_session_notice(page: Page) -> None:
    page.goto("/chart")
    page.wait_for_function("() => window.htmx")
    page.evaluate("() => document.querySelector('meta[name=csrf-token]').content = 'stale'")
    page.click("#ping")
    notice = page.locator("#notice")
    notice.wait_for(state="visible")
    assert "Votre session a expiré" in notice.inner_text()
    assert page.inner_text("#out") == ""


@pytest.mark.browser
def test_login_errors_are_swapped_in_place(page: Page, console_errors: list[str]) -> None:
    page.goto("/login")
    page.wait_for_function("() => window.htmx")
    page.evaluate("() => { window.notReloaded = true; }")
    page.fill("input[name=email]", "alice@example.org")
    page.fill("input[name=password]", "wrong")
    page.click("#login-form button[type=submit]")
    page.locator("#login-error").wait_for()
    assert page.inner_text("#login-error") == "Wrong e-mail or password"
    assert page.input_value("input[name=email]") == "alice@example.org"
    assert page.evaluate("() => window.notReloaded") is True
    assert page.locator("#notice").is_hidden()
    # Chromium logs the 422 itself as a failed resource; nothing else may be reported.
    assert [error for error in console_errors if "422" not in error] == []
