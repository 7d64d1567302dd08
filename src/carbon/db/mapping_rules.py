"""Which account rules apply to a company: shipped, then its cohort's, then its own.

The FEC import (CLI and web) asks :func:`rules_for` for one company's rules. Three layers, each
overriding the one before prefix by prefix: the set shipped with carbon
(``emission_factors/pcg_rules.csv``), the set the coach keeps for the company's cohort, and the
company's own overrides. An account then takes the rule of its longest prefix
(:func:`carbon.imports.fec_mapping.rule_for`), so the most specific prefix wins whatever its
layer, and at equal prefix the company beats the cohort, which beats the default. Each rule
says its layer (``AccountRule.origin``) for the preview.

A company enrolled in several cohorts takes the rules of its latest enrolment (the programme it
follows now). Writes are audited (entity ``mapping_rule``) and refused when the form was shown at
another version (``StaleDataError``, a 409 on the web); callers validate with
:class:`carbon.inputs.mapping_rule.MappingRuleIn` and commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from carbon.db.audit import record, snapshot
from carbon.db.factor_store import default_version
from carbon.db.models import Cohort, Company, Enrolment, Factor, MappingRule
from carbon.factors.bundled import load_bundled_library
from carbon.i18n import N_
from carbon.imports.fec_mapping import AccountRule, default_rules, layered
from carbon.inputs.mapping_rule import MappingRuleIn

Owner = Cohort | Company
# How the preview and the rules pages name a rule's layer (AccountRule.origin).
LAYER_LABELS: Final = {
    "default": N_("default rule"),
    "cohort": N_("cohort rule"),
    "company": N_("company rule"),
    "file": N_("rule from the file"),
}


def _owner_column(owner: Owner) -> tuple[str, int]:
    return ("cohort_id", owner.id) if isinstance(owner, Cohort) else ("company_id", owner.id)


def owner_rules(session: Session, owner: Owner) -> list[MappingRule]:
    """The rules a cohort or a company keeps, by prefix."""
    column, owner_id = _owner_column(owner)
    stmt = select(MappingRule).where(getattr(MappingRule, column) == owner_id)
    return list(session.scalars(stmt.order_by(MappingRule.prefix)))


def account_rule(row: MappingRule, origin: str) -> AccountRule:
    overlaps = tuple(p for p in row.overlaps.split("|") if p)
    return AccountRule(
        row.prefix, row.treatment, row.poste, row.factor_id, overlaps, row.label,
        row.physical_hint, row.note, origin,
    )  # fmt: skip


def cohort_of(session: Session, company_id: int) -> int | None:
    """The cohort whose rules a company takes: that of its latest enrolment."""
    stmt = (
        select(Enrolment.cohort_id)
        .where(Enrolment.company_id == company_id)
        .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def cohort_rules(session: Session, cohort: Cohort | int) -> dict[str, AccountRule]:
    """The shipped rules with the cohort's layered on top (what the cohort page shows)."""
    cohort_id = cohort if isinstance(cohort, int) else cohort.id
    rows = session.scalars(select(MappingRule).where(MappingRule.cohort_id == cohort_id))
    return layered(default_rules(), [account_rule(r, "cohort") for r in rows])


def rules_for(
    session: Session, company: Company | int, extra: Iterable[AccountRule] = ()
) -> dict[str, AccountRule]:
    """Prefix -> rule for a company's FEC: shipped, its cohort's, its own, then ``extra`` (a
    ``--rules`` file) on top; hand the result to ``fec_mapping.propose`` or
    ``db.fec_import.plan_fec_import``. Two queries."""
    company_id = company if isinstance(company, int) else company.id
    cohort_id = cohort_of(session, company_id)
    owners = MappingRule.company_id == company_id
    if cohort_id is not None:
        owners = owners | (MappingRule.cohort_id == cohort_id)
    rows = list(session.scalars(select(MappingRule).where(owners)))
    cohort = [account_rule(r, "cohort") for r in rows if r.cohort_id is not None]
    own = [account_rule(r, "company") for r in rows if r.company_id is not None]
    return layered(default_rules(), cohort, own, extra)


