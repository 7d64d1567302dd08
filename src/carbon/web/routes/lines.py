"""Adding, editing and deleting activity lines from the period page (htmx fragments).

Each successful change answers with the period's ``workspace`` block (lines and totals, updated
in place) and a fresh ``line_form`` swapped out of band; a refused one re-renders the form with
each message next to its field (422), and nothing is stored.
"""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from carbon.db.activity_lines import LineInputError, add_line, delete_line, update_line
from carbon.db.models import ReportingPeriod, Site
from carbon.factors.bundled import Activity, find_activity, search_activities
from carbon.i18n import fmt_plain, get_locale
from carbon.i18n import gettext as _
from carbon.imports.tabular import parse_decimal
from carbon.web.access import can_edit_period
from carbon.web.deps import MAX_ID, Id, PrincipalDep, RawFormDep, SessionDep, form_id
from carbon.web.loaders import line_or_404, period_or_404
from carbon.web.routes.workspace import period_context
from carbon.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)


def _read_only() -> HTTPException:
    return HTTPException(403, _("This period is read-only: it has been submitted or validated."))


def _line_data(
    session: Any, period: ReportingPeriod, form: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Turn the form into line values: activity -> poste and factor, quantity parsed."""
    errors: dict[str, str] = {}
    activity: Activity | None = find_activity(form.get("activity_id", ""))
    if activity is None:
        errors["activity_id"] = _("Choose an activity from the list.")
    site_id = form_id(form.get("site_id"))
    site = session.get(Site, site_id) if site_id else None
    country = site.country if site else period.company.country
    quantity = parse_decimal(pd.Series([form.get("quantity", "")])).iloc[0]
    if pd.isna(quantity):
        errors["quantity"] = _("Enter a number, for example 1 234,5.")
    data: dict[str, Any] = {
        "activity_id": activity.activity_id if activity else None,
        "poste": activity.poste if activity else "",
        "factor_id": (form.get("factor_id") or "").strip()
        or (activity.factor_id_for(country) if activity else ""),
        "quantity": quantity,
        "unit": form.get("unit", ""),
        "data_quality": form.get("data_quality", ""),
        "site_id": form.get("site_id") or None,
        "comment": form.get("comment", ""),
        "evidence_ref": form.get("evidence_ref", ""),
    }
    supplier = (form.get("supplier_factor_kgco2e") or "").strip()
    if supplier:
        value = parse_decimal(pd.Series([supplier])).iloc[0]
        if pd.isna(value):
            errors["supplier_factor_kgco2e"] = _("Enter a number of kgCO₂e per kWh.")
        data["supplier_factor_kgco2e"] = value
    return data, errors


def _form_response(
    request: Request, session: Any, principal: Any, period: ReportingPeriod,
    form: dict[str, str], errors: dict[str, str], status: int = 422,
) -> Response:  # fmt: skip
    ctx = period_context(session, principal, period)
    ctx.update(form=form, errors=errors)
    return render(request, "period.html", ctx, blocks=["line_form"], status_code=status)


def _workspace_response(request: Request, session: Any, principal: Any, period: Any) -> Response:
    if not is_htmx(request):
        return RedirectResponse(f"/periods/{period.id}", status_code=303)
    ctx = period_context(session, principal, period)
    ctx.update(form={}, errors={}, oob=True)
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
        "factor_id": "" if line.activity_id else line.factor_id,
        "supplier_factor_kgco2e": ""
        if line.supplier_factor_kgco2e is None
        else str(line.supplier_factor_kgco2e),
    }
    return _form_response(request, session, principal, line.period, form, {}, status=200)


@router.post("/periods/{period_id}/lines")
def create_line(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep,
    raw: RawFormDep,
) -> Response:  # fmt: skip
    period = period_or_404(session, principal, period_id)
    if not can_edit_period(principal, period):
        raise _read_only()
    form = {k: str(v) for k, v in raw.items()}
    data, errors = _line_data(session, period, form)
    if not errors:
        try:
            add_line(session, principal.id, period, data)
        except LineInputError as exc:
            errors = exc.errors
    if errors:
        session.rollback()
        return _form_response(request, session, principal, period, form, errors)
    session.commit()
    return _workspace_response(request, session, principal, period)


@router.post("/lines/{line_id}")
def edit_line(
    request: Request, line_id: Id, session: SessionDep, principal: PrincipalDep,
    raw: RawFormDep,
) -> Response:  # fmt: skip
    line = line_or_404(session, principal, line_id)
    period = line.period
    if not can_edit_period(principal, period):
        raise _read_only()
    form = {k: str(v) for k, v in raw.items()}
    data, errors = _line_data(session, period, form)
    version = form_id(form.get("version_id")) or 0
    if not errors:
        try:
            update_line(session, principal.id, line, data, expected_version=version)
        except LineInputError as exc:
            errors = exc.errors
    if errors:
        session.rollback()
        return _form_response(request, session, principal, period, form, errors)
    session.commit()
    return _workspace_response(request, session, principal, period)


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
