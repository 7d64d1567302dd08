"""Invitations: the only way an account is created. No e-mail server is involved.

An administrator invites anyone (a company member, or a coach to a cohort); a coach invites the
people of the companies their cohorts follow. The inviter gets a link to pass on (e-mail, chat);
the random token in it is shown once and only its SHA-256 is stored, so the database alone
cannot be used to accept an invitation. A link works once, for 14 days (see account.py).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.db.audit import snapshot
from carbon.db.models import (
    Cohort,
    CohortCoach,
    Company,
    Invitation,
    InvitationRole,
    Membership,
    User,
)
from carbon.i18n import gettext as _
from carbon.inputs.invitation import InvitationForm
from carbon.inputs.messages import InputError
from carbon.inputs.validate import validated
from carbon.web.access import Principal, coached_company_ids
from carbon.web.deps import FormDep, Id, PrincipalDep, SessionDep
from carbon.web.loaders import not_found
from carbon.web.routes.admin import audited
from carbon.web.templating import render

router = APIRouter(include_in_schema=False)

INVITATION_VALIDITY = timedelta(days=14)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def require_inviter(principal: PrincipalDep) -> Principal:
    if not (principal.is_admin or principal.is_coach):
        raise not_found()
    return principal


InviterDep = Annotated[Principal, Depends(require_inviter)]


def _companies(session: Session, principal: Principal) -> list[Company]:
    query = select(Company).order_by(Company.name)
    if not principal.is_admin:
        query = query.where(Company.id.in_(coached_company_ids(session, principal)))
    return list(session.scalars(query))


def _cohorts(session: Session, principal: Principal) -> list[Cohort]:
    # Coach invitations decide who sees a whole cohort's data: administrators only.
    if not principal.is_admin:
        return []
    return list(session.scalars(select(Cohort).order_by(Cohort.id.desc())))


def _visible(session: Session, principal: Principal) -> list[Invitation]:
    query = select(Invitation).order_by(Invitation.created_at.desc())
    if not principal.is_admin:
        query = query.where(Invitation.company_id.in_(coached_company_ids(session, principal)))
    return list(session.scalars(query))


def _page(request: Request, session: Session, principal: Principal, **ctx: Any) -> Response:
    ctx.setdefault("form", {"role": "member"})
    ctx.setdefault("errors", {})
    full = {
        "companies": _companies(session, principal),
        "cohorts": _cohorts(session, principal),
        "invitations": _visible(session, principal),
        "now": datetime.now(UTC),
        **ctx,
    }
    return render(request, "admin_invitations.html", full,
                  status_code=422 if ctx["errors"] else 200)  # fmt: skip


@router.get("/invitations")
def invitations_page(request: Request, session: SessionDep, principal: InviterDep) -> Response:
    return _page(request, session, principal)


def _already_in(session: Session, email: str, role: str, target_id: int) -> bool:
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        return False
    if role == InvitationRole.coach:
        link = select(CohortCoach.id).where(
            CohortCoach.user_id == user.id, CohortCoach.cohort_id == target_id
        )
    else:
        link = select(Membership.id).where(
            Membership.user_id == user.id, Membership.company_id == target_id
        )
    return session.scalar(link) is not None


def _read(
    session: Session, principal: Principal, form: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The invitation's columns (:class:`carbon.inputs.invitation.InvitationForm`), or errors."""
    context = {
        "own_email": principal.user.email,
        "company_ids": {c.id for c in _companies(session, principal)},
        "cohort_ids": {c.id for c in _cohorts(session, principal)},
        "may_invite_coach": principal.is_admin,
    }
    try:
        invitation = validated(InvitationForm, form, context)
    except InputError as exc:
        return {}, exc.errors
    values = invitation.values()
    target = values.get("cohort_id") or values.get("company_id") or 0
    if _already_in(session, invitation.email, invitation.role, target):
        return values, {"email": _("This person already has this access.")}
    return values, {}


@router.post("/invitations")
def create_invitation(
    request: Request, session: SessionDep, principal: InviterDep, form: FormDep
) -> Response:
    values, errors = _read(session, principal, form)
    if errors:
        return _page(request, session, principal, form=form, errors=errors)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        token_hash=hash_token(token),
        created_by_id=principal.id,
        expires_at=datetime.now(UTC) + INVITATION_VALIDITY,
        **values,
    )
    session.add(invitation)
    audited(session, principal, "create", invitation, None, company_id=invitation.company_id)
    session.commit()
    # Shown once, in this response only: the database keeps the hash.
    link = str(request.base_url).rstrip("/") + f"/invite/{token}"
    return _page(request, session, principal, created=invitation, link=link)


@router.post("/invitations/{invitation_id}/revoke")
def revoke_invitation(
    request: Request, invitation_id: Id, session: SessionDep, principal: InviterDep
) -> Response:
    invitation = next((i for i in _visible(session, principal) if i.id == invitation_id), None)
    if invitation is None:
        raise not_found()
    if invitation.used_at is None:
        before = snapshot(invitation)
        audited(session, principal, "revoke", invitation, before,
                company_id=invitation.company_id, removed=True)  # fmt: skip
        session.delete(invitation)
        session.commit()
    return RedirectResponse("/invitations", status_code=303)
