"""Administration: programmes and their cohorts, coaches, and which companies each cohort follows.

Administrators are Cluster Montagne staff; every /admin page answers 404 to anyone else, so
that the administration is not even visible. Companies, users, invitations and factor libraries
have their own modules (admin_companies, admin_users, admin_invitations, factor_versions), which
share the guard and the small helpers below. Each change is recorded in the audit trail: a
cohort's coaches decide who sees which company's data.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from carbon.coaching.cohorts import cohort_summaries
from carbon.coaching.dashboard import Flag, build_dashboard
from carbon.coaching.path import STAGE_ORDER
from carbon.db.audit import record, snapshot
from carbon.db.models import (
    Cohort,
    CohortCoach,
    Company,
    Enrolment,
    Invitation,
    LibraryVersion,
    Membership,
    Programme,
    User,
)
from carbon.i18n import gettext as _
from carbon.inputs.admin import CohortForm, ProgrammeForm
from carbon.inputs.messages import InputError
from carbon.inputs.validate import validated
from carbon.web.access import Principal
from carbon.web.deps import FormDep, Id, PrincipalDep, SessionDep, form_id
from carbon.web.loaders import not_found
from carbon.web.routes.coach import labels
from carbon.web.templating import render

router = APIRouter(include_in_schema=False)


def require_admin(principal: PrincipalDep) -> Principal:
    if not principal.is_admin:
        raise not_found()
    return principal


AdminDep = Annotated[Principal, Depends(require_admin)]


def audited(session: Session, actor: Principal, action: str, obj: Any,
            before: dict[str, Any] | None, *, company_id: int | None = None,
            removed: bool = False) -> None:  # fmt: skip
    """Record a change to ``obj`` (flushed first, so a new row has its id); ``before`` is its
    :func:`snapshot` before the change, ``removed`` says it is being deleted (no "after").
    Secrets (hashes) are left out of the log."""
    session.flush()
    after = None if removed else snapshot(obj)
    before, after = _without_secrets(before), _without_secrets(after)
    record(session, actor.id, action, obj.__tablename__, obj.id, before, after,
           company_id=company_id)  # fmt: skip


def _without_secrets(data: dict[str, Any] | None) -> dict[str, Any] | None:
    # A password or token hash is no history anyone needs, and the log is widely readable.
    return None if data is None else {k: v for k, v in data.items() if not k.endswith("_hash")}


def get_or_404(session: Session, model: type[Any], obj_id: int) -> Any:
    obj = session.get(model, obj_id)
    if obj is None:
        raise not_found()
    return obj


@router.get("/admin")
def admin_home(request: Request, session: SessionDep, _admin: AdminDep) -> Response:
    def count(model: type[Any]) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    counts = {
        "programmes": count(Programme),
        "cohorts": count(Cohort),
        "companies": count(Company),
        "users": count(User),
        "invitations": session.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.used_at.is_(None))
        ),
        "versions": count(LibraryVersion),
    }
    cohorts = []
    for summary in cohort_summaries(session):
        rows = build_dashboard(session, summary.id).rows
        by_stage = Counter(r.stage.value for r in rows)
        stuck = sum(Flag.stuck in r.flags for r in rows)
        cohorts.append((summary, by_stage, stuck))
    stages = [s.value for s in STAGE_ORDER]
    ctx = {"counts": counts, "cohorts": cohorts, "stages": stages, **labels()}
    return render(request, "admin.html", ctx)


# --- Programmes ----------------------------------------------------------------------------------


def _programme_values(
    session: Session, form: dict[str, str], current: int | None
) -> tuple[ProgrammeForm | None, dict[str, str]]:
    """The form's programme (:class:`carbon.inputs.admin.ProgrammeForm`), the code not taken."""
    try:
        programme = validated(ProgrammeForm, form)
    except InputError as exc:
        return None, exc.errors
    if session.scalar(
        select(Programme.id).where(Programme.code == programme.code, Programme.id != current)
    ):
        return None, {"code": _("Another programme already has this code.")}
    return programme, {}


def _apply_programme(programme: Programme, values: ProgrammeForm) -> None:
    for key, value in values.model_dump().items():
        setattr(programme, key, value)


