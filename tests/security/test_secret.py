"""No public secret signs a session: the old default is refused, an unset key is generated and
kept private, and a cookie forged with the published default opens nothing."""

from __future__ import annotations

import json
import stat
import time
from base64 import b64encode
from pathlib import Path

import pytest
from fastapi import FastAPI
from itsdangerous import TimestampSigner
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from carbon.config import DEFAULT_SECRET, SECRET_FILE_NAME, Settings, resolve_secret_key
from carbon.web.app import create_app
from carbon.web.security import SESSION_COOKIE
from tests.web.conftest import Client, World


def forged_cookie(secret: str, uid: int) -> str:
    payload = b64encode(json.dumps({"uid": uid, "at": int(time.time())}).encode())
    return TimestampSigner(secret).sign(payload).decode()


def default_install(db_session: Session, db_settings: Settings, data_dir: Path) -> FastAPI:
    """The app as `carbon serve` builds it with no configuration (development, no key)."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, env="development", database_url=db_settings.database_url, data_dir=data_dir
    )
    app = create_app(settings)
    app.state.sessions = sessionmaker(
        bind=db_session.connection(), join_transaction_mode="create_savepoint"
    )
    return app


def test_a_cookie_signed_with_the_public_default_is_refused(
    db_session: Session, db_settings: Settings, world: World, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.delenv("CARBON_SECRET_KEY", raising=False)
    app = default_install(db_session, db_settings, tmp_path)
    with Client(app, base_url="http://testserver") as c:
        c.cookies.set(SESSION_COOKIE, forged_cookie(DEFAULT_SECRET, world.admin.id))
        r = c.get("/admin", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_the_generated_key_is_kept_private_and_reused(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, env="development", data_dir=tmp_path)  # type: ignore[call-arg]
    first = resolve_secret_key(settings)
    kept = tmp_path / SECRET_FILE_NAME
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert len(first) >= 32 and first != DEFAULT_SECRET
    # A second start (or a second worker) signs with the same key: sessions survive a restart.
    assert resolve_secret_key(settings) == first
    assert list(tmp_path.iterdir()) == [kept]


def test_the_public_default_cannot_be_configured() -> None:
    with pytest.raises(ValidationError, match="public example value"):
        Settings(_env_file=None, secret_key=DEFAULT_SECRET)  # type: ignore[call-arg]


def test_production_needs_a_configured_key(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="CARBON_SECRET_KEY must be set"):
        Settings(_env_file=None, env="production", data_dir=tmp_path)  # type: ignore[call-arg]
