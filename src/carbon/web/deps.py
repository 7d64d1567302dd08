"""Typed FastAPI dependencies: the database session, the signed-in user and the posted form.

``SessionDep`` gives each request its own session, closed at the end (routes commit what they
change). ``PrincipalDep`` is the signed-in user with their memberships; without one, HTML
requests are sent to the login page and API requests get 401. ``FormDep`` and ``RawFormDep``
are the posted form, awaited here so that routes stay plain ``def``: FastAPI runs those in a
worker thread, where an ``async def`` route would run its database queries, argon2 hashes and
imports on the event loop and hold up every other request of the process meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from carbon.coaching.dashboard import CohortTables
from carbon.db.compute import SESSION_KEY, Computations
from carbon.db.models import User
from carbon.db.session import WRITE_OPTION
from carbon.inputs.numbers import MAX_ID
from carbon.web.access import Principal, load_principal
from carbon.web.dashboard_data import Dashboards

# Identifiers are 32-bit integers in PostgreSQL: a larger one in a URL is simply not found (422
# from validation), not a database error.
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int, Query(ge=1, le=MAX_ID)]


def form_id(raw: str | None) -> int | None:
    """An identifier typed in a form field or a query, or None: plain ASCII digits within
    MAX_ID only. ``"²".isdigit()`` is true and ``int("²")`` fails, and an id of 2**63 overflows
    the database's integer: both were 500s."""
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10):
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


SESSION_USER_KEY = "uid"
SESSION_LOGIN_AT_KEY = "at"
# The user's session generation when the cookie was issued (see User.session_generation).
SESSION_GENERATION_KEY = "gen"


class LoginRequired(Exception):
    """Raised by dependencies when nobody (or an expired session) is signed in."""


def get_computations(request: Request) -> Computations:
    computations: Computations = request.app.state.computations
    return computations


ComputationsDep = Annotated[Computations, Depends(get_computations)]


def get_dashboards(request: Request) -> Dashboards:
    dashboards: Dashboards = request.app.state.dashboards
    return dashboards


def get_cohort_tables(request: Request) -> CohortTables:
    tables: CohortTables = request.app.state.cohort_tables
    return tables


# What the application keeps between requests (carbon.web.app.create_app builds them).
DashboardsDep = Annotated[Dashboards, Depends(get_dashboards)]
CohortTablesDep = Annotated[CohortTables, Depends(get_cohort_tables)]


# Methods that change something: their session writes (see carbon.db.session.WRITE_OPTION).
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def get_session(request: Request, computations: ComputationsDep) -> Iterator[Session]:
    """The request's session, carrying the application's computations (carbon.db.compute); a
    request that changes something opens a writing session (carbon.db.session.WRITE_OPTION)."""
    writes = request.method in WRITE_METHODS
    session: Session = request.app.state.sessions(
        execution_options={WRITE_OPTION: True} if writes else None
    )
    session.info[SESSION_KEY] = computations
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def optional_principal(request: Request, session: SessionDep) -> Principal | None:
    uid = request.session.get(SESSION_USER_KEY)
    if not isinstance(uid, int):
        return None
    login_at = request.session.get(SESSION_LOGIN_AT_KEY, 0)
    max_age = request.app.state.settings.session_max_age_s
    if not isinstance(login_at, int | float) or time.time() - login_at > max_age:
        request.session.clear()
        return None
    user = session.get(User, uid)
    generation = request.session.get(SESSION_GENERATION_KEY)
    if user is None or not user.is_active or generation != user.session_generation:
        # Signed out (here or elsewhere), password changed, or ended by an administrator.
        request.session.clear()
        return None
    principal = load_principal(session, user)
    request.state.principal = principal
    return principal


def require_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise LoginRequired
    return principal


PrincipalDep = Annotated[Principal, Depends(require_principal)]


async def raw_form(request: Request) -> FormData:
    """The posted form as Starlette parsed it (cached on the request: the CSRF check may have
    read it already)."""
    return await request.form()


async def read_form(form: Annotated[FormData, Depends(raw_form)]) -> dict[str, str]:
    """The posted fields as text (repeated fields joined by commas), without the CSRF token."""
    return {k: ",".join(str(v) for v in form.getlist(k)) for k in form if k != "csrf_token"}


RawFormDep = Annotated[FormData, Depends(raw_form)]
FormDep = Annotated[dict[str, str], Depends(read_form)]
