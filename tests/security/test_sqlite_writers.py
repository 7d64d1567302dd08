"""Twenty people writing at once on SQLite: every write lands or gets 409, none 503.

With a deferred BEGIN, a request read first and then failed to take the write lock at once when
another writer had committed meanwhile (SQLite does not wait in that case): 14 of 20 concurrent
writers answered 503, and a stale write on the same line got 503 instead of 409.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from carbon.auth import hash_password
from carbon.config import Settings
from carbon.db.factor_store import save_library
from carbon.db.migrate import upgrade
from carbon.db.session import make_engine, make_sessionmaker
from carbon.factors.bundled import load_bundled_library
from carbon.web.app import create_app
from carbon.web.security import SESSION_COOKIE
from tests import factories as f
from tests.web.conftest import Client

WRITERS = 20
PASSWORD = "correct horse battery staple"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[FastAPI, Any, int, int]]:
    """An app on its own SQLite file: a member, her draft period with one line."""
    settings = Settings(env="test", database_url=f"sqlite:///{tmp_path / 'c.db'}")
    upgrade(settings)
    engine = make_engine(settings)
    with make_sessionmaker(engine)() as s:
        version = save_library(s, load_bundled_library(), source="bundled", make_default=True)
        company = f.make_company(s, country="FR")
        user = f.make_user(s, email="writer@example.org",
                           password_hash=hash_password(PASSWORD, settings))  # fmt: skip
        f.make_membership(s, user=user, company=company)
        period = f.make_period(s, company, version, year=2024)
        line = f.make_line(s, period, factor_id="bundled:elec-fr-2022", quantity=1.0,
                           unit="kWh", poste="2.1")  # fmt: skip
        s.commit()
        ids = (user, period.id, line.id)
    engine.dispose()
    app = create_app(settings)
    with Client(app, base_url="http://testserver") as c:
        c.login(ids[0], PASSWORD)
        yield app, c, ids[1], ids[2]
    app.state.engine.dispose()


def run_at_once(work: Any) -> list[Any]:
    start = threading.Barrier(WRITERS)
    answers: list[Any] = [None] * WRITERS

    def one(i: int) -> None:
        start.wait()
        answers[i] = work(i)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return answers


def clients(app: FastAPI, signed_in: Client) -> list[Client]:
    out = []
    for _ in range(WRITERS):
        c = Client(app, base_url="http://testserver", raise_server_exceptions=False)
        c.cookies.set(SESSION_COOKIE, signed_in.cookies[SESSION_COOKIE])
        c.csrf = signed_in.csrf
        out.append(c)
    return out


def test_twenty_new_lines_at_once_all_land(served: tuple[FastAPI, Any, int, int]) -> None:
    app, signed_in, period_id, _line = served
    cs = clients(app, signed_in)
    body = {"activity_id": "electricity-buildings", "quantity": 10, "unit": "kWh"}

    def post(i: int) -> int:
        headers = {"X-CSRF-Token": cs[i].csrf}
        return cs[i].post(f"/api/periods/{period_id}/lines", json=body, headers=headers).status_code

    answers = run_at_once(post)
    assert answers == [201] * WRITERS
    assert len(signed_in.get(f"/api/periods/{period_id}/lines").json()) == 1 + WRITERS


def test_stale_writes_on_one_line_get_409_with_the_current_values(
    served: tuple[FastAPI, Any, int, int],
) -> None:
    app, signed_in, _period, line_id = served
    cs = clients(app, signed_in)
    read = signed_in.get(f"/api/lines/{line_id}").json()
    edit = {k: read[k] for k in ("activity_id", "poste", "factor_id", "unit", "data_quality")}

    def put(i: int) -> Any:
        body = {**edit, "quantity": 100 + i, "version_id": read["version_id"]}
        return cs[i].put(f"/api/lines/{line_id}", json=body, headers={"X-CSRF-Token": cs[i].csrf})

    answers = run_at_once(put)
    codes = sorted(r.status_code for r in answers)
    # All read version 1: exactly one write lands, the 19 others are stale.
    assert codes == [200] + [409] * (WRITERS - 1)
    winner = next(r.json() for r in answers if r.status_code == 200)
    for r in answers:
        if r.status_code == 409:
            assert r.json()["current"]["quantity"] == winner["quantity"]
            assert r.json()["current"]["version_id"] == winner["version_id"]
