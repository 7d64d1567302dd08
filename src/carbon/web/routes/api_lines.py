"""The JSON API, activity lines: list, read, create, replace, delete.

Every write goes through :mod:`carbon.db.activity_lines`, like the forms and the spreadsheet
import, so the same checks apply and every change lands in the audit log. Writes need the
session's CSRF token in the ``X-CSRF-Token`` header (enforced app-wide, as for htmx), since the
API authenticates with the same cookie as the pages. Refused input answers 422 with one entry
per field (``loc`` ending with the field's name), in the shape FastAPI uses for its own checks.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from carbon.db.activity_lines import add_line, delete_line, site_country, update_line
from carbon.db.models import ActivityLine, ReportingPeriod
from carbon.db.writes import apply
from carbon.i18n import gettext as _
from carbon.inputs.line import line_values
from carbon.inputs.messages import InputError
from carbon.web.access import Principal, can_edit_period
from carbon.web.deps import MAX_ID, Id, PrincipalDep, SessionDep
from carbon.web.loaders import line_or_404, period_or_404
from carbon.web.routes.api import READ_ERRORS
from carbon.web.routes.api_models import ConflictOut, ErrorOut, LineIn, LineOut, LineUpdate

WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    403: {"model": ErrorOut, "description": "Missing CSRF token, or a read-only period"},
    422: {"model": ErrorOut, "description": "Refused input, one message per field"},
}

router = APIRouter(prefix="/api", tags=["activity lines"], responses=READ_ERRORS)


def _editable(principal: Principal, period: ReportingPeriod) -> None:
    if not can_edit_period(principal, period):
        raise HTTPException(
            403, _("This period is read-only: it has been submitted or validated, or is not yours.")
        )


def _invalid(errors: dict[str, str]) -> RequestValidationError:
    # "checked": the message is already ours, in the reader's language (see web/errors.py).
    return RequestValidationError(
        [{"loc": ("body", k), "msg": v, "type": "checked"} for k, v in errors.items()]
    )


@router.get("/periods/{period_id}/lines", response_model=list[LineOut])
def api_lines(period_id: Id, session: SessionDep, principal: PrincipalDep) -> list[ActivityLine]:
    """The period's activity lines, in entry order."""
    return list(period_or_404(session, principal, period_id).lines)


@router.get("/lines/{line_id}", response_model=LineOut)
def api_line(line_id: Id, session: SessionDep, principal: PrincipalDep) -> ActivityLine:
    return line_or_404(session, principal, line_id)


@router.post(
    "/periods/{period_id}/lines", status_code=201, response_model=LineOut, responses=WRITE_ERRORS
)
def api_create_line(
    period_id: Id, body: LineIn, session: SessionDep, principal: PrincipalDep
) -> ActivityLine:
    """Add a line to a draft period of your company (audited)."""
    period = period_or_404(session, principal, period_id)
    _editable(principal, period)
    try:
        values = line_values(body, site_country(session, period))
        line = apply(session, lambda: add_line(session, principal.id, period, values))
    except InputError as exc:
        raise _invalid(exc.errors) from None
    session.refresh(line)
    return line


@router.put(
    "/lines/{line_id}",
    response_model=LineOut,
    responses={**WRITE_ERRORS, 409: {"model": ConflictOut, "description": "Stale version_id"}},
)
def api_update_line(
    line_id: Id, body: LineUpdate, session: SessionDep, principal: PrincipalDep
) -> ActivityLine | JSONResponse:
    """Replace a line; ``version_id`` must be the one you read, else 409 (audited)."""
    line = line_or_404(session, principal, line_id)
    _editable(principal, line.period)
    try:
        values = line_values(body, site_country(session, line.period))
        apply(session, lambda: update_line(session, principal.id, line, values, body.version_id))
    except InputError as exc:
        raise _invalid(exc.errors) from None
    except StaleDataError:
        session.rollback()
        return _conflict(session, line_id)
    session.refresh(line)
    return line


def _conflict(session: Session, line_id: int) -> JSONResponse:
    """409 with the line as it is now, so that a client can merge instead of reading again."""
    session.expire_all()
    current = session.get(ActivityLine, line_id)
    body = ConflictOut(
        detail=_("Someone changed this in the meantime. Reload the page to see their version."),
        current=None if current is None else LineOut.model_validate(current),
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=409)


@router.delete(
    "/lines/{line_id}",
    status_code=204,
    response_class=Response,
    responses={**WRITE_ERRORS, 409: {"model": ConflictOut, "description": "Stale version_id"}},
)
def api_delete_line(
    line_id: Id,
    session: SessionDep,
    principal: PrincipalDep,
    version_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Refuse (409) if changed since")
    ] = None,
) -> Response:
    """Delete a line of a draft period (audited)."""
    line = line_or_404(session, principal, line_id)
    _editable(principal, line.period)
    try:
        delete_line(session, principal.id, line, expected_version=version_id)
    except StaleDataError:
        session.rollback()
        return _conflict(session, line_id)
    session.commit()
    return Response(status_code=204)
