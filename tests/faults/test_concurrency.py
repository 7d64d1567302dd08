"""Twenty writers on the same activity line lose no update (optimistic locking, PostgreSQL)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from carbon.config import Settings
from carbon.db.activity_lines import update_line
from carbon.db.factor_store import save_library
from carbon.db.migrate import upgrade
from carbon.db.models import ActivityLine, AuditLog
from carbon.db.session import make_engine, make_sessionmaker, session_scope
from carbon.factors.bundled import load_bundled_library
from tests import factories as f
from tests.conftest import fresh_database

WRITERS = 20
INCREMENTS = 3
FIELDS = ("poste", "factor_id", "unit", "data_quality", "activity_id")


def test_concurrent_writers_lose_no_update(db_backend: str, tmp_path: Path) -> None:
    if db_backend != "postgresql":
        pytest.skip("SQLite serialises writers; concurrency is a PostgreSQL scenario")
    with fresh_database(db_backend, f"carbon_test_{os.getpid()}_conc", tmp_path) as url:
        settings = Settings(env="test", database_url=url)
        upgrade(settings)
        engine = make_engine(settings, pool_size=WRITERS, max_overflow=0)
        sessions = make_sessionmaker(engine)
        with session_scope(sessions) as s:
            version = save_library(s, load_bundled_library(), source="bundled")
            user = f.make_user(s)
            period = f.make_period(s, library_version=version)
            line = f.make_line(s, period, factor_id="bundled:elec-fr-2022", quantity=0.0,
                               unit="kWh")  # fmt: skip
            line_id, user_id = line.id, user.id

        conflicts = 0
        lock = threading.Lock()
        start = threading.Barrier(WRITERS)

        def writer() -> None:
            nonlocal conflicts
            start.wait()
            done = 0
            while done < INCREMENTS:
                with sessions() as s:
                    current = s.get(ActivityLine, line_id)
                    assert current is not None
                    data = {k: getattr(current, k) for k in FIELDS}
                    data["quantity"] = current.quantity + 1
                    try:
                        update_line(s, user_id, current, data, expected_version=current.version_id)
                        s.commit()
                        done += 1
                    except StaleDataError:
                        s.rollback()
                        with lock:
                            conflicts += 1

        threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in threads)

        with sessions() as s:
            final = s.get(ActivityLine, line_id)
            assert final is not None
            # Every one of the 20 × 3 increments landed exactly once: 0 + 60.
            assert final.quantity == WRITERS * INCREMENTS
            updates = s.scalar(
                select(func.count()).select_from(AuditLog).where(AuditLog.action == "update")
            )
            assert updates == WRITERS * INCREMENTS
        # The scenario really raced: some writers had to retry.
        assert conflicts > 0
        engine.dispose()
