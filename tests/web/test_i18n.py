"""Translations, locale negotiation and number formatting (carbon.i18n)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from fastapi import FastAPI, Form, Request
from fastapi.responses import PlainTextResponse, RedirectResponse
from fastapi.testclient import TestClient
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.middleware.sessions import SessionMiddleware

from carbon import i18n
from carbon.config import PROJECT_ROOT, Settings
from carbon.i18n import (
    LOCALE_DIR,
    LOCALES,
    SESSION_LOCALE_KEY,
    fmt_date,
    fmt_kg,
    fmt_number,
    fmt_pct,
    fmt_tco2e,
    get_locale,
    get_translations,
    negotiate_locale,
    normalize_locale,
    parse_accept_language,
    use_locale,
)
from carbon.web.i18n import LOCALE_COOKIE, LocaleMiddleware, install_i18n, set_locale_cookie
from carbon.web.security import install_csrf, safe_redirect_target, session_middleware_kwargs

NNBSP = "\u202f"  # babel's French group separator
NBSP = "\u00a0"


# --- Formatting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("fr", f"12{NNBSP}345,6"), ("it", "12.345,6"), ("en", "12,345.6")],
)
def test_fmt_number_uses_each_locale_separators(locale: str, expected: str) -> None:
    assert fmt_number(12345.6, locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr", f"12{NNBSP}345,6{NBSP}t CO₂e"),
        ("it", f"12.345,6{NBSP}t CO₂e"),
        ("en", f"12,345.6{NBSP}t CO₂e"),
    ],
)
def test_fmt_tco2e_converts_kilograms_to_tonnes(locale: str, expected: str) -> None:
    assert fmt_tco2e(12_345_600, locale) == expected


def test_fmt_number_digits_and_padding() -> None:
    assert fmt_number(1234567, "fr", digits=0) == f"1{NNBSP}234{NNBSP}567"
    assert fmt_number(3, "en", digits=2) == "3.00"
    assert fmt_number(Decimal("0.5"), "it", digits=0) == "1"
    assert fmt_number(-1234.5, "en") == "-1,234.5"


def test_formatting_depends_on_the_locale_the_digits_and_the_kind() -> None:
    # The same value asked in a row must come back in each locale's form, at each precision,
    # as number or percent.
    assert [fmt_number(1234.5, code) for code in ("fr", "en", "fr", "it")] == [
        f"1{NNBSP}234,5",
        "1,234.5",
        f"1{NNBSP}234,5",
        "1.234,5",
    ]
    assert [fmt_number(1234.5, "en", digits=d) for d in (1, 0, 2, 1)] == [
        "1,234.5",
        "1,235",
        "1,234.50",
        "1,234.5",
    ]
    # 50 % reaches the percent pattern as the ratio 0.500, equal to the number 0.5 at the same
    # precision and locale: only the kind tells them apart.
    assert [fmt_pct(50, "en"), fmt_number(0.5, "en"), fmt_pct(50, "en")] == [
        "50.0%",
        "0.5",
        "50.0%",
    ]


def test_fmt_number_rounds_half_up_as_written() -> None:
    assert fmt_number(0.25, "en") == "0.3"
    assert fmt_number(2.675, "en", digits=2) == "2.68"
    assert fmt_number(12.35, "fr") == "12,4"


def test_fmt_number_never_shows_negative_zero() -> None:
    assert fmt_number(-0.04, "fr") == "0,0"


@pytest.mark.parametrize("value", [None, float("nan"), float("inf")])
def test_missing_values_are_a_dash(value: float | None) -> None:
    assert fmt_number(value, "fr") == "—"
    assert fmt_tco2e(value, "fr") == "—"
    assert fmt_pct(value, "fr") == "—"


def test_fmt_kg() -> None:
    assert fmt_kg(1.74, "fr") == f"1,7{NBSP}kg CO₂e"
    assert fmt_kg(2500, "en", digits=0) == f"2,500{NBSP}kg CO₂e"


@pytest.mark.parametrize(
    ("locale", "expected"), [("fr", f"12,3{NBSP}%"), ("it", "12,3%"), ("en", "12.3%")]
)
def test_fmt_pct_takes_a_value_in_percent(locale: str, expected: str) -> None:
    assert fmt_pct(12.34, locale) == expected


def test_fmt_pct_rounds_once() -> None:
    # Rounded to one decimal of the percentage, not to four of the ratio and again.
    assert fmt_pct(4.25, "en") == "4.3%"
    assert fmt_pct(100, "fr", digits=0) == f"100{NBSP}%"


@pytest.mark.parametrize(
    ("locale", "expected"), [("fr", "2 mars 2026"), ("it", "2 mar 2026"), ("en", "Mar 2, 2026")]
)
def test_fmt_date(locale: str, expected: str) -> None:
    assert fmt_date(date(2026, 3, 2), locale) == expected
    assert fmt_date(None, locale) == "—"


def test_formatting_defaults_to_the_current_locale() -> None:
    with use_locale("it"):
        assert fmt_number(12345.6) == "12.345,6"
    with use_locale("en"):
        assert fmt_tco2e(1000) == f"1.0{NBSP}t CO₂e"


# --- Catalogues ------------------------------------------------------------------------------


def _catalog(locale: str) -> Catalog:
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=locale)


def _msgids(catalog: Catalog) -> set[str]:
    return {
        str(message.id if isinstance(message.id, str) else message.id[0])
        for message in catalog
        if message.id
    }


def _extracted_msgids() -> set[str]:
    with (PROJECT_ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(PROJECT_ROOT), method_map, options_map
        )
    }


@pytest.mark.parametrize("locale", ["fr", "it"])
def test_every_message_has_a_reviewed_translation(locale: str) -> None:
    catalog = _catalog(locale)
    untranslated = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not (message.string if isinstance(message.string, str) else all(message.string))
        )
    ]
    assert untranslated == []


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_their_placeholders(locale: str) -> None:
    problems = [(message.id, errors) for message, errors in _catalog(locale).check() if errors]
    assert problems == []


def test_catalogues_hold_every_marked_string_and_no_stale_one() -> None:
    extracted = _extracted_msgids()
    assert extracted, "pybabel found no string: is babel.cfg right?"
    for locale in LOCALES:
        in_catalog = _msgids(_catalog(locale))
        assert sorted(extracted - in_catalog) == [], (
            f"{locale}: run the pybabel commands in i18n.py"
        )
        assert sorted(in_catalog - extracted) == [], f"{locale}: strings no longer used"


def test_get_translations_compiles_the_po_files() -> None:
    assert get_translations("fr").gettext("Sign in") == "Se connecter"
    assert get_translations("it").gettext("Sign in") == "Accedi"
    assert get_translations("en").gettext("Sign in") == "Sign in"
    assert get_translations("fr-CH") is get_translations("fr")
    with pytest.raises(ValueError, match="unsupported locale"):
        get_translations("de")


def test_no_compiled_catalogue_is_kept_in_the_tree() -> None:
    assert list(Path(LOCALE_DIR).rglob("*.mo")) == []


def test_gettext_follows_the_current_locale() -> None:
    with use_locale("fr"):
        assert i18n.gettext("Password") == "Mot de passe"
        with use_locale("it"):
            assert i18n._("Language") == "Lingua"
        assert get_locale() == "fr"


# --- Negotiation -----------------------------------------------------------------------------


def test_normalize_locale() -> None:
    assert normalize_locale("fr-CH") == "fr"
    assert normalize_locale("it_IT") == "it"
    assert normalize_locale(" EN ") == "en"
    assert normalize_locale("de") is None
    assert normalize_locale("") is None
    assert normalize_locale(None) is None


def test_parse_accept_language_orders_by_quality_then_position() -> None:
    header = "de-DE,de;q=0.9,it;q=0.8,en-GB;q=0.8,fr;q=0.7,en;q=0.5,es;q=0"
    assert parse_accept_language(header) == ["it", "en", "fr"]
    assert parse_accept_language("fr;q=0, it;q=bad, en") == ["en"]
    assert parse_accept_language("*") == []
    assert parse_accept_language(None) == []


@pytest.mark.parametrize(
    ("user", "cookie", "accept", "expected"),
    [
        ("it", "en", "fr", "it"),  # the user's preference wins
        (None, "en", "it", "en"),  # then the lang cookie
        ("xx", "xx", "it;q=0.5, en", "en"),  # unusable values are skipped
        (None, None, "de, it;q=0.5", "it"),  # then the browser
        (None, None, "de", "en"),  # then the configured default
    ],
)
def test_negotiation_order(
    user: str | None, cookie: str | None, accept: str, expected: str
) -> None:
    assert (
        negotiate_locale(
            user_locale=user, cookie_locale=cookie, accept_language=accept, default="en"
        )
        == expected
    )


# --- In an app -------------------------------------------------------------------------------


TEST_TEMPLATES = {
    "page.html": (
        '{% extends "base.html" %}{% block content %}'
        "<p id=msg>{{ _('Sign in') }}</p>"
        "<p id=total>{{ total | fmt_tco2e }}</p>"
        "<p id=trans>{% trans n=3 %}{{ n }} apple{% pluralize %}{{ n }} apples{% endtrans %}</p>"
        "{% endblock %}"
    ),
}


def _app(settings: Settings) -> FastAPI:
    loader = ChoiceLoader(
        [DictLoader(TEST_TEMPLATES), FileSystemLoader(PROJECT_ROOT / "templates")]
    )
    templates = Jinja2Blocks(env=Environment(loader=loader, autoescape=True))
    install_i18n(templates.env)
    install_csrf(templates.env)

    app = FastAPI()

    @app.get("/page")
    def page(request: Request) -> object:
        return templates.TemplateResponse(request, "page.html", {"total": 12_345_600})

    @app.get("/remember/{locale}")
    def remember(request: Request, locale: str) -> dict[str, str]:
        # What the login route does with the user's stored preference.
        request.session[SESSION_LOCALE_KEY] = locale
        return {}

    @app.post("/lang")
    def switch(request: Request, lang: str = Form(), next: str = Form("/")) -> RedirectResponse:
        # The route the lead wires behind the switcher, reduced to its cookie part.
        response = RedirectResponse(safe_redirect_target(next), status_code=303)
        set_locale_cookie(response, lang, secure=False)
        return response

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("unexpected")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> PlainTextResponse:
        # Starlette runs this handler outside every middleware, LocaleMiddleware included.
        return PlainTextResponse(i18n.gettext("Something went wrong"), status_code=500)

    app.add_middleware(LocaleMiddleware, default_locale=settings.default_locale)
    app.add_middleware(SessionMiddleware, **session_middleware_kwargs(settings))
    return app


@pytest.fixture
def client() -> TestClient:
    settings = Settings(env="test", default_locale="it", secret_key="test-secret")
    return TestClient(_app(settings), raise_server_exceptions=False)


def _soup(client: TestClient, **headers: str) -> BeautifulSoup:
    response = client.get("/page", headers=headers)
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def test_page_speaks_the_configured_default_without_other_clue(client: TestClient) -> None:
    soup = _soup(client)
    assert soup.html is not None and soup.html["lang"] == "it"
    assert soup.select_one("#msg").get_text() == "Accedi"
    assert soup.select_one("#total").get_text() == f"12.345,6{NBSP}t CO₂e"


def test_page_follows_accept_language_then_cookie_then_session(client: TestClient) -> None:
    assert _soup(client, **{"Accept-Language": "en-GB,fr;q=0.5"}).html["lang"] == "en"

    client.cookies.set(LOCALE_COOKIE, "fr")
    soup = _soup(client, **{"Accept-Language": "en"})
    assert soup.html["lang"] == "fr"
    assert soup.select_one("#msg").get_text() == "Se connecter"
    assert soup.select_one("#total").get_text() == f"12{NNBSP}345,6{NBSP}t CO₂e"

    client.get("/remember/en")
    assert _soup(client, **{"Accept-Language": "it"}).html["lang"] == "en"


def test_trans_blocks_and_plurals_render(client: TestClient) -> None:
    assert _soup(client, **{"Accept-Language": "en"}).select_one("#trans").get_text() == "3 apples"


def test_language_switcher_posts_to_lang_and_sets_the_cookie(client: TestClient) -> None:
    soup = _soup(client, **{"Accept-Language": "fr"})
    form = soup.select_one("form.lang-switch")
    assert form is not None and form["action"] == "/lang" and form["method"] == "post"
    buttons = {button["value"]: button for button in form.select("button[name=lang]")}
    assert list(buttons) == ["fr", "it", "en"]
    assert buttons["fr"].get("aria-current") == "true"
    assert buttons["it"].get("aria-current") is None
    # Its name holds the code people see and the language's own name (WCAG 2.5.3).
    assert (
        buttons["it"]["lang"] == "it" and buttons["it"].get_text(" ", strip=True) == "IT Italiano"
    )
    assert form.select_one("input[name=next]")["value"] == "/page"

    csrf = form.select_one("input[name=csrf_token]")["value"]
    response = client.post(
        "/lang",
        data={"lang": "en", "next": "/page", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/page"
    assert "lang=en" in response.headers["set-cookie"]
    assert _soup(client, **{"Accept-Language": "fr"}).html["lang"] == "en"


def test_set_locale_cookie_refuses_unknown_locales() -> None:
    with pytest.raises(ValueError):
        set_locale_cookie(RedirectResponse("/"), "de", secure=True)


def test_the_500_handler_still_speaks_the_request_language(client: TestClient) -> None:
    response = client.get("/boom", headers={"Accept-Language": "fr"})
    assert response.status_code == 500
    assert response.text == "Une erreur est survenue"
