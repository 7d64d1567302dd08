"""A company's target, trajectory and action plan (phase 2 of a coached path).

The company's members and its coaches set the target and edit the actions (htmx: a change answers
with the ``actions`` block and a fresh ``action_form`` out of band); everyone who may see the
company sees the page. Actions may start from the mountain action library, whose typical saving
is turned into a proposal from the company's latest footprint, arithmetic shown.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from carbon.db.models import Action, ActionStatus, Company, IntensityUnit
from carbon.factors.bundled import find_activity
from carbon.i18n import fmt_plain, get_locale
from carbon.i18n import gettext as _
from carbon.inputs.messages import InputError
from carbon.inputs.target import TargetForm
from carbon.inputs.validate import validated
from carbon.plan.footprints import company_footprints
from carbon.plan.forms import EVIDENCE_LABELS, STATUS_LABELS, parse_action_form
from carbon.plan.library import action_library
from carbon.plan.overview import INTENSITY_SCALE, plan_kpis, plan_trajectories, proposal_for
from carbon.plan.services import (
    create_action,
    current_target,
    delete_action,
    delete_target,
    save_target,
    update_action,
)
from carbon.plan.trajectory import RULE_SCOPE_3, RULE_SCOPES_1_2, chart_values
from carbon.web.access import Principal, can_coach_company, can_enter_data
from carbon.web.deps import Id, PrincipalDep, RawFormDep, SessionDep, form_id
from carbon.web.loaders import company_or_404, not_found
from carbon.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

ACTION_FIELDS = (
    "title", "description", "status", "owner", "start_date", "end_date", "cost_eur",
    "expected_avoided_tco2e_per_year", "achieved_avoided_tco2e",
)  # fmt: skip


def _plan_company(session: Session, principal: Principal, company_id: Id) -> Company:
    """The company, when the user may change its plan: its members, its coaches, admins."""
    company = company_or_404(session, principal, company_id)
    if not (
        can_enter_data(principal, company_id) or can_coach_company(session, principal, company_id)
    ):
        raise not_found()
    return company


def _action_or_404(session: Session, company: Company, action_id: Id) -> Action:
    action = session.get(Action, action_id)
    if action is None or action.company_id != company.id:
        raise not_found()
    return action


def plan_context(
    session: Session,
    company: Company,
    *,
    action_form: dict[str, str] | None = None,
    action_errors: dict[str, str] | None = None,
    target_form: dict[str, str] | None = None,
    target_errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    action_form = action_form or {}
    actions = sorted(company.actions, key=lambda a: (a.status == "abandoned", a.id))
    target = current_target(company)
    footprints = company_footprints(session, company)
    trajectories = plan_trajectories(footprints, target)
    unit = target.intensity_unit if target is not None else None
    proposal = proposal_for(footprints, action_form.get("library", ""))
    saving = proposal.saving if proposal is not None else None
    return {
        "company": company,
        "target": target,
        "periods": sorted(company.periods, key=lambda p: p.year),
        "actions": actions,
        "kpi": plan_kpis(actions),
        "library": action_library(),
        "statuses": [s.value for s in ActionStatus],
        "intensity_units": [u.value for u in IntensityUnit],
        "action_form": action_form,
        "action_errors": action_errors or {},
        "proposal": proposal,
        "proposal_activity_names": [
            a.name(get_locale())
            for a in map(find_activity, saving.activities if saving else ())
            if a
        ],
        "target_form": target_form or _target_form(company),
        "target_errors": target_errors or {},
        "trajectories": trajectories,
        "rule_scopes_1_2": RULE_SCOPES_1_2,
        "rule_scope_3": RULE_SCOPE_3,
        "absolute_chart": trajectories.absolute and chart_values(trajectories.absolute, 0.001),
        "intensity_chart": trajectories.intensity
        and chart_values(trajectories.intensity, INTENSITY_SCALE[unit or "fte"]),
        "intensity_unit_label": _unit_labels(company),
        "intensity_scale": INTENSITY_SCALE,
        "status_labels": {k: _(v) for k, v in STATUS_LABELS.items()},
        "evidence_labels": {k: _(v) for k, v in EVIDENCE_LABELS.items()},
    }


def _unit_labels(company: Company) -> dict[str, dict[str, str]]:
    """For each intensity denominator: how the form names it, and the unit values are shown in."""
    sector = company.sector_unit_label or _("sector unit")
    return {
        "fte": {"name": _("per FTE"), "unit": _("t CO₂e / FTE")},
        "revenue_keur": {"name": _("per k€ of revenue"), "unit": _("kg CO₂e / k€")},
        "sector_activity": {
            "name": _("per %(unit)s") % {"unit": sector},
            "unit": _("kg CO₂e / %(unit)s") % {"unit": sector},
        },
    }


def _target_form(company: Company) -> dict[str, str]:
    target = current_target(company)
    if target is not None:
        return {
            "base_period_id": str(target.base_period_id),
            "target_year": str(target.target_year),
            "reduction_pct": f"{target.reduction_pct:g}",
            "kind": target.kind,
            "intensity_unit": target.intensity_unit or "",
            "version_id": str(target.version_id),
        }
    base = next((p for p in company.periods if p.is_base_year), None)
    return {"base_period_id": str(base.id) if base else "", "kind": "absolute", "version_id": "0"}


@router.get("/companies/{company_id}/plan")
def plan_page(
    request: Request, company_id: Id, session: SessionDep, principal: PrincipalDep
) -> Response:
    company = company_or_404(session, principal, company_id)
    return render(request, "plan.html", plan_context(session, company))


@router.post("/companies/{company_id}/plan")
def set_target(
    request: Request, company_id: Id, session: SessionDep, principal: PrincipalDep,
    raw: RawFormDep,
) -> Response:  # fmt: skip
    company = _plan_company(session, principal, company_id)
    form = {k: str(v) for k, v in raw.items() if k != "csrf_token"}
    periods = {str(p.id): p for p in company.periods}
    try:
        values = validated(
            TargetForm, form, {"period_years": {k: p.year for k, p in periods.items()}}
        )
    except InputError as exc:
        ctx = plan_context(session, company, target_form=form, target_errors=exc.errors)
        return render(request, "plan.html", ctx, status_code=422)
    save_target(session, principal.id, company, base_period=periods[values.base_period_id],
                target_year=values.year, reduction_pct=values.reduction_pct,
                kind=values.kind.value, intensity_unit=values.intensity_unit,
                expected_version=_version(form.get("version_id")))  # fmt: skip
    session.commit()
    return RedirectResponse(f"/companies/{company.id}/plan#target", status_code=303)


@router.post("/companies/{company_id}/plan/target/delete")
def remove_target(
    request: Request, company_id: Id, session: SessionDep, principal: PrincipalDep,
    version_id: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    company = _plan_company(session, principal, company_id)
    target = current_target(company)
    if target is not None:
        delete_target(session, principal.id, target, _version(version_id))
        session.commit()
    return RedirectResponse(f"/companies/{company.id}/plan#target", status_code=303)


def _action_form(raw: FormData) -> dict[str, str]:
    form = {k: str(v) for k, v in raw.items() if k not in ("csrf_token", "postes")}
    form["postes"] = ",".join(str(v) for v in raw.getlist("postes"))
    return form


def _actions_response(request: Request, session: Session, company: Company) -> Response:
    if not is_htmx(request):
        return RedirectResponse(f"/companies/{company.id}/plan#actions", status_code=303)
    session.refresh(company)
    ctx = plan_context(session, company)
    ctx["oob"] = True
    return render(request, "plan.html", ctx, blocks=["actions", "action_form"])


def _form_error(
    request: Request, session: Session, company: Company, form: dict[str, str],
    errors: dict[str, str],
) -> Response:  # fmt: skip
    errors = {k: _(v) for k, v in errors.items()}
    ctx = plan_context(session, company, action_form=form, action_errors=errors)
    return render(request, "plan.html", ctx, blocks=["action_form"], status_code=422)


@router.get("/companies/{company_id}/plan/actions/new")
def new_action_form(
    request: Request, company_id: Id, session: SessionDep, principal: PrincipalDep,
    library: str = "",
) -> Response:  # fmt: skip
    """The action form, pre-filled from a library action when one is picked."""
    company = _plan_company(session, principal, company_id)
    form: dict[str, str] = {"status": "identified", "library": library}
    ctx = plan_context(session, company, action_form=form)
    proposal = ctx["proposal"]
    if proposal is not None:
        picked, locale = proposal.picked, get_locale()
        form.update(title=picked.title(locale), description=picked.description(locale),
                    postes=",".join(picked.postes))  # fmt: skip
        if proposal.saving is not None:
            form["expected_avoided_tco2e_per_year"] = fmt_plain(
                proposal.saving.expected_kg / 1000, 2
            )
    return render(request, "plan.html", ctx, blocks=["action_form"])


@router.post("/companies/{company_id}/plan/actions")
def add_action(
    request: Request, company_id: Id, session: SessionDep, principal: PrincipalDep,
    raw: RawFormDep,
) -> Response:  # fmt: skip
    company = _plan_company(session, principal, company_id)
    form = _action_form(raw)
    data, errors = parse_action_form(form)
    if data is None:
        return _form_error(request, session, company, form, errors)
    create_action(session, principal.id, company, data)
    session.commit()
    return _actions_response(request, session, company)


@router.get("/companies/{company_id}/plan/actions/{action_id}/edit")
def edit_action_form(
    request: Request, company_id: Id, action_id: Id, session: SessionDep,
    principal: PrincipalDep,
) -> Response:  # fmt: skip
    company = _plan_company(session, principal, company_id)
    action = _action_or_404(session, company, action_id)
    form = {"action_id": str(action.id), "postes": action.postes,
            "version_id": str(action.version_id)}  # fmt: skip
    for key in ACTION_FIELDS:
        value = getattr(action, key)
        if isinstance(value, float):
            value = fmt_plain(value)
        form[key] = "" if value is None else str(value)
    ctx = plan_context(session, company, action_form=form)
    return render(request, "plan.html", ctx, blocks=["action_form"])


@router.post("/companies/{company_id}/plan/actions/{action_id}")
def edit_action(
    request: Request, company_id: Id, action_id: Id, session: SessionDep,
    principal: PrincipalDep, raw: RawFormDep,
) -> Response:  # fmt: skip
    company = _plan_company(session, principal, company_id)
    action = _action_or_404(session, company, action_id)
    form = _action_form(raw)
    form["action_id"] = str(action.id)
    data, errors = parse_action_form(form)
    if data is None:
        return _form_error(request, session, company, form, errors)
    update_action(session, principal.id, action, data, _version(form.get("version_id")))
    session.commit()
    return _actions_response(request, session, company)


def _version(raw: str | None) -> int | None:
    """The version the form was shown at; None when the form did not say (an old page)."""
    # 0: the form was shown when there was no target yet.
    return 0 if (raw or "").strip() == "0" else form_id(raw)


@router.post("/companies/{company_id}/plan/actions/{action_id}/delete")
def remove_action(
    request: Request, company_id: Id, action_id: Id, session: SessionDep,
    principal: PrincipalDep, version_id: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    company = _plan_company(session, principal, company_id)
    action = _action_or_404(session, company, action_id)
    delete_action(session, principal.id, action, _version(version_id))
    session.commit()
    return _actions_response(request, session, company)
