"""The coach's pages: their cohorts, a cohort's table, a company's anonymous peer view, and the
validation of a period (comments, request corrections, validate, reopen, lock).

The figures come from :mod:`carbon.coaching`; this module checks access (``web.access`` and
``web.loaders``: 404 for what is not yours, 403 for a move your role does not allow, 409 for one
the period's status does not allow) and renders. Status changes are plain forms followed by a
redirect, since they change the whole period page; comments swap the thread in place.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from carbon.accounting.postes import CATEGORY_LABELS
from carbon.coaching.cohorts import cohort_summaries
from carbon.coaching.dashboard import Flag, build_dashboard
from carbon.coaching.path import STAGE_ORDER
from carbon.coaching.peers import peer_view
from carbon.coaching.table import ANY_FLAG, SORT_KEYS, TableQuery, paginate, totals
from carbon.coaching.validation import (
    MAX_TEXT,
    InputError,
    Roles,
    Transition,
    TransitionRefused,
    add_comment,
    apply_transition,
    available,
    history,
    thread,
)
from carbon.db.models import Programme, ReportingPeriod
from carbon.i18n import N_, get_locale
from carbon.i18n import gettext as _
from carbon.web.access import Principal, coached_company_ids
from carbon.web.deps import CohortTablesDep, Id, PrincipalDep, SessionDep, form_id
from carbon.web.loaders import cohort_or_404, company_or_404, period_or_404
from carbon.web.templating import is_htmx, render, sector_label

router = APIRouter(include_in_schema=False)

STAGE_LABELS = {
    "collecting": N_("Data collection"),
    "computed": N_("Footprint computed"),
    "submitted": N_("Submitted"),
    "validated": N_("Validated"),
    "plan": N_("Action plan drafted"),
    "under_way": N_("Actions under way"),
    "follow_up": N_("Follow-up year measured"),
}
FLAG_LABELS = {
    ANY_FLAG: N_("Any flag"),
    "to_validate": N_("To validate"),
    "stuck": N_("Stuck"),
    "outlier": N_("Figures to check"),
    "error": N_("Computation error"),
}
SORT_LABELS = {
    "attention": N_("Needs attention"), "name": N_("Name"), "stage": N_("Stage"),
    "activity": N_("Last activity"), "completeness": N_("Completeness"),
    "total": N_("Footprint"), "change": N_("Change vs base year"),
    "intensity": N_("Intensity per FTE"),
}  # fmt: skip
UNIT_LABELS = {"fte": N_("per FTE"), "revenue_keur": N_("per k€ of revenue")}
UNIT_SHORT = {"fte": N_("/FTE"), "revenue_keur": N_("/k€")}
INPUT_ERRORS = {
    ("reason", "required"): N_("Write the reason: the company will read it."),
    ("body", "required"): N_("Write your comment."),
    ("line_id", "unknown_line"): N_("This line is not part of this period."),
}


def _label(labels: dict[str, str], key: str) -> str:
    return _(labels[key]) if key in labels else key


def labels() -> dict[str, Any]:
    return {
        "stage_label": lambda k: _label(STAGE_LABELS, k),
        "flag_label": lambda k: _label(FLAG_LABELS, k),
        "sector_label": sector_label,
        "unit_label": lambda k: _label(UNIT_LABELS, k),
        "unit_short": lambda k: _label(UNIT_SHORT, k),
    }


@router.get("/cohorts")
def cohorts_page(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    ids = None if principal.is_admin else principal.coach_of
    return render(request, "cohorts.html", {"cohorts": cohort_summaries(session, ids)})


@router.get("/cohorts/{cohort_id}")
def cohort_page(
    request: Request,
    cohort_id: Id,
    session: SessionDep,
    principal: PrincipalDep,
    kept: CohortTablesDep,
) -> Response:
    cohort = cohort_or_404(session, principal, cohort_id)
    dashboard = build_dashboard(session, cohort.id, kept=kept)
    query = TableQuery.parse(request.query_params)
    rows = query.apply(dashboard.rows)
    page = paginate(rows, query.page)
    ctx: dict[str, Any] = {
        "cohort": cohort,
        "programme": session.get(Programme, cohort.programme_id),
        "kpis": dashboard.kpis,
        "rows": page.rows,
        "matching": len(rows),
        "page": page,
        "totals": totals(rows),
        "query": query,
        "stages": [s.value for s in STAGE_ORDER],
        "flags": [ANY_FLAG, *(f.value for f in Flag)],
        "sectors": sorted({r.company.sector for r in dashboard.rows}),
        "countries": sorted({r.company.country for r in dashboard.rows}),
        "sort_keys": [(k, _(SORT_LABELS[k])) for k in SORT_KEYS],
    }
    return render(request, "cohort.html", {**ctx, **labels(), **_table_labels()},
                  blocks=["companies"])  # fmt: skip


def _table_labels() -> dict[str, dict[Any, str]]:
    """The cells' repeated texts, translated once for the table rather than once per cell
    (a 300-company cohort has 4,500 category cells)."""
    locale = get_locale()
    return {
        "step_labels": {
            s.value: _("step %(n)s of %(total)s") % {"n": s.rank + 1, "total": len(STAGE_ORDER)}
            for s in STAGE_ORDER
        },
        "category_titles": {cat: names[locale] for cat, names in CATEGORY_LABELS.items()},
        "category_states": {
            "present": _("entered"),
            "missing": _("missing"),
            "extra": _("entered (not expected)"),
            "absent": _("not expected"),
        },
    }


@router.get("/companies/{company_id}/peers")
def peers_page(
    request: Request, company_id: Id, session: SessionDep, principal: PrincipalDep
) -> Response:
    company = company_or_404(session, principal, company_id)
    ctx = {"company": company, "view": peer_view(session, company.id), **labels()}
    return render(request, "peers.html", ctx)


# --- Validation --------------------------------------------------------------------------------


def _roles(session: Session, principal: Principal, company_id: Id) -> Roles:
    return Roles(
        member=company_id in principal.member_of,
        coach=company_id in coached_company_ids(session, principal),
        admin=principal.is_admin,
    )


def validation_context(
    session: Session,
    principal: Principal,
    period: ReportingPeriod,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> dict[str, Any]:
    """What ``_validation.html`` shows; the period page may add it to render the panel inline."""
    roles = _roles(session, principal, period.company_id)
    return {
        "validation": {
            "comments": thread(session, period),
            "history": history(session, period),
            "transitions": [t.value for t in available(period.status, roles)],
            "may_comment": roles.may_comment,
            "lines": period.lines,
            "errors": errors or {},
            "form": form or {},
            "max_text": MAX_TEXT,
        }
    }


def _panel(
    request: Request, session: Session, principal: Principal, period: ReportingPeriod,
    errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    ctx = {
        "period": period,
        "company": period.company,
        "standalone": True,
        **validation_context(session, principal, period, errors, form),
    }
    return render(request, "_validation.html", ctx, blocks=["validation"], status_code=status_code)


def _input_error(exc: InputError) -> dict[str, str]:
    if exc.code == "too_long":
        return {exc.field: _("At most %(n)s characters.") % {"n": MAX_TEXT}}
    return {exc.field: _(INPUT_ERRORS.get((exc.field, exc.code), exc.code))}


@router.get("/periods/{period_id}/validation")
def validation_panel(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _panel(request, session, principal, period_or_404(session, principal, period_id))


@router.post("/periods/{period_id}/comments")
def post_comment(
    request: Request,
    period_id: Id,
    session: SessionDep,
    principal: PrincipalDep,
    body: Annotated[str, Form()] = "",
    line_id: Annotated[str, Form()] = "",
) -> Response:
    period = period_or_404(session, principal, period_id)
    if not _roles(session, principal, period.company_id).may_comment:
        raise HTTPException(403, _("Only the company and its coaches may comment."))
    form = {"body": body, "line_id": line_id}
    try:
        line = int(line_id) if line_id.strip() else None
    except ValueError:
        line = -1  # not a line of this period: refused below with a message
    try:
        add_comment(session, principal.id, period, body, line)
    except InputError as exc:
        session.rollback()
        return _panel(request, session, principal, period, _input_error(exc), form, 422)
    session.commit()
    if is_htmx(request):
        return _panel(request, session, principal, period)
    return RedirectResponse(f"/periods/{period.id}#validation", 303)


def _move(
    request: Request, session: Session, principal: Principal, period_id: Id,
    transition: Transition, reason: str, version_id: str,
) -> Response:  # fmt: skip
    period = period_or_404(session, principal, period_id)
    if not _roles(session, principal, period.company_id).may(transition, period.status):
        raise HTTPException(403, _("Your role does not allow this on this company's period."))
    shown_at = form_id(version_id)
    if shown_at is not None and shown_at != period.version_id:
        raise StaleDataError(f"period {period.id} changed since the page was shown")
    try:
        apply_transition(session, principal.id, period, transition, reason)
    except TransitionRefused as exc:
        session.rollback()
        msg = _("This period is now “%(status)s”: reload the page to see what changed.")
        raise HTTPException(409, msg % {"status": exc.status}) from None
    except InputError as exc:
        session.rollback()
        form = {"reason": reason, "transition": transition.value}
        return _panel(request, session, principal, period, _input_error(exc), form, 422)
    session.commit()
    target = f"/periods/{period.id}"
    if is_htmx(request):
        # The whole page changes (status, read-only): let htmx load it rather than swap a part.
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, 303)


Reason = Annotated[str, Form()]
Version = Annotated[str, Form()]


@router.post("/periods/{period_id}/request-corrections")
def request_corrections(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep,
    reason: Reason = "", version_id: Version = "",
) -> Response:  # fmt: skip
    t = Transition.request_corrections
    return _move(request, session, principal, period_id, t, reason, version_id)


@router.post("/periods/{period_id}/validate")
def validate_period(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep,
    version_id: Version = "",
) -> Response:  # fmt: skip
    t = Transition.validate
    return _move(request, session, principal, period_id, t, "", version_id)


@router.post("/periods/{period_id}/reopen")
def reopen_period(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep,
    reason: Reason = "", version_id: Version = "",
) -> Response:  # fmt: skip
    return _move(request, session, principal, period_id, Transition.reopen, reason, version_id)


@router.post("/periods/{period_id}/lock")
def lock_period(
    request: Request, period_id: Id, session: SessionDep, principal: PrincipalDep,
    version_id: Version = "",
) -> Response:  # fmt: skip
    return _move(request, session, principal, period_id, Transition.lock, "", version_id)
