"""Engines and sessions, built from Settings rather than at import time.

The application, the CLI, Alembic and the tests all get their engine from :func:`make_engine`,
so SQLite behaves the same everywhere: foreign keys enforced, WAL journal (readers do not block
the writer), a busy timeout, real transactions, which SAVEPOINTs (and so the tests' rolled-back
sessions) depend on, and writers serialised from their first statement.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from carbon.config import Settings

# Execution option of a session that will write (see carbon.web.deps.get_session): on SQLite its
# transaction takes the write lock from the start.
WRITE_OPTION = "carbon_writes"


def normalise_url(url: str | URL) -> URL:
    """Pick the installed driver: a bare ``postgresql://`` would ask for psycopg2."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(settings: Settings, **kwargs: Any) -> Engine:
    """The engine for ``settings.database_url``; ``kwargs`` go to ``create_engine``."""
    url = normalise_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        in_memory = url.database in (None, "", ":memory:")
        if not in_memory and url.database is not None:
            # sqlite creates the file, not its folder (data/ on a fresh clone).
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        if in_memory:
            # One connection shared by every thread, or each would see its own empty database.
            kwargs.setdefault("poolclass", StaticPool)
            kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine, wal=not in_memory)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module, which would otherwise begin
        # transactions late and silently commit around DDL and SAVEPOINTs; SQLAlchemy's "begin"
        # below starts them instead. (SQLAlchemy documents this recipe for pysqlite.)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            if wal:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA busy_timeout = 5000")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A request that writes takes the write lock at its first statement (BEGIN IMMEDIATE),
        # waiting up to busy_timeout for it. A deferred BEGIN would read first and then fail to
        # upgrade at once, without waiting, when another writer committed meanwhile: 14 of 20
        # concurrent writers answered 503.
        immediate = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    # Objects stay readable after commit: a route renders what it just saved without a reload.
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session in one transaction: committed if the block succeeds, rolled back if it raises."""
    with factory() as session, session.begin():
        yield session
