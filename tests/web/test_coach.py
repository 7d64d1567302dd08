"""The coach's pages and the validation workflow, persona by persona.

World (tests/web/conftest.py): carol coaches cohort A (company A, alice's), dave cohort B
(company B, bob's). period_a (company A, 2024, base year, draft) holds 520 kg in 2.1 and 3,100 kg
in 1.2: 3,620 kg, i.e. 3.6 t.
"""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.coaching import table
from carbon.db.models import AuditLog, Cohort, Enrolment, PeriodComment
from carbon.web.access import load_principal
from carbon.web.routes.coach import validation_context
from tests import factories as f

from .conftest import World

PERSONAS = ("alice", "bob", "carol", "dave", "admin")


def soup(r: Any) -> BeautifulSoup:
    return BeautifulSoup(r.text, "html.parser")


def text(node: Any) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def cohort_a(s: Session, world: World) -> Cohort:
    cohort_id = s.scalar(
        select(Enrolment.cohort_id).where(Enrolment.company_id == world.company_a.id)
    )
    cohort = s.get(Cohort, cohort_id)
    assert cohort is not None
    return cohort


def add_companies(s: Session, world: World) -> None:
    """Three more companies in cohort A: a hotel (IT) waiting for validation, two without data."""
    cohort = cohort_a(s, world)
    gamma = f.make_company(s, name="Gamma Albergo", sector="hotel", country="IT", fte=10.0)
    f.make_enrolment(s, company=gamma, cohort=cohort)
    p = f.make_period(s, gamma, world.library, year=2025, status="submitted")
    # 100,000 kWh × 0.2655 (Italian mix, ISPRA 2022) = 26,550 kg.
    f.make_line(s, p, poste="2.1", factor_id="bundled:elec-it-2022", quantity=100_000, unit="kWh")
    for name in ("Delta Ingénierie", "Epsilon Numérique"):
        c = f.make_company(s, name=name, sector="engineering")
        f.make_enrolment(s, company=c, cohort=cohort)
    s.flush()


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/cohorts", "/cohorts/{cohort}", "/companies/{company}/peers",
                                  "/periods/{period}/validation"])  # fmt: skip
