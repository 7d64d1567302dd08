"""``carbon backup`` / ``carbon restore``: a portable copy of a whole database.

One gzipped JSON-lines file: a header (format, schema revision, tables) then one line per row,
table by table in foreign-key order. It restores into an empty database migrated to the same
revision, on either backend, so a SQLite demo can move to PostgreSQL and back. The restore runs
in one transaction: it lands whole or not at all, and any refusal is one sentence (a database
that is not empty, or rows that do not fit it), never the database's own error. The file holds
password hashes: it is written readable by its owner only (mode 0600).
"""

from __future__ import annotations

import base64
import gzip
import json
import os
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Date, DateTime, Engine, LargeBinary, Table, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, StatementError

import carbon.db.models  # noqa: F401 - registers every table on the metadata
from carbon.db.base import Base

FORMAT = "carbon-backup"
FORMAT_VERSION = 1


class BackupError(ValueError):
    pass


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _decoder(table: Table) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in table.columns:
        t = col.type
        impl = getattr(t, "impl", t)
        if isinstance(impl, DateTime):
            out[col.name] = datetime.fromisoformat
        elif isinstance(impl, Date):
            out[col.name] = date.fromisoformat
        elif isinstance(impl, LargeBinary):
            out[col.name] = base64.b64decode
    return out


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def dump(engine: Engine, out: BinaryIO) -> dict[str, int]:
    """Write every row of every table; return the row count per table."""
    counts: dict[str, int] = {}
    with engine.connect() as connection, gzip.open(out, "wt", encoding="utf-8") as gz:
        header = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "revision": _revision(connection),
            "tables": [t.name for t in _tables()],
        }
        gz.write(json.dumps(header) + "\n")
        for table in _tables():
            n = 0
            pk = list(table.primary_key.columns)
            for row in connection.execute(select(table).order_by(*pk)).mappings():
                record = {k: _encode(v) for k, v in row.items()}
                gz.write(json.dumps({"t": table.name, "r": record}, ensure_ascii=False) + "\n")
                n += 1
            counts[table.name] = n
    return counts


def _lines(source: BinaryIO) -> Iterator[dict[str, Any]]:
    try:
        with gzip.open(source, "rt", encoding="utf-8") as gz:
            for number, line in enumerate(gz, start=1):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise BackupError(f"line {number}: not JSON ({exc.msg})") from None
    except (OSError, EOFError) as exc:
        raise BackupError(f"not a carbon backup (gzip: {exc})") from None


def restore(engine: Engine, source: BinaryIO, batch: int = 1000) -> dict[str, int]:
    """Load a backup into an empty database at the same schema revision, all or nothing."""
    lines = _lines(source)
    header = next(lines, None)
    if not header or header.get("format") != FORMAT:
        raise BackupError("not a carbon backup (no header)")
    tables = {t.name: t for t in _tables()}
    counts = dict.fromkeys(tables, 0)
    with engine.begin() as connection:
        if header.get("revision") != _revision(connection):
            raise BackupError(
                f"the backup is at schema revision {header.get('revision')!r}, the database at "
                f"{_revision(connection)!r}: run `carbon db upgrade` on an empty database first"
            )
        for table in tables.values():
            if connection.scalar(select(func.count()).select_from(table)):
                raise BackupError(
                    f"the database is not empty (table {table.name} has rows): restore into a "
                    "new database made with `carbon db upgrade`"
                )
        try:
            _insert_all(connection, tables, counts, lines, batch)
        except (DBAPIError, StatementError) as exc:
            # The transaction is rolled back: nothing of the backup is left half-written.
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise BackupError(
                f"the backup does not fit this database, nothing was restored ({reason})"
            ) from None
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    return counts


def _insert_all(
    connection: Connection,
    tables: dict[str, Table],
    counts: dict[str, int],
    lines: Iterator[dict[str, Any]],
    batch: int,
) -> None:
    pending: list[dict[str, Any]] = []
    current: Table | None = None
    decode: dict[str, Any] = {}
    for item in lines:
        target = tables.get(item.get("t", ""))
        if target is None:
            raise BackupError(f"unknown table {item.get('t')!r} in the backup")
        if target is not current or len(pending) >= batch:
            if current is not None and pending:
                connection.execute(current.insert(), pending)
            pending = []
            current, decode = target, _decoder(target)
        record = item["r"]
        for key, fn in decode.items():
            if record.get(key) is not None:
                record[key] = fn(record[key])
        pending.append(record)
        counts[target.name] += 1
    if current is not None and pending:
        connection.execute(current.insert(), pending)


def _reset_sequences(connection: Connection) -> None:
    """Rows came with their ids: move each id sequence past them."""
    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and pk[0].autoincrement and pk[0].type.python_type is int:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                    f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"
                )
            )


def dump_to_path(engine: Engine, path: Path) -> dict[str, int]:
    """Write the backup to ``path``, readable and writable by its owner only: it holds every
    password hash and every company's data."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an existing file keeps its mode through O_CREAT
    with os.fdopen(fd, "wb") as fh:
        return dump(engine, fh)


def restore_from_path(engine: Engine, path: Path) -> dict[str, int]:
    with path.open("rb") as fh:
        return restore(engine, fh)
