"""The account rules pages: the cohort's coach edits the cohort's set, the company's coach its
overrides, its members read them; every change audited, stale edits 409, bad input 422."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.db.mapping_rules import owner_rules, rules_for
from carbon.db.models import AuditLog, Cohort, MappingRule
from carbon.imports.fec_mapping import rule_for

from .conftest import World

METAL = {"prefix": "601", "treatment": "spend", "poste": "4.1",
         "factor_id": "bundled:money-metal-products", "label": "Steel and aluminium"}  # fmt: skip


def soup(r: Any) -> BeautifulSoup:
    return BeautifulSoup(r.text, "html.parser")


def cohort_a(world: World) -> Cohort:
    return world.company_a.enrolments[0].cohort


def origin_of(r: Any, prefix: str) -> str:
    row = soup(r).select_one(f"#rule-{prefix}")
    assert row is not None, prefix
    return str(row["data-origin"])


def test_the_cohort_page_lists_the_shipped_rules(as_user: Any, world: World) -> None:
    r = as_user("carol").get(f"/cohorts/{cohort_a(world).id}/rules")
    assert r.status_code == 200
    page = soup(r)
    assert origin_of(r, "6061") == "default"
    assert "default rule" in page.select_one("#rule-607").text  # type: ignore[union-attr]
    assert page.select_one("#rule-form") is not None
    # No rule of the cohort yet: each shipped rule offers an override, none a delete.
    assert page.select_one("#rule-607 a[href$='?from=607#rule-form']") is not None
    assert page.select("#rules form") == []


def test_the_coach_adds_edits_and_deletes_a_cohort_rule(
    as_user: Any, world: World, db_session: Session
) -> None:
    carol, cohort = as_user("carol"), cohort_a(world)
    base = f"/cohorts/{cohort.id}/rules"
    r = carol.form(base, METAL, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{base}#rules"
    page = carol.get(base)
    assert origin_of(page, "601") == "cohort"
    assert "bundled:money-metal-products" in page.text
    # The cohort's companies now map 601 with it.
    rule = rule_for("60110000", rules_for(db_session, world.company_a))
    assert rule is not None and (rule.factor_id, rule.origin) == (
        "bundled:money-metal-products", "cohort",
    )  # fmt: skip
    (row,) = owner_rules(db_session, cohort)
    edit = carol.get(f"{base}?edit={row.id}")
    form = soup(edit).select_one("#rule-form")
    assert form is not None and form["action"] == f"{base}/{row.id}"
    assert form.select_one("input[name=version_id]")["value"] == "1"  # type: ignore[index]
    changed = {**METAL, "factor_id": "bundled:money-textiles", "version_id": "1"}
    assert carol.form(f"{base}/{row.id}", changed, follow_redirects=False).status_code == 303
    db_session.expire_all()
    assert (row.factor_id, row.version_id) == ("bundled:money-textiles", 2)
    # The same form sent again (shown at version 1): someone changed it since.
    stale = carol.form(f"{base}/{row.id}", changed)
    assert stale.status_code == 409
    gone = carol.form(f"{base}/{row.id}/delete", {"version_id": "1"})
    assert gone.status_code == 409
    deleted = carol.form(f"{base}/{row.id}/delete", {"version_id": "2"}, follow_redirects=False)
    assert deleted.status_code == 303
    assert origin_of(carol.get(base), "601") == "default"  # the shipped rule applies again
    trail = db_session.scalars(
        select(AuditLog).where(AuditLog.entity == "mapping_rule").order_by(AuditLog.id)
    ).all()
    assert [(a.action, a.actor_user_id) for a in trail] == [
        ("create", world.carol.id), ("update", world.carol.id), ("delete", world.carol.id),
    ]  # fmt: skip


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"prefix": "706"}, "prefix", "is not a purchase (class 6) or investment (class 2)"),
    ({"prefix": "60x"}, "prefix", "an account prefix is 1 to 8 digits"),
    ({"factor_id": "bundled:nope"}, "factor_id", "unknown emission factor 'bundled:nope'"),
    ({"factor_id": "bundled:elec-fr-2022"}, "factor_id", "is not a monetary ratio"),
    ({"poste": ""}, "poste", "this field is required"),
    ({"poste": "9.9"}, "poste", "unknown BEGES poste"),
    ({"overlaps": "no-such-thing"}, "overlaps", "is not an activity of the catalogue"),
    ({"label": "x" * 201}, "label", "at most 200 characters"),
])  # fmt: skip
def test_a_bad_rule_comes_back_with_its_message(
    as_user: Any, world: World, db_session: Session, changes: dict[str, str], field: str,
    words: str,
) -> None:  # fmt: skip
    r = as_user("carol").form(f"/cohorts/{cohort_a(world).id}/rules", {**METAL, **changes})
    assert r.status_code == 422
    error = soup(r).select_one(f"#f-{field}-error")
    assert error is not None and words in error.text, r.text
    # The form keeps what was typed.
    typed = soup(r).select_one(f"#rule-form [name={field}]")
    assert typed is not None
    assert db_session.scalars(select(MappingRule)).all() == []


def test_a_prefix_the_cohort_already_has_is_refused(
    as_user: Any, world: World, db_session: Session
) -> None:
    carol = as_user("carol")
    base = f"/cohorts/{cohort_a(world).id}/rules"
    carol.form(base, METAL)
    again = carol.form(base, {**METAL, "factor_id": "bundled:money-food"})
    assert again.status_code == 422
    assert "already a rule for 601" in soup(again).select_one("#f-prefix-error").text  # type: ignore[union-attr]
    assert len(db_session.scalars(select(MappingRule)).all()) == 1


def test_a_member_reads_the_company_rules_and_the_coach_overrides_them(
    as_user: Any, world: World, db_session: Session
) -> None:
    carol, alice = as_user("carol"), as_user("alice")
    company_url = f"/companies/{world.company_a.id}/rules"
    carol.form(f"/cohorts/{cohort_a(world).id}/rules", METAL)
    # The company's coach overrides the cohort's 601 for this company only.
    r = carol.form(company_url, {**METAL, "factor_id": "bundled:money-food"},
                   follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    read = alice.get(company_url)
    assert read.status_code == 200
    assert origin_of(read, "601") == "company"
    assert soup(read).select_one("#read-only") is not None
    assert soup(read).select_one("#rule-form") is None and soup(read).select("#rules form") == []
    assert soup(alice.get(f"{company_url}?edit=1")).select_one("#rule-form") is None
    (row,) = owner_rules(db_session, world.company_a)
    for url, data in ((company_url, {**METAL, "prefix": "602"}),
                      (f"{company_url}/{row.id}", {**METAL, "version_id": "1"}),
                      (f"{company_url}/{row.id}/delete", {"version_id": "1"})):  # fmt: skip
        assert alice.form(url, data).status_code == 403
    db_session.expire_all()
    assert [(r.prefix, r.factor_id) for r in owner_rules(db_session, world.company_a)] == [
        ("601", "bundled:money-food"),
    ]
    # Company B, in cohort B, is untouched by either.
    other = rule_for("6011", rules_for(db_session, world.company_b))
    assert other is not None and other.origin == "default"
    # The administrator edits too; the audit names the company.
    admin = as_user("admin")
    assert admin.form(f"{company_url}/{row.id}/delete", {"version_id": "1"},
                      follow_redirects=False).status_code == 303  # fmt: skip
    entry = db_session.scalars(
        select(AuditLog).where(AuditLog.action == "delete", AuditLog.entity == "mapping_rule")
    ).one()
    assert (entry.actor_user_id, entry.company_id) == (world.admin.id, world.company_a.id)


def test_another_cohorts_rule_is_not_found_through_this_cohort(
    as_user: Any, world: World, db_session: Session
) -> None:
    dave_cohort = world.company_b.enrolments[0].cohort
    dave = as_user("dave")
    dave.form(f"/cohorts/{dave_cohort.id}/rules", METAL)
    (row,) = owner_rules(db_session, dave_cohort)
    carol = as_user("carol")
    # Carol's own cohort in the URL, dave's rule id: not hers.
    url = f"/cohorts/{cohort_a(world).id}/rules/{row.id}"
    assert carol.form(url, {**METAL, "version_id": "1"}).status_code == 404
    assert carol.form(f"{url}/delete", {"version_id": "1"}).status_code == 404
    assert carol.get(f"/cohorts/{cohort_a(world).id}/rules?edit={row.id}").status_code == 404


def test_posts_without_csrf_token_are_refused(as_user: Any, world: World) -> None:
    carol = as_user("carol")
    r = carol.post(f"/cohorts/{cohort_a(world).id}/rules", data=METAL)
    assert r.status_code == 403


def test_links_to_the_rules_pages(as_user: Any, world: World) -> None:
    cohort_page = as_user("carol").get(f"/cohorts/{cohort_a(world).id}")
    assert soup(cohort_page).select_one(f"a[href='/cohorts/{cohort_a(world).id}/rules']")
    company_page = as_user("alice").get(f"/companies/{world.company_a.id}")
    assert soup(company_page).select_one(f"a[href='/companies/{world.company_a.id}/rules']")


def test_a_prefix_added_twice_at_once_is_refused_by_the_constraint(
    as_user: Any, world: World, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two coaches add 601 at the same moment: both checks find nothing (simulated here by a
    # check that never finds), and the unique constraint refuses the second write: 422, not 500.
    carol = as_user("carol")
    base = f"/cohorts/{cohort_a(world).id}/rules"
    assert carol.form(base, METAL, follow_redirects=False).status_code == 303
    monkeypatch.setattr("carbon.db.mapping_rules.find_rule", lambda *_args: None)
    second = carol.form(base, {**METAL, "factor_id": "bundled:money-food"})
    assert second.status_code == 422
    assert "already a rule for 601" in soup(second).select_one("#f-prefix-error").text  # type: ignore[union-attr]
    rows = db_session.scalars(select(MappingRule)).all()
    assert [(r.prefix, r.factor_id) for r in rows] == [("601", "bundled:money-metal-products")]


def test_a_shipped_rule_is_shown_in_the_readers_words(as_user: Any, world: World) -> None:
    """pcg_rules.csv carries French and Italian labels and hints; the poste is named."""
    client = as_user("carol")
    page = client.get(f"/cohorts/{cohort_a(world).id}/rules")
    token = soup(page).select_one("input[name=csrf_token]")["value"]  # type: ignore[index]
    url = f"/cohorts/{cohort_a(world).id}/rules"
    client.post("/lang", data={"lang": "it", "next": url, "csrf_token": token})
    row = soup(client.get(url)).select_one("#rule-6251")
    assert row is not None
    assert "Viaggi e trasferte" in row.text and "pernottamenti in albergo" in row.text
    assert "Travel" not in row.text
    assert "3.5 " in row.text  # the poste with its name, never a bare number
    # Overriding it starts from the reader's words too.
    form = soup(client.get(f"{url}?from=6251")).select_one("#rule-form input[name=label]")
    assert form is not None and form["value"] == "Viaggi e trasferte"
