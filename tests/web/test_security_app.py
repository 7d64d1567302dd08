"""Security basics on the assembled application: throttled sign-in, headers, no stack traces."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from carbon.config import Settings
from carbon.web.security import session_middleware_kwargs

from .conftest import Client, World


def test_sign_in_is_throttled_after_five_failures(client: Client, world: World) -> None:
    client.refresh_csrf("/login")
    form = {"email": world.alice.email, "password": "wrong", "csrf_token": client.csrf}
    codes = [client.post("/login", data=form).status_code for _ in range(6)]
    assert codes == [422] * 5 + [429]
    # Even the right password is refused while throttled: guessing gains nothing.
    right = client.post("/login", data={**form, "password": "correct horse battery staple"})
    assert right.status_code == 429


def test_every_page_carries_the_security_headers(client: Client, world: World) -> None:
    r = client.get("/login")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"


def test_an_unexpected_error_shows_no_stack_trace(app: FastAPI, world: World) -> None:
    @app.get("/boom-for-test")
    def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    with Client(app, base_url="http://testserver", raise_server_exceptions=False) as c:
        r = c.get("/boom-for-test")
    assert r.status_code == 500
    assert "hunter2" not in r.text and "Traceback" not in r.text
    assert "error-page" in r.text


def test_production_cookies_are_secure() -> None:
    kwargs: dict[str, Any] = session_middleware_kwargs(
        Settings(env="production", secret_key="x" * 48, _env_file=None)  # type: ignore[call-arg]
    )
    assert kwargs["https_only"] is True
    assert kwargs["same_site"] == "lax"
