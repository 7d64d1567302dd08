"""Settings fail loudly on what would be unsafe or meaningless."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from carbon.config import DEFAULT_SECRET, Settings


def test_production_refuses_the_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARBON_ENV", "production")
    monkeypatch.delenv("CARBON_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="CARBON_SECRET_KEY must be set"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_production_starts_with_a_real_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARBON_ENV", "production")
    monkeypatch.setenv("CARBON_SECRET_KEY", "x" * 48)
    monkeypatch.setenv("CARBON_DATABASE_URL", "postgresql+psycopg://carbon@db/carbon")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.secret_key != DEFAULT_SECRET
    assert not s.is_sqlite


def test_unknown_locale_is_refused() -> None:
    with pytest.raises(ValidationError, match="CARBON_DEFAULT_LOCALE must be fr, it or en"):
        Settings(default_locale="de")


def test_unknown_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARBON_ENV", "staging")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_development_default_is_a_local_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("CARBON_ENV", "CARBON_DATABASE_URL", "CARBON_SECRET_KEY"):
        monkeypatch.delenv(var, raising=False)
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.is_sqlite and s.database_url.endswith("data/carbon.db")


def test_the_books_upload_limit_stays_within_what_the_fec_reader_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from carbon.imports.fec import MAX_BYTES

    monkeypatch.setenv("CARBON_MAX_BOOKS_UPLOAD_BYTES", str(MAX_BYTES + 1))
    with pytest.raises(ValidationError):
        Settings(_env_file=None)  # type: ignore[call-arg]
    monkeypatch.setenv("CARBON_MAX_BOOKS_UPLOAD_BYTES", str(MAX_BYTES))
    assert Settings(_env_file=None).max_books_upload_bytes == MAX_BYTES  # type: ignore[call-arg]
