"""The web side of translations: which locale a request is served in, and Jinja's gettext.

The translations and the number formatting themselves are in :mod:`carbon.i18n`, which reports,
the demo and the CLI use too; this module only negotiates a request's locale (from the signed-in
user's preference, the ``lang`` cookie, then ``Accept-Language``), remembers a visitor's choice,
and installs gettext and the ``fmt_*`` filters in the Jinja environment.
"""

from __future__ import annotations

from typing import Any, Final, cast

from jinja2 import Environment
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from carbon.i18n import (
    FILTERS,
    LOCALE_NAMES,
    LOCALES,
    SESSION_LOCALE_KEY,
    get_locale,
    gettext,
    negotiate_locale,
    ngettext,
    npgettext,
    pgettext,
    require_locale,
    set_locale,
)

LOCALE_COOKIE: Final = "lang"
LOCALE_COOKIE_MAX_AGE_S: Final = 365 * 24 * 3600


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
            set_locale(locale)
        await self.app(scope, receive, send)


def set_locale_cookie(response: Response, locale: str, *, secure: bool) -> None:
    """Remembers a visitor's choice of language (the lead's ``POST /lang`` route calls this)."""
    response.set_cookie(
        LOCALE_COOKIE,
        require_locale(locale),
        max_age=LOCALE_COOKIE_MAX_AGE_S,
        samesite="lax",
        secure=secure,
        httponly=True,
    )


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
