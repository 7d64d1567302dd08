"""Shared test fixtures: a migrated database per backend, and a rolled-back session per test.

Tests that ask for ``db_session`` (or ``engine``, ``db_settings``, ``database_url``) run once on
SQLite and once on PostgreSQL; every other test runs once, with no database. Each backend gets a
fresh database, migrated to head by the real Alembic migrations once per session. Each test then
runs inside a transaction that is rolled back, so tests never see one another's rows and the
factories (tests/factories.py) flush but never commit.

Choosing backends:
  ``--db-backends=sqlite`` (or ``CARBON_TEST_DB_BACKENDS=sqlite``) runs only SQLite;
  ``-m "not postgres"`` does the same through the marker.
PostgreSQL: ``CARBON_TEST_POSTGRES_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/
postgres``) is the server's admin database, where ``carbon_test_<pid>`` is created and dropped.
When it is unreachable its tests are skipped, unless ``CARBON_REQUIRE_POSTGRES=1`` (CI), which
makes that an error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from carbon.config import Settings
from carbon.db import migrate
from carbon.db.session import make_engine, make_sessionmaker

BACKENDS = ("sqlite", "postgresql")
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db-backends",
        default=os.environ.get("CARBON_TEST_DB_BACKENDS", ",".join(BACKENDS)),
        help="comma-separated database backends for database tests (sqlite,postgresql)",
    )


def _selected_backends(config: pytest.Config) -> set[str]:
    chosen = {b.strip() for b in str(config.getoption("--db-backends")).split(",") if b.strip()}
    unknown = chosen - set(BACKENDS)
    if unknown:
        raise pytest.UsageError(f"unknown database backend(s): {', '.join(sorted(unknown))}")
    return chosen


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    chosen = _selected_backends(config)
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("db_backend") if callspec else None
        (drop if backend is not None and backend not in chosen else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _postgres_admin_url() -> str:
    return os.environ.get("CARBON_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def _postgres_admin_engine() -> Engine:
    """AUTOCOMMIT engine on the admin database (CREATE/DROP DATABASE refuse transactions).

    Skips the test when the server is down, or fails it when PostgreSQL is required (CI).
    """
    engine = create_engine(
        _postgres_admin_url(), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        engine.dispose()
        message = f"PostgreSQL unreachable at {_postgres_admin_url()}: {exc.orig}"
        if os.environ.get("CARBON_REQUIRE_POSTGRES") == "1":
            pytest.fail(message + " (CARBON_REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(message)
    return engine


@contextmanager
def fresh_database(backend: str, name: str, tmp_dir: Path) -> Iterator[str]:
    """Create an empty database, yield its URL, drop it afterwards."""
    if backend == "sqlite":
        path = tmp_dir / f"{name}.db"
        yield f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    admin = _postgres_admin_engine()
    try:
        with admin.connect() as conn:
            # A database left over by a crashed run of a process with the same pid.
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield (
                make_url(_postgres_admin_url())
                .set(database=name)
                .render_as_string(hide_password=False)
            )
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(
    scope="session",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ],
)
def db_backend(request: pytest.FixtureRequest) -> str:
    """The backend of the current parametrisation; requesting it doubles a test."""
    return str(request.param)


@pytest.fixture(scope="session")
def database_url(db_backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head, shared by the whole session on this backend."""
    with fresh_database(
        db_backend, f"carbon_test_{os.getpid()}", tmp_path_factory.mktemp("db")
    ) as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture(scope="session")
def db_settings(database_url: str) -> Settings:
    return Settings(env="test", database_url=database_url)


@pytest.fixture(scope="session")
def engine(db_settings: Settings) -> Iterator[Engine]:
    engine = make_engine(db_settings)
    yield engine
    engine.dispose()


@pytest.fixture
def db_session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, commits included.

    ``session.commit()`` in code under test releases a SAVEPOINT instead of committing, so code
    that commits can be tested as is.
    """
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()


@pytest.fixture
def empty_database_url(db_backend: str, tmp_path: Path) -> Iterator[str]:
    """A brand-new, unmigrated database on the current backend, for migration tests."""
    with fresh_database(db_backend, f"carbon_test_{os.getpid()}_empty", tmp_path) as url:
        yield url


# --- Debian's Chromium, one for the whole session (two Playwright instances cannot coexist) -----

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CARBON_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " and CARBON_REQUIRE_BROWSER=1", pytrace=False)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def demo_database(folder: Path) -> Settings:
    """A migrated SQLite database in ``folder`` holding the demo world; its settings."""
    from carbon.demo.load import load_demo

    settings = Settings(env="test", database_url=f"sqlite:///{folder / 'carbon.db'}")
    migrate.upgrade(settings)
    engine = make_engine(settings)
    with make_sessionmaker(engine)() as session:
        load_demo(session, settings)
        session.commit()
    engine.dispose()
    return settings