def factor_units(session: Session, only: Iterable[str] | None = None) -> dict[str, str | None]:
    """factor_id -> unit in the library new periods use (the default version, else the bundled
    one): the context :class:`MappingRuleIn` checks a rule's factor against. ``only`` limits the
    query to the ids a form gives."""
    version = default_version(session)
    wanted = None if only is None else sorted({i for i in only if i})
    if version is None:
        factors = load_bundled_library().factors
        units = dict(zip(factors["factor_id"], factors["unit"], strict=True))
        return units if wanted is None else {k: units[k] for k in wanted if k in units}
    stmt = select(Factor.factor_id, Factor.unit).where(Factor.library_version_id == version.id)
    if wanted is not None:
        stmt = stmt.where(Factor.factor_id.in_(wanted))
    return {str(fid): unit for fid, unit in session.execute(stmt)}


def rule_context(session: Session, only: Iterable[str] | None = None) -> dict[str, object]:
    """The validation context of :class:`MappingRuleIn`: the default library's factors."""
    version = default_version(session)
    label = version.label if version is not None else "bundled"
    return {"factor_units": factor_units(session, only), "library": label}


def find_rule(session: Session, owner: Owner, prefix: str) -> MappingRule | None:
    column, owner_id = _owner_column(owner)
    stmt = select(MappingRule).where(
        getattr(MappingRule, column) == owner_id, MappingRule.prefix == prefix
    )
    return session.scalar(stmt)


class RuleExists(ValueError):
    """The owner already has a rule for this prefix: edit it instead of adding another."""


def _check_version(rule: MappingRule, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != rule.version_id:
        raise StaleDataError(f"mapping rule {rule.id} was changed by someone else")


def _company_id(owner: Owner) -> int | None:
    return owner.id if isinstance(owner, Company) else None


def save_rule(
    session: Session,
    actor_id: int | None,
    owner: Owner,
    values: MappingRuleIn,
    rule: MappingRule | None = None,
    expected_version: int | None = None,
) -> MappingRule:
    """Add a rule to ``owner``'s set (``rule`` None) or change ``rule``; audited, flushed.

    Adding a prefix the owner already has raises :class:`RuleExists`; changing a rule shown at
    another version raises ``StaleDataError``."""
    before = None
    if rule is None:
        if find_rule(session, owner, values.prefix) is not None:
            raise RuleExists(values.prefix)
        column, owner_id = _owner_column(owner)
        rule = MappingRule(**{column: owner_id})
        session.add(rule)
    else:
        _check_version(rule, expected_version)
        before = snapshot(rule)
        if values.prefix != rule.prefix and find_rule(session, owner, values.prefix):
            raise RuleExists(values.prefix)
    rule.prefix = values.prefix
    rule.treatment = values.treatment
    rule.poste = values.poste
    rule.factor_id = values.factor_id
    rule.overlaps = values.overlaps
    rule.label = values.label
    rule.physical_hint = values.physical_hint
    rule.note = values.note
    rule.updated_by_id = actor_id
    session.flush()
    record(session, actor_id, "create" if before is None else "update", "mapping_rule",
           rule.id, before, snapshot(rule), company_id=_company_id(owner))  # fmt: skip
    return rule


def delete_rule(
    session: Session,
    actor_id: int | None,
    owner: Owner,
    rule: MappingRule,
    expected_version: int | None = None,
) -> None:
    """Remove ``rule`` (the layer below applies again); audited."""
    _check_version(rule, expected_version)
    before = snapshot(rule)
    session.delete(rule)
    session.flush()
    record(session, actor_id, "delete", "mapping_rule", before["id"], before, None,
           company_id=_company_id(owner))  # fmt: skip


def replace_rules(
    session: Session, actor_id: int | None, owner: Owner, rules: Mapping[str, MappingRuleIn]
) -> tuple[int, int, int]:
    """Make ``owner``'s set exactly ``rules`` (``carbon rules import``): (added, changed,
    removed), each write audited; an unchanged rule is left alone."""
    kept = {r.prefix: r for r in owner_rules(session, owner)}
    added = changed = removed = 0
    for prefix, rule in kept.items():
        if prefix not in rules:
            delete_rule(session, actor_id, owner, rule)
            removed += 1
    for prefix, values in rules.items():
        row = kept.get(prefix)
        if row is None:
            save_rule(session, actor_id, owner, values)
            added += 1
        elif _differs(row, values):
            save_rule(session, actor_id, owner, values, row)
            changed += 1
    return added, changed, removed


def _differs(row: MappingRule, values: MappingRuleIn) -> bool:
    fields = ("treatment", "poste", "factor_id", "overlaps", "label", "physical_hint", "note")
    return any(getattr(row, name) != getattr(values, name) for name in fields)
