"""Translations, locale negotiation and number formatting for the web layer.

carbon serves French and Italian companies (and English-speaking coaches), so every string a user
reads goes through gettext and every number through babel. Source strings are English, in the
templates and code, marked with ``_()`` (or ``N_()`` for constants translated later).

The locale of a request is decided once, by :class:`LocaleMiddleware`, and kept in a context
variable; ``gettext``, the Jinja ``_`` and the ``fmt_*`` filters read it, so neither templates nor
routes pass the locale around. Outside a request (CLI, reports, tests) use :func:`use_locale`.

Catalogues live in ``locale/{fr,it,en}/LC_MESSAGES/messages.po`` and are compiled in memory on
first use, so no ``.mo`` file is generated or committed. After adding or changing strings, refresh
the catalogues from the project root, then translate the new entries in fr and it::

    .venv/bin/pybabel extract -F babel.cfg -o /tmp/carbon-messages.pot --no-location \\
        --omit-header --sort-output .
    .venv/bin/pybabel update -i /tmp/carbon-messages.pot -d src/carbon/web/locale \\
        --no-fuzzy-matching --no-wrap

``tests/web/test_i18n.py`` fails while a marked string is missing from a catalogue or has no
French or Italian translation.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from copy import copy
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any, Final, cast

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern
from babel.support import Translations
from jinja2 import Environment
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

LOCALES: Final = ("fr", "it", "en")
# Language names as their own speakers write them, for the switcher: never translated.
LOCALE_NAMES: Final[Mapping[str, str]] = {"fr": "Français", "it": "Italiano", "en": "English"}
# Outside a request (CLI, reports) French is the default: most users are French.
FALLBACK_LOCALE: Final = "fr"
LOCALE_DIR: Final = Path(__file__).parent / "locale"
LOCALE_COOKIE: Final = "lang"
# The signed session carries the signed-in user's preferred locale (set at login and when the
# user switches language), so negotiation needs no database query.
SESSION_LOCALE_KEY: Final = "locale"
LOCALE_COOKIE_MAX_AGE_S: Final = 365 * 24 * 3600
# Empty values are shown as a dash rather than "0", which would read as a measured zero.
MISSING: Final = "—"

_current_locale: contextvars.ContextVar[str] = contextvars.ContextVar("carbon_locale")


def normalize_locale(value: str | None) -> str | None:
    """The supported locale a tag such as ``fr-CH``, ``it_IT`` or ``EN`` stands for, if any."""
    if not value:
        return None
    primary = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LOCALES else None


def parse_accept_language(header: str | None) -> list[str]:
    """Supported locales in the order an ``Accept-Language`` header prefers them."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _sep, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _eq, raw = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(raw)
                except ValueError:
                    quality = 0.0
        locale = normalize_locale(tag)
        if locale is not None and quality > 0:
            # The position breaks ties so equal weights keep the browser's order.
            weighted.append((-quality, position, locale))
    ordered: list[str] = []
    for _q, _pos, locale in sorted(weighted):
        if locale not in ordered:
            ordered.append(locale)
    return ordered


def _require_locale(value: str) -> str:
    locale = normalize_locale(value)
    if locale is None:
        raise ValueError(f"unsupported locale {value!r}; expected one of {', '.join(LOCALES)}")
    return locale


def negotiate_locale(
    *,
    user_locale: str | None,
    cookie_locale: str | None,
    accept_language: str | None,
    default: str,
) -> str:
    """User preference, then the ``lang`` cookie, then the browser, then the configured default."""
    for candidate in (normalize_locale(user_locale), normalize_locale(cookie_locale)):
        if candidate is not None:
            return candidate
    preferred = parse_accept_language(accept_language)
    if preferred:
        return preferred[0]
    return normalize_locale(default) or FALLBACK_LOCALE


