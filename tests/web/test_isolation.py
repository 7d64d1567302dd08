"""Every route, every persona: nobody reads or writes across companies or cohorts.

The target of every call is company A's data (company, period, line, action, cohort A). Each
route has an expectation below: who may reach A's object through it. Everyone else must be
refused (401, 403, 404, or anonymous sent to the login page) and, for writes, must change
nothing. A route added without an expectation fails ``test_every_route_has_an_expectation``.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from carbon.db.models import Action, ActivityLine, AuditLog, MappingRule, ReportingPeriod
from carbon.web.routes import ROUTERS
from tests import factories as f

from .conftest import Client, World

PERSONAS = ("anonymous", "alice", "bob", "carol", "dave", "admin")
ANY = frozenset({"alice", "bob", "carol", "dave", "admin"})  # any signed-in user
PUBLIC = frozenset(PERSONAS)
A_READ = frozenset({"alice", "carol", "admin"})  # A's members, A's coach, administrators
A_WRITE = frozenset({"alice", "admin"})  # activity data: the company itself (and admins)
A_COACH = frozenset({"carol", "admin"})
ADMIN = frozenset({"admin"})
COACHES = frozenset({"carol", "dave", "admin"})
SELF = "self"  # acts on the caller's own account or lists the caller's own things

EXPECTED: dict[tuple[str, str], frozenset[str] | str] = {
    ("GET", "/"): ANY,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): SELF,
    ("POST", "/logout"): SELF,
    ("POST", "/lang"): SELF,
    ("GET", "/health"): PUBLIC,
    ("GET", "/health/db"): PUBLIC,
    ("GET", "/account/password"): ANY,
    ("POST", "/account/password"): SELF,
    ("GET", "/invite/{token}"): SELF,
    ("POST", "/invite/{token}"): SELF,
    ("GET", "/invitations"): COACHES,
    ("POST", "/invitations"): SELF,
    ("POST", "/invitations/{invitation_id}/revoke"): A_COACH,
    ("GET", "/import/template.{ext}"): ANY,
    ("GET", "/companies"): SELF,
    ("GET", "/cohorts"): SELF,
    ("GET", "/api/companies"): SELF,
    ("GET", "/companies/{company_id}"): A_READ,
    ("GET", "/companies/{company_id}/peers"): A_READ,
    ("GET", "/companies/{company_id}/plan"): A_READ,
    ("POST", "/companies/{company_id}/plan"): A_READ,
    ("POST", "/companies/{company_id}/plan/target/delete"): A_READ,
    ("GET", "/companies/{company_id}/plan/actions/new"): A_READ,
    ("POST", "/companies/{company_id}/plan/actions"): A_READ,
    ("GET", "/companies/{company_id}/plan/actions/{action_id}/edit"): A_READ,
    ("POST", "/companies/{company_id}/plan/actions/{action_id}"): A_READ,
    ("POST", "/companies/{company_id}/plan/actions/{action_id}/delete"): A_READ,
    ("GET", "/companies/{company_id}/certificate.pdf"): A_COACH,
    ("GET", "/api/companies/{company_id}/periods"): A_READ,
    ("POST", "/api/companies/{company_id}/periods"): A_READ,
    ("POST", "/companies/{company_id}/periods"): A_READ,
    ("POST", "/periods/{period_id}/base-year"): A_READ,
    ("GET", "/periods/{period_id}"): A_READ,
    ("GET", "/periods/{period_id}/activities"): A_READ,
    ("GET", "/periods/{period_id}/results"): A_READ,
    ("GET", "/periods/{period_id}/postes/{code}"): A_READ,
    ("GET", "/periods/{period_id}/compare"): A_READ,
    ("GET", "/periods/{period_id}/validation"): A_READ,
    ("GET", "/periods/{period_id}/report.pdf"): A_READ,
    ("GET", "/periods/{period_id}/export.xlsx"): A_READ,
    ("GET", "/periods/{period_id}/export.csv"): A_READ,
    ("GET", "/periods/{period_id}/beges.xlsx"): A_READ,
    ("GET", "/api/periods/{period_id}"): A_READ,
    ("GET", "/api/periods/{period_id}/lines"): A_READ,
    ("GET", "/api/periods/{period_id}/results"): A_READ,
    ("GET", "/api/lines/{line_id}"): A_READ,
    ("POST", "/periods/{period_id}/comments"): A_READ,
    ("GET", "/periods/{period_id}/import"): A_WRITE,
    ("POST", "/periods/{period_id}/import"): A_WRITE,
    ("POST", "/periods/{period_id}/import/confirm"): A_WRITE,
    ("POST", "/periods/{period_id}/lines"): A_WRITE,
    ("POST", "/periods/{period_id}/submit"): A_WRITE,
    ("GET", "/lines/{line_id}/edit"): A_WRITE,
    ("POST", "/lines/{line_id}"): A_WRITE,
    ("POST", "/lines/{line_id}/delete"): A_WRITE,
    ("POST", "/api/periods/{period_id}/lines"): A_WRITE,
    ("PUT", "/api/lines/{line_id}"): A_WRITE,
    ("DELETE", "/api/lines/{line_id}"): A_WRITE,
    ("POST", "/periods/{period_id}/validate"): A_COACH,
    ("POST", "/periods/{period_id}/request-corrections"): A_COACH,
    ("POST", "/periods/{period_id}/reopen"): A_COACH,
    ("POST", "/periods/{period_id}/lock"): ADMIN,
    ("GET", "/cohorts/{cohort_id}"): A_COACH,
    ("GET", "/cohorts/{cohort_id}/report.pdf"): A_COACH,
    ("GET", "/cohorts/{cohort_id}/certificates.pdf"): A_COACH,
    ("GET", "/cohorts/{cohort_id}/export.xlsx"): A_COACH,
    ("GET", "/cohorts/{cohort_id}/rules"): A_COACH,
    ("POST", "/cohorts/{cohort_id}/rules"): A_COACH,
    ("POST", "/cohorts/{cohort_id}/rules/{rule_id}"): A_COACH,
    ("POST", "/cohorts/{cohort_id}/rules/{rule_id}/delete"): A_COACH,
    ("GET", "/companies/{company_id}/rules"): A_READ,  # members read their rules
    ("POST", "/companies/{company_id}/rules"): A_COACH,  # the company's coach edits them
    ("POST", "/companies/{company_id}/rules/{rule_id}"): A_COACH,
    ("POST", "/companies/{company_id}/rules/{rule_id}/delete"): A_COACH,
    ("GET", "/admin"): ADMIN,
    ("GET", "/admin/programmes"): ADMIN,
    ("POST", "/admin/programmes"): ADMIN,
    ("GET", "/admin/programmes/{programme_id}"): ADMIN,
    ("POST", "/admin/programmes/{programme_id}"): ADMIN,
    ("POST", "/admin/cohorts"): ADMIN,
    ("GET", "/admin/cohorts/{cohort_id}"): ADMIN,
    ("POST", "/admin/cohorts/{cohort_id}"): ADMIN,
    ("POST", "/admin/cohorts/{cohort_id}/enrolments"): ADMIN,
    ("GET", "/admin/companies"): ADMIN,
    ("POST", "/admin/companies"): ADMIN,
    ("GET", "/admin/companies/{company_id}"): ADMIN,
    ("POST", "/admin/companies/{company_id}"): ADMIN,
    ("POST", "/admin/companies/{company_id}/enrolments"): ADMIN,
    ("GET", "/admin/users"): ADMIN,
    ("POST", "/admin/users/{user_id}"): ADMIN,
    ("GET", "/admin/factors"): ADMIN,
    ("GET", "/factors"): ANY,  # factor libraries are public data
    ("GET", "/factors/{version_id}/{factor_id}"): ANY,
    ("POST", "/admin/factors"): ADMIN,
    ("POST", "/admin/factors/{version_id}/default"): ADMIN,
    # Importing from the books (FEC, FatturaPA): activity data, like the spreadsheet import.
    ("GET", "/periods/{period_id}/import/books"): A_WRITE,
    ("POST", "/periods/{period_id}/import/books"): A_WRITE,
    ("POST", "/periods/{period_id}/import/books/confirm"): A_WRITE,
}


API_LINE = {"activity_id": "electricity-buildings", "quantity": 1.0, "unit": "kWh",
            "data_quality": "measured"}  # fmt: skip
API_BODIES = {"/api/companies/{company_id}/periods": {"year": 2030}}


def all_routes() -> set[tuple[str, str]]:
    return {
        (method, route.path)
        for router in ROUTERS
        for route in router.routes
        for method in getattr(route, "methods", set()) - {"HEAD"}
    }


def test_every_route_has_an_expectation() -> None:
    routes = all_routes()
    assert routes - EXPECTED.keys() == set(), "add these routes to EXPECTED"
    assert EXPECTED.keys() - routes == set(), "these routes no longer exist"


def _refused(persona: str, r: Any) -> bool:
    if persona == "anonymous" and r.status_code == 303:
        return r.headers["location"].startswith("/login")
    return r.status_code in (401, 403, 404)


def _counts(s: Session) -> tuple[int, ...]:
    s.expire_all()
    return tuple(
        s.scalar(select(func.count()).select_from(m)) or 0
        for m in (AuditLog, ActivityLine, Action, ReportingPeriod, MappingRule)
    )


@pytest.fixture
def clients(app: Any, world: World) -> Any:
    made: dict[str, Client] = {}
    for name in PERSONAS:
        c = Client(app, base_url="http://testserver")
        c.__enter__()
        if name == "anonymous":
            c.refresh_csrf("/login")
        else:
            c.login(getattr(world, name))
        made[name] = c
    yield made
    for c in made.values():
        c.__exit__(None, None, None)


def test_no_persona_reaches_what_is_not_theirs(
    clients: dict[str, Client], world: World, db_session: Session, db_backend: str
) -> None:
    if db_backend == "postgresql":
        pytest.skip("permissions do not depend on the backend; one run is enough")
    s = db_session
    action = f.make_action(s, world.company_a)
    invitation = f.make_invitation(s, company=world.company_a, created_by=world.carol)
    cohort_a = world.company_a.enrolments[0].cohort
    programme = cohort_a.programme
    rule = MappingRule(company_id=world.company_a.id, prefix="601", treatment="excluded")
    s.add(rule)
    s.flush()
    values = {
        "company_id": world.company_a.id, "period_id": world.period_a.id,
        "line_id": world.period_a.lines[0].id, "action_id": action.id,
        "cohort_id": cohort_a.id, "programme_id": programme.id, "user_id": world.alice.id,
        "version_id": world.library.id, "invitation_id": invitation.id, "code": "2.1",
        "ext": "csv", "token": "no-such-token", "factor_id": "bundled:elec-fr-2022",
        "rule_id": rule.id,
    }  # fmt: skip
    queries = {
        "/periods/{period_id}/compare": {"version": world.library.id},
        "/companies/{company_id}/certificate.pdf": {"cohort": cohort_a.id},
        "/periods/{period_id}/activities": {"q": "diesel"},
    }
    problems: list[str] = []
    for (method, path), allowed in sorted(EXPECTED.items()):
        if allowed == SELF:
            continue
        assert isinstance(allowed, frozenset)
        url = path.format(**values)
        for persona in PERSONAS:
            c = clients[persona]
            may = persona in allowed
            if method != "GET" and may:
                continue  # writes by those allowed are tested with their features
            before = _counts(s) if method != "GET" else None
            headers = {"X-CSRF-Token": c.csrf}
            if method == "GET":
                r = c.get(url, params=queries.get(path), follow_redirects=False)
            elif method in ("PUT", "POST") and path.startswith("/api/"):
                # A valid body, so that the route itself (not validation) answers.
                body = API_BODIES.get(path, API_LINE) | (
                    {"version_id": 1} if method == "PUT" else {}
                )
                r = c.request(method, url, json=body, headers=headers, follow_redirects=False)
            else:
                data = {"csrf_token": c.csrf}
                r = c.request(method, url, data=data, headers=headers, follow_redirects=False)
            if may:
                if r.status_code not in (200, 303):
                    problems.append(f"{persona} {method} {url}: {r.status_code}, expected access")
                continue
            if not _refused(persona, r):
                problems.append(f"{persona} {method} {url}: {r.status_code}, expected refusal")
            if before is not None and _counts(s) != before:
                problems.append(f"{persona} {method} {url}: changed the database")
    assert problems == [], "\n".join(problems)


# One answer each: every signed-in user gets a list (200), holding only their own.
@pytest.mark.parametrize(("path", "secret", "bob", "dave"), [
    ("/companies", "Alpha Remontées", 200, 200),
    ("/api/companies", "Alpha Remontées", 200, 200),
    ("/cohorts", "Cohort A", 200, 200),
])  # fmt: skip
def test_lists_show_only_what_is_yours(
    clients: dict[str, Client], path: str, secret: str, bob: int, dave: int, db_backend: str
) -> None:
    if db_backend == "postgresql":
        pytest.skip("permissions do not depend on the backend; one run is enough")
    for persona, expected in (("bob", bob), ("dave", dave)):
        r = clients[persona].get(path)
        assert r.status_code == expected, (persona, path)
        assert secret not in r.text, f"{persona} sees {secret} on {path}"
    assert secret in clients["admin"].get(path).text
