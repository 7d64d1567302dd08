"""Administration of accounts: who has one, what they may see, deactivating and making admins.

Accounts are created by accepting an invitation (see admin_invitations and account); here an
administrator sees every account with its companies and cohorts, deactivates one (a consultant
who left: their sign-in stops at the next request) and grants or withdraws administration. An
administrator cannot deactivate or demote themself, so the last one cannot lock everyone out.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from carbon.db.audit import snapshot
from carbon.db.models import CohortCoach, Membership, User
from carbon.i18n import gettext as _
from carbon.web.deps import FormDep, Id, SessionDep
from carbon.web.routes.admin import AdminDep, audited, get_or_404
from carbon.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/admin/users")
def users_page(request: Request, session: SessionDep, _admin: AdminDep) -> Response:
    users = session.scalars(
        select(User)
        .options(selectinload(User.memberships).selectinload(Membership.company))
        .order_by(User.email)
    ).all()
    coaching: dict[int, list[str]] = {}
    for link in session.scalars(select(CohortCoach).options(selectinload(CohortCoach.cohort))):
        coaching.setdefault(link.user_id, []).append(link.cohort.name)
    return render(request, "admin_users.html", {"users": users, "coaching": coaching})


@router.post("/admin/users/{user_id}")
def change_user(
    request: Request, user_id: Id, session: SessionDep, admin: AdminDep, form: FormDep
) -> Response:
    """``is_active`` or ``is_admin`` set to "1" or "0"; ``end_sessions`` "1" signs the user out
    everywhere (a lost laptop, a shared computer)."""
    user: User = get_or_404(session, User, user_id)
    if user.id == admin.id:
        raise HTTPException(409, _("You cannot deactivate or demote your own account."))
    before = snapshot(user)
    for key in ("is_active", "is_admin"):
        if form.get(key) in ("0", "1"):
            setattr(user, key, form[key] == "1")
    if form.get("end_sessions") == "1":
        user.session_generation += 1
    audited(session, admin, "update", user, before)
    session.commit()
    return RedirectResponse("/admin/users", status_code=303)