class LocaleMiddleware:
    """Decides the locale of each request and exposes it as ``request.state.locale``.

    Install it *inside* Starlette's SessionMiddleware (add it to the app first) so it can read the
    user's preference from the session.
    """

    def __init__(self, app: ASGIApp, *, default_locale: str) -> None:
        self.app = app
        self.default_locale = default_locale

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = Headers(scope=scope)
            session = scope.get("session") or {}
            locale = negotiate_locale(
                user_locale=session.get(SESSION_LOCALE_KEY),
                cookie_locale=cookie_parser(headers.get("cookie", "")).get(LOCALE_COOKIE),
                accept_language=headers.get("accept-language"),
                default=self.default_locale,
            )
            scope.setdefault("state", {})["locale"] = locale
            # Not reset afterwards on purpose: each request runs in its own task, so nothing leaks,
            # and the 500 handler (in the outermost middleware) still renders in the right language.
            _current_locale.set(locale)
        await self.app(scope, receive, send)


def get_locale() -> str:
    """The locale of the current request (or of the enclosing :func:`use_locale`)."""
    return _current_locale.get(FALLBACK_LOCALE)


@contextmanager
def use_locale(locale: str) -> Iterator[str]:
    """Translate and format in ``locale`` for the duration of the block (CLI, reports, tests)."""
    normalized = _require_locale(locale)
    token = _current_locale.set(normalized)
    try:
        yield normalized
    finally:
        _current_locale.reset(token)


def get_translations(locale: str) -> Translations:
    """The compiled catalogue of ``locale``, built from its .po file once per process."""
    return _compile(_require_locale(locale))


