"""Run the Alembic migrations from Python: for ``carbon db upgrade``, the demo and the tests.

Alembic is the only way the schema is made (never ``create_all``), so everything that needs a
database goes through here. The migration runs on an engine from :func:`make_engine`, with the
same SQLite settings as the application.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from carbon.config import Settings
from carbon.db.session import make_engine
from carbon.resources import resource

ALEMBIC_DIR = resource("alembic")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config without alembic.ini: no logging set-up that would hijack the caller's.

    With ``connection`` given, ``alembic/env.py`` migrates through it instead of opening its own.
    """
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


Target = Settings | str | Connection


def _settings(target: Settings | str) -> Settings:
    return target if isinstance(target, Settings) else Settings(database_url=target)


def upgrade(target: Target, revision: str = "head") -> None:
    """Bring a database up to ``revision``: given by settings, a URL, or an open connection
    (whose transaction the caller then commits or rolls back)."""
    _run(target, lambda config: command.upgrade(config, revision))


def downgrade(target: Target, revision: str = "base") -> None:
    _run(target, lambda config: command.downgrade(config, revision))


def current(target: Settings | str) -> str | None:
    """The revision the database is at, None when it has never been migrated."""
    engine = make_engine(_settings(target))
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def _run(target: Target, action: Callable[[Config], None]) -> None:
    if isinstance(target, Connection):
        action(alembic_config(target))
        return
    engine = make_engine(_settings(target))
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                # SQLite alters a table by copying it and dropping the original, and dropping a
                # table with foreign keys on deletes its children by cascade (a downgrade
                # once emptied activity_line). Off for the migration, checked before commit;
                # the pragma must be set outside a transaction, on the driver's connection.
                _driver(connection).execute("PRAGMA foreign_keys = OFF")
            try:
                with connection.begin():
                    action(alembic_config(connection))
                    if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                        raise RuntimeError("the migration left rows without their parent row")
            finally:
                if sqlite:
                    _driver(connection).execute("PRAGMA foreign_keys = ON")
    finally:
        engine.dispose()


def _driver(connection: Connection) -> Any:
    return connection.connection.driver_connection
