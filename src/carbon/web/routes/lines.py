"""Adding, editing and deleting activity lines from the period page (htmx fragments).

Each successful change answers with the period's ``workspace`` block (lines and totals, updated
in place) and a fresh ``line_form`` swapped out of band. A refused line (422, nothing stored)
comes back as the form that sent it, with the values as typed and each message next to its
field: the add-line form as ``line_form``, an edit as its table row (``line_editor``), retargeted
there with ``HX-Retarget``, since the form's own target is the workspace. A line is edited in its
own row; saved or cancelled, the workspace comes back with the focus on that line.

The form is checked by :class:`carbon.inputs.line.LineForm`, the model the JSON API's
``LineIn`` shares its fields, ranges and messages with.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from carbon.db.activity_lines import add_line, delete_line, site_country, update_line
from carbon.db.models import ReportingPeriod
from carbon.db.writes import apply
from carbon.factors.bundled import search_activities
from carbon.i18n import fmt_plain, get_locale
from carbon.i18n import gettext as _
from carbon.inputs.line import LineForm, line_values
from carbon.inputs.messages import InputError
from carbon.inputs.validate import validated
from carbon.web.access import can_edit_period
from carbon.web.deps import MAX_ID, FormDep, Id, PrincipalDep, SessionDep
from carbon.web.loaders import line_or_404, period_or_404
from carbon.web.routes.workspace import period_context
from carbon.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)


def _read_only() -> HTTPException:
    return HTTPException(403, _("This period is read-only: it has been submitted or validated."))


def _form_response(
    request: Request, session: Any, principal: Any, period: ReportingPeriod,
    form: dict[str, str], errors: dict[str, str], status: int = 422,
) -> Response:  # fmt: skip
    """The form that was sent, in place: the add-line form, or the edited line's row."""
    ctx = period_context(session, principal, period)
    ctx.update(form=form, errors=errors)
    editing = bool(form.get("line_id"))
    target = f"#line-{form['line_id']}" if editing else "#line-form"
    # The form posts with the workspace as its target; its answer replaces the form instead.
    headers = {"HX-Retarget": target, "HX-Reswap": "outerHTML"} if status != 200 else {}
    block = "line_editor" if editing else "line_form"
    return render(request, "period.html", ctx, blocks=[block], status_code=status, headers=headers)


def _workspace_response(
    request: Request, session: Any, principal: Any, period: Any, focus_line: int | None = None
) -> Response:
    if not is_htmx(request):
        anchor = f"#line-{focus_line}" if focus_line else ""
        return RedirectResponse(f"/periods/{period.id}{anchor}", status_code=303)
    ctx = period_context(session, principal, period)
    ctx.update(form={}, errors={}, oob=True, focus_line=focus_line)
    return render(request, "period.html", ctx, blocks=["workspace", "line_form"])


@router.get("/periods/{period_id}/activities")
def activity_search(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep,
    q: str = "", activity_id: str = "",
) -> Response:  # fmt: skip
    """As-you-type search of the catalogue; picking one re-renders the form with its units."""
    period = period_or_404(session, principal, period_id)
    ctx = period_context(session, principal, period)
    found = search_activities(q, get_locale(), limit=12) if q.strip() else []
    ctx.update(form={"activity_id": activity_id, "q": q}, errors={}, found=found)
    block = "line_form" if activity_id else "activity_results"
    return render(request, "period.html", ctx, blocks=[block])


@router.get("/lines/{line_id}/edit")
def edit_line_form(
    request: Request, line_id: Id, session: SessionDep, principal: PrincipalDep
) -> Response:
    line = line_or_404(session, principal, line_id)
    if not can_edit_period(principal, line.period):
        raise _read_only()
    form = {
        "line_id": str(line.id),
        "version_id": str(line.version_id),
        "activity_id": line.activity_id or "",
        "quantity": fmt_plain(line.quantity),
        "unit": line.unit,
        "data_quality": line.data_quality,
        "site_id": str(line.site_id or ""),
        "comment": line.comment or "",
        "evidence_ref": line.evidence_ref or "",
        "factor_id": "" if line.activity_id else line.factor_id,
        "poste": "" if line.activity_id else line.poste,
        "supplier_factor_kgco2e": ""
        if line.supplier_factor_kgco2e is None
        else fmt_plain(line.supplier_factor_kgco2e),
    }
    return _form_response(request, session, principal, line.period, form, {}, status=200)


@router.post("/periods/{period_id}/lines")
def create_line(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    period = period_or_404(session, principal, period_id)
    if not can_edit_period(principal, period):
        raise _read_only()
    try:
        values = line_values(validated(LineForm, form), site_country(session, period))
        apply(session, lambda: add_line(session, principal.id, period, values))
    except InputError as exc:
        return _form_response(request, session, principal, period, form, exc.errors)
    return _workspace_response(request, session, principal, period)


@router.post("/lines/{line_id}")
def edit_line(
    request: Request, line_id: Id, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    line = line_or_404(session, principal, line_id)
    period = line.period
    if not can_edit_period(principal, period):
        raise _read_only()
    shown = {**form, "line_id": str(line.id)}
    try:
        posted = validated(LineForm, form)
        values = line_values(posted, site_country(session, period))
        version = posted.version_id or 0
        apply(session, lambda: update_line(session, principal.id, line, values, version))
    except InputError as exc:
        return _form_response(request, session, principal, period, shown, exc.errors)
    return _workspace_response(request, session, principal, period, focus_line=line.id)


@router.post("/lines/{line_id}/delete")
def remove_line(
    request: Request,
    line_id: Id,
    session: SessionDep,
    principal: PrincipalDep,
    version_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
) -> Response:
    line = line_or_404(session, principal, line_id)
    period = line.period
    if not can_edit_period(principal, period):
        raise _read_only()
    delete_line(session, principal.id, line, expected_version=version_id)
    session.commit()
    session.refresh(period)
    return _workspace_response(request, session, principal, period)
