"""Each period's line count and lines revision, kept in step with its lines by every ORM flush.

The cohort page shows 300 companies' stages and footprints. Counting their lines and telling
the results cache what changed used to mean aggregating every activity line of the cohort
(450,000 in the load test, about 100 ms per pass on PostgreSQL). Instead each reporting period
carries ``line_count``, ``lines_revision`` (a new value with any insert, change or delete of one
of its lines, or a change of the country its lines lie in) and ``lines_changed_at``, so those
pages read one row per period.

A revision is a random 62-bit number, not a counter: a transaction that changed lines, had its
result cached under the next revision, then rolled back, must not leave that cache entry to be
found again by the next change, which a counter would give the same number.

They are maintained here, for every ORM writer at once (``carbon.db.activity_lines``, the demo,
the test factories): after each flush, the lines added, changed or deleted are tallied per
period and each touched period gets one UPDATE in the same transaction. Writers that bypass
the ORM with Core bulk inserts (the benchmark generators) call :func:`recount` afterwards;
``carbon restore`` copies the columns with the rows.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, event, func, select, update
from sqlalchemy.orm import Session, attributes
from sqlalchemy.orm.util import identity_key

from carbon.db.base import utcnow
from carbon.db.models_org import Company, Site
from carbon.db.models_reporting import ActivityLine, ReportingPeriod

STATS = ("line_count", "lines_revision", "lines_changed_at")
_PENDING = "carbon.line_stats"  # key in Session.info: periods to expire after the flush


def new_revision() -> int:
    return secrets.randbits(62)


def _periods() -> Table:
    return ReportingPeriod.metadata.tables["reporting_period"]


def _tally(session: Session) -> tuple[Counter[int], set[int]]:
    """Per period: lines added minus deleted, and every period whose lines changed at all."""
    delta: Counter[int] = Counter()
    touched: set[int] = set()
    for obj in session.new:
        if isinstance(obj, ActivityLine):
            delta[obj.period_id] += 1
            touched.add(obj.period_id)
    for obj in session.deleted:
        if isinstance(obj, ActivityLine):
            moved = attributes.get_history(obj, "period_id", passive=attributes.PASSIVE_NO_FETCH)
            for pid in moved.deleted or moved.unchanged or ():  # as it was in the database
                delta[pid] -= 1
                touched.add(pid)
    for obj in session.dirty:
        if isinstance(obj, ActivityLine) and session.is_modified(obj, include_collections=False):
            moved = attributes.get_history(obj, "period_id")
            if moved.deleted:  # moved to another period
                delta[moved.deleted[0]] -= 1
                delta[obj.period_id] += 1
                touched.add(moved.deleted[0])
            touched.add(obj.period_id)
    return delta, touched


def _moved_countries(session: Session) -> set[int]:
    """Periods whose lines now lie in another country: a line's country is its site's, or its
    company's, so changing either changes the factors those lines take (methodology rule 6)."""
    companies = set()
    for obj in session.dirty:
        if isinstance(obj, (Company, Site)) and attributes.get_history(obj, "country").deleted:
            companies.add(obj.id if isinstance(obj, Company) else obj.company_id)
    if not companies:
        return set()
    table = _periods()
    found = session.connection().execute(
        select(table.c.id).where(table.c.company_id.in_(sorted(companies)))
    )
    return set(found.scalars())


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    delta, touched = _tally(session)
    moved = _moved_countries(session) - touched
    if not touched and not moved:
        return
    table = _periods()
    now, revision = utcnow(), new_revision()
    connection = session.connection()
    for pid in sorted(touched | moved):  # one order for every writer: no deadlock between flushes
        # Lines in another country: a new revision (their results are stale), no line changed.
        stats = (
            {"lines_revision": revision}
            if pid in moved
            else {
                "line_count": table.c.line_count + delta[pid],
                "lines_revision": revision,
                "lines_changed_at": now,
            }
        )
        connection.execute(update(table).where(table.c.id == pid).values(**stats))
    touched |= moved
    session.info.setdefault(_PENDING, set()).update(touched)


@event.listens_for(Session, "after_flush_postexec")
def _expire_stale(session: Session, _context: Any) -> None:
    """Periods already loaded in the session must not show the counts from before the flush."""
    for pid in session.info.pop(_PENDING, ()):
        period = session.identity_map.get(identity_key(ReportingPeriod, pid))
        if period is not None:
            session.expire(period, list(STATS))


def recount(session: Session, period_ids: Iterable[int] | None = None) -> None:
    """Recompute the stats from the lines (after Core bulk inserts), with a new revision."""
    line, table = ActivityLine.metadata.tables["activity_line"], _periods()
    mine = line.c.period_id == table.c.id
    stmt = update(table).values(
        line_count=select(func.count()).where(mine).scalar_subquery(),
        lines_revision=new_revision(),
        lines_changed_at=select(func.max(func.coalesce(line.c.updated_at, line.c.created_at)))
        .where(mine)
        .scalar_subquery(),
    )
    if period_ids is not None:
        stmt = stmt.where(table.c.id.in_(list(period_ids)))
    session.execute(stmt)
    session.expire_all()
