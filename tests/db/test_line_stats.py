"""Each period's line count and revision follow its lines, whoever writes them through the ORM.

The cohort page reads ``line_count`` for the stages and the results cache keys on
``(line_count, lines_revision)`` (carbon.db.line_stats): a count that drifts shows a company at
the wrong stage, a revision that does not move serves a stale footprint.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from carbon.db.activity_lines import add_line, add_lines, delete_line, set_status, update_line
from carbon.db.compute import compute_period
from carbon.db.factor_store import save_library
from carbon.db.line_stats import recount
from carbon.db.models import ActivityLine, LibraryVersion, ReportingPeriod
from carbon.factors.bundled import load_bundled_library
from tests import factories as f


def _line(quantity: float) -> dict[str, Any]:
    return {"poste": "2.1", "factor_id": "bundled:elec-fr-2022", "unit": "kWh",
            "data_quality": "measured", "quantity": quantity}  # fmt: skip


@pytest.fixture
def version(db_session: Session) -> LibraryVersion:
    return save_library(db_session, load_bundled_library(), source="bundled")


def _stored(session: Session, period: ReportingPeriod) -> tuple[int, int, int]:
    """(line_count, lines_revision) as stored, and the lines actually there."""
    p = ReportingPeriod
    count, revision = session.execute(
        select(p.line_count, p.lines_revision).where(p.id == period.id)
    ).one()
    real = session.scalar(
        select(func.count()).select_from(ActivityLine).where(ActivityLine.period_id == period.id)
    )
    return count, revision, int(real or 0)


def test_each_write_moves_count_and_revision(db_session: Session, version: LibraryVersion) -> None:
    user = f.make_user(db_session)
    period = f.make_period(db_session, library_version=version)
    assert _stored(db_session, period) == (0, 0, 0)
    assert period.lines_changed_at is None
    seen = {0}

    def after_write(expected_count: int) -> None:
        count, revision, real = _stored(db_session, period)
        assert count == real == expected_count
        assert revision not in seen  # a revision never seen before for this period
        seen.add(revision)

    a = add_line(db_session, user.id, period, _line(10))
    after_write(1)
    assert period.line_count == 1  # the loaded period is refreshed, not left at 0
    assert period.lines_changed_at is not None
    add_lines(db_session, user.id, period, [_line(1), _line(2), _line(3)])
    after_write(4)
    update_line(db_session, user.id, a, _line(20), expected_version=a.version_id)
    after_write(4)
    delete_line(db_session, user.id, a)
    after_write(3)


def test_a_rolled_back_change_leaves_no_revision_to_find_again(
    db_session: Session, version: LibraryVersion
) -> None:
    # A request that adds a line and computes the total caches it under the new revision; if
    # its transaction then rolls back, the next change must not get that same revision back
    # (a counter would: n + 1 both times), or the next page would show the undone line's total.
    user = f.make_user(db_session)
    period = f.make_period(db_session, library_version=version)
    add_line(db_session, user.id, period, _line(10_000))  # 10,000 kWh × 0.052 = 520 kg
    before = _stored(db_session, period)[1]
    savepoint = db_session.begin_nested()
    add_line(db_session, user.id, period, _line(5_000))  # + 260 kg, undone below
    assert compute_period(db_session, period).total_kgco2e == pytest.approx(780.0)
    undone = _stored(db_session, period)[1]
    savepoint.rollback()
    assert _stored(db_session, period)[1] == before
    add_line(db_session, user.id, period, _line(1_000))  # + 52 kg: 572 kg
    assert _stored(db_session, period)[1] not in (before, undone)
    assert compute_period(db_session, period).total_kgco2e == pytest.approx(572.0)


def test_an_unchanged_line_does_not_move_the_revision(
    db_session: Session, version: LibraryVersion
) -> None:
    period = f.make_period(db_session, library_version=version)
    line = f.make_line(db_session, period, factor_id="bundled:elec-fr-2022")
    before = _stored(db_session, period)
    line.quantity = line.quantity  # no change: nothing to flush
    db_session.flush()
    assert _stored(db_session, period) == before


def test_lines_do_not_touch_the_period_version(
    db_session: Session, version: LibraryVersion
) -> None:
    # A coach validating the period while the company adds a line must not get a false conflict:
    # the period's optimistic-locking version is not the lines' revision.
    user = f.make_user(db_session)
    period = f.make_period(db_session, library_version=version)
    version_before = period.version_id
    add_line(db_session, user.id, period, _line(5))
    assert period.version_id == version_before
    set_status(db_session, user.id, period, "submitted")
    assert period.status == "submitted"


def test_a_line_moved_to_another_period_moves_its_count(
    db_session: Session, version: LibraryVersion
) -> None:
    first = f.make_period(db_session, library_version=version, year=2023)
    second = f.make_period(db_session, company=first.company, library_version=version, year=2024)
    line = f.make_line(db_session, first)
    line.period_id = second.id
    db_session.flush()
    assert _stored(db_session, first)[0::2] == (0, 0)
    assert _stored(db_session, second)[0::2] == (1, 1)


def test_a_bulk_insert_is_counted_by_recount(db_session: Session, version: LibraryVersion) -> None:
    period = f.make_period(db_session, library_version=version)
    db_session.execute(
        insert(ActivityLine),
        [{**_line(q), "period_id": period.id, "version_id": 1} for q in (1.0, 2.0)],
    )
    assert _stored(db_session, period)[0] == 0  # Core inserts skip the flush hook…
    revision = _stored(db_session, period)[1]
    recount(db_session, [period.id])
    count, new_revision, real = _stored(db_session, period)
    assert (count, real) == (2, 2)  # …and recount puts it right
    assert new_revision != revision


def test_the_cache_sees_a_change_made_outside_activity_lines(
    db_session: Session, version: LibraryVersion
) -> None:
    period = f.make_period(db_session, library_version=version)
    # 10,000 kWh × 0.052 kgCO2e/kWh = 520 kg.
    line = f.make_line(db_session, period, factor_id="bundled:elec-fr-2022", quantity=10_000,
                       unit="kWh")  # fmt: skip
    assert compute_period(db_session, period).total_kgco2e == pytest.approx(520.0)
    line.quantity = 5_000  # a plain ORM change: 5,000 × 0.052 = 260 kg
    db_session.flush()
    assert compute_period(db_session, period).total_kgco2e == pytest.approx(260.0)


OPS = st.lists(
    st.tuples(st.sampled_from(["add", "add_many", "update", "delete"]), st.integers(0, 50)),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_any_sequence_of_writes_keeps_the_count_true(
    db_session: Session, version: LibraryVersion, ops: list[tuple[str, int]]
) -> None:
    user = f.make_user(db_session)
    period = f.make_period(db_session, library_version=version)
    lines: list[ActivityLine] = []
    seen = {_stored(db_session, period)[1]}
    for op, n in ops:
        if op == "add":
            lines.append(add_line(db_session, user.id, period, _line(n + 1)))
        elif op == "add_many":
            lines += add_lines(
                db_session, user.id, period, [_line(k + 1) for k in range(n % 4 + 1)]
            )
        elif not lines:
            continue
        elif op == "update":
            line = lines[n % len(lines)]
            update_line(db_session, user.id, line, _line(line.quantity + 1), line.version_id)
        else:
            delete_line(db_session, user.id, lines.pop(n % len(lines)))
        count, revision, real = _stored(db_session, period)
        assert count == real == len(lines)
        assert revision not in seen  # every write is a revision never seen before
        seen.add(revision)
