"""A small factor library with round values, so that every expected figure is easy arithmetic."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from carbon.db.factor_store import save_library
from carbon.db.models import LibraryVersion
from tests.accounting.library_builder import make_library

# kgCO2e per unit; no sub-posts, so each line's emissions stay in its own poste.
FACTORS = [
    {"factor_id": "elec", "unit": "kWh", "total_kgco2e": 0.1, "uncertainty_pct": 10.0},
    {"factor_id": "diesel", "unit": "litre", "total_kgco2e": 3.0, "uncertainty_pct": 5.0},
    {"factor_id": "train", "unit": "passager.km", "total_kgco2e": 0.01, "uncertainty_pct": 20.0},
    {"factor_id": "goods", "unit": "kg", "total_kgco2e": 1.0, "uncertainty_pct": 50.0},
]


@pytest.fixture
def lib(db_session: Session) -> LibraryVersion:
    return save_library(
        db_session, make_library(FACTORS, version="coaching-test 1"), source="bundled"
    )
