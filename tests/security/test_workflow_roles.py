"""Only the roles the workflow names make each move (docs/security.md, "Who does what").

A coach could reopen a period an administrator had locked, and could invite themself as the
owner of a company they coach, then enter, submit and validate its figures alone.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from carbon.coaching.validation import RULES, Roles, Transition

from .conftest import World

MEMBER, COACH, ADMIN = (
    Roles(True, False, False),
    Roles(False, True, False),
    Roles(False, False, True),
)
ROLES = {"member": MEMBER, "coach": COACH, "admin": ADMIN}

# (move, from status) -> the roles that may make it; the table in docs/security.md.
TABLE: dict[tuple[Transition, str], set[str]] = {
    (Transition.request_corrections, "submitted"): {"coach", "admin"},
    (Transition.validate, "submitted"): {"coach", "admin"},
    (Transition.reopen, "validated"): {"coach", "admin"},
    (Transition.reopen, "locked"): {"admin"},
    (Transition.lock, "validated"): {"admin"},
}


def test_the_table_covers_every_move() -> None:
    assert {(t, s) for t, rule in RULES.items() for s in rule.sources} == set(TABLE)


@pytest.mark.parametrize(("move", "status"), list(TABLE))
@pytest.mark.parametrize("role", list(ROLES))
def test_each_cell(move: Transition, status: str, role: str) -> None:
    assert ROLES[role].may(move, status) is (role in TABLE[(move, status)])


def test_a_coach_cannot_reopen_a_locked_period(
    as_user: Any, world: World, db_session: Session
) -> None:
    world.period_a.status = "locked"
    db_session.flush()
    r = as_user("carol").form(f"/periods/{world.period_a.id}/reopen", {"reason": "late invoice"})
    assert r.status_code == 403
    db_session.refresh(world.period_a)
    assert world.period_a.status == "locked"


def test_a_coach_cannot_invite_themself_as_owner(as_user: Any, world: World) -> None:
    carol = as_user("carol")
    r = carol.form("/invitations", {"email": world.carol.email, "role": "owner",
                                    "company_id": str(world.company_a.id)})  # fmt: skip
    assert r.status_code == 422
    assert "You cannot invite yourself" in r.text