def test_anonymous_is_sent_to_login(
    client: Any, world: World, db_session: Session, path: str
) -> None:
    url = path.format(cohort=cohort_a(db_session, world).id, company=world.company_a.id,
                      period=world.period_a.id)  # fmt: skip
    r = client.get(url, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/login?next={url}"


def test_anonymous_post_is_sent_to_login(client: Any, world: World) -> None:
    client.refresh_csrf("/login")
    r = client.form(f"/periods/{world.period_a.id}/validate", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


@pytest.mark.parametrize(("persona", "listed"), [
    ("alice", []), ("bob", []), ("carol", ["Cohort A"]), ("dave", ["Cohort B"]),
    ("admin", ["Cohort A", "Cohort B"]),
])  # fmt: skip
def test_cohort_list(as_user: Any, world: World, persona: str, listed: list[str]) -> None:
    r = as_user(persona).get("/cohorts")
    assert r.status_code == 200
    assert sorted(text(a) for a in soup(r).select("#cohorts tbody th a")) == listed


@pytest.mark.parametrize(("persona", "status"), [
    ("alice", 404), ("bob", 404), ("carol", 200), ("dave", 404), ("admin", 200),
])  # fmt: skip
def test_cohort_page_access(
    as_user: Any, world: World, db_session: Session, persona: str, status: int
) -> None:
    r = as_user(persona).get(f"/cohorts/{cohort_a(db_session, world).id}")
    assert r.status_code == status
    if status == 404:
        assert "Alpha Remontées" not in r.text


@pytest.mark.parametrize(("persona", "status"), [
    ("alice", 200), ("bob", 404), ("carol", 200), ("dave", 404), ("admin", 200),
])  # fmt: skip
def test_peers_and_validation_panel_access(
    as_user: Any, world: World, persona: str, status: int
) -> None:
    c = as_user(persona)
    assert c.get(f"/companies/{world.company_a.id}/peers").status_code == status
    assert c.get(f"/periods/{world.period_a.id}/validation").status_code == status


# --- The cohort page ----------------------------------------------------------------------------


def test_cohort_page_row_and_kpis(as_user: Any, world: World, db_session: Session) -> None:
    add_companies(db_session, world)
    page = soup(as_user("carol").get(f"/cohorts/{cohort_a(db_session, world).id}"))
    assert text(page.select_one("#kpi-companies")) == "4"
    assert text(page.select_one("#kpi-waiting")) == "1"  # Gamma's 2025
    row = page.select_one(f"#company-{world.company_a.id}")
    assert row is not None and row["data-stage"] == "computed"  # lines, still a draft
    cells = [text(td) for td in row.find_all("td")]
    # Company A is a lift operator (expected 1–4); it has 1.2 and 2.1: categories 1 and 2, 50 %.
    assert "50%" in cells[1]
    assert [s.get_text(strip=True)[0] for s in row.select(".cat--present")] == ["1", "2"]
    assert cells[4] == "3.6 t CO₂e 2024 · draft"  # (text() collapses the no-break spaces)
    # 3,620 + 26,550 = 30,170 kg over the 2 companies with a footprint.
    assert text(page.select_one("#total-footprint")) == "30 t CO₂e 2 footprints"


def test_htmx_filter_returns_only_the_block(
    as_user: Any, world: World, db_session: Session
) -> None:
    add_companies(db_session, world)
    url = f"/cohorts/{cohort_a(db_session, world).id}?flag=to_validate&sort=name"
    r = as_user("carol").htmx("GET", url)
    assert r.status_code == 200 and "<html" not in r.text
    page = soup(r)
    assert page.select_one("#companies") is not None and page.select_one("#kpis") is None
    assert [text(a) for a in page.select("tbody th a")] == ["Gamma Albergo"]
    assert "1 of 4 companies" in text(page.select_one("#table-count"))


def test_filtered_view_as_a_full_page(as_user: Any, world: World, db_session: Session) -> None:
    add_companies(db_session, world)
    cohort = cohort_a(db_session, world)
    r = as_user("carol").get(f"/cohorts/{cohort.id}?sector=engineering&sort=name&dir=desc")
    page = soup(r)
    assert "<html" in r.text and page.select_one("#kpis") is not None
    assert [text(a) for a in page.select("#companies tbody th a")] == [
        "Epsilon Numérique", "Delta Ingénierie",
    ]  # fmt: skip
    # The form shows the state the URL holds, so a reload keeps the view.
    assert page.select_one("#f-sector option[selected]")["value"] == "engineering"
    assert page.select_one("#f-dir option[selected]")["value"] == "desc"
    form = page.select_one("form#filters")
    assert form["hx-push-url"] == "true" and form["hx-target"] == "#companies"


def test_sort_by_footprint(as_user: Any, world: World, db_session: Session) -> None:
    add_companies(db_session, world)
    cohort = cohort_a(db_session, world)
    r = as_user("carol").htmx("GET", f"/cohorts/{cohort.id}?sort=total&dir=desc")
    names = [text(a) for a in soup(r).select("tbody th a")]
    # 26,550 kg, 3,620 kg, then the two without a footprint (by name).
    assert names == ["Gamma Albergo", "Alpha Remontées", "Delta Ingénierie", "Epsilon Numérique"]


def test_column_headers_sort_and_keep_the_filters(
    as_user: Any, world: World, db_session: Session
) -> None:
    add_companies(db_session, world)
    cohort = cohort_a(db_session, world)
    r = as_user("carol").htmx("GET", f"/cohorts/{cohort.id}?sector=engineering&sort=stage")
    page = soup(r)
    # The filters travel with the block, so a header click and a filter change agree.
    assert page.select_one("#companies form#filters") is not None
    headers = {text(th): th for th in page.select(".cohort-table thead th")}
    assert headers["Stage ▲"]["aria-sort"] == "ascending"
    # Sorted by stage: its header turns the order; another header starts ascending on page 1.
    assert headers["Stage ▲"].a["href"].endswith("?sector=engineering&sort=stage&dir=desc&page=1")
    activity = headers["Last activity"].a["hx-get"]
    assert activity.endswith("?sector=engineering&sort=activity&page=1")
    assert "aria-sort" not in headers["Last activity"].attrs
    # Six columns and the details: what used to make the table wider than a laptop's screen.
    assert len(headers) == 7


def test_peers_page_names_no_one_else(as_user: Any, world: World, db_session: Session) -> None:
    add_companies(db_session, world)
    page = as_user("alice").get(f"/companies/{world.company_a.id}/peers").text
    assert "Alpha Remontées" in page
    for other in ("Gamma Albergo", "Delta Ingénierie", "Epsilon Numérique", "Beta Albergo"):
        assert other not in page
    # One other company with a footprint: too few to rank anyone.
    assert "not enough companies" in page


# --- Validation ---------------------------------------------------------------------------------


def submit(as_user: Any, world: World) -> None:
    url = f"/periods/{world.period_a.id}/submit"
    r = as_user("alice").form(url, {"confirm": "yes"}, follow_redirects=False)
    assert r.status_code == 303


def status_entries(s: Session, period_id: int) -> list[AuditLog]:
    return list(s.scalars(
        select(AuditLog).where(AuditLog.entity == "reporting_period",
                               AuditLog.entity_id == str(period_id)).order_by(AuditLog.id)
    ))  # fmt: skip


def test_carol_validates_after_alice_submits(
    as_user: Any, world: World, db_session: Session
) -> None:
    submit(as_user, world)
    carol = as_user("carol")
    panel = soup(carol.get(f"/periods/{world.period_a.id}/validation"))
    actions = [form["action"] for form in panel.select(".validation__moves form")]
    assert actions == [f"/periods/{world.period_a.id}/validate",
                       f"/periods/{world.period_a.id}/request-corrections"]  # fmt: skip
    r = carol.form(f"/periods/{world.period_a.id}/validate", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/periods/{world.period_a.id}"
    db_session.refresh(world.period_a)
    assert world.period_a.status == "validated" and world.period_a.validated_by_id == world.carol.id
    last = status_entries(db_session, world.period_a.id)[-1]
    assert (last.actor_user_id, last.before, last.after) == (
        world.carol.id, {"status": "submitted"}, {"status": "validated"},
    )  # fmt: skip
    # Read-only for the company from now on; it still sees the history.
    r = as_user("alice").htmx("POST", f"/periods/{world.period_a.id}/lines",
                              data={"activity_id": "electricity-buildings", "quantity": "5",
                                    "unit": "kWh"})  # fmt: skip
    assert r.status_code == 403
    panel = soup(as_user("alice").get(f"/periods/{world.period_a.id}/validation"))
    assert panel.select(".validation__moves form") == []
    assert "validated" in text(panel.select_one("table.history tbody tr:last-child"))


@pytest.mark.parametrize(("persona", "status"), [
    ("alice", 403), ("bob", 404), ("dave", 404), ("admin", 303),
])  # fmt: skip
def test_who_may_validate(
    as_user: Any, world: World, db_session: Session, persona: str, status: int
) -> None:
    submit(as_user, world)
    r = as_user(persona).form(f"/periods/{world.period_a.id}/validate", follow_redirects=False)
    assert r.status_code == status
    db_session.refresh(world.period_a)
    assert world.period_a.status == ("validated" if status == 303 else "submitted")


def test_validating_a_draft_is_a_conflict(as_user: Any, world: World, db_session: Session) -> None:
    r = as_user("carol").form(f"/periods/{world.period_a.id}/validate")
    assert r.status_code == 409
    db_session.refresh(world.period_a)
    assert world.period_a.status == "draft"


def test_stale_page_is_a_conflict(as_user: Any, world: World, db_session: Session) -> None:
    submit(as_user, world)
    db_session.refresh(world.period_a)
    stale = str(world.period_a.version_id - 1)
    r = as_user("carol").form(f"/periods/{world.period_a.id}/validate", {"version_id": stale})
    assert r.status_code == 409


def test_request_corrections_needs_a_message(
    as_user: Any, world: World, db_session: Session
) -> None:
    submit(as_user, world)
    carol = as_user("carol")
    url = f"/periods/{world.period_a.id}/request-corrections"
    r = carol.htmx("POST", url, data={"reason": "  "})
    assert r.status_code == 422 and "<html" not in r.text
    assert "Write the reason" in text(soup(r).select_one("#reason-request-corrections-error"))
    r = carol.form(url, {"reason": "Add the heating oil."}, follow_redirects=False)
    assert r.status_code == 303
    db_session.refresh(world.period_a)
    assert world.period_a.status == "draft"
    assert status_entries(db_session, world.period_a.id)[-1].after == {
        "status": "draft", "reason": "Add the heating oil.",
    }  # fmt: skip
    # Alice reads it in the thread, as a message from her coach.
    item = soup(as_user("alice").get(f"/periods/{world.period_a.id}/validation")).select_one(
        ".thread__item--coach"
    )
    assert item is not None and "Add the heating oil." in text(item)


def test_reopen_and_lock(as_user: Any, world: World, db_session: Session) -> None:
    submit(as_user, world)
    pid = world.period_a.id
    carol, admin = as_user("carol"), as_user("admin")
    assert carol.form(f"/periods/{pid}/validate", follow_redirects=False).status_code == 303
    assert carol.form(f"/periods/{pid}/lock").status_code == 403  # locking is the admin's
    assert admin.form(f"/periods/{pid}/lock", follow_redirects=False).status_code == 303
    assert admin.form(f"/periods/{pid}/lock").status_code == 409  # already locked
    assert admin.form(f"/periods/{pid}/reopen", {"reason": ""}).status_code == 422
    assert as_user("alice").form(f"/periods/{pid}/reopen", {"reason": "x"}).status_code == 403
    # What an administrator locked, only an administrator reopens.
    assert carol.form(f"/periods/{pid}/reopen", {"reason": "x"}).status_code == 403
    r = admin.form(f"/periods/{pid}/reopen", {"reason": "Invoice found late"},
                   follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    db_session.refresh(world.period_a)
    assert world.period_a.status == "draft"
    entries = status_entries(db_session, pid)
    assert [(e.before["status"], e.after["status"]) for e in entries[-3:]] == [  # type: ignore[index]
        ("submitted", "validated"), ("validated", "locked"), ("locked", "draft"),
    ]  # fmt: skip
    assert entries[-1].after == {"status": "draft", "reason": "Invoice found late"}
    assert entries[-1].actor_user_id == world.admin.id


def test_comments(as_user: Any, world: World, db_session: Session) -> None:
    pid = world.period_a.id
    line = world.period_a.lines[0]
    r = as_user("alice").htmx("POST", f"/periods/{pid}/comments", data={"body": "Is 2.1 right?"})
    assert r.status_code == 200 and "<html" not in r.text
    assert "Is 2.1 right?" in text(soup(r).select_one("#validation .thread"))
    r = as_user("carol").form(f"/periods/{pid}/comments",
                              {"body": "Check the meter.", "line_id": str(line.id)},
                              follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert (
        as_user("carol").htmx("POST", f"/periods/{pid}/comments", data={"body": ""}).status_code
        == 422
    )
    assert as_user("dave").form(f"/periods/{pid}/comments", {"body": "hi"}).status_code == 404
    assert as_user("bob").form(f"/periods/{pid}/comments", {"body": "hi"}).status_code == 404
    comments = db_session.scalars(
        select(PeriodComment).where(PeriodComment.period_id == pid).order_by(PeriodComment.id)
    ).all()
    assert [(c.author_id, c.line_id, c.body) for c in comments] == [
        (world.alice.id, None, "Is 2.1 right?"), (world.carol.id, line.id, "Check the meter."),
    ]  # fmt: skip
    audited = db_session.scalars(
        select(AuditLog.actor_user_id).where(AuditLog.entity == "period_comment")
    ).all()
    assert sorted(audited) == sorted([world.alice.id, world.carol.id])
    page = soup(as_user("alice").get(f"/periods/{pid}/validation"))
    assert "<html" in str(page) and page.select_one(".breadcrumb") is not None
    items = page.select(".thread__item")
    assert "about a line of poste" in text(items[1]) and "company" in text(items[0])


def test_partial_included_by_the_period_page(app: Any, world: World, db_session: Session) -> None:
    """``{% include "_validation.html" %}`` in period.html: lazy without context, else inline."""
    page = app.state.templates.env.from_string('<main>{% include "_validation.html" %}</main>')
    ctx = {"period": world.period_a, "company": world.company_a}
    lazy = BeautifulSoup(page.render(**ctx), "html.parser")
    assert lazy.select_one("html") is None and lazy.select_one(".breadcrumb") is None
    section = lazy.select_one("main > #validation")
    url = f"/periods/{world.period_a.id}/validation"
    assert section is not None and section["hx-get"] == url and section["hx-trigger"] == "load"
    assert section.select_one("a")["href"] == url  # without script: a link to the panel's page
    carol = load_principal(db_session, world.carol)
    ctx |= validation_context(db_session, carol, world.period_a)
    inline = BeautifulSoup(page.render(**ctx), "html.parser")
    assert inline.select_one("main > #validation h2") is not None
    assert inline.select_one("#validation")["id"] == "validation"
    assert inline.select_one("#comment-body") is not None  # carol may comment
    assert inline.select(".validation__moves form") == []  # a draft: nothing to validate yet


def test_the_table_comes_in_pages_with_totals_over_all(
    as_user: Any, world: World, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_companies(db_session, world)
    monkeypatch.setattr(table, "PAGE_SIZE", 3)  # 4 companies: pages of 3 and 1
    cohort = cohort_a(db_session, world)
    first = soup(as_user("carol").get(f"/cohorts/{cohort.id}?sort=name"))
    names = [text(a) for a in first.select("#companies tbody th a")]
    assert names == ["Alpha Remontées", "Delta Ingénierie", "Epsilon Numérique"]
    assert "4 of 4 companies" in text(first.select_one("#table-count"))
    # The totals cover every matching company, not the page: 3,620 + 26,550 = 30,170 kg.
    assert text(first.select_one("#total-footprint")) == "30 t CO₂e 2 footprints"
    link = first.select_one(".pager a")
    assert link is not None and link["hx-get"] == f"/cohorts/{cohort.id}?sort=name&page=2"
    second = soup(as_user("carol").htmx("GET", link["hx-get"]))
    assert [text(a) for a in second.select("tbody th a")] == ["Gamma Albergo"]
    assert text(second.select_one(".pager__current")) == "2"
    assert "companies 4 to 4" in text(second.select_one(".pager__range"))
    # A page past the end shows the last one; a page that is not a number, the first.
    past = soup(as_user("carol").htmx("GET", f"/cohorts/{cohort.id}?sort=name&page=99"))
    assert [text(a) for a in past.select("tbody th a")] == ["Gamma Albergo"]
    bad = soup(as_user("carol").htmx("GET", f"/cohorts/{cohort.id}?sort=name&page=-1"))
    assert len(bad.select("tbody th a")) == 3


def test_a_single_page_has_no_pager(as_user: Any, world: World, db_session: Session) -> None:
    add_companies(db_session, world)
    page = soup(as_user("carol").get(f"/cohorts/{cohort_a(db_session, world).id}"))
    assert len(page.select("#companies tbody tr")) == 4
    assert page.select_one(".pager") is None


def test_the_history_column_says_modification_not_evolution(as_user: Any, world: World) -> None:
    # "Change" is two words in French and Italian: the change of a figure ("Évolution",
    # "Variazione") and an entry of the status history ("Modification", "Modifica").
    submit(as_user, world)
    carol = as_user("carol")
    for lang, word in (("fr", "Modification"), ("it", "Modifica")):
        carol.form("/lang", data={"lang": lang})  # the language switch in the page header
        panel = soup(carol.get(f"/periods/{world.period_a.id}/validation"))
        assert [text(th) for th in panel.select("table.history th")][2] == word


def test_a_kept_row_follows_its_data_and_its_language(
    as_user: Any, world: World, db_session: Session
) -> None:
    """A row follows its company: a change to the company's
    data or another language must still show in its row."""
    url = f"/cohorts/{cohort_a(db_session, world).id}"
    carol = as_user("carol")

    def row_cells(locale: str = "en") -> list[str]:
        carol.form("/lang", {"lang": locale, "next": url}, follow_redirects=False)
        row = soup(carol.get(url)).select_one(f"#company-{world.company_a.id}")
        assert row is not None
        return [text(td) for td in row.find_all("td")]

    assert row_cells()[4] == "3.6 t CO₂e 2024 · draft"
    assert row_cells()[4] == "3.6 t CO₂e 2024 · draft"  # kept
    # 3,620 + 10,000 kWh × 0.052 = 4,140 kg.
    f.make_line(db_session, world.period_a, poste="2.1", factor_id="bundled:elec-fr-2022",
                quantity=10_000, unit="kWh")  # fmt: skip
    db_session.flush()
    assert row_cells()[4] == "4.1 t CO₂e 2024 · draft"
    assert row_cells("it")[4] == "4,1 t CO₂e 2024 · bozza"
    assert row_cells()[4] == "4.1 t CO₂e 2024 · draft"


def test_a_coach_without_a_cohort_and_an_empty_cohort_say_what_next(
    as_user: Any, world: World, db_session: Session
) -> None:
    from tests import factories as f

    lonely = f.make_cohort(db_session, name="Cohort C")
    db_session.flush()
    page = as_user("alice").get("/cohorts").text
    assert "An administrator names the coaches of each cohort" in page
    empty = as_user("admin").get(f"/cohorts/{lonely.id}").text
    assert "No company in this cohort yet." in empty
