"""The account-mapping rules pages: a cohort's set, edited by its coaches, and a company's
overrides, edited by the company's coaches and read by its members.

Each page lists the rules that apply (shipped, then the cohort's, then the company's; the
longest prefix wins, see carbon.db.mapping_rules) with the layer each comes from; the rules of
the page's own layer can be edited and deleted, and a rule of a layer below can be overridden.
Access: ``web.loaders`` answers 404 for a cohort or a company that is not yours, and a member
who posts to their company's rules gets 403 (docs/security.md). Forms are plain posts followed
by a redirect; a refused one comes back as the page (422) with each message by its field; a
stale edit is a 409 (carbon.web.errors).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from carbon.accounting.postes import POSTES
from carbon.db.mapping_rules import (
    LAYER_LABELS,
    Owner,
    RuleExists,
    cohort_of,
    cohort_rules,
    delete_rule,
    owner_rules,
    rule_context,
    rules_for,
    save_rule,
)
from carbon.db.models import Cohort, Company, MappingRule
from carbon.i18n import N_, get_locale
from carbon.i18n import gettext as _
from carbon.imports.fec_mapping import AccountRule
from carbon.inputs.mapping_rule import MAX_PREFIX, MappingRuleIn
from carbon.inputs.messages import InputError, message
from carbon.inputs.validate import validated
from carbon.web.access import Principal, can_coach_company
from carbon.web.deps import Id, PrincipalDep, RawFormDep, SessionDep, form_id
from carbon.web.loaders import cohort_or_404, company_or_404, not_found
from carbon.web.templating import render

router = APIRouter(include_in_schema=False)

TREATMENT_LABELS = {
    "spend": N_("Spend: a line on a monetary ratio"),
    "physical": N_("Physical data wanted: no ratio applied"),
    "excluded": N_("Excluded: no emissions of its own"),
    "not_purchase": N_("Not a purchase (stock variation)"),
}
FIELDS = ("prefix", "treatment", "poste", "factor_id", "overlaps", "label", "physical_hint", "note")


def _base(owner: Owner) -> str:
    kind = "cohorts" if isinstance(owner, Cohort) else "companies"
    return f"/{kind}/{owner.id}/rules"


def _company_rules_owner(session: Session, principal: Principal, company_id: int) -> Company:
    """The company, when the user may change its rules: its coaches and administrators."""
    company = company_or_404(session, principal, company_id)
    if not can_coach_company(session, principal, company.id):
        raise HTTPException(403, _("Only the company's coach can change its account rules."))
    return company


def _rule_or_404(session: Session, owner: Owner, rule_id: int) -> MappingRule:
    rule = session.get(MappingRule, rule_id)
    column = "cohort_id" if isinstance(owner, Cohort) else "company_id"
    if rule is None or getattr(rule, column) != owner.id:
        raise not_found()
    return rule


def _form_of(rule: MappingRule | Any) -> dict[str, str]:
    form = {name: str(getattr(rule, name, "") or "") for name in FIELDS}
    if isinstance(rule, AccountRule):  # a shipped rule speaks the reader's language
        form["label"] = rule.text("label", get_locale())
        form["physical_hint"] = rule.text("physical_hint", get_locale())
    if isinstance(rule, MappingRule):
        form["version_id"] = str(rule.version_id)
    else:  # a rule of a layer below, overridden: its overlaps are a tuple
        form["overlaps"] = "|".join(getattr(rule, "overlaps", ()))
    return form


def _context(
    session: Session,
    principal: Principal,
    owner: Owner,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    editing: MappingRule | None = None,
    start_from: str = "",
) -> dict[str, Any]:
    is_cohort = isinstance(owner, Cohort)
    if isinstance(owner, Cohort):
        effective, cohort_id = cohort_rules(session, owner), None
    else:
        effective, cohort_id = rules_for(session, owner), cohort_of(session, owner.id)
    own = owner_rules(session, owner)
    editable = is_cohort or can_coach_company(session, principal, owner.id)
    if form is None:
        picked = editing or effective.get(start_from)
        form = _form_of(picked) if picked is not None else {"treatment": "spend"}
    locale = get_locale()
    return {
        "owner": owner,
        "is_cohort": is_cohort,
        "base": _base(owner),
        "rules": sorted(effective.values(), key=lambda r: (r.prefix[0], r.prefix)),
        "own": {r.prefix: r for r in own},
        "cohort": session.get(Cohort, cohort_id) if cohort_id is not None else None,
        "editable": editable,
        "editing": editing,
        "form": form,
        "errors": errors or {},
        "treatments": [(k, _(v)) for k, v in TREATMENT_LABELS.items()],
        "treatment_label": lambda k: _(TREATMENT_LABELS[k]) if k in TREATMENT_LABELS else k,
        "layer_label": lambda k: _(LAYER_LABELS[k]) if k in LAYER_LABELS else k,
        "postes": [(p.code, f"{p.code} {p.label(locale)}") for p in POSTES],
        "max_prefix": MAX_PREFIX,
        "locale": locale,
    }


def _page(
    request: Request, session: Session, principal: Principal, owner: Owner, rule_id: str,
    start_from: str,
) -> Response:  # fmt: skip
    editing = None
    wanted = form_id(rule_id)
    if wanted is not None:
        editing = _rule_or_404(session, owner, wanted)
    ctx = _context(session, principal, owner, editing=editing, start_from=start_from[:MAX_PREFIX])
    return render(request, "mapping_rules.html", ctx)


def _save(
    request: Request, session: Session, principal: Principal, owner: Owner, raw: RawFormDep,
    rule: MappingRule | None,
) -> Response:  # fmt: skip
    form = {k: str(v) for k, v in raw.items() if k != "csrf_token"}
    try:
        values = validated(
            MappingRuleIn, form, rule_context(session, only=[form.get("factor_id", "").strip()])
        )
    except InputError as exc:
        return _refused(request, session, principal, owner, form, exc.errors, rule)
    try:
        save_rule(session, principal.id, owner, values, rule, _version(values.version_id))
        session.commit()
    except (RuleExists, IntegrityError):
        # IntegrityError: another coach added the same prefix between the check and the write
        # (PostgreSQL; SQLite's writers queue); the unique constraint refuses it.
        said = message("prefix_taken", "prefix", {"value": values.prefix})
        return _refused(request, session, principal, owner, form, {"prefix": said}, rule)
    return RedirectResponse(f"{_base(owner)}#rules", status_code=303)


def _refused(
    request: Request, session: Session, principal: Principal, owner: Owner,
    form: dict[str, str], errors: dict[str, str], rule: MappingRule | None,
) -> Response:  # fmt: skip
    session.rollback()
    ctx = _context(session, principal, owner, form=form, errors=errors, editing=rule)
    return render(request, "mapping_rules.html", ctx, status_code=422)


def _version(raw: str | None) -> int | None:
    """The version the form was shown at; None when the form did not say (an old page)."""
    return form_id(raw)


def _delete(session: Session, principal: Principal, owner: Owner, rule_id: int,
            version_id: str) -> Response:  # fmt: skip
    rule = _rule_or_404(session, owner, rule_id)
    delete_rule(session, principal.id, owner, rule, _version(version_id))
    session.commit()
    return RedirectResponse(f"{_base(owner)}#rules", status_code=303)


@router.get("/cohorts/{cohort_id}/rules")
def cohort_rules_page(
    request: Request, cohort_id: Id, session: SessionDep, principal: PrincipalDep,
    edit: str = "",
) -> Response:  # fmt: skip
    cohort = cohort_or_404(session, principal, cohort_id)
    return _page(request, session, principal, cohort, edit, request.query_params.get("from", ""))


@router.post("/cohorts/{cohort_id}/rules")
def add_cohort_rule(
    request: Request, cohort_id: Id, session: SessionDep, principal: PrincipalDep,
    raw: RawFormDep,
) -> Response:  # fmt: skip
    cohort = cohort_or_404(session, principal, cohort_id)
    return _save(request, session, principal, cohort, raw, None)


@router.post("/cohorts/{cohort_id}/rules/{rule_id}")
def edit_cohort_rule(
    request: Request, cohort_id: Id, rule_id: Id, session: SessionDep, principal: PrincipalDep,
    raw: RawFormDep,
) -> Response:  # fmt: skip
    cohort = cohort_or_404(session, principal, cohort_id)
    rule = _rule_or_404(session, cohort, rule_id)
    return _save(request, session, principal, cohort, raw, rule)


@router.post("/cohorts/{cohort_id}/rules/{rule_id}/delete")
def delete_cohort_rule(
    cohort_id: Id, rule_id: Id, session: SessionDep, principal: PrincipalDep,
    version_id: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    cohort = cohort_or_404(session, principal, cohort_id)
    return _delete(session, principal, cohort, rule_id, version_id)


@router.get("/companies/{company_id}/rules")
def company_rules_page(
    request: Request, company_id: Id, session: SessionDep, principal: PrincipalDep,
    edit: str = "",
) -> Response:  # fmt: skip
    company = company_or_404(session, principal, company_id)
    if edit and not can_coach_company(session, principal, company.id):
        edit = ""  # a member reads the rules; only the coach edits them
    return _page(request, session, principal, company, edit, request.query_params.get("from", ""))


@router.post("/companies/{company_id}/rules")
def add_company_rule(
    request: Request, company_id: Id, session: SessionDep, principal: PrincipalDep,
    raw: RawFormDep,
) -> Response:  # fmt: skip
    company = _company_rules_owner(session, principal, company_id)
    return _save(request, session, principal, company, raw, None)


@router.post("/companies/{company_id}/rules/{rule_id}")
def edit_company_rule(
    request: Request, company_id: Id, rule_id: Id, session: SessionDep,
    principal: PrincipalDep, raw: RawFormDep,
) -> Response:  # fmt: skip
    company = _company_rules_owner(session, principal, company_id)
    rule = _rule_or_404(session, company, rule_id)
    return _save(request, session, principal, company, raw, rule)


@router.post("/companies/{company_id}/rules/{rule_id}/delete")
def delete_company_rule(
    company_id: Id, rule_id: Id, session: SessionDep, principal: PrincipalDep,
    version_id: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    company = _company_rules_owner(session, principal, company_id)
    return _delete(session, principal, company, rule_id, version_id)
