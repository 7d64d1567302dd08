"""A company's account rules: shipped, then its cohort's, then its own; the longest prefix wins."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from carbon.db.mapping_rules import (
    RuleExists,
    cohort_of,
    cohort_rules,
    delete_rule,
    factor_units,
    owner_rules,
    replace_rules,
    rule_context,
    rules_for,
    save_rule,
)
from carbon.db.models import AuditLog, Cohort, Company, MappingRule
from carbon.imports.fec_mapping import AccountRule, rule_for
from carbon.inputs.mapping_rule import MappingRuleIn
from carbon.inputs.validate import validated
from tests import factories as f

LIBRARY = {"factor_units": {f"bundled:money-{n}": "k€ HT" for n in (
    "food", "metal-products", "services-finance", "services-marketing", "textiles",
)}, "library": "test"}  # fmt: skip


def spend(prefix: str, factor: str, poste: str = "4.1") -> MappingRuleIn:
    values = {"prefix": prefix, "treatment": "spend", "poste": poste,
              "factor_id": f"bundled:money-{factor}"}  # fmt: skip
    return validated(MappingRuleIn, values, LIBRARY)


@pytest.fixture
def cohort_and_company(db_session: Session) -> tuple[Cohort, Company]:
    cohort = f.make_cohort(db_session)
    company = f.make_company(db_session)
    f.make_enrolment(db_session, company=company, cohort=cohort)
    db_session.flush()
    return cohort, company


def mapped(rules: dict[str, AccountRule], account: str) -> tuple[str, str | None, str]:
    rule = rule_for(account, rules)
    assert rule is not None, account
    return rule.prefix, rule.factor_id, rule.origin


def test_without_rules_of_its_own_a_company_gets_the_shipped_set(
    db_session: Session, cohort_and_company: tuple[Cohort, Company]
) -> None:
    _, company = cohort_and_company
    rules = rules_for(db_session, company)
    # pcg_rules.csv: 601 -> food (4.1), 6064 -> paper and office, 64 excluded.
    assert mapped(rules, "60110000") == ("601", "bundled:money-food", "default")
    assert mapped(rules, "60640000") == ("6064", "bundled:money-paper-office", "default")
    assert rule_for("64110000", rules).treatment == "excluded"  # type: ignore[union-attr]
    assert rules_for(db_session, company.id) == rules  # an id works as well as the company


def test_equal_prefixes_company_beats_cohort_beats_default(
    db_session: Session, cohort_and_company: tuple[Cohort, Company]
) -> None:
    cohort, company = cohort_and_company
    save_rule(db_session, None, cohort, spend("601", "metal-products"))
    # Cohort over the shipped 601 (food): metal for this cohort of manufacturers.
    assert mapped(rules_for(db_session, company), "60110000") == (
        "601", "bundled:money-metal-products", "cohort",
    )  # fmt: skip
    save_rule(db_session, None, company, spend("601", "textiles"))
    # The company over its cohort, at the same prefix.
    assert mapped(rules_for(db_session, company), "60110000") == (
        "601", "bundled:money-textiles", "company",
    )  # fmt: skip
    # The cohort's page still shows the cohort's rule, not the company's.
    assert mapped(cohort_rules(db_session, cohort), "60110000")[2] == "cohort"


def test_the_most_specific_prefix_wins_whatever_its_layer(
    db_session: Session, cohort_and_company: tuple[Cohort, Company]
) -> None:
    cohort, company = cohort_and_company
    save_rule(db_session, None, cohort, spend("6226", "services-finance", "4.5"))
    save_rule(db_session, None, company, spend("62", "services-marketing", "4.5"))
    rules = rules_for(db_session, company)
    # 6226 (cohort, 4 digits) is longer than the company's 62: the cohort's rule maps 6226xxxx.
    assert mapped(rules, "62260000") == ("6226", "bundled:money-services-finance", "cohort")
    # 623 (shipped, 3 digits) is longer than the company's 62: the shipped rule keeps 623xxxx.
    assert mapped(rules, "62310000") == ("623", "bundled:money-services-marketing", "default")
    # 629 has no rule of 3 digits or more: the company's 62 takes it, instead of "unmapped".
    assert mapped(rules, "62900000") == ("62", "bundled:money-services-marketing", "company")


def test_a_file_given_at_import_is_the_top_layer(
    db_session: Session, cohort_and_company: tuple[Cohort, Company]
) -> None:
    _, company = cohort_and_company
    save_rule(db_session, None, company, spend("601", "textiles"))
    extra = [AccountRule("601", "excluded", origin="file")]
    assert rule_for("6011", rules_for(db_session, company, extra)).origin == "file"  # type: ignore[union-attr]


def test_other_companies_and_cohorts_do_not_leak(
    db_session: Session, cohort_and_company: tuple[Cohort, Company]
) -> None:
    cohort, company = cohort_and_company
    neighbour = f.make_company(db_session)
    f.make_enrolment(db_session, company=neighbour, cohort=cohort)
    stranger = f.make_company(db_session)
    f.make_enrolment(db_session, company=stranger, cohort=f.make_cohort(db_session))
    save_rule(db_session, None, cohort, spend("601", "metal-products"))
    save_rule(db_session, None, company, spend("602", "textiles"))
    # The neighbour shares the cohort's rule, not the company's own.
    assert mapped(rules_for(db_session, neighbour), "6011")[2] == "cohort"
    assert mapped(rules_for(db_session, neighbour), "6021")[2] == "default"
    # Another cohort's company sees neither.
    assert mapped(rules_for(db_session, stranger), "6011")[2] == "default"
    # An unenrolled company: shipped and own only.
    loner = f.make_company(db_session)
    assert cohort_of(db_session, loner.id) is None
    assert mapped(rules_for(db_session, loner), "6011")[2] == "default"


def test_a_company_in_two_cohorts_takes_its_latest_enrolment(
    db_session: Session, cohort_and_company: tuple[Cohort, Company]
) -> None:
    first, company = cohort_and_company
    company.enrolments[0].enrolled_at = datetime(2024, 1, 1, tzinfo=UTC)
    later = f.make_cohort(db_session)
    f.make_enrolment(db_session, company=company, cohort=later,
                     enrolled_at=datetime(2025, 9, 1, tzinfo=UTC))  # fmt: skip
    save_rule(db_session, None, first, spend("601", "metal-products"))
    save_rule(db_session, None, later, spend("601", "textiles"))
    assert cohort_of(db_session, company.id) == later.id
    assert mapped(rules_for(db_session, company), "6011")[1] == "bundled:money-textiles"


def test_writes_are_audited_and_versioned(
    db_session: Session, cohort_and_company: tuple[Cohort, Company]
) -> None:
    _, company = cohort_and_company
    user = f.make_user(db_session)
    rule = save_rule(db_session, user.id, company, spend("601", "textiles"))
    assert (rule.version_id, rule.updated_by_id) == (1, user.id)
    with pytest.raises(RuleExists):
        save_rule(db_session, user.id, company, spend("601", "food"))
    save_rule(db_session, user.id, company, spend("601", "food"), rule, expected_version=1)
    assert (rule.factor_id, rule.version_id) == ("bundled:money-food", 2)
    with pytest.raises(StaleDataError):  # the form was shown at version 1
        save_rule(db_session, user.id, company, spend("601", "metal-products"), rule, 1)
    with pytest.raises(StaleDataError):
        delete_rule(db_session, user.id, company, rule, 1)
    rule_id = rule.id
    delete_rule(db_session, user.id, company, rule, 2)
    assert owner_rules(db_session, company) == []
    trail = db_session.scalars(
        select(AuditLog).where(AuditLog.entity == "mapping_rule",
                               AuditLog.entity_id == str(rule_id)).order_by(AuditLog.id)
    ).all()  # fmt: skip
    assert [e.action for e in trail] == ["create", "update", "delete"]
    assert {e.company_id for e in trail} == {company.id}
    assert {e.actor_user_id for e in trail} == {user.id}
    assert trail[1].before["factor_id"] == "bundled:money-textiles"  # type: ignore[index]
    assert trail[1].after["factor_id"] == "bundled:money-food"  # type: ignore[index]
    assert trail[2].after is None


def test_replacing_a_set_adds_changes_and_removes(
    db_session: Session, cohort_and_company: tuple[Cohort, Company]
) -> None:
    cohort, _ = cohort_and_company
    save_rule(db_session, None, cohort, spend("601", "food"))
    save_rule(db_session, None, cohort, spend("602", "food"))
    save_rule(db_session, None, cohort, spend("604", "food"))
    wanted = {"601": spend("601", "food"), "602": spend("602", "textiles"),
              "607": spend("607", "metal-products")}  # fmt: skip
    assert replace_rules(db_session, None, cohort, wanted) == (1, 1, 1)
    assert {r.prefix: r.factor_id for r in owner_rules(db_session, cohort)} == {
        "601": "bundled:money-food", "602": "bundled:money-textiles",
        "607": "bundled:money-metal-products",
    }  # fmt: skip
    assert replace_rules(db_session, None, cohort, wanted) == (0, 0, 0)  # nothing to do twice


def test_one_owner_and_one_rule_per_prefix_in_the_schema(
    db_session: Session, cohort_and_company: tuple[Cohort, Company]
) -> None:
    cohort, company = cohort_and_company
    for owners in ({}, {"cohort_id": cohort.id, "company_id": company.id}):
        with db_session.begin_nested(), pytest.raises(IntegrityError):
            db_session.add(MappingRule(prefix="601", treatment="excluded", **owners))
            db_session.flush()
    db_session.add(MappingRule(prefix="601", treatment="excluded", cohort_id=cohort.id))
    db_session.add(MappingRule(prefix="601", treatment="excluded", company_id=company.id))
    db_session.flush()  # the same prefix for two owners is fine
    with db_session.begin_nested(), pytest.raises(IntegrityError):
        db_session.add(MappingRule(prefix="601", treatment="spend", company_id=company.id))
        db_session.flush()


def test_the_factor_context_is_the_default_library(db_session: Session) -> None:
    # No library stored: the bundled one; with only=, just those ids.
    units = factor_units(db_session, only=["bundled:money-food", "bundled:nope"])
    assert units == {"bundled:money-food": "k€ HT"}
    assert rule_context(db_session)["library"] == "bundled"
    assert len(factor_units(db_session)) > 50
