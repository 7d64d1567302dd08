"""Small hand-made factor libraries for the accounting tests (no file, no database)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from carbon.accounting.factors import (
    FACTOR_COLUMNS,
    SUBPOST_COLUMNS,
    FactorLibrary,
    subpost_kind,
)

_DEFAULTS: dict[str, Any] = {
    "name_fr": "",
    "name_en": "",
    "name_it": "",
    "frontier": "",
    "category_path": "",
    "co2b_kg": 0.0,
    "uncertainty_pct": float("nan"),
    "uncertainty_is_default": False,
    "country": "FR",
    "location": "France continentale",
    "status": "valid",
    "valid_year": 2022,
    "source": "test",
    "source_ref": "",
    "checked": False,
    "estimate": True,
    "note": "test value",
}


def make_library(
    factors: list[dict[str, Any]],
    subposts: list[tuple[str, str, float]] = (),  # type: ignore[assignment]
    version: str = "test-lib 1",
) -> FactorLibrary:
    rows = [{**_DEFAULTS, "name_fr": f["factor_id"], **f} for f in factors]
    fdf = pd.DataFrame(rows, columns=list(FACTOR_COLUMNS)).astype(FACTOR_COLUMNS)
    sdf = pd.DataFrame(
        [(fid, name, subpost_kind(name), v) for fid, name, v in subposts],
        columns=list(SUBPOST_COLUMNS),
    ).astype(SUBPOST_COLUMNS)
    return FactorLibrary(version=version, factors=fdf, subposts=sdf)


# Values below are chosen for easy arithmetic; they are test inputs, not real factors.
DIESEL = {"factor_id": "diesel", "unit": "litre", "total_kgco2e": 3.10, "uncertainty_pct": 5.0}
DIESEL_SPLIT = [("diesel", "Combustion", 2.50), ("diesel", "Amont", 0.60)]
ELEC_FR = {"factor_id": "elec-fr", "unit": "kWh", "total_kgco2e": 0.052, "uncertainty_pct": 10.0}
ELEC_IT = {
    "factor_id": "elec-it",
    "unit": "kWh",
    "total_kgco2e": 0.300,
    "uncertainty_pct": 10.0,
    "country": "IT",
}
PELLETS = {
    "factor_id": "pellets",
    "unit": "kWh PCI",
    "total_kgco2e": 0.032,
    "co2b_kg": 0.350,
    "uncertainty_pct": 20.0,
}
GAS = {"factor_id": "gas", "unit": "kWh PCS", "total_kgco2e": 0.221, "uncertainty_pct": 5.0}
GAS_SPLIT = [("gas", "Combustion", 0.190), ("gas", "Amont", 0.025), ("gas", "Fuites", 0.006)]
TRAIN = {"factor_id": "train", "unit": "passager.km", "total_kgco2e": 0.004}
SERVICES = {"factor_id": "services", "unit": "k€", "total_kgco2e": 110.0, "uncertainty_pct": 50.0}
FOREST = {"factor_id": "forest", "unit": "tonne", "total_kgco2e": 1000.0, "uncertainty_pct": 50.0}


def standard_library() -> FactorLibrary:
    return make_library(
        [DIESEL, ELEC_FR, ELEC_IT, PELLETS, GAS, TRAIN, SERVICES, FOREST],
        DIESEL_SPLIT + GAS_SPLIT,
    )


def lines(*rows: tuple[Any, ...], columns: tuple[str, ...] = ()) -> pd.DataFrame:
    cols = columns or ("poste", "factor_id", "quantity", "unit", "data_quality")
    return pd.DataFrame(list(rows), columns=list(cols))
