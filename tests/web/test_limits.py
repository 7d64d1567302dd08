"""Oversized requests are refused before anything reads them into memory."""

from __future__ import annotations

from typing import Any

from carbon.web.app import request_size_limit

from .conftest import World


def test_declared_oversized_body_is_refused_with_413(as_user: Any, world: World, app: Any) -> None:
    limit = request_size_limit(app.state.settings, f"/periods/{world.period_a.id}/import")
    c = as_user("alice")
    body = b"x" * (limit + 1)
    r = c.post(
        f"/periods/{world.period_a.id}/import",
        content=body,
        headers={"Content-Type": "application/octet-stream", "X-CSRF-Token": c.csrf},
    )
    assert r.status_code == 413
    # Said before the session is read, so in the default language: the limit in MB is named.
    assert f"{limit / 1_000_000:.0f}" in r.text


def test_chunked_oversized_body_is_refused_with_413(as_user: Any, world: World, app: Any) -> None:
    limit = request_size_limit(app.state.settings, f"/periods/{world.period_a.id}/import")
    c = as_user("alice")

    def chunks() -> Any:
        # A multipart body with no Content-Length: the form parser must read it all.
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
        for _ in range(limit // 65536 + 2):
            yield b"y" * 65536
        yield b"\r\n--b--\r\n"

    r = c.post(
        f"/periods/{world.period_a.id}/import",
        content=chunks(),
        headers={"Content-Type": "multipart/form-data; boundary=b", "X-CSRF-Token": c.csrf},
    )
    assert r.status_code == 413
