"""An identifier that is not one answers 4xx, never 500.

``"²".isdigit()`` is true and ``int("²")`` fails; an id of 2**63 overflows the database's integer.
Both reached the database or int() from form fields (site, programme, cohort, coaches,
enrolment, invitation, versions) and query strings.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.db.models import ActivityLine, Enrolment

from .conftest import Client, World

BAD = ["²", "٣", str(2**63), str(2**31), "-1", "1e3", " 0x1"]


def targets(db: Session, world: World) -> tuple[int, int]:
    cohort = db.scalar(
        select(Enrolment.cohort_id).where(Enrolment.company_id == world.company_a.id)
    )
    line = db.scalar(select(ActivityLine.id).where(ActivityLine.period_id == world.period_a.id))
    assert cohort is not None and line is not None
    return cohort, line


@pytest.mark.parametrize("bad", BAD)
def test_bad_ids_in_forms_and_queries_answer_4xx(
    app: FastAPI, world: World, db_session: Session, bad: str
) -> None:
    cohort, line = targets(db_session, world)
    company, period = world.company_a.id, world.period_a.id
    forms: list[tuple[str, str, dict[str, str]]] = [
        ("admin", f"/admin/cohorts/{cohort}", {"programme_id": bad, "name": "C", "coaches": bad}),
        ("admin", f"/admin/cohorts/{cohort}", {"programme_id": "1", "name": "C", "edition": bad}),
        ("admin", f"/admin/cohorts/{cohort}/enrolments", {"company_id": bad}),
        ("admin", f"/admin/companies/{company}/enrolments", {"cohort_id": bad}),
        ("admin", "/invitations", {"email": "x@example.org", "role": "coach", "cohort_id": bad}),
        ("admin", "/invitations", {"email": "x@example.org", "role": "member", "company_id": bad}),
        ("alice", f"/lines/{line}", {"site_id": bad, "quantity": "1", "unit": "MWh",
                                     "activity_id": "electricity-buildings", "version_id": bad}),
        ("alice", f"/lines/{line}/delete", {"version_id": bad}),
        ("carol", f"/periods/{period}/request-corrections", {"reason": "x", "version_id": bad}),
    ]  # fmt: skip
    queries = [
        ("admin", f"/companies/{company}/certificate.pdf?cohort={bad}"),
        ("admin", f"/periods/{period}/compare?version={bad}"),
        ("carol", f"/cohorts/{cohort}?page={bad}"),
    ]
    answers: dict[str, int] = {}
    users: dict[str, Client] = {}
    for name in {n for n, *_ in forms + queries}:  # type: ignore[misc]
        users[name] = Client(app, base_url="http://testserver", raise_server_exceptions=False)
        users[name].login(getattr(world, name))
    for name, url, data in forms:
        answers[f"POST {url} {sorted(data)}"] = users[name].form(url, data).status_code  # type: ignore[attr-defined]
    for name, url in queries:
        answers[f"GET {url}"] = users[name].get(url).status_code
    alice = users["alice"]
    r = alice.delete(f"/api/lines/{line}?version_id={bad}", headers={"X-CSRF-Token": alice.csrf})
    answers["DELETE /api/lines"] = r.status_code
    assert {k: v for k, v in answers.items() if v >= 500} == {}
