"""Web security pieces the app factory assembles: CSRF, response headers, passwords, login
throttling, session cookie settings and safe redirects.

They live together so a reviewer can check the whole browser-facing security posture in one file.
Nothing here touches the database: the lead's routes combine these with the user model.

Wiring, in ``create_app(settings)`` (Starlette runs the last added middleware first)::

    app = FastAPI(dependencies=[Depends(CSRFProtect(exempt_path_prefixes=("/api/",)))])
    mount_static(app)
    app.add_middleware(LocaleMiddleware, default_locale=settings.default_locale)
    app.add_middleware(SessionMiddleware, **session_middleware_kwargs(settings))
    app.add_middleware(SecurityHeadersMiddleware)
    templates = Jinja2Blocks(directory=PROJECT_ROOT / "templates")
    install_i18n(templates.env)
    install_csrf(templates.env)
"""

from __future__ import annotations

import hmac
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from typing import Any, Final
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from carbon.config import Environment as RuntimeEnvironment
from carbon.config import Settings, resolve_secret_key
from carbon.i18n import gettext as _

# --- CSRF ------------------------------------------------------------------------------------

CSRF_SESSION_KEY: Final = "csrf_token"
CSRF_FORM_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "X-CSRF-Token"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_FORM_TYPES: Final = ("application/x-www-form-urlencoded", "multipart/form-data")


