"""Accepting an invitation (setting one's password) and changing one's password.

An invitation link carries a random token; its hash finds the invitation. A used, expired or
unknown link gets a page that says which, never a form. An invitation to an address that already
has an account with a password does not set a password (whoever can invite could otherwise take
over any account): its owner signs in, then accepts. Passwords are hashed with argon2
(:func:`carbon.auth.hash_password`).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.auth import hash_password, verify_password
from carbon.db.audit import record
from carbon.db.models import CohortCoach, Invitation, InvitationRole, Membership, User
from carbon.i18n import get_locale
from carbon.i18n import gettext as _
from carbon.web.access import Principal
from carbon.web.deps import (
    SESSION_GENERATION_KEY,
    SESSION_LOGIN_AT_KEY,
    SESSION_USER_KEY,
    FormDep,
    PrincipalDep,
    SessionDep,
    optional_principal,
)
from carbon.web.routes.admin_invitations import hash_token
from carbon.web.templating import render

router = APIRouter(include_in_schema=False)

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # argon2 takes anything; a megabyte "password" is an attack

OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def sign_in(request: Request, user: User) -> None:
    """A fresh session for ``user`` (no fixation; a new CSRF token comes with it)."""
    request.session.clear()
    request.session[SESSION_USER_KEY] = user.id
    request.session[SESSION_LOGIN_AT_KEY] = int(time.time())
    request.session[SESSION_GENERATION_KEY] = user.session_generation
    request.session["locale"] = user.locale


def password_errors(password: str, confirm: str) -> dict[str, str]:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        message = _("Choose a password of at least %(n)s characters.")
        return {"password": message % {"n": MIN_PASSWORD_LENGTH}}
    if password != confirm:
        return {"password_confirm": _("The two passwords differ.")}
    return {}


# --- Invitations -------------------------------------------------------------------------------


def _invitation(session: Session, token: str) -> tuple[Invitation | None, str | None]:
    """The invitation and, when it cannot be accepted, why: unknown, used, expired."""
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    )
    if invitation is None:
        return None, "unknown"
    if invitation.used_at is not None:
        return invitation, "used"
    if invitation.expires_at <= datetime.now(UTC):
        return invitation, "expired"
    return invitation, None


def _invite_page(request: Request, session: Session, token: str, principal: Principal | None,
                 **ctx: Any) -> Response:  # fmt: skip
    invitation, problem = _invitation(session, token)
    user = None
    if invitation is not None:
        user = session.scalar(select(User).where(User.email == invitation.email))
    if problem is None and user is not None and not user.is_active:
        problem = "inactive"
    status = {"unknown": 404, "used": 410, "expired": 410, "inactive": 403}.get(problem or "", 200)
    ctx.setdefault("errors", {})
    if ctx["errors"]:
        status = 422
    full = {
        "invitation": None if problem == "unknown" else invitation,
        "problem": problem,
        "token": token,
        # An existing account keeps its password: its owner signs in and accepts.
        "existing": user is not None and user.password_hash is not None,
        "signed_in_as_invitee": principal is not None
        and invitation is not None
        and principal.user.email == invitation.email,
        "signed_in": principal,
        **ctx,
    }
    return render(request, "invite.html", full, status_code=status)


@router.get("/invite/{token}")
def invite_page(
    request: Request, token: str, session: SessionDep, principal: OptionalPrincipal
) -> Response:
    return _invite_page(request, session, token, principal)


def _grant(session: Session, invitation: Invitation, user: User) -> None:
    session.flush()  # a new account needs its id
    if invitation.created_by_id is not None and invitation.created_by_id == user.id:
        # An invitation made before self-invitations were refused (see admin_invitations).
        raise HTTPException(403, _("You cannot accept an invitation you made yourself."))
    if invitation.role == InvitationRole.coach and invitation.cohort_id is not None:
        exists = session.scalar(
            select(CohortCoach).where(
                CohortCoach.cohort_id == invitation.cohort_id, CohortCoach.user_id == user.id
            )
        )
        if exists is None:
            session.add(CohortCoach(cohort_id=invitation.cohort_id, user_id=user.id))
    elif invitation.company_id is not None:
        membership = session.scalar(
            select(Membership).where(
                Membership.company_id == invitation.company_id, Membership.user_id == user.id
            )
        )
        if membership is None:
            session.add(Membership(company_id=invitation.company_id, user=user,
                                   role=invitation.role))  # fmt: skip
        elif invitation.role == InvitationRole.owner:
            membership.role = InvitationRole.owner.value
    invitation.used_at = datetime.now(UTC)
    session.flush()
    record(session, user.id, "accept", "invitation", invitation.id, None,
           {"email": invitation.email, "role": invitation.role, "user_id": user.id},
           company_id=invitation.company_id)  # fmt: skip


@router.post("/invite/{token}")
def accept_invitation(
    request: Request, token: str, session: SessionDep, principal: OptionalPrincipal, form: FormDep
) -> Response:
    invitation, problem = _invitation(session, token)
    if invitation is None or problem is not None:
        return _invite_page(request, session, token, principal)
    user = session.scalar(select(User).where(User.email == invitation.email))
    if user is not None and (not user.is_active or user.password_hash is not None):
        if not user.is_active or principal is None or principal.id != user.id:
            return _invite_page(request, session, token, principal)
        _grant(session, invitation, user)  # the account's owner, signed in, accepts
        session.commit()
        return RedirectResponse("/", status_code=303)
    errors = password_errors(form.get("password", ""), form.get("password_confirm", ""))
    name = form.get("display_name", "").strip()
    if len(name) > 200:
        errors["display_name"] = _("200 characters at most.")
    if errors:
        return _invite_page(request, session, token, principal, errors=errors, name=name)
    settings = request.app.state.settings
    if user is None:
        user = User(email=invitation.email, locale=get_locale())
        session.add(user)
    user.display_name = name
    user.password_hash = hash_password(form["password"], settings)
    user.last_login_at = datetime.now(UTC)
    _grant(session, invitation, user)
    session.commit()
    sign_in(request, user)
    return RedirectResponse("/", status_code=303)


# --- Password change ---------------------------------------------------------------------------


@router.get("/account/password")
def password_page(request: Request, principal: PrincipalDep, changed: int = 0) -> Response:
    return render(request, "account_password.html", {"errors": {}, "changed": bool(changed)})


@router.post("/account/password")
def change_password(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    settings = request.app.state.settings
    limiter = request.app.state.login_limiter
    ip = request.client.host if request.client else None
    user = principal.user
    errors: dict[str, str] = {}
    # The same throttle as sign-in: a stolen session must not become a password-guessing oracle.
    if limiter.is_blocked(user.email, ip):
        errors["current_password"] = _("Too many attempts. Try again later.")
    elif not verify_password(user.password_hash, form.get("current_password", ""), settings):
        limiter.record_failure(user.email, ip)
        errors["current_password"] = _("This is not your current password.")
    else:
        errors = password_errors(form.get("password", ""), form.get("password_confirm", ""))
    if errors:
        ctx = {"errors": errors, "changed": False}
        return render(request, "account_password.html", ctx, status_code=422)
    limiter.record_success(user.email)
    user.password_hash = hash_password(form["password"], settings)
    # Every other session ends (someone who knew the old password); this one is renewed.
    user.session_generation += 1
    record(session, user.id, "password_change", "user_account", user.id, None, None)
    session.commit()
    sign_in(request, user)
    return RedirectResponse("/account/password?changed=1", status_code=303)
