"""Benchmark of the FEC import through the web: the 100,000-line ledger uploaded and previewed.

``bench.fec`` times the reader and the mapping alone; a person waits for more than that: the
multipart upload, the plan against the period (the engine's check of every proposed line, the
period's physical lines for the overlap rule), the kgCO2e estimates, the kept upload and the
rendered page. This times ``POST /periods/{id}/import/books`` with the same generated ledger
(``bench.fec.make_fec``) on a fresh SQLite database, through the ASGI app in this process.
Goal from issue 17: previewed in ≤ 5 s; peak memory is traced for the request alone.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.fec import GOAL_MIB, GOAL_SECONDS, N_LINES, make_fec
from bench.timing import measure

PASSWORD = "a benchmark pass phrase"


def _server(folder: Path) -> tuple[Any, int, str]:
    """The app on a fresh database with one French company, its member and its 2025."""
    from fastapi.testclient import TestClient

    from carbon.auth import hash_password
    from carbon.config import Settings
    from carbon.db import migrate
    from carbon.db.factor_store import save_library
    from carbon.db.models import Company, Membership, ReportingPeriod, User
    from carbon.db.session import make_engine, make_sessionmaker
    from carbon.factors.bundled import load_bundled_library
    from carbon.web.app import create_app

    settings = Settings(env="test", database_url=f"sqlite:///{folder / 'bench.db'}",
                        data_dir=folder)  # fmt: skip
    migrate.upgrade(settings)
    engine = make_engine(settings)
    with make_sessionmaker(engine)() as session:
        version = save_library(session, load_bundled_library(), source="bundled",
                               make_default=True)  # fmt: skip
        company = Company(name="Hôtels des Alpes", country="FR", legal_id="123456782",
                          sector="hotel", fte=120.0)  # fmt: skip
        user = User(email="bench@example.org", display_name="Bench", locale="en",
                    password_hash=hash_password(PASSWORD, settings))  # fmt: skip
        period = ReportingPeriod(company=company, library_version=version, year=2025,
                                 status="draft")  # fmt: skip
        session.add_all([company, user, period, Membership(user=user, company=company,
                                                           role="member")])  # fmt: skip
        session.commit()
        period_id = period.id
    engine.dispose()
    client = TestClient(create_app(settings), base_url="http://testserver")
    client.__enter__()
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text)
    assert token is not None
    client.post("/login", data={"email": "bench@example.org", "password": PASSWORD,
                                "csrf_token": token.group(1)})  # fmt: skip
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/companies").text)
    assert token is not None
    return client, period_id, token.group(1)


def run() -> list[dict[str, Any]]:
    data = make_fec(N_LINES)
    with tempfile.TemporaryDirectory() as folder:
        client, period_id, csrf = _server(Path(folder))
        try:

            def preview() -> int:
                r = client.post(
                    f"/periods/{period_id}/import/books", data={"csrf_token": csrf},
                    files={"file": ("123456782FEC20251231.txt", data, "text/plain")},
                )  # fmt: skip
                if r.status_code != 200 or "import-confirm" not in r.text:
                    raise AssertionError(f"the preview failed: {r.status_code}")
                return r.text.count('<tr data-account="')

            seconds, peak, rows = measure(preview)
        finally:
            client.__exit__(None, None, None)
    size = f"{N_LINES:,} lines, {len(data) / 1e6:.1f} MB, {rows} rows shown"
    return [
        {
            "benchmark": f"fec web: upload + preview page ({size})",
            "seconds": seconds,
            "peak_mib": peak,
            "goal": f"≤ {GOAL_SECONDS:g} s, ≤ {GOAL_MIB:g} MiB",
            "ok": seconds <= GOAL_SECONDS and peak <= GOAL_MIB,
        },
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.run import print_rows

    print_rows(run())
