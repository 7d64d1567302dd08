"""The JSON API refuses numbers outside the stated bounds and non-numbers, with 422.

``1e200`` litres used to be stored (then every page showing it answered 500); ``NaN``,
``Infinity`` and ``1e400`` (which Python's JSON reader turns into infinity) made the 422
handler itself fail to serialise its answer, a 500.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from carbon.db.models import ActivityLine
from carbon.inputs.numbers import MAX_QUANTITY

from .conftest import World

BODY = '{"activity_id": "electricity-buildings", "unit": "kWh", "quantity": %s}'


def lines(db: Session, world: World) -> int:
    q = select(func.count()).where(ActivityLine.period_id == world.period_a.id)
    return db.scalar(q) or 0


@pytest.mark.parametrize("number", ["1e200", "1e13", "NaN", "Infinity", "-Infinity", "1e400"])
def test_a_number_out_of_bounds_is_refused(
    as_user: Any, world: World, db_session: Session, number: str
) -> None:
    alice = as_user("alice")
    before = lines(db_session, world)
    r = alice.post(
        f"/api/periods/{world.period_a.id}/lines",
        content=BODY % number,
        headers={"X-CSRF-Token": alice.csrf, "Content-Type": "application/json"},
    )
    assert r.status_code == 422, r.text
    (error,) = r.json()["detail"]
    assert error["loc"] == ["body", "quantity"]
    assert lines(db_session, world) == before


def test_the_largest_quantity_is_accepted(as_user: Any, world: World) -> None:
    alice = as_user("alice")
    r = alice.post(
        f"/api/periods/{world.period_a.id}/lines",
        content=BODY % repr(MAX_QUANTITY),
        headers={"X-CSRF-Token": alice.csrf, "Content-Type": "application/json"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["quantity"] == MAX_QUANTITY


def test_a_non_finite_supplier_factor_is_refused(as_user: Any, world: World) -> None:
    alice = as_user("alice")
    body = BODY % "10"
    body = body[:-1] + ', "supplier_factor_kgco2e": NaN}'
    r = alice.post(
        f"/api/periods/{world.period_a.id}/lines",
        content=body,
        headers={"X-CSRF-Token": alice.csrf, "Content-Type": "application/json"},
    )
    assert r.status_code == 422, r.text
    assert [e["loc"] for e in r.json()["detail"]] == [["body", "supplier_factor_kgco2e"]]
