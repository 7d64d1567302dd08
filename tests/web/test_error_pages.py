"""Every error page is the application's own, in the reader's language (no Starlette text)."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI

from .conftest import Client


def _french(app: FastAPI, **kw: Any) -> Client:
    c = Client(app, base_url="http://testserver", **kw)
    c.headers["Accept-Language"] = "fr"
    return c


@pytest.mark.parametrize(("method", "path", "code", "title"), [
    ("GET", "/no-such-page", 404, "Page introuvable"),
    ("GET", "/logout", 405, "Cette action n’est pas possible ici"),
    ("POST", "/lang", 403, "Accès refusé"),  # no CSRF token
])  # fmt: skip
def test_error_pages_are_the_apps_own_and_translated(
    app: FastAPI, method: str, path: str, code: int, title: str
) -> None:
    with _french(app) as c:
        r = c.request(method, path)
    assert r.status_code == code
    page = BeautifulSoup(r.text, "html.parser")
    assert page.html is not None and page.html["lang"] == "fr"
    assert page.h1 is not None and page.h1.get_text(strip=True) == title
    for english in ("Not Found", "Method Not Allowed", "Forbidden"):
        assert english not in r.text


def test_an_unexpected_error_is_the_apps_own_page(app: FastAPI) -> None:
    def boom() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/boom", boom)
    with _french(app, raise_server_exceptions=False) as c:
        r = c.get("/boom")
    assert r.status_code == 500
    assert "Une erreur est survenue" in r.text
    assert "secret internals" not in r.text


def test_the_api_keeps_json_errors(app: FastAPI) -> None:
    with _french(app) as c:
        r = c.get("/api/no-such-thing")
    assert r.status_code in (401, 404)
    assert r.headers["content-type"].startswith("application/json")
