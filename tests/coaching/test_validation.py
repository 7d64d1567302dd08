"""Status moves, comments, the thread and the history, against the database (and its audit log)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.coaching.validation import (
    InputError,
    Transition,
    TransitionRefused,
    add_comment,
    apply_transition,
    history,
    thread,
)
from carbon.db.activity_lines import set_status
from carbon.db.models import AuditLog, LibraryVersion
from tests import factories as f


def status_entries(s: Session, period_id: int) -> list[AuditLog]:
    return list(
        s.scalars(
            select(AuditLog)
            .where(AuditLog.entity == "reporting_period", AuditLog.entity_id == str(period_id))
            .order_by(AuditLog.id)
        )
    )


def test_the_whole_path_is_audited(db_session: Session, lib: LibraryVersion) -> None:
    s = db_session
    company = f.make_company(s)
    owner = f.make_user(s, display_name="Owner")
    f.make_membership(s, user=owner, company=company)
    coach, admin = f.make_user(s, display_name="Coach"), f.make_user(s, display_name="Admin")
    period = f.make_period(s, company, lib)
    set_status(s, owner.id, period, "submitted")
    apply_transition(s, coach.id, period, Transition.request_corrections, "  Missing fuel.  ")
    assert period.status == "draft"
    set_status(s, owner.id, period, "submitted")
    apply_transition(s, coach.id, period, Transition.validate)
    assert period.status == "validated" and period.validated_by_id == coach.id
    apply_transition(s, admin.id, period, Transition.lock)
    apply_transition(s, admin.id, period, Transition.reopen, "Invoice found late")
    assert period.status == "draft"

    entries = status_entries(s, period.id)
    assert [(e.actor_user_id, e.before, e.after) for e in entries] == [
        (owner.id, {"status": "draft"}, {"status": "submitted"}),
        (coach.id, {"status": "submitted"}, {"status": "draft", "reason": "Missing fuel."}),
        (owner.id, {"status": "draft"}, {"status": "submitted"}),
        (coach.id, {"status": "submitted"}, {"status": "validated"}),
        (admin.id, {"status": "validated"}, {"status": "locked"}),
        (admin.id, {"status": "locked"}, {"status": "draft", "reason": "Invoice found late"}),
    ]
    assert all(e.company_id == company.id for e in entries)
    h = history(s, period)
    assert [(x.actor, x.before, x.after, x.reason) for x in h][1] == (
        "Coach", "submitted", "draft", "Missing fuel.",
    )  # fmt: skip
    # The request for corrections is also a comment the company reads in the thread.
    [c] = thread(s, period)
    assert (c.author, c.body, c.from_company) == ("Coach", "Missing fuel.", False)


@pytest.mark.parametrize(
    ("status", "transition"),
    [
        ("draft", Transition.validate),
        ("validated", Transition.validate),  # a second click, or a replay
        ("draft", Transition.request_corrections),
        ("submitted", Transition.reopen),
        ("draft", Transition.lock),
        ("locked", Transition.lock),
    ],
)
def test_moves_the_status_does_not_allow_are_refused(
    db_session: Session, lib: LibraryVersion, status: str, transition: Transition
) -> None:
    period = f.make_period(db_session, library_version=lib, status=status)
    before = len(status_entries(db_session, period.id))
    with pytest.raises(TransitionRefused):
        apply_transition(db_session, 0, period, transition, "a reason")
    assert period.status == status
    assert len(status_entries(db_session, period.id)) == before


def test_reasons_are_required(db_session: Session, lib: LibraryVersion) -> None:
    period = f.make_period(db_session, library_version=lib, status="submitted")
    with pytest.raises(InputError) as err:
        apply_transition(db_session, 1, period, Transition.request_corrections, "   ")
    assert (err.value.field, err.value.code) == ("reason", "required")
    assert period.status == "submitted"
    with pytest.raises(InputError) as err:
        apply_transition(db_session, 1, period, Transition.request_corrections, "x" * 4001)
    assert err.value.code == "too_long"


def test_comments_on_the_period_and_on_a_line(db_session: Session, lib: LibraryVersion) -> None:
    s = db_session
    company = f.make_company(s)
    alice = f.make_user(s, display_name="", email="alice@example.org")
    f.make_membership(s, user=alice, company=company)
    period = f.make_period(s, company, lib, status="validated")
    line = f.make_line(s, period, factor_id="elec", activity_id=None)
    other_line = f.make_line(s, f.make_period(s, company, lib, year=2025), factor_id="elec")
    add_comment(s, alice.id, period, "Is the total right?")
    comment = add_comment(s, alice.id, period, "This invoice covers 13 months.", line.id)
    with pytest.raises(InputError):
        add_comment(s, alice.id, period, "  ")
    with pytest.raises(InputError) as err:
        add_comment(s, alice.id, period, "wrong period", other_line.id)
    assert err.value.code == "unknown_line"

    got = thread(s, period)
    assert [c.body for c in got] == ["Is the total right?", "This invoice covers 13 months."]
    # No display name: the e-mail stands in; she is a member, so it is the company speaking.
    assert got[1].author == "alice@example.org" and got[1].from_company
    assert (got[1].line_id, got[1].line_poste, got[1].line_activity) == (line.id, "2.1", "elec")
    entry = s.scalars(
        select(AuditLog).where(
            AuditLog.entity == "period_comment", AuditLog.entity_id == str(comment.id)
        )
    ).one()
    assert entry.action == "comment" and entry.actor_user_id == alice.id
    assert entry.company_id == company.id
    assert entry.after == {"period_id": period.id, "line_id": line.id,
                           "body": "This invoice covers 13 months."}  # fmt: skip
