"""Translations and number formatting, for every layer that shows text to a person.

carbon serves French and Italian companies (and English-speaking coaches), so every string a user
reads goes through gettext and every number through babel: the web pages, the PDF reports, the
spreadsheet exports, the demo's labels and the CLI. Source strings are English, in the templates
and code, marked with ``_()`` (or ``N_()`` for constants translated later). Nothing here knows
about HTTP: the web layer's ``carbon.web.i18n`` negotiates a request's locale and sets it here.

The current locale is kept in a context variable; ``gettext``, the Jinja ``_`` and the ``fmt_*``
functions read it, so neither templates nor routes pass the locale around. Outside a request (CLI,
reports, tests) use :func:`use_locale`.

Catalogues live in ``locale/{fr,it,en}/LC_MESSAGES/messages.po`` beside this module (a package
resource, so an installed wheel finds them) and are compiled in memory on first use, so no ``.mo``
file is generated or committed. After adding or changing strings, refresh the catalogues from the
project root, then translate the new entries in fr and it::

    .venv/bin/pybabel extract -F babel.cfg -o /tmp/carbon-messages.pot --no-location \\
        --omit-header --sort-output .
    .venv/bin/pybabel update -i /tmp/carbon-messages.pot -d src/carbon/locale \\
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
from functools import cache
from importlib import resources
from io import BytesIO
from typing import Any, Final

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern
from babel.support import Translations

from carbon.accounting.headcount import FTE_DIGITS

LOCALES: Final = ("fr", "it", "en")
# Language names as their own speakers write them, for the switcher: never translated.
LOCALE_NAMES: Final[Mapping[str, str]] = {"fr": "Français", "it": "Italiano", "en": "English"}
# Outside a request (CLI, reports) French is the default: most users are French.
FALLBACK_LOCALE: Final = "fr"
LOCALE_DIR: Final = resources.files("carbon") / "locale"
# The signed session carries the signed-in user's preferred locale (set at login and when the
# user switches language), so negotiation needs no database query.
SESSION_LOCALE_KEY: Final = "locale"
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


def require_locale(value: str) -> str:
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


def set_locale(locale: str) -> None:
    """Makes ``locale`` the current one for the rest of this task (the web's negotiation)."""
    _current_locale.set(require_locale(locale))


def get_locale() -> str:
    """The locale of the current request (or of the enclosing :func:`use_locale`)."""
    return _current_locale.get(FALLBACK_LOCALE)


@contextmanager
def use_locale(locale: str) -> Iterator[str]:
    """Translate and format in ``locale`` for the duration of the block (CLI, reports, tests)."""
    normalized = require_locale(locale)
    token = _current_locale.set(normalized)
    try:
        yield normalized
    finally:
        _current_locale.reset(token)


def get_translations(locale: str) -> Translations:
    """The compiled catalogue of ``locale``, built from its .po file once per process."""
    return _compile(require_locale(locale))


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


# From here on numbers are shown as ``1,2 × 10¹⁸``: no real footprint, quantity or turnover
# reaches it, but a value stored before the input bounds existed (or typed into the database)
# must still be shown, and three hundred digits are neither readable nor cheap to lay out.
SCIENTIFIC_FROM: Final = Decimal("1e15")
_SUPERSCRIPTS: Final = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _exact(value: Number | None) -> Decimal | None:
    """``value`` as a finite Decimal, or None when there is nothing (or no number) to show."""
    if value is None:
        return None
    # str() first so that 2.675 rounds as written, not as its binary approximation 2.67499…
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return exact if exact.is_finite() else None


def _rounded(value: Decimal, digits: int) -> Decimal:
    """``value`` (below SCIENTIFIC_FROM) rounded to ``digits`` decimals, half up."""
    # Half up, as people round by hand; babel alone would round half to even (0.25 -> 0.2).
    rounded = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    # "-0,0" would suggest a tiny negative emission that the rounding has erased.
    return abs(rounded) if rounded.is_zero() else rounded


def _apply(kind: str, value: Decimal, locale: Locale, digits: int) -> str:
    # ``value`` is already rounded to ``digits``: the pattern only lays it out.
    return _pattern(str(locale), kind, digits).apply(value, locale)


def _scientific(value: Decimal, locale: Locale, digits: int) -> str:
    exponent = value.adjusted()
    mantissa = _rounded(value.scaleb(-exponent), max(digits, 1))
    if abs(mantissa) >= 10:  # 9.99 rounded up to 10.0
        mantissa, exponent = mantissa / 10, exponent + 1
    laid_out = _apply("decimal", mantissa, locale, max(digits, 1))
    return f"{laid_out}\u00a0×\u00a010{str(exponent).translate(_SUPERSCRIPTS)}"


def _decimal(value: Number | None, locale: str | None, digits: int) -> str:
    exact = _exact(value)
    if exact is None:
        return MISSING
    babel_locale = _locale(locale)
    if abs(exact) >= SCIENTIFIC_FROM:
        return _scientific(exact, babel_locale, digits)
    return _apply("decimal", _rounded(exact, digits), babel_locale, digits)


def fmt_number(value: Number | None, locale: str | None = None, digits: int = 1) -> str:
    """``12345.6`` -> ``12 345,6`` (fr, narrow no-break space), ``12.345,6`` (it), ``12,345.6``;
    NaN and infinities as missing, from 10¹⁵ on in scientific notation."""
    return _decimal(value, locale, digits)


def fmt_plain(value: float, digits: int | None = None) -> str:
    """A number as people type it in their locale, with no grouping: the value of an edit
    form's field (``1234,5`` in French and Italian, ``1234.5`` in English)."""
    exact = _exact(value)
    if exact is None:  # not a number: an empty field, for the person to fill in again
        return ""
    if digits is not None and abs(exact) < SCIENTIFIC_FROM:
        exact = _rounded(exact, digits)
    # Huge stored values are written out in full: the field shows what is stored, and a save
    # of it gets the input bounds' clear refusal.
    text = format(exact.normalize(), "f")
    return text.replace(".", ",") if get_locale() in ("fr", "it") else text


def _with_unit(value: Number | None, unit: str, locale: str | None, digits: int) -> str:
    number = fmt_number(value, locale, digits)
    # A no-break space keeps the unit on the line of its number.
    return number if number == MISSING else f"{number}\u00a0{unit}"


def fmt_tco2e(kg: Number | None, locale: str | None = None, digits: int = 1) -> str:
    """Kilograms of CO₂e shown in tonnes: ``12345600`` -> ``12 345,6 t CO₂e`` in French."""
    exact = _exact(kg)
    return _with_unit(None if exact is None else exact / 1000, "t CO₂e", locale, digits)


def fmt_kg(kg: Number | None, locale: str | None = None, digits: int = 1) -> str:
    """Kilograms of CO₂e: ``1.74`` -> ``1,7 kg CO₂e`` in French."""
    return _with_unit(kg, "kg CO₂e", locale, digits)


def fmt_pct(percent: Number | None, locale: str | None = None, digits: int = 1) -> str:
    """A value already in percent, as the domain keeps them: ``12.34`` -> ``12,3 %`` in French."""
    exact = _exact(percent)
    if exact is None:
        return MISSING
    babel_locale = _locale(locale)
    if abs(exact) >= SCIENTIFIC_FROM:
        return f"{_scientific(exact, babel_locale, digits)}\u00a0%"
    # The locale's percent pattern multiplies by 100, so it is handed the (exact) ratio.
    return _apply("percent", _rounded(exact, digits) / 100, babel_locale, digits)


def fmt_date(
    value: date | datetime | None, locale: str | None = None, format: str = "medium"
) -> str:
    """``2 mars 2026`` (fr), ``2 mar 2026`` (it), ``Mar 2, 2026`` (en); ``format`` as in babel."""
    if value is None:
        return MISSING
    return format_date(value, format=format, locale=_locale(locale))


def fmt_fte(fte: Number | None, locale: str | None = None) -> str:
    """A number of full-time equivalents, as every page and report shows it: one decimal
    (carbon.accounting.headcount), ``38,8`` in French; ``—`` when not given."""
    return fmt_number(fte, locale, FTE_DIGITS)


FILTERS: Final[Mapping[str, Any]] = {
    "fmt_number": fmt_number,
    "fmt_fte": fmt_fte,
    "fmt_tco2e": fmt_tco2e,
    "fmt_kg": fmt_kg,
    "fmt_pct": fmt_pct,
    "fmt_date": fmt_date,
}
