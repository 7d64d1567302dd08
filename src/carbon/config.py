"""Settings: the one reader of the environment.

Everything configurable comes from ``CARBON_*`` variables (or a ``.env`` file) through this class,
so the application, the CLI and the tests build themselves from one object instead of globals.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# A source checkout's top level (tests, benchmarks and the Makefile run from there). Files that
# ship with the code are found through carbon.resources, which also works in an installed wheel.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The default database's folder: the checkout's data/, or data/ where an installed carbon runs.
DATA_DIR = (PROJECT_ROOT if (PROJECT_ROOT / "pyproject.toml").is_file() else Path.cwd()) / "data"
DEFAULT_SECRET = "dev-secret-change-me"


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CARBON_", env_file=".env", extra="ignore")

    env: Environment = Environment.development
    database_url: str = f"sqlite:///{DATA_DIR / 'carbon.db'}"
    secret_key: str = DEFAULT_SECRET
    default_locale: str = "fr"
    session_max_age_s: int = 8 * 3600
    max_upload_bytes: int = 5 * 1024 * 1024  # activity spreadsheets
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
        if self.env == Environment.production and self.secret_key == DEFAULT_SECRET:
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
