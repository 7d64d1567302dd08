"""Administration of companies: create and edit them, and see which cohorts they followed.

The legal identifier is checked as it is typed (SIREN for France, Partita IVA for Italy, see
:mod:`carbon.identifiers`): funders match companies by it, and a typo found at reporting time is
much harder to fix. The country chooses the grid factors, so it is an ISO code from a short list.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.db.audit import snapshot
from carbon.db.models import Cohort, Company, Enrolment, Sector
from carbon.i18n import N_, fmt_plain
from carbon.i18n import gettext as _
from carbon.identifiers import InvalidIdentifier, normalise_legal_id
from carbon.plan.forms import parse_number
from carbon.web.deps import FormDep, Id, SessionDep, form_id
from carbon.web.routes.admin import AdminDep, audited, get_or_404
from carbon.web.templating import render

router = APIRouter(include_in_schema=False)

# The programmes' territory (ALCOTRA: France and Italy) and the neighbours that share the Alps.
COUNTRIES = ("FR", "IT", "CH", "AT", "DE", "SI", "MC")
FIELDS = ("name", "country", "legal_id", "sector", "sector_code", "sector_unit_label", "fte",
          "revenue_keur")  # fmt: skip
IDENTIFIER_ERRORS = {
    "siret": N_("This is a SIRET (14 digits): enter the SIREN, its first 9 digits."),
    "length": N_("A SIREN has 9 digits; a Partita IVA has 11."),
    "office": N_("This is not a valid Partita IVA: its office code (digits 8 to 10) is wrong."),
    "check_digit": N_("The check digit does not match: look for a typo."),
}


def _values(form: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    name = form.get("name", "").strip()
    if not name or len(name) > 200:
        errors["name"] = _("Give the company's name (200 characters at most).")
    country = form.get("country", "")
    if country not in COUNTRIES:
        errors["country"] = _("Choose the country.")
    legal_id = None
    try:
        legal_id = normalise_legal_id(country, form.get("legal_id", ""))
    except InvalidIdentifier as exc:
        errors["legal_id"] = _(IDENTIFIER_ERRORS[exc.code])
    sector = form.get("sector", "")
    if sector not in {s.value for s in Sector}:
        errors["sector"] = _("Choose a sector.")
    numbers: dict[str, float | None] = {}
    for key in ("fte", "revenue_keur"):
        text = form.get(key, "").strip()
        numbers[key] = parse_number(text) if text else None
        if text and (numbers[key] is None or (numbers[key] or 0.0) < 0):
            errors[key] = _("Enter a positive number, for example 1 234,5.")
    values = {
        "name": name,
        "country": country,
        "legal_id": legal_id,
        "sector": sector,
        "sector_code": form.get("sector_code", "").strip()[:16] or None,
        "sector_unit_label": form.get("sector_unit_label", "").strip()[:64] or None,
        **numbers,
    }
    return values, errors


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
