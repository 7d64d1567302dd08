"""Alembic's entry point: which database to migrate and how.

The database is, in order of precedence: an open connection handed over in
``config.attributes["connection"]`` (carbon.db.migrate and the tests), a ``-x url=...`` on the
command line (a one-off database), or carbon's Settings (``CARBON_DATABASE_URL``). SQLite can
only alter a table by rebuilding it, so its migrations run in batch mode.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from carbon.config import Settings
from carbon.db.models import Base
from carbon.db.session import make_engine

config = context.config
target_metadata = Base.metadata

# Only the command line configures logging: called from Python (tests, the app), Alembic must
# not replace the caller's logging set-up.
if config.config_file_name is not None and "connection" not in config.attributes:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _settings() -> Settings:
    url = context.get_x_argument(as_dictionary=True).get("url")
    return Settings(database_url=url) if url else Settings()


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_offline() -> None:
    """``alembic upgrade --sql``: print the SQL instead of running it."""
    context.configure(
        url=_settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=_settings().is_sqlite,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection: Connection | None = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_settings())
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
