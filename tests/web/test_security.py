"""CSRF, security headers, passwords, login throttling, session cookie (carbon.web.security),
and the CSP-compatibility of the shared templates."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from bs4 import BeautifulSoup
from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.testclient import TestClient
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.middleware.sessions import SessionMiddleware

from carbon.auth import hash_password, needs_rehash, password_hasher, verify_password
from carbon.config import PROJECT_ROOT, Environment, Settings
from carbon.web.i18n import LocaleMiddleware, install_i18n
from carbon.web.security import (
    CONTENT_SECURITY_POLICY,
    CSRF_HEADER,
    SESSION_COOKIE,
    CSRFProtect,
    LoginRateLimiter,
    SecurityHeadersMiddleware,
    get_csrf_token,
    install_csrf,
    safe_redirect_target,
    session_middleware_kwargs,
)

TEST_SETTINGS = Settings(env=Environment.test, secret_key="test-secret")
PRODUCTION_SETTINGS = Settings(env=Environment.production, secret_key="x" * 40)
DEV_SETTINGS = Settings(env=Environment.development, secret_key="d" * 48)


def _app(settings: Settings = TEST_SETTINGS) -> FastAPI:
    """The pieces wired as create_app is meant to wire them, around a few probe routes."""
    templates = Jinja2Blocks(directory=PROJECT_ROOT / "templates")
    install_i18n(templates.env)
    install_csrf(templates.env)

    app = FastAPI(dependencies=[Depends(CSRFProtect(exempt_path_prefixes=("/api/",)))])

    @app.exception_handler(HTTPException)
    async def error_page(request: Request, exc: HTTPException) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            "errors.html",
            {"status_code": exc.status_code, "detail": exc.detail},
            status_code=exc.status_code,
        )

    @app.get("/token")
    def token(request: Request) -> dict[str, str]:
        return {"token": get_csrf_token(request)}

    @app.get("/login")
    def login_page(request: Request) -> HTMLResponse:
        block = "login_form" if request.headers.get("HX-Request") else None
        return templates.TemplateResponse(
            request, "login.html", {"error": "Wrong password", "email": "a@b.c"}, block_name=block
        )

    @app.get("/error/{code}")
    def error(request: Request, code: int) -> HTMLResponse:
        block = "error" if request.headers.get("HX-Request") else None
        return templates.TemplateResponse(
            request,
            "errors.html",
            {"status_code": code, "detail": "Traceback (most recent call last): secret"},
            status_code=code,
            block_name=block,
        )

    @app.post("/form")
    def form_params(name: str = Form()) -> dict[str, str]:
        return {"name": name}

    @app.post("/raw")
    async def raw(request: Request) -> dict[str, str]:
        form = await request.form()
        return {"name": str(form["name"]), "body": (await request.body()).decode()}

    @app.post("/upload")
    async def upload(file: UploadFile = File()) -> dict[str, str]:
        return {"content": (await file.read()).decode()}

    @app.post("/json")
    async def json_body(request: Request) -> dict[str, object]:
        return {"received": await request.json()}

    @app.delete("/thing")
    def delete() -> dict[str, bool]:
        return {"deleted": True}

    @app.post("/api/bearer")
    def api() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/framed")
    def framed() -> PlainTextResponse:
        return PlainTextResponse("ok", headers={"X-Frame-Options": "SAMEORIGIN"})

    app.add_middleware(LocaleMiddleware, default_locale=settings.default_locale)
    app.add_middleware(SessionMiddleware, **session_middleware_kwargs(settings))
    app.add_middleware(SecurityHeadersMiddleware)
    return app


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(_app()) as test_client:
        yield test_client


def _token(client: TestClient) -> str:
    token = client.get("/token").json()["token"]
    assert isinstance(token, str)
    return token


# --- CSRF ------------------------------------------------------------------------------------


def test_post_without_session_or_token_is_refused(client: TestClient) -> None:
    response = client.post("/form", data={"name": "Alice"}, headers={"Accept-Language": "en"})
    assert response.status_code == 403
    assert "This form has expired or did not come from carbon" in response.text


def test_post_without_token_is_refused_even_with_a_session(client: TestClient) -> None:
    _token(client)
    assert client.post("/form", data={"name": "Alice"}).status_code == 403
    assert client.delete("/thing").status_code == 403


def test_wrong_token_is_refused_in_the_form_and_in_the_header(client: TestClient) -> None:
    token = _token(client)
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.post("/form", data={"name": "A", "csrf_token": wrong}).status_code == 403
    response = client.post("/form", data={"name": "A"}, headers={CSRF_HEADER: wrong})
    assert response.status_code == 403


def test_a_token_from_another_session_is_refused() -> None:
    with TestClient(_app()) as mallory, TestClient(_app()) as alice:
        mallory_token = _token(mallory)
        _token(alice)
        response = alice.post("/form", data={"name": "A", "csrf_token": mallory_token})
        assert response.status_code == 403


def test_right_form_token_is_accepted_and_endpoint_gets_the_form(client: TestClient) -> None:
    response = client.post("/form", data={"name": "Alice", "csrf_token": _token(client)})
    assert response.status_code == 200
    assert response.json() == {"name": "Alice"}


def test_endpoint_reading_the_request_itself_still_gets_form_and_body(client: TestClient) -> None:
    response = client.post("/raw", data={"name": "Été", "csrf_token": _token(client)})
    assert response.status_code == 200
    assert response.json()["name"] == "Été"
    assert response.json()["body"].startswith("name=%C3%89t%C3%A9&csrf_token=")


def test_multipart_upload_with_token_field(client: TestClient) -> None:
    response = client.post(
        "/upload",
        data={"csrf_token": _token(client)},
        files={"file": ("bills.csv", b"poste;quantity\n2.1;1200\n", "text/csv")},
    )
    assert response.status_code == 200
    assert response.json() == {"content": "poste;quantity\n2.1;1200\n"}


def test_right_header_token_is_accepted_with_any_body(client: TestClient) -> None:
    headers = {CSRF_HEADER: _token(client)}
    response = client.post("/json", json={"kwh": 1200}, headers=headers)
    assert response.status_code == 200
    assert response.json() == {"received": {"kwh": 1200}}
    assert client.delete("/thing", headers=headers).json() == {"deleted": True}


def test_json_without_header_is_refused(client: TestClient) -> None:
    _token(client)
    assert client.post("/json", json={"csrf_token": _token(client)}).status_code == 403


def test_only_the_prefixes_the_factory_names_are_exempt(client: TestClient) -> None:
    assert client.post("/api/bearer").status_code == 200
    assert client.post("/form", data={"name": "x"}).status_code == 403


def test_token_is_stable_within_a_session(client: TestClient) -> None:
    assert _token(client) == _token(client)
    with TestClient(_app()) as other:
        assert _token(other) != _token(client)


def test_refusal_speaks_the_user_language(client: TestClient) -> None:
    response = client.post("/form", data={"name": "x"}, headers={"Accept-Language": "it"})
    assert response.status_code == 403
    assert "Questo modulo è scaduto o non proviene da carbon" in response.text


def test_templates_carry_the_token_in_meta_and_form(client: TestClient) -> None:
    soup = BeautifulSoup(client.get("/login").text, "html.parser")
    token = _token(client)
    assert soup.select_one('meta[name="csrf-token"]')["content"] == token
    assert soup.select_one("#login-form input[name=csrf_token]")["value"] == token
    assert soup.select_one("form.lang-switch input[name=csrf_token]")["value"] == token


# --- Templates under the CSP -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/login", "/error/404", "/error/500"])
def test_templates_need_no_inline_script_or_style(client: TestClient, path: str) -> None:
    soup = BeautifulSoup(client.get(path).text, "html.parser")
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("type") == "application/json", script
    assert soup.find_all("style") == []
    for element in soup.find_all(True):
        assert "style" not in element.attrs, element
        assert not [name for name in element.attrs if name.startswith(("on", "hx-on"))], element
        assert not str(element.get("href", "")).startswith("javascript:"), element


def test_base_loads_assets_from_our_origin_with_defer(client: TestClient) -> None:
    soup = BeautifulSoup(client.get("/login").text, "html.parser")
    assert [link["href"] for link in soup.select("link[rel=stylesheet]")] == ["/static/app.css"]
    scripts = soup.select("script[src]")
    assert [script["src"] for script in scripts] == [
        "/static/vendor/htmx.min.js",
        "/static/vendor/chart.umd.min.js",
        "/static/app.js",
    ]
    assert all(script.has_attr("defer") for script in scripts)


def test_login_form_block_is_served_alone_to_htmx(client: TestClient) -> None:
    text = client.get("/login", headers={"HX-Request": "true"}).text
    soup = BeautifulSoup(text, "html.parser")
    assert soup.find("html") is None and soup.find("h1") is None
    form = soup.select_one("form#login-form")
    assert form is not None
    assert form.select_one("[role=alert]").get_text(strip=True) == "Wrong password"
    assert form.select_one("input[name=email]")["value"] == "a@b.c"
    assert form.select_one("input[name=csrf_token]")["value"] == _token(client)


@pytest.mark.parametrize(
    ("code", "title"),
    [
        (403, "Accès refusé"),
        (404, "Page introuvable"),
        (409, "Conflit"),
        (413, "Fichier trop volumineux"),
        (500, "Une erreur est survenue"),
        (503, "Service indisponible"),
    ],
)
def test_error_page_per_status(client: TestClient, code: int, title: str) -> None:
    response = client.get(f"/error/{code}")
    assert response.status_code == code
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("h1").get_text(strip=True) == title
    assert soup.title is not None and f"Erreur {code}" in soup.title.get_text()
    # A detail is shown for client errors only, so an exception text can never reach the page.
    assert ("Traceback" in response.text) is (code < 500)


def test_error_block_is_served_alone_to_htmx(client: TestClient) -> None:
    response = client.get("/error/404", headers={"HX-Request": "true", "Accept-Language": "en"})
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("html") is None
    assert soup.select_one("h1").get_text(strip=True) == "Page not found"


# --- Headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/token"), ("GET", "/nowhere"), ("POST", "/form")]
)
def test_security_headers_on_every_response(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_route_can_set_its_own_header_value(client: TestClient) -> None:
    response = client.get("/framed")
    assert response.headers.get_list("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# --- Passwords -------------------------------------------------------------------------------


def test_hash_and_verify() -> None:
    hashed = hash_password("correct horse", TEST_SETTINGS)
    assert hashed.startswith("$argon2id$")
    assert "correct horse" not in hashed
    assert hash_password("correct horse", TEST_SETTINGS) != hashed  # salted
    assert verify_password(hashed, "correct horse", TEST_SETTINGS)
    assert not verify_password(hashed, "Correct horse", TEST_SETTINGS)


def test_verify_is_false_for_unknown_account_and_garbage_hash() -> None:
    assert not verify_password(None, "anything", TEST_SETTINGS)
    assert not verify_password("not-a-hash", "anything", TEST_SETTINGS)
    assert not verify_password("", "anything", TEST_SETTINGS)


def test_tests_use_a_cheap_hasher_and_production_the_recommended_one() -> None:
    assert password_hasher(Environment.test).memory_cost == 8
    assert password_hasher(Environment.production).memory_cost == PasswordHasher().memory_cost


def test_needs_rehash_when_parameters_change() -> None:
    cheap = hash_password("pw", TEST_SETTINGS)
    assert not needs_rehash(cheap, TEST_SETTINGS)
    assert needs_rehash(cheap, PRODUCTION_SETTINGS)
    assert needs_rehash("garbage", TEST_SETTINGS)
    # A cheap hash still verifies in production, so accounts survive a parameter change.
    assert verify_password(cheap, "pw", PRODUCTION_SETTINGS)


# --- Login throttling ------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_five_failures_block_the_address_for_the_window() -> None:
    clock = FakeClock()
    limiter = LoginRateLimiter(clock=clock)
    for _ in range(4):
        limiter.record_failure("alice@example.org", "10.0.0.1")
        clock.now += 10
    assert not limiter.is_blocked("alice@example.org", "10.0.0.1")
    limiter.record_failure("Alice@Example.org ", "10.0.0.2")
    assert limiter.is_blocked("alice@example.org", "10.0.0.3")
    # The first failure (t=1000) leaves the 15-minute window at t=1900; now is 1040.
    assert limiter.retry_after("alice@example.org", None) == pytest.approx(860)
    assert not limiter.is_blocked("bob@example.org", "10.0.0.1")

    clock.now = 1900
    assert not limiter.is_blocked("alice@example.org", "10.0.0.1")


def test_many_addresses_from_one_ip_block_that_ip() -> None:
    clock = FakeClock()
    limiter = LoginRateLimiter(max_failures_per_ip=20, clock=clock)
    for n in range(20):
        limiter.record_failure(f"user{n}@example.org", "203.0.113.9")
    assert limiter.is_blocked("new@example.org", "203.0.113.9")
    assert not limiter.is_blocked("new@example.org", "198.51.100.1")


def test_success_clears_the_address_but_not_the_ip() -> None:
    clock = FakeClock()
    limiter = LoginRateLimiter(max_failures_per_email=2, max_failures_per_ip=2, clock=clock)
    limiter.record_failure("alice@example.org", "10.0.0.1")
    limiter.record_failure("alice@example.org", "10.0.0.1")
    limiter.record_success("ALICE@example.org")
    assert not limiter.is_blocked("alice@example.org", "10.0.0.9")
    assert limiter.is_blocked("alice@example.org", "10.0.0.1")


def test_expired_entries_are_swept() -> None:
    clock = FakeClock()
    limiter = LoginRateLimiter(clock=clock)
    limiter._SWEEP_ABOVE = 10
    for n in range(11):
        limiter.record_failure(f"user{n}@example.org", None)
    clock.now += 15 * 60 + 1
    limiter.record_failure("late@example.org", None)
    assert list(limiter._failures) == [("email", "late@example.org")]


# --- Session cookie and redirects ------------------------------------------------------------


def test_session_cookie_settings() -> None:
    kwargs = session_middleware_kwargs(TEST_SETTINGS)
    assert kwargs == {
        "secret_key": "test-secret",
        "session_cookie": "carbon_session",
        "max_age": TEST_SETTINGS.session_max_age_s,
        "same_site": "lax",
        "https_only": False,
    }
    assert session_middleware_kwargs(DEV_SETTINGS)["https_only"] is False
    assert session_middleware_kwargs(PRODUCTION_SETTINGS)["https_only"] is True


def test_session_cookie_is_httponly_lax_and_named(client: TestClient) -> None:
    cookie = client.get("/token").headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert re.search(r"(?i)\bhttponly\b", cookie)
    assert re.search(r"(?i)samesite=lax", cookie)
    assert f"Max-Age={TEST_SETTINGS.session_max_age_s}" in cookie


def test_production_session_cookie_is_secure() -> None:
    with TestClient(_app(PRODUCTION_SETTINGS), base_url="https://testserver") as https:
        assert re.search(r"(?i)\bsecure\b", https.get("/token").headers["set-cookie"])


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/companies/3?tab=data", "/companies/3?tab=data"),
        ("/", "/"),
        (None, "/"),
        ("", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
        ("companies", "/"),
    ],
)
def test_safe_redirect_target(target: str | None, expected: str) -> None:
    assert safe_redirect_target(target) == expected
