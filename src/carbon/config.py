"""Settings: the one reader of the environment.

Everything configurable comes from ``CARBON_*`` variables (or a ``.env`` file) through this class,
so the application, the CLI and the tests build themselves from one object instead of globals.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from enum import StrEnum
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# A source checkout's top level (tests, benchmarks and the Makefile run from there). Files that
# ship with the code are found through carbon.resources, which also works in an installed wheel.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The default database's folder: the checkout's data/, or data/ where an installed carbon runs.
DATA_DIR = (PROJECT_ROOT if (PROJECT_ROOT / "pyproject.toml").is_file() else Path.cwd()) / "data"
# The secret the first releases shipped as a default: it is public, so a cookie signed with it
# proves nothing. It is refused as a configured value and never used.
DEFAULT_SECRET = "dev-secret-change-me"
SECRET_FILE_NAME = "secret_key"


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CARBON_", env_file=".env", extra="ignore")

    env: Environment = Environment.development
    database_url: str = f"sqlite:///{DATA_DIR / 'carbon.db'}"
    # Where the server keeps what is not in the database: the generated secret key (when
    # CARBON_SECRET_KEY is unset) and the import previews.
    data_dir: Path = DATA_DIR
    # Signs the session cookies. Unset: a random key is generated on first start and kept in
    # data_dir (mode 0600); see resolve_secret_key. Production requires it to be set.
    secret_key: str | None = None
    default_locale: str = "fr"
    # Addresses of the reverse proxies whose X-Forwarded-For/-Proto the server believes (comma
    # separated, as uvicorn's --forwarded-allow-ips). Unset, none: the per-IP login limit
    # would otherwise be bypassed by anyone writing the header.
    forwarded_allow_ips: str | None = None
    session_max_age_s: int = 8 * 3600
    max_upload_bytes: int = 5 * 1024 * 1024  # activity spreadsheets
    # Accounting files imported through the web (FEC, FatturaPA XML or zip): a mid-size hotel
    # group's 100,000-entry FEC is about 15 MB, so twice that leaves room without letting one
    # upload hold a worker for long; never past what the FEC reader accepts (200 MiB).
    max_books_upload_bytes: int = Field(default=32 * 1024 * 1024, ge=1024, le=200 * 1024 * 1024)
    # The official ADEME export is about 11 MB; administrators upload it through the web.
    max_factor_upload_bytes: int = 32 * 1024 * 1024
    # Processes rendering PDF reports beside each web process (0: in the request's thread);
    # see carbon.reports.pool.
    pdf_workers: int = Field(default=1, ge=0, le=16)
    # Relative uncertainty (%) attached to an activity line by its data quality (methodology.md 7).
    data_quality_uncertainty: dict[str, float] = {
        "measured": 5.0,
        "estimated": 30.0,
        "extrapolated": 50.0,
    }

    @model_validator(mode="after")
    def _refuse_default_secret_outside_development(self) -> Settings:
        if self.secret_key == DEFAULT_SECRET:
            raise ValueError(
                "CARBON_SECRET_KEY is the public example value dev-secret-change-me: "
                "set a long random value, or unset it to have one generated"
            )
        if self.env == Environment.production and not self.secret_key:
            raise ValueError(
                "CARBON_SECRET_KEY must be set to a long random value when CARBON_ENV=production"
            )
        if self.default_locale not in ("fr", "it", "en"):
            raise ValueError(
                f"CARBON_DEFAULT_LOCALE must be fr, it or en, not {self.default_locale!r}"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def resolve_secret_key(settings: Settings) -> str:
    """The key that signs session cookies: the configured one, else one kept in the data
    directory, generated on first start (tests get a fresh one per application instead).

    No default is ever used: a key printed in the source would let anyone who reads it forge an
    administrator's cookie for every install that kept it.
    """
    if settings.secret_key:
        return settings.secret_key
    if settings.env == Environment.test:
        return secrets.token_urlsafe(48)
    return _kept_secret(settings.data_dir / SECRET_FILE_NAME)


def _kept_secret(path: Path) -> str:
    if not path.exists():
        _write_new_secret(path)
    kept = path.read_text(encoding="ascii").strip()
    if len(kept) < 32:
        raise RuntimeError(f"{path}: the kept secret key is too short; delete the file to renew it")
    return kept


def _write_new_secret(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written to a private temporary file, then linked in place: two workers starting at once
    # agree on the first key, and nobody ever reads a half-written one.
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
        with contextlib.suppress(FileExistsError):  # another worker was first: use its key
            os.link(temp, path)
    finally:
        temp.unlink(missing_ok=True)
