"""``carbon backup`` / ``carbon restore`` round-trip a database without loss, on both backends."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from carbon.config import Settings
from carbon.db.backup import BackupError, dump, restore
from carbon.db.base import Base
from carbon.db.migrate import upgrade
from carbon.db.session import make_engine, make_sessionmaker, session_scope
from carbon.demo.load import load_demo
from tests.conftest import fresh_database


def _snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
            for t in Base.metadata.sorted_tables
        }


def test_round_trip_of_the_demo(db_backend: str, tmp_path: Path) -> None:
    pid = os.getpid()
    with (
        fresh_database(db_backend, f"carbon_test_{pid}_bk_src", tmp_path) as src_url,
        fresh_database(db_backend, f"carbon_test_{pid}_bk_dst", tmp_path) as dst_url,
    ):
        src_settings = Settings(env="test", database_url=src_url)
        upgrade(src_settings)
        src = make_engine(src_settings)
        with session_scope(make_sessionmaker(src)) as session:
            load_demo(session, src_settings)
        buffer = io.BytesIO()
        counts = dump(src, buffer)
        # The demo's journeys (carbon.demo.world.JOURNEYS) give 271 lines with the hotels' food
        # counted twice; the six hotel-years each lose the duplicate food line: 271 - 6 = 265.
        assert counts["activity_line"] == 265 and counts["company"] == 22

        dst_settings = Settings(env="test", database_url=dst_url)
        upgrade(dst_settings)
        dst = make_engine(dst_settings)
        buffer.seek(0)
        assert restore(dst, buffer) == counts
        assert _snapshot(dst) == _snapshot(src)

        # The restored database keeps working: new rows get fresh ids (sequences moved on).
        with session_scope(make_sessionmaker(dst)) as session:
            assert load_demo(session, dst_settings)["companies"] == 22

        # A second restore into a database that has data is refused, whole.
        buffer.seek(0)
        with pytest.raises(BackupError, match="not empty"):
            restore(dst, buffer)
        src.dispose()
        dst.dispose()


def test_garbage_is_refused(tmp_path: Path) -> None:
    settings = Settings(env="test", database_url=f"sqlite:///{tmp_path / 'x.db'}")
    upgrade(settings)
    engine = make_engine(settings)
    with pytest.raises(BackupError, match="not a carbon backup"):
        restore(engine, io.BytesIO(b"hello, not gzip"))
    engine.dispose()
