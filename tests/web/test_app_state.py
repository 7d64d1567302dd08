"""What the application keeps between requests is its own, and never hides a change.

The kept results (carbon.db.compute.Computations) and documents (carbon.reports.pool.Renderer)
are attributes of the app that ``create_app`` builds; a spreadsheet import, a change of the
period's factor library and a ``carbon restore`` into the database a running app serves are
all seen on the next request, without a restart.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import delete
from sqlalchemy.orm import Session

from carbon.config import Settings
from carbon.db.activity_lines import add_lines
from carbon.db.backup import _tables, dump, restore
from carbon.db.compute import SESSION_KEY, Computations, compute_period
from carbon.db.factor_store import save_library
from carbon.db.migrate import upgrade
from carbon.db.models import ReportingPeriod
from carbon.factors.bundled import load_bundled_library
from carbon.reports.pool import Renderer
from carbon.web.app import create_app
from tests import factories as f
from tests.plan.libraries import library_with
from tests.web.conftest import World


def total(client: Any, period_id: int) -> str:
    page = BeautifulSoup(client.get(f"/periods/{period_id}/results").text, "html.parser")
    node = page.select_one("#total-value")
    assert node is not None
    return " ".join(node.get_text().split())


def test_each_app_owns_what_it_keeps(test_settings: Settings) -> None:
    one, two = create_app(test_settings), create_app(test_settings)
    assert isinstance(one.state.computations, Computations)
    assert isinstance(one.state.pdf, Renderer)
    assert one.state.computations is not two.state.computations
    assert one.state.pdf is not two.state.pdf


def test_an_import_and_a_library_change_are_seen_at_once(
    as_user: Any, world: World, db_session: Session
) -> None:
    alice = as_user("alice")
    # 10 MWh × 0.052 = 520 kg + 1,000 L × 3.10 = 3,100 kg: 3,620 kg.
    assert total(alice, world.period_a.id) == "3.6 t CO₂e"
    assert total(alice, world.period_a.id) == "3.6 t CO₂e"  # now kept
    # The spreadsheet import's writer: 3,620 + 20,000 kWh × 0.052 = 3,620 + 1,040 = 4,660 kg.
    add_lines(db_session, world.alice.id, world.period_a, [{
        "poste": "2.1", "factor_id": "bundled:elec-fr-2022", "quantity": 20_000.0,
        "unit": "kWh", "data_quality": "measured", "site_id": None,
    }])  # fmt: skip
    db_session.flush()
    assert total(alice, world.period_a.id) == "4.7 t CO₂e"
    # Another factor library for the period: electricity at 0.1 kg/kWh.
    # 30,000 kWh × 0.1 = 3,000 + 3,100 = 6,100 kg.
    version = library_with(db_session, "dearer grid", {"bundled:elec-fr-2022": 0.1})
    world.period_a.library_version_id = version.id
    db_session.flush()
    assert total(alice, world.period_a.id) == "6.1 t CO₂e"


def test_a_restore_is_seen_at_once(empty_database_url: str) -> None:
    settings = Settings(env="test", database_url=empty_database_url)
    upgrade(settings)
    app = create_app(settings)

    def session() -> Session:
        s: Session = app.state.sessions()
        s.info[SESSION_KEY] = app.state.computations  # as carbon.web.deps.get_session does
        return s

    with session() as s, s.begin():
        version = save_library(s, load_bundled_library(), source="bundled")
        period = f.make_period(s, library_version=version)
        # 10,000 kWh × 0.052 = 520 kg.
        f.make_line(s, period, factor_id="bundled:elec-fr-2022", quantity=10_000, unit="kWh")
        period_id = period.id
    backup = io.BytesIO()
    dump(app.state.engine, backup)
    with session() as s, s.begin():
        p = s.get(ReportingPeriod, period_id)
        assert p is not None
        # 520 + 5,000 kWh × 0.052 = 520 + 260 = 780 kg, now kept by the app.
        f.make_line(s, p, factor_id="bundled:elec-fr-2022", quantity=5_000, unit="kWh")
        s.flush()
        assert compute_period(s, p).total_kgco2e == pytest.approx(780.0)
        assert len(app.state.computations.results) == 1
    # The operator empties the database and restores last night's backup, server running.
    with app.state.engine.begin() as connection:
        for table in reversed(_tables()):
            connection.execute(delete(table))
    backup.seek(0)
    restore(app.state.engine, backup)
    with session() as s:
        p = s.get(ReportingPeriod, period_id)
        assert p is not None
        assert compute_period(s, p).total_kgco2e == pytest.approx(520.0)
    app.state.engine.dispose()
