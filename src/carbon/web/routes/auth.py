"""Signing in and out, and choosing the interface language."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from carbon.auth import hash_password, needs_rehash, verify_password
from carbon.config import Environment
from carbon.db.models import User, normalise_email
from carbon.i18n import LOCALES
from carbon.i18n import gettext as _
from carbon.web.deps import (
    SESSION_GENERATION_KEY,
    SESSION_LOGIN_AT_KEY,
    SESSION_USER_KEY,
    SessionDep,
)
from carbon.web.i18n import set_locale_cookie
from carbon.web.security import safe_redirect_target
from carbon.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_page(request: Request, next: str = "") -> Response:
    return render(request, "login.html", {"next": safe_redirect_target(next, "")})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "",
) -> Response:
    settings = request.app.state.settings
    limiter = request.app.state.login_limiter
    ip = request.client.host if request.client else None
    email = normalise_email(email)
    ctx = {"email": email, "next": next}
    if limiter.is_blocked(email, ip):
        minutes = max(1, round(limiter.retry_after(email, ip) / 60))
        ctx["error"] = _("Too many attempts. Try again in %(n)s minutes.") % {"n": minutes}
        return render(request, "login.html", ctx, blocks=["login_form"], status_code=429)
    user = session.scalar(select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else None, password, settings)
    if user is None or not ok or not user.is_active:
        limiter.record_failure(email, ip)
        ctx["error"] = _("Wrong e-mail address or password.")
        return render(request, "login.html", ctx, blocks=["login_form"], status_code=422)
    limiter.record_success(email)
    if user.password_hash and needs_rehash(user.password_hash, settings):
        user.password_hash = hash_password(password, settings)
    user.last_login_at = datetime.now(UTC)
    session.commit()
    # A new session on sign-in (no fixation); it also renews the CSRF token.
    request.session.clear()
    request.session[SESSION_USER_KEY] = user.id
    request.session[SESSION_LOGIN_AT_KEY] = int(time.time())
    request.session[SESSION_GENERATION_KEY] = user.session_generation
    request.session["locale"] = user.locale
    target = safe_redirect_target(next, "/")
    if is_htmx(request):
        # A full reload, so the page picks up the new CSRF token.
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    # The cookie is signed, not stored: forgetting it here would leave any copy of it valid.
    # Moving the generation ends this session and the user's others (a borrowed computer's).
    uid = request.session.get(SESSION_USER_KEY)
    user = session.get(User, uid) if isinstance(uid, int) else None
    if user is not None and request.session.get(SESSION_GENERATION_KEY) == user.session_generation:
        user.session_generation += 1
        session.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/lang")
def switch_language(
    request: Request,
    session: SessionDep,
    lang: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    if lang not in LOCALES:
        lang = request.app.state.settings.default_locale
    uid = request.session.get(SESSION_USER_KEY)
    if isinstance(uid, int):
        user = session.get(User, uid)
        if user is not None:
            user.locale = lang
            session.commit()
    request.session["locale"] = lang
    response = RedirectResponse(safe_redirect_target(next, "/"), status_code=303)
    secure = request.app.state.settings.env == Environment.production
    set_locale_cookie(response, lang, secure=secure)
    return response
