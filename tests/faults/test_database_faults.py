"""The database going away: a clear 503, recovery on its own, and nothing half-written.

PostgreSQL only: the database is reached through a TCP proxy that the test cuts and restores.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from carbon.config import Settings
from carbon.db import factor_store
from carbon.db.migrate import upgrade
from carbon.db.models import Factor, LibraryVersion
from carbon.db.session import make_engine, make_sessionmaker, session_scope
from carbon.demo.load import load_demo
from carbon.factors.bundled import load_bundled_library
from carbon.web.app import create_app
from tests.conftest import fresh_database

from .proxy import Proxy


@pytest.fixture
def pg_via_proxy(db_backend: str, tmp_path: Path) -> Iterator[tuple[Settings, Proxy]]:
    if db_backend != "postgresql":
        pytest.skip("cutting the connection is a PostgreSQL scenario")
    with fresh_database(db_backend, f"carbon_test_{os.getpid()}_faults", tmp_path) as url:
        direct = Settings(env="test", database_url=url)
        upgrade(direct)
        parsed = make_url(url)
        proxy = Proxy((parsed.host or "127.0.0.1", parsed.port or 5432))
        via = parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        try:
            yield Settings(env="test", database_url=via), proxy
        finally:
            proxy.close()


def test_unreachable_database_gives_503_then_recovers(
    pg_via_proxy: tuple[Settings, Proxy],
) -> None:
    settings, proxy = pg_via_proxy
    engine = make_engine(settings)
    with session_scope(make_sessionmaker(engine)) as session:
        load_demo(session, settings)
    engine.dispose()
    app = create_app(settings)
    with TestClient(app) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token
        r = client.post(
            "/login",
            data={"email": "coach@example.org", "password": "carbon-demo",
                  "csrf_token": token.group(1)},
            follow_redirects=False,
        )  # fmt: skip
        assert r.status_code == 303
        assert client.get("/companies").status_code == 200

        proxy.cut()
        r = client.get("/companies")
        assert r.status_code == 503
        assert r.headers["Retry-After"] == "10"
        page = BeautifulSoup(r.text, "html.parser").select_one(".error-page")
        assert page is not None and "503" in page.get_text()
        assert "Traceback" not in r.text and "psycopg" not in r.text

        proxy.restore()
        r = client.get("/companies")
        assert r.status_code == 200
        assert "Remontées du Vallon" in r.text


def test_import_cut_mid_way_leaves_nothing(
    pg_via_proxy: tuple[Settings, Proxy], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, proxy = pg_via_proxy
    library = load_bundled_library()
    original = factor_store._chunks

    def cut_after_first_chunk(rows, size):  # type: ignore[no-untyped-def]
        for i, chunk in enumerate(original(rows, size)):
            if i == 1:
                proxy.cut()
            yield chunk

    monkeypatch.setattr(factor_store, "CHUNK_ROWS", 20)  # 85 factors: several chunks
    monkeypatch.setattr(factor_store, "_chunks", cut_after_first_chunk)
    engine = make_engine(settings)
    with (
        pytest.raises(Exception, match=r"(?i)connection|closed|terminat|server"),
        session_scope(make_sessionmaker(engine)) as session,
    ):
        factor_store.save_library(session, library, source="bundled")
    engine.dispose()

    proxy.restore()
    engine = make_engine(settings)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(LibraryVersion)) == 0
        assert conn.scalar(select(func.count()).select_from(Factor)) == 0
    engine.dispose()


def test_exception_mid_import_leaves_nothing(db_session: object, monkeypatch: pytest.MonkeyPatch,
                                             db_settings: Settings) -> None:  # fmt: skip
    """On either backend: an error after the first chunk rolls the whole version back."""
    engine = make_engine(db_settings)
    original = factor_store._chunks

    def fail_after_first_chunk(rows, size):  # type: ignore[no-untyped-def]
        for i, chunk in enumerate(original(rows, size)):
            if i == 1:
                raise RuntimeError("disk full")
            yield chunk

    monkeypatch.setattr(factor_store, "CHUNK_ROWS", 20)
    monkeypatch.setattr(factor_store, "_chunks", fail_after_first_chunk)
    label = "interrupted-import-test"
    with (
        pytest.raises(RuntimeError, match="disk full"),
        session_scope(make_sessionmaker(engine)) as session,
    ):
        factor_store.save_library(session, load_bundled_library(), source="bundled", label=label)
    with engine.connect() as conn:
        assert conn.scalar(select(LibraryVersion.id).where(LibraryVersion.label == label)) is None
    engine.dispose()
