"""Deleting a line keeps the conversation about it and its history, and its id is never reused.

The comments on a line were deleted with it (ON DELETE CASCADE), and SQLite gave the next line
the deleted one's id, so the audit log (which names lines by id) mixed two lines' histories.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.db.models import ActivityLine, AuditLog, PeriodComment

from .conftest import World

NEW_LINE = {"activity_id": "electricity-buildings", "quantity": 5000, "unit": "kWh"}


def newest_line(db: Session, world: World) -> ActivityLine:
    q = select(ActivityLine).where(ActivityLine.period_id == world.period_a.id)
    return max(db.scalars(q), key=lambda line: line.id)


def test_a_deleted_line_keeps_its_comments_and_its_id(
    as_user: Any, world: World, db_session: Session
) -> None:
    alice, carol = as_user("alice"), as_user("carol")
    period = world.period_a.id
    api = {"X-CSRF-Token": alice.csrf}
    assert alice.post(f"/api/periods/{period}/lines", json=NEW_LINE, headers=api).status_code == 201
    line = newest_line(db_session, world)
    line_id, version = line.id, line.version_id
    r = carol.form(f"/periods/{period}/comments", {"body": "Facture ?", "line_id": str(line_id)})
    assert r.status_code == 200, r.text

    r = alice.form(f"/lines/{line_id}/delete", {"version_id": str(version)})
    assert r.status_code in (200, 303), r.text
    db_session.expire_all()
    (comment,) = db_session.scalars(select(PeriodComment).where(PeriodComment.body == "Facture ?"))
    assert (comment.line_id, comment.line_ref) == (None, line_id)
    page = carol.get(f"/periods/{period}/validation").text
    assert "Facture ?" in page and f"since deleted (no. {line_id})" in page

    # The next line gets a new id: the deleted line's audit trail stays its own.
    assert alice.post(f"/api/periods/{period}/lines", json=NEW_LINE, headers=api).status_code == 201
    assert newest_line(db_session, world).id > line_id
    trail = db_session.scalars(
        select(AuditLog.action).where(
            AuditLog.entity == "activity_line", AuditLog.entity_id == str(line_id)
        )
    )
    assert sorted(trail) == ["create", "delete"]
