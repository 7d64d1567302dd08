"""The audit trail: every change to activity data and every status change, with before and after.

Methodology: "every change to activity data is kept in an audit trail (who, when, before,
after)", and reopening a validated period is "a recorded act". Entries are only ever appended;
the ``AuditLog`` mapper refuses updates and deletes.
"""

from __future__ import annotations

import enum
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from carbon.db.base import Base
from carbon.db.models import AuditLog


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"cannot record {type(value).__name__} in the audit log")


def _to_json(data: dict[str, Any] | None) -> dict[str, Any] | None:
    # A JSON round trip now, so an unserialisable value fails at the call site, not at flush,
    # and dates come back as the ISO strings the database will hold anyway.
    return None if data is None else json.loads(json.dumps(data, default=_jsonable))


def snapshot(obj: Base) -> dict[str, Any]:
    """The column values of a mapped object, ready to pass as ``before`` or ``after``."""
    mapper = inspect(obj).mapper
    return {attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs}


def record(
    session: Session,
    actor_user_id: int | None,
    action: str,
    entity: str,
    entity_id: int | str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    company_id: int | None = None,
) -> AuditLog:
    """Append one entry (added to ``session``, written at its next flush).

    ``actor_user_id`` is None for system acts (imports, migrations); ``entity`` is the table
    name and ``company_id`` lets a company's history and a coach's view be read by index.
    """
    entry = AuditLog(
        actor_user_id=actor_user_id,
        company_id=company_id,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=_to_json(before),
        after=_to_json(after),
    )
    session.add(entry)
    return entry
