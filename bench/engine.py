"""Benchmark of the computation engine: 1,000,000 lines against 20,000 factors.

Rows: the full ``compute`` (checking and coding strings, then computing), the numeric core
``compute_encoded`` alone, the floor (a bare numpy gather-multiply-sum on the same arrays) and a
row-by-row Python loop on a sample, extrapolated. Goals: full compute < 2 s, core <= 3x the floor.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from bench.timing import measure
from carbon.accounting.engine import compute, compute_encoded, encode_lines
from carbon.accounting.factors import FACTOR_COLUMNS, SUBPOST_COLUMNS, FactorLibrary
from carbon.accounting.gases import GAS_COLUMNS
from carbon.accounting.postes import POSTE_CODES

N_LINES = 1_000_000
N_FACTORS = 20_000
UNITS = ["kWh", "litre", "kg", "passager.km", "k€", "kWh PCS"]
# Units a line may be written in, per factor unit (each convertible).
LINE_UNITS = {
    "kWh": ["kWh", "MWh"],
    "litre": ["litre", "m3"],
    "kg": ["kg", "tonne"],
    "passager.km": ["passager.km"],
    "k€": ["k€", "€"],
    "kWh PCS": ["kWh PCS", "MWh PCS"],
}


def make_library(rng: np.random.Generator) -> FactorLibrary:
    ids = [f"F{i:05d}" for i in range(N_FACTORS)]
    units = rng.choice(UNITS, N_FACTORS)
    total = rng.uniform(0.01, 5.0, N_FACTORS)
    factors = pd.DataFrame(
        {
            "factor_id": ids,
            "name_fr": ids,
            "name_en": ids,
            "name_it": "",
            "frontier": "",
            "category_path": "",
            "unit": units,
            "total_kgco2e": total,
            "co2b_kg": 0.0,
            "uncertainty_pct": np.where(rng.random(N_FACTORS) < 0.2, np.nan, 10.0),
            "uncertainty_is_default": False,
            "country": "FR",
            "location": "",
            "status": "valid",
            "valid_year": 2023,
            "source": "bench",
            "source_ref": "",
            "checked": False,
            "estimate": True,
            "note": "",
        }
    ).astype(FACTOR_COLUMNS)
    split = np.flatnonzero(rng.random(N_FACTORS) < 0.3)
    sub = pd.concat(
        [
            pd.DataFrame({"factor_id": np.array(ids)[split], "name": "Combustion",
                          "kind": "combustion", "kgco2e": total[split] * 0.8}),
            pd.DataFrame({"factor_id": np.array(ids)[split], "name": "Amont",
                          "kind": "other", "kgco2e": total[split] * 0.2}),
        ]
    ).astype(SUBPOST_COLUMNS)  # fmt: skip
    # Half the factors broken down by gas (CO2f, CH4f, N2O), their sub-posts too, as the ADEME
    # export gives them, so the per-gas results are measured on a library that has them.
    gassed = np.flatnonzero(rng.random(N_FACTORS) < 0.5)
    shares = {"CO2f": 0.95, "CH4f": 0.03, "N2O": 0.02}
    is_split = np.isin(gassed, split)
    parts = [("", 1.0, gassed)]
    parts += [("Combustion", 0.8, gassed[is_split]), ("Amont", 0.2, gassed[is_split])]
    gases = pd.concat(
        [
            pd.DataFrame({"factor_id": np.array(ids)[rows], "part": part, "gas": gas,
                          "kgco2e": total[rows] * scale * share})
            for part, scale, rows in parts
            for gas, share in shares.items()
        ]
    ).astype(GAS_COLUMNS)  # fmt: skip
    return FactorLibrary(version="bench", factors=factors, subposts=sub, gases=gases)


def make_lines(rng: np.random.Generator, lib: FactorLibrary) -> pd.DataFrame:
    pos = rng.integers(0, N_FACTORS, N_LINES)
    f_units = lib.factors["unit"].to_numpy(dtype=object)[pos]
    pick = rng.integers(0, 2, N_LINES)
    # A convertible unit per line, chosen per factor unit without a Python loop per line.
    choices = {u: np.array(v + v[:1]) for u, v in LINE_UNITS.items()}
    line_units = np.empty(N_LINES, dtype=object)
    for u, opts in choices.items():
        m = f_units == u
        line_units[m] = opts[pick[m]]
    return pd.DataFrame(
        {
            "poste": rng.choice(np.array(POSTE_CODES), N_LINES),
            "factor_id": lib.factors["factor_id"].to_numpy(dtype=object)[pos],
            "quantity": rng.uniform(0, 10_000, N_LINES),
            "unit": line_units,
            "data_quality": rng.choice(
                np.array(["measured", "estimated", "extrapolated"]), N_LINES
            ),
        }
    )


def run() -> list[dict[str, Any]]:
    rng = np.random.default_rng(42)
    lib = make_library(rng)
    lines = make_lines(rng, lib)
    lib.arrays  # noqa: B018 - built once per library, as in the application
    t_full, m_full, _ = measure(lambda: compute(lines, lib))
    enc = encode_lines(lines, lib)
    t_core, m_core, _ = measure(lambda: compute_encoded(enc, lib))
    total = lib.arrays.total

    def floor() -> np.ndarray:
        return np.bincount(
            enc.poste_idx, weights=enc.quantity * total[enc.factor_pos], minlength=22
        )

    t_floor, m_floor, _ = measure(floor)
    sample = lines.head(20_000)
    factor_by_id = dict(zip(lib.factors["factor_id"], lib.factors["total_kgco2e"], strict=True))

    def loop() -> float:
        s = 0.0
        for row in sample.itertuples(index=False):
            s += row.quantity * factor_by_id[row.factor_id]
        return s

    t_loop, _, _ = measure(loop, repeat=1)
    t_loop_full = t_loop * N_LINES / len(sample)
    ratio = t_core / t_floor
    label = f"{N_LINES:,} lines x {N_FACTORS:,} factors"
    return [
        {"benchmark": f"engine: compute() {label}", "seconds": t_full, "peak_mib": m_full,
         "goal": "< 2 s", "ok": t_full < 2.0},
        {"benchmark": "engine: compute_encoded() numeric core", "seconds": t_core,
         "peak_mib": m_core, "goal": f"<= 3x floor (is {ratio:.1f}x)", "ok": ratio <= 3.0},
        {"benchmark": "floor: numpy gather-multiply-bincount", "seconds": t_floor,
         "peak_mib": m_floor, "goal": "reference", "ok": True},
        {"benchmark": "row-by-row Python loop (20,000 sampled, extrapolated)",
         "seconds": t_loop_full, "peak_mib": float("nan"), "goal": "reference", "ok": True},
    ]  # fmt: skip


if __name__ == "__main__":
    from bench.run import print_rows

    print_rows(run())