def _programmes_page(request: Request, session: Session, **ctx: Any) -> Response:
    programmes = session.scalars(select(Programme).order_by(Programme.code)).all()
    ctx.setdefault("form", {})
    ctx.setdefault("errors", {})
    ctx.setdefault("cohort_form", {})
    ctx.setdefault("cohort_errors", {})
    status = 422 if ctx["errors"] or ctx["cohort_errors"] else 200
    return render(request, "admin_programmes.html", {"programmes": programmes, **ctx},
                  status_code=status)  # fmt: skip


@router.get("/admin/programmes")
def programmes_page(request: Request, session: SessionDep, _admin: AdminDep) -> Response:
    return _programmes_page(request, session)


@router.post("/admin/programmes")
def create_programme(
    request: Request, session: SessionDep, admin: AdminDep, form: FormDep
) -> Response:
    values, errors = _programme_values(session, form, None)
    if values is None:
        return _programmes_page(request, session, form=form, errors=errors)
    programme = Programme()
    _apply_programme(programme, values)
    session.add(programme)
    audited(session, admin, "create", programme, None)
    session.commit()
    return RedirectResponse("/admin/programmes", status_code=303)


@router.get("/admin/programmes/{programme_id}")
def programme_page(
    request: Request, programme_id: Id, session: SessionDep, _admin: AdminDep
) -> Response:
    programme = get_or_404(session, Programme, programme_id)
    form = {k: getattr(programme, k) for k in ("code", "name_fr", "name_it", "name_en",
                                                "description")}  # fmt: skip
    return render(request, "admin_programme.html", {"programme": programme, "form": form,
                                                    "errors": {}})  # fmt: skip


@router.post("/admin/programmes/{programme_id}")
def edit_programme(
    request: Request, programme_id: Id, session: SessionDep, admin: AdminDep, form: FormDep
) -> Response:
    programme = get_or_404(session, Programme, programme_id)
    values, errors = _programme_values(session, form, programme.id)
    if values is None:
        ctx = {"programme": programme, "form": form, "errors": errors}
        return render(request, "admin_programme.html", ctx, status_code=422)
    before = snapshot(programme)
    _apply_programme(programme, values)
    audited(session, admin, "update", programme, before)
    session.commit()
    return RedirectResponse("/admin/programmes", status_code=303)


# --- Cohorts -------------------------------------------------------------------------------------


def _cohort_values(session: Session, form: dict[str, str], cohort: Cohort | None
                   ) -> tuple[dict[str, Any], dict[str, str]]:  # fmt: skip
    """The form's cohort (:class:`carbon.inputs.admin.CohortForm`), in an existing programme,
    its name not taken there."""
    try:
        values = validated(CohortForm, form)
    except InputError as exc:
        values, errors = None, exc.errors
    else:
        errors = {}
    programme_id = values.programme_id if values else form_id(form.get("programme_id"))
    if "programme_id" not in errors and session.get(Programme, programme_id or 0) is None:
        errors["programme_id"] = _("Choose a programme.")
    name = form.get("name", "").strip()
    if "name" not in errors and session.scalar(select(Cohort.id).where(
        Cohort.programme_id == programme_id, Cohort.name == name,
        Cohort.id != (cohort.id if cohort else None),
    )):  # fmt: skip
        errors["name"] = _("This programme already has a cohort with this name.")
    return (values.model_dump() if values else {}), errors


@router.post("/admin/cohorts")
def create_cohort(
    request: Request, session: SessionDep, admin: AdminDep, form: FormDep
) -> Response:
    values, errors = _cohort_values(session, form, None)
    if errors:
        return _programmes_page(request, session, cohort_form=form, cohort_errors=errors)
    cohort = Cohort(**values)
    session.add(cohort)
    audited(session, admin, "create", cohort, None)
    session.commit()
    return RedirectResponse(f"/admin/cohorts/{cohort.id}", status_code=303)


def _coach_candidates(session: Session, cohort: Cohort) -> Any:
    """Who may coach the cohort: active users who are not a company's members (a coach sees
    every company of the cohort, so ticking a member would open them all to a competitor), and
    the cohort's present coaches, so that saving the form never drops one silently."""
    member = exists().where(Membership.user_id == User.id)
    present = [c.user_id for c in cohort.coaches]
    return select(User.id).where((User.is_active & ~member) | User.id.in_(present))


