"""Factor libraries for comparison tests: the bundled one with some values changed."""

from __future__ import annotations

from sqlalchemy.orm import Session

from carbon.accounting.factors import FactorLibrary
from carbon.db.factor_store import save_library
from carbon.db.models import LibraryVersion
from carbon.factors.bundled import load_bundled_library

OLD_GRID_FACTOR = 0.060  # kgCO2e/kWh, against 0.052 in the bundled library


def library_with(session: Session, label: str, totals: dict[str, float]) -> LibraryVersion:
    bundled = load_bundled_library()
    factors = bundled.factors.copy()
    for factor_id, total in totals.items():
        factors.loc[factors["factor_id"] == factor_id, "total_kgco2e"] = total
    return save_library(session, FactorLibrary(label, factors, bundled.subposts), source="bundled")


def old_grid_library(session: Session) -> LibraryVersion:
    return library_with(session, "old grid", {"bundled:elec-fr-2022": OLD_GRID_FACTOR})