@cache
def _compile(locale: str) -> Translations:
    po_path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    buffer = BytesIO()
    # Fuzzy entries are left out, as msgfmt does: an unchecked guess must not reach users.
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def gettext(message: str) -> str:
    # get_locale() is always a supported locale (negotiated or checked by use_locale).
    return _compile(get_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return get_translations(get_locale()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    # babel types pgettext loosely (object); the value is always the string.
    return str(get_translations(get_locale()).pgettext(context, message))


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return get_translations(get_locale()).npgettext(context, singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Marks a string for extraction without translating it yet (module-level constants)."""
    return message


def set_locale_cookie(response: Response, locale: str, *, secure: bool) -> None:
    """Remembers a visitor's choice of language (the lead's ``POST /lang`` route calls this)."""
    response.set_cookie(
        LOCALE_COOKIE,
        _require_locale(locale),
        max_age=LOCALE_COOKIE_MAX_AGE_S,
        samesite="lax",
        secure=secure,
        httponly=True,
    )


# --- Formatting ------------------------------------------------------------------------------

Number = int | float | Decimal


def _locale(locale: str | None) -> Locale:
    return _babel_locale(
        get_locale() if locale is None else normalize_locale(locale) or get_locale()
    )


@cache
def _babel_locale(code: str) -> Locale:
    # Locale.parse re-reads its identifiers on every call: a cohort page formats thousands of
    # numbers, so each locale is parsed once per process.
    return Locale.parse(code)


@cache
def _pattern(code: str, kind: str, digits: int) -> NumberPattern:
    """The locale's decimal or percent pattern (grouping, spacing before %), with exactly
    ``digits`` decimals; built once per locale, kind and precision."""
    locale = _babel_locale(code)
    base = (locale.percent_formats if kind == "percent" else locale.decimal_formats)[None]
    fixed = copy(base)
    fixed.frac_prec = (digits, digits)
    return fixed


def _rounded(value: Number | None, digits: int) -> Decimal | None:
    """``value`` rounded to ``digits`` decimals, or None when there is nothing to show."""
    if value is None:
        return None
    # str() first so that 2.675 rounds as written, not as its binary approximation 2.67499…
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    if not exact.is_finite():
        return None
    # Half up, as people round by hand; babel alone would round half to even (0.25 -> 0.2).
    rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    # "-0,0" would suggest a tiny negative emission that the rounding has erased.
    return abs(rounded) if rounded.is_zero() else rounded


def _apply(kind: str, value: Decimal, locale: Locale, digits: int) -> str:
    return _formatted(kind, value, str(locale), digits)


@lru_cache(maxsize=16_384)
def _formatted(kind: str, value: Decimal, code: str, digits: int) -> str:
    # A page formats the same few hundred figures on every view (a dashboard's totals, its
    # postes, its years): babel's pattern costs 5 µs a number, the look-up a tenth of that.
    # ``value`` is already rounded to ``digits``, so equal keys give equal text.
    return _pattern(code, kind, digits).apply(value, _babel_locale(code))


def fmt_number(value: Number | None, locale: str | None = None, digits: int = 1) -> str:
    """``12345.6`` -> ``12 345,6`` (fr, narrow no-break space), ``12.345,6`` (it), ``12,345.6``."""
    rounded = _rounded(value, digits)
    if rounded is None:
        return MISSING
    babel_locale = _locale(locale)
    return _apply("decimal", rounded, babel_locale, digits)


def fmt_plain(value: float, digits: int | None = None) -> str:
    """A number as people type it in their locale, with no grouping: the value of an edit
    form's field (``1234,5`` in French and Italian, ``1234.5`` in English)."""
    exact = Decimal(repr(value)) if digits is None else round(Decimal(repr(value)), digits)
    text = format(exact.normalize(), "f")
    return text.replace(".", ",") if get_locale() in ("fr", "it") else text


def _with_unit(value: Number | None, unit: str, locale: str | None, digits: int) -> str:
    number = fmt_number(value, locale, digits)
    # A no-break space keeps the unit on the line of its number.
    return number if number == MISSING else f"{number}\u00a0{unit}"


def fmt_tco2e(kg: Number | None, locale: str | None = None, digits: int = 1) -> str:
    """Kilograms of CO₂e shown in tonnes: ``12345600`` -> ``12 345,6 t CO₂e`` in French."""
    tonnes = None if kg is None else Decimal(str(kg)) / 1000
    return _with_unit(tonnes, "t CO₂e", locale, digits)


def fmt_kg(kg: Number | None, locale: str | None = None, digits: int = 1) -> str:
    """Kilograms of CO₂e: ``1.74`` -> ``1,7 kg CO₂e`` in French."""
    return _with_unit(kg, "kg CO₂e", locale, digits)


def fmt_pct(percent: Number | None, locale: str | None = None, digits: int = 1) -> str:
    """A value already in percent, as the domain keeps them: ``12.34`` -> ``12,3 %`` in French."""
    rounded = _rounded(percent, digits)
    if rounded is None:
        return MISSING
    babel_locale = _locale(locale)
    # The locale's percent pattern multiplies by 100, so it is handed the (exact) ratio.
    return _apply("percent", rounded / 100, babel_locale, digits)


def fmt_date(
    value: date | datetime | None, locale: str | None = None, format: str = "medium"
) -> str:
    """``2 mars 2026`` (fr), ``2 mar 2026`` (it), ``Mar 2, 2026`` (en); ``format`` as in babel."""
    if value is None:
        return MISSING
    return format_date(value, format=format, locale=_locale(locale))


FILTERS: Final[Mapping[str, Any]] = {
    "fmt_number": fmt_number,
    "fmt_tco2e": fmt_tco2e,
    "fmt_kg": fmt_kg,
    "fmt_pct": fmt_pct,
    "fmt_date": fmt_date,
}


def install_i18n(env: Environment) -> None:
    """Adds gettext (``_``, ``gettext``, ``ngettext``, ``{% trans %}``), the ``fmt_*`` filters
    and the ``get_locale``/``LOCALE_NAMES`` globals to a Jinja environment.

    The callables read the request's locale when called, so one environment serves every request.
    In templates pass options by keyword: ``{{ total|fmt_tco2e(digits=0) }}``.
    """
    env.add_extension("jinja2.ext.i18n")
    # newstyle: the translated string is escaped and %-formatted by gettext itself, so
    # ``_("%(n)s companies", n=3)`` works and a translation cannot inject markup.
    cast(Any, env).install_gettext_callables(
        gettext=gettext,
        ngettext=ngettext,
        pgettext=pgettext,
        npgettext=npgettext,
        newstyle=True,
    )
    env.filters.update(FILTERS)
    env.globals["get_locale"] = get_locale
    env.globals["LOCALES"] = LOCALES
    env.globals["LOCALE_NAMES"] = LOCALE_NAMES
