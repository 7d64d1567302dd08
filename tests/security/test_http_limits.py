"""HTTP-level refusals say what is wrong, and nothing identifying is cached or forged.

A 6 MiB form answered 400 (Starlette's field limit) rather than 413; API responses carried no
``Cache-Control``; ``carbon serve`` believed ``X-Forwarded-For`` from loopback, so the per-IP
login limit was bypassed by writing the header.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from carbon import cli

from .conftest import World


def test_a_6_mib_form_answers_413(as_user: Any, world: World) -> None:
    alice = as_user("alice")
    r = alice.form(f"/periods/{world.period_a.id}/lines", {"comment": "x" * (6 * 1024 * 1024)})
    assert r.status_code == 413


def test_an_upload_keeps_its_larger_limit(as_user: Any, world: World) -> None:
    alice = as_user("alice")
    data = "poste;factor_id;quantity;unit\n" + "1.2;bundled:diesel-b7-fr;1;litre\n" * 60_000
    assert 1024 * 1024 < len(data) < 5 * 1024 * 1024
    r = alice.post(
        f"/periods/{world.period_a.id}/import",
        files={"file": ("big.csv", data.encode(), "text/csv")},
        data={"csrf_token": alice.csrf},
    )
    # Refused for its 60,000 rows (over the 10,000 allowed), not for its size.
    assert r.status_code == 422 and "more than 10000 data rows" in r.text


def test_authenticated_api_answers_are_not_cached(as_user: Any, world: World) -> None:
    alice = as_user("alice")
    for path in ("/api/companies", f"/api/periods/{world.period_a.id}/results"):
        assert alice.get(path).headers["Cache-Control"] == "no-store", path


def test_serve_believes_forwarded_headers_only_from_configured_proxies(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: seen.update(kw))
    monkeypatch.setenv("CARBON_ENV", "test")
    monkeypatch.setenv("CARBON_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.delenv("CARBON_FORWARDED_ALLOW_IPS", raising=False)
    assert CliRunner().invoke(cli.app, ["serve"]).exit_code == 0
    assert seen["proxy_headers"] is False

    monkeypatch.setenv("CARBON_FORWARDED_ALLOW_IPS", "10.0.0.5")
    assert CliRunner().invoke(cli.app, ["serve"]).exit_code == 0
    assert (seen["proxy_headers"], seen["forwarded_allow_ips"]) == (True, "10.0.0.5")
