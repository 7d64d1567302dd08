"""Administration of companies: create and edit them, and see which cohorts they followed.

The form is checked by :class:`carbon.inputs.company.CompanyForm` (legal identifier, country,
bounded figures); a refusal shows the form again with a message next to each field.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.db.audit import snapshot
from carbon.db.models import Cohort, Company, Enrolment, Sector
from carbon.i18n import fmt_plain
from carbon.inputs.company import COUNTRIES, CompanyForm
from carbon.inputs.messages import InputError
from carbon.inputs.validate import validated
from carbon.web.deps import FormDep, Id, SessionDep, form_id
from carbon.web.routes.admin import AdminDep, audited, get_or_404
from carbon.web.templating import render

router = APIRouter(include_in_schema=False)

FIELDS = tuple(CompanyForm.model_fields)


def _values(form: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    try:
        return validated(CompanyForm, form).values(), {}
    except InputError as exc:
        return {}, exc.errors


def _form_of(company: Company) -> dict[str, str]:
    form = {}
    for key in FIELDS:
        value = getattr(company, key)
        form[key] = (
            "" if value is None else fmt_plain(value) if isinstance(value, float) else str(value)
        )
    return form


def _list_page(request: Request, session: Session, form: dict[str, str] | None = None,
               errors: dict[str, str] | None = None) -> Response:  # fmt: skip
    ctx = {
        "companies": session.scalars(select(Company).order_by(Company.name)).all(),
        "form": form or {"country": "FR", "sector": "other"},
        "errors": errors or {},
        "countries": COUNTRIES,
        "sectors": [s.value for s in Sector],
    }
    return render(request, "admin_companies.html", ctx, status_code=422 if errors else 200)


@router.get("/admin/companies")
def companies_page(request: Request, session: SessionDep, _admin: AdminDep) -> Response:
    return _list_page(request, session)


@router.post("/admin/companies")
def create_company(
    request: Request, session: SessionDep, admin: AdminDep, form: FormDep
) -> Response:
    values, errors = _values(form)
    if errors:
        return _list_page(request, session, form, errors)
    company = Company(**values)
    session.add(company)
    audited(session, admin, "create", company, None, company_id=None)
    session.commit()
    return RedirectResponse(f"/admin/companies/{company.id}", status_code=303)


def _company_page(request: Request, session: Session, company: Company, form: dict[str, str],
                  errors: dict[str, str]) -> Response:  # fmt: skip
    enrolled = {e.cohort_id for e in company.enrolments}
    ctx = {
        "company": company,
        "form": form,
        "errors": errors,
        "countries": COUNTRIES,
        "sectors": [s.value for s in Sector],
        "enrolments": sorted(company.enrolments, key=lambda e: e.enrolled_at),
        "cohorts": [c for c in session.scalars(select(Cohort).order_by(Cohort.id.desc()))
                    if c.id not in enrolled],
    }  # fmt: skip
    return render(request, "admin_company.html", ctx, status_code=422 if errors else 200)


def _company(session: Session, company_id: Id) -> Company:
    company: Company = get_or_404(session, Company, company_id)
    return company


@router.get("/admin/companies/{company_id}")
def company_page(
    request: Request, company_id: Id, session: SessionDep, _admin: AdminDep
) -> Response:
    company = _company(session, company_id)
    return _company_page(request, session, company, _form_of(company), {})


@router.post("/admin/companies/{company_id}")
def edit_company(
    request: Request, company_id: Id, session: SessionDep, admin: AdminDep, form: FormDep
) -> Response:
    company = _company(session, company_id)
    values, errors = _values(form)
    if errors:
        return _company_page(request, session, company, form, errors)
    before = snapshot(company)
    for key, value in values.items():
        setattr(company, key, value)
    audited(session, admin, "update", company, before, company_id=company.id)
    session.commit()
    return RedirectResponse(f"/admin/companies/{company.id}", status_code=303)


@router.post("/admin/companies/{company_id}/enrolments")
def enrol_company(
    request: Request, company_id: Id, session: SessionDep, admin: AdminDep, form: FormDep
) -> Response:
    """Enrol the company in ``cohort_id`` (a company follows several cohorts over the years)."""
    company = _company(session, company_id)
    cohort_id = form.get("cohort_id", "")
    cohort: Cohort = get_or_404(session, Cohort, form_id(cohort_id) or 0)
    if cohort.id not in {e.cohort_id for e in company.enrolments}:
        enrolment = Enrolment(cohort_id=cohort.id, company_id=company.id)
        session.add(enrolment)
        audited(session, admin, "enrol", enrolment, None, company_id=company.id)
        session.commit()
    return RedirectResponse(f"/admin/companies/{company.id}", status_code=303)
