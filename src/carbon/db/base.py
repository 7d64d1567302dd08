"""The declarative base every model shares, and the column types the models reuse.

Constraints get names from one convention so that Alembic can address them later: SQLite can
only alter a table by copying it ("batch mode"), and it needs every constraint named to drop or
recreate it; PostgreSQL needs the same names to ``ALTER TABLE … DROP CONSTRAINT``. The migration
in ``alembic/versions`` spells out the names this convention produces.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, CheckConstraint, DateTime, Dialect, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the backend.

    PostgreSQL keeps the zone (``timestamptz``); SQLite has no zone at all, so the value is
    stored as naive UTC and given its zone back on load. Naive datetimes are refused on the way
    in: a naive value is ambiguous, and guessing would shift audit times by hours.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give it a timezone (UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# JSON NULL and SQL NULL differ; ``None`` should mean "no value" (SQL NULL) in the audit log.
JSONDict = JSON(none_as_null=True)


def check_in(column: str, values: Iterable[str]) -> CheckConstraint:
    """``CHECK (column IN (...))`` named ``ck_<table>_<column>`` by the naming convention."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=column)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONDict,
    }
