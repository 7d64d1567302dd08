"""Import previews kept on the server expire and stay under a total size.

Previews were swept only when older than an hour: uploading many files in that hour filled the
disk. Sparse files stand for the earlier previews (their size counts, they take no disk).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from carbon.web.routes.imports import KEPT_UPLOADS, UPLOAD_TTL_S

from .conftest import World

GOOD = b"poste;factor_id;quantity;unit\n1.2;bundled:diesel-b7-fr;1000;litre\n"


def test_previews_expire_and_stay_under_their_total(
    as_user: Any, world: World, app: FastAPI, tmp_path: Path
) -> None:
    app.state.import_dir = tmp_path
    limit = app.state.settings.max_upload_bytes
    now = time.time()
    expired = tmp_path / "expired.upload"
    expired.write_bytes(b"x")
    os.utime(expired, (now - UPLOAD_TTL_S - 1, now - UPLOAD_TTL_S - 1))
    earlier = []
    for i in range(KEPT_UPLOADS):  # the store is full with previews of the last hour
        path = tmp_path / f"earlier-{i:02d}.upload"
        with path.open("wb") as fh:
            fh.truncate(limit)
        os.utime(path, (now - 600 + i, now - 600 + i))
        earlier.append(path)
    alice = as_user("alice")
    r = alice.post(f"/periods/{world.period_a.id}/import",
                   files={"file": ("conso.csv", GOOD, "text/csv")},
                   data={"csrf_token": alice.csrf})  # fmt: skip
    assert r.status_code == 200, r.text
    assert not expired.exists()
    assert not earlier[0].exists() and earlier[-1].exists()  # the oldest went first
    total = sum(p.stat().st_size for p in tmp_path.glob("*.upload"))
    assert total <= KEPT_UPLOADS * limit