def get_csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (the session cookie then carries it)."""
    token = request.session.get(CSRF_SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_SESSION_KEY] = token
    return token


class CSRFProtect:
    """FastAPI dependency refusing unsafe requests that do not echo the session's CSRF token.

    The token comes from the ``X-CSRF-Token`` header (htmx, set by app.js) or the ``csrf_token``
    form field (plain forms). Apply it app-wide, ``FastAPI(dependencies=[Depends(CSRFProtect())])``,
    so a new route cannot forget it; ``exempt_path_prefixes`` is for routes that do not
    authenticate with the session cookie (a bearer-token JSON API), since CSRF rides on cookies.

    A dependency rather than a middleware because FastAPI has parsed the form before dependencies
    run: the form is read once, cached on the request, and the endpoint still gets it.
    """

    def __init__(self, *, exempt_path_prefixes: tuple[str, ...] = ()) -> None:
        self.exempt_path_prefixes = exempt_path_prefixes

    async def __call__(self, request: Request) -> None:
        if request.method in SAFE_METHODS:
            return
        if self.exempt_path_prefixes and request.url.path.startswith(self.exempt_path_prefixes):
            return
        expected = request.session.get(CSRF_SESSION_KEY)
        supplied = request.headers.get(CSRF_HEADER) or await _form_token(request)
        if not (
            isinstance(expected, str)
            and expected
            and supplied
            and hmac.compare_digest(expected.encode(), supplied.encode())
        ):
            raise HTTPException(
                status_code=403,
                detail=_(
                    "This form has expired or did not come from carbon. "
                    "Reload the page and try again."
                ),
            )


async def _form_token(request: Request) -> str | None:
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type not in _FORM_TYPES:
        return None
    # Buffer the raw body first so an endpoint reading request.body() still can; when the
    # endpoint declares Form() parameters FastAPI has already consumed the stream instead,
    # and request.form() below returns its cached result.
    with suppress(RuntimeError):
        await request.body()
    value = (await request.form()).get(CSRF_FORM_FIELD)
    return value if isinstance(value, str) else None


@pass_context
def _csrf_token_global(context: Context) -> str:
    request = context.get("request")
    # Pages rendered without a session (a 500 raised before the session middleware) have no
    # form to protect; an empty token is better than a second error.
    if request is None or "session" not in request.scope:
        return ""
    return get_csrf_token(request)


def install_csrf(env: Environment) -> None:
    """Adds ``csrf_token()`` to templates, for ``<input name="csrf_token">`` and the meta tag."""
    env.globals["csrf_token"] = _csrf_token_global


# --- Response headers ------------------------------------------------------------------------

# No inline script or style anywhere: app.js and app.css carry all of it.
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
SECURITY_HEADERS: Final[Mapping[str, str]] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


class SecurityHeadersMiddleware:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response, error pages and static files included,
    and ``Cache-Control: no-store`` to the JSON API's.

    A route that really needs another value sets the header itself; it is then left alone.
    """

    def __init__(self, app: ASGIApp, headers: Mapping[str, str] = SECURITY_HEADERS) -> None:
        self.app = app
        self.headers = dict(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        api = scope.get("path", "").startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    response_headers.setdefault(name, value)
                if api:
                    # A company's figures must not stay in a shared or proxy cache.
                    response_headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


# --- Login throttling ------------------------------------------------------------------------


class LoginRateLimiter:
    """Counts failed logins per e-mail address and per client IP over a sliding window.

    Per e-mail stops guessing one account's password; per IP stops trying many accounts. The IP
    allowance is larger because a whole cohort workshop often shares one office connection.
    State is in memory, per process: with several workers each keeps its own count, which still
    bounds guessing; it is lost on restart, which is acceptable for a throttle.
    """

    # Above this many tracked keys, expired ones are swept so random e-mails cannot grow memory.
    _SWEEP_ABOVE = 10_000

    def __init__(
        self,
        *,
        max_failures_per_email: int = 5,
        max_failures_per_ip: int = 20,
        window_s: float = 15 * 60,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures_per_email = max_failures_per_email
        self.max_failures_per_ip = max_failures_per_ip
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        # Sync routes run in a thread pool.
        self._lock = threading.Lock()

    def _keys(self, email: str, ip: str | None) -> list[tuple[tuple[str, str], int]]:
        keys = [(("email", email.strip().casefold()), self.max_failures_per_email)]
        if ip:
            keys.append((("ip", ip), self.max_failures_per_ip))
        return keys

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        stamps = self._failures.get(key, deque())
        while stamps and stamps[0] <= now - self.window_s:
            stamps.popleft()
        if not stamps:
            self._failures.pop(key, None)
        return stamps

    def retry_after(self, email: str, ip: str | None) -> float:
        """Seconds until a login attempt is allowed again; 0 when it is allowed now."""
        with self._lock:
            now = self.clock()
            wait = 0.0
            for key, limit in self._keys(email, ip):
                stamps = self._recent(key, now)
                if len(stamps) >= limit:
                    # Allowed again once enough failures have left the window.
                    wait = max(wait, stamps[len(stamps) - limit] + self.window_s - now)
            return wait

    def is_blocked(self, email: str, ip: str | None) -> bool:
        return self.retry_after(email, ip) > 0

    def record_failure(self, email: str, ip: str | None) -> None:
        with self._lock:
            now = self.clock()
            if len(self._failures) > self._SWEEP_ABOVE:
                for key in list(self._failures):
                    self._recent(key, now)
            for key, _limit in self._keys(email, ip):
                self._failures.setdefault(key, deque()).append(now)

    def record_success(self, email: str) -> None:
        """Clears the account's count. The IP count stays, or signing in to one's own account
        between guesses would reset the per-IP limit."""
        with self._lock:
            self._failures.pop(("email", email.strip().casefold()), None)


# --- Session cookie and redirects ------------------------------------------------------------

SESSION_COOKIE: Final = "carbon_session"


def session_middleware_kwargs(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for Starlette's ``SessionMiddleware``.

    ``https_only`` everywhere but development and test, which run on plain http://localhost.
    ``same_site="lax"`` keeps the cookie off cross-site POSTs, a second line behind CSRF tokens.
    """
    return {
        "secret_key": resolve_secret_key(settings),
        "session_cookie": SESSION_COOKIE,
        "max_age": settings.session_max_age_s,
        "same_site": "lax",
        "https_only": settings.env not in (RuntimeEnvironment.development, RuntimeEnvironment.test),
    }


def safe_redirect_target(target: str | None, default: str = "/") -> str:
    """``target`` when it is a path on this site, else ``default``: ``next`` parameters (after
    login, after switching language) must not send users to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(char) < 0x20 for char in target):
        return default
    return target


# --- Request size ----------------------------------------------------------------------------


# The largest body of a request that is not an upload: Starlette refuses a form field over
# 1 MiB with a 400 while parsing it, so a larger form is refused here first, with the 413 that
# says what is wrong.
FORM_MAX_BYTES: Final = 1024 * 1024


class BodySizeLimitMiddleware:
    """Refuses request bodies over their limit with 413 before anything buffers them.

    The CSRF check may read a whole form body to find its token, and Starlette parses multipart
    uploads before a route runs: without this, a huge upload would sit in memory first.
    A declared Content-Length is checked up front; a chunked body is counted as it arrives.
    ``uploads`` gives the paths (regular expressions) that take a larger body, with their limit;
    every other request is limited to ``max_bytes``.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        uploads: Sequence[tuple[str, int]] = (),
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.uploads = [(re.compile(pattern), limit) for pattern, limit in uploads]

    def limit_for(self, path: str) -> int:
        for pattern, limit in self.uploads:
            if pattern.fullmatch(path):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await self._refuse(send, max_bytes)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > max_bytes:
                    raise RequestTooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except RequestTooLarge:
            await self._refuse(send, max_bytes)

    async def _refuse(self, send: Send, max_bytes: int) -> None:
        mb = max_bytes / 1_000_000
        body = (_("The request is larger than the limit of %(mb).0f MB.") % {"mb": mb}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")],
            }
        )
        await send({"type": "http.response.body", "body": body})


class RequestTooLarge(Exception):
    """Raised while reading an oversized body; BodySizeLimitMiddleware answers it with 413."""
