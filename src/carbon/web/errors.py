"""Error responses: a clear page (or JSON for the API), never a stack trace.

A database that cannot be reached answers 503 with a page that says so; the next request tries
again by itself, since connections come from the pool afresh.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from carbon.i18n import gettext as _
from carbon.inputs.messages import pydantic_message
from carbon.web.deps import LoginRequired
from carbon.web.security import RequestTooLarge
from carbon.web.templating import is_htmx, render

log = logging.getLogger("carbon.web")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, detail: str | None = None) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": detail or ""}, status_code=status)
    ctx = {"status_code": status, "detail": detail}
    return render(request, "errors.html", ctx, blocks=["error"], status_code=status)


def _status_phrase(status: int) -> str | None:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return None


def _json_safe(value: Any) -> Any:
    """A value JSON can carry: NaN and infinities (refused input, echoed back) become text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def api_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """FastAPI's 422 entries with each ``msg`` in the reader's language (carbon.inputs.messages),
    and nothing that JSON cannot encode."""
    out = []
    for error in errors:
        entry = dict(error)
        if entry.get("type") != "checked" and tuple(entry.get("loc", ()))[:1] == ("body",):
            entry["msg"] = pydantic_message(error)
        # jsonable_encoder: a validator's error context may hold an exception object.
        out.append(_json_safe(jsonable_encoder(entry)))
    return out


class ErrorPageMiddleware:
    """Answers an unexpected error with the error page and keeps the connection open.

    Starlette's outermost error handler sends its 500 and then re-raises, so that the server
    logs it; uvicorn then closes the connection, and the browser's next request on it (kept
    alive) was reset. Here the error is logged and answered, and goes no further. Placed
    inside the session and locale middleware, so the page speaks the user's language.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except RequestTooLarge:
            raise  # answered 413 by BodySizeLimitMiddleware, further out
        except Exception:
            request = Request(scope)
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            if started:  # nothing sensible can follow half a response
                raise
            response = error_response(request, 500)
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": "authentication required"}, status_code=401)
        target = "/login?next=" + quote(request.url.path)
        if is_htmx(request):
            # Don't redirect after an htmx request: the login page would land inside a fragment.
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail: str | None = exc.detail if isinstance(exc.detail, str) else None
        if detail == _status_phrase(exc.status_code) and not _wants_json(request):
            # Starlette's own English phrase ("Not Found", "Method Not Allowed"): the page
            # already says it, translated.
            detail = None
        response = error_response(request, exc.status_code, detail)
        for k, v in (exc.headers or {}).items():
            response.headers[k] = v
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": api_errors(exc.errors())}, status_code=422)
        fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
        return error_response(request, 422, _("Invalid input: %(fields)s") % {"fields": fields})

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, _exc: StaleDataError) -> Response:
        return error_response(
            request,
            409,
            _("Someone changed this in the meantime. Reload the page to see their version."),
        )

    def _unavailable(request: Request, exc: DBAPIError) -> Response:
        log.error("database unavailable: %s", exc.orig)
        response = error_response(
            request, 503, _("The database cannot be reached. Please try again in a moment.")
        )
        response.headers["Retry-After"] = "10"
        return response

    @app.exception_handler(OperationalError)
    async def _db_down(request: Request, exc: OperationalError) -> Response:
        return _unavailable(request, exc)

    @app.exception_handler(DBAPIError)
    async def _db_error(request: Request, exc: DBAPIError) -> Response:
        if exc.connection_invalidated:
            return _unavailable(request, exc)
        log.exception("database error")
        return error_response(request, 500)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, _exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500)