def _cohort_page(request: Request, session: Session, cohort: Cohort, form: dict[str, Any],
                 errors: dict[str, str]) -> Response:  # fmt: skip
    enrolled = {e.company_id for e in cohort.enrolments}
    ctx = {
        "cohort": cohort,
        "form": form,
        "errors": errors,
        "programmes": session.scalars(select(Programme).order_by(Programme.code)).all(),
        "users": session.scalars(
            select(User).where(User.id.in_(_coach_candidates(session, cohort))).order_by(User.email)
        ).all(),
        "coach_ids": {c.user_id for c in cohort.coaches},
        "enrolled": sorted((e.company for e in cohort.enrolments), key=lambda c: c.name),
        "others": [c for c in session.scalars(select(Company).order_by(Company.name))
                   if c.id not in enrolled],
    }  # fmt: skip
    return render(request, "admin_cohort.html", ctx, status_code=422 if errors else 200)


@router.get("/admin/cohorts/{cohort_id}")
def cohort_page(request: Request, cohort_id: Id, session: SessionDep, _a: AdminDep) -> Response:
    cohort = get_or_404(session, Cohort, cohort_id)
    form = {k: getattr(cohort, k) or "" for k in ("programme_id", "name", "edition", "start_date",
                                                   "end_date")}  # fmt: skip
    return _cohort_page(request, session, cohort, {k: str(v) for k, v in form.items()}, {})


@router.post("/admin/cohorts/{cohort_id}")
def edit_cohort(
    request: Request, cohort_id: Id, session: SessionDep, admin: AdminDep, form: FormDep
) -> Response:
    cohort = get_or_404(session, Cohort, cohort_id)
    values, errors = _cohort_values(session, form, cohort)
    coach_ids = {i for raw in form.get("coaches", "").split(",") if (i := form_id(raw))}
    if coach_ids - set(session.scalars(_coach_candidates(session, cohort))):
        errors["coaches"] = _(
            "Choose coaches among the listed people: a company's member cannot coach a cohort."
        )
    if errors:
        return _cohort_page(request, session, cohort, form, errors)
    before = snapshot(cohort) | {"coaches": sorted(c.user_id for c in cohort.coaches)}
    for key, value in values.items():
        setattr(cohort, key, value)
    cohort.coaches = [c for c in cohort.coaches if c.user_id in coach_ids] + [
        CohortCoach(user_id=uid) for uid in sorted(coach_ids - {c.user_id for c in cohort.coaches})
    ]
    session.flush()
    record(session, admin.id, "update", "cohort", cohort.id, before,
           snapshot(cohort) | {"coaches": sorted(coach_ids)})  # fmt: skip
    session.commit()
    return RedirectResponse(f"/admin/cohorts/{cohort.id}", status_code=303)


@router.post("/admin/cohorts/{cohort_id}/enrolments")
def enrol(
    request: Request, cohort_id: Id, session: SessionDep, admin: AdminDep, form: FormDep
) -> Response:
    """Enrol a company (``company_id``) or, with ``remove``, take it out of the cohort."""
    cohort = get_or_404(session, Cohort, cohort_id)
    company_id = form.get("company_id", "")
    company = get_or_404(session, Company, form_id(company_id) or 0)
    existing = session.scalar(select(Enrolment).where(
        Enrolment.cohort_id == cohort.id, Enrolment.company_id == company.id))  # fmt: skip
    if form.get("remove") and existing is not None:
        record(session, admin.id, "unenrol", "enrolment", existing.id, snapshot(existing), None,
               company_id=company.id)  # fmt: skip
        session.delete(existing)
    elif not form.get("remove") and existing is None:
        enrolment = Enrolment(cohort_id=cohort.id, company_id=company.id)
        session.add(enrolment)
        audited(session, admin, "enrol", enrolment, None, company_id=company.id)
    session.commit()
    back = form.get("back", "")
    target = back if back.startswith("/admin/") else f"/admin/cohorts/{cohort.id}"
    return RedirectResponse(target, status_code=303)
