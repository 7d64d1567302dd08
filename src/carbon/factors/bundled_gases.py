"""The bundled library's breakdown by gas (``emission_factors/gases.csv``).

Only where the source gives one: the bundled refrigerant leaks are one gas or a blend of known
composition, so their breakdown is written as kilograms of each gas per unit (a blend's mass
fractions) and turned into kgCO2e with the AR5 GWPs of gwp.csv, the set their totals use. No
other bundled factor has a breakdown: none is invented (docs/methodology.md § 10). Checked when
read: a known factor, a gas of gwp.csv, a mass in ]0, 1] per kg, a source; the gases add up to
the factor's total within the breakdown tolerance.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from carbon.accounting.gases import BREAKDOWN_TOLERANCE, GAS_COLUMNS, canonical_gas, empty_gases
from carbon.factors.gwp import load_gwp_table

GASES_FILE = "gases.csv"
_COLUMNS = ("factor_id", "part", "gas", "kg_gas_per_unit", "source", "note")


def read_bundled_gases(folder: Path, factors: pd.DataFrame, problems: list[str]) -> pd.DataFrame:
    """The breakdown frame (GAS_COLUMNS); problems are appended to ``problems``."""
    path = folder / GASES_FILE
    if not path.exists():
        return empty_gases()
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in _COLUMNS if c not in raw.columns]
    if missing:
        problems.append(f"{GASES_FILE}: missing columns {missing}")
        return empty_gases()
    table = load_gwp_table(folder)
    totals = factors.set_index("factor_id")["total_kgco2e"]
    kgco2e: list[float] = []
    gases: list[str] = []
    for n, row in enumerate(raw.to_dict("records"), start=2):
        where = f"{GASES_FILE} row {n}"
        gas = canonical_gas(row["gas"])
        gases.append(gas)
        if row["factor_id"] not in totals.index:
            problems.append(f"{where}: unknown factor {row['factor_id']!r}")
        if gas not in table.values:
            problems.append(f"{where}: gas {row['gas']!r} has no GWP in gwp.csv")
        if not row["source"].strip():
            problems.append(f"{where}: source is empty")
        try:
            mass = float(row["kg_gas_per_unit"])
        except ValueError:
            mass = float("nan")
        if not (np.isfinite(mass) and 0 < mass <= 1):
            problems.append(f"{where}: kg_gas_per_unit must be in ]0, 1]")
            mass = 0.0
        kgco2e.append(mass * table.values.get(gas, (0.0, 0.0))[0])
    out = pd.DataFrame(
        {"factor_id": raw["factor_id"], "part": raw["part"], "gas": gases, "kgco2e": kgco2e}
    ).astype(GAS_COLUMNS)
    whole = out.loc[out["part"] == ""].groupby("factor_id")["kgco2e"].sum()
    for fid, value in whole.items():
        total = float(totals.get(fid, np.nan))
        if not abs(float(value) - total) <= BREAKDOWN_TOLERANCE * abs(total):
            problems.append(f"{GASES_FILE}: gases of {fid} add up to {value:g}, not {total:g}")
    return out
