"""Benchmark of the Monte Carlo check (on demand only): one company, and a cohort's total.

A company: 300 lines, each its own source (the worst case: no two lines share a factor, poste
and quality). A cohort: 300 companies × 300 lines, each company's lines in 30 sources of 10
lines (monthly bills of a few meters and fuels), factors shared across companies: 9,000 sources,
whose activity is drawn per company and whose factors are drawn once for the cohort.
Goals: a company under 1 s (it is added to a PDF download), a cohort under 30 s.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from bench.engine import make_library
from bench.timing import measure
from carbon.accounting.engine import compute
from carbon.accounting.montecarlo import DEFAULT_DRAWS, monte_carlo
from carbon.accounting.postes import POSTE_CODES

QUALITIES = np.array(["measured", "estimated", "extrapolated"])


def company_lines(rng: np.random.Generator, factor_ids: np.ndarray, n_sources: int,
                  per_source: int) -> pd.DataFrame:  # fmt: skip
    src_factor = rng.choice(factor_ids, n_sources, replace=False)
    src_poste = rng.choice(np.array(POSTE_CODES), n_sources)
    src_quality = rng.choice(QUALITIES, n_sources)
    return pd.DataFrame(
        {
            "poste": np.repeat(src_poste, per_source),
            "factor_id": np.repeat(src_factor, per_source),
            "quantity": rng.uniform(0, 10_000, n_sources * per_source),
            "data_quality": np.repeat(src_quality, per_source),
        }
    )


def run() -> list[dict[str, Any]]:
    rng = np.random.default_rng(7)
    lib = make_library(rng)
    units = lib.factors.set_index("factor_id")["unit"]
    ids = lib.factors["factor_id"].to_numpy(dtype=object)

    one = company_lines(rng, ids, 300, 1)
    one["unit"] = one["factor_id"].map(units)
    detail = compute(one, lib).lines
    t_one, m_one, mc = measure(lambda: monte_carlo(detail, DEFAULT_DRAWS))

    pool = rng.choice(ids, 400, replace=False)  # the factors a cohort's companies use
    frames = [company_lines(rng, pool, 30, 10).assign(company=c) for c in range(300)]
    cohort = pd.concat(frames, ignore_index=True)
    cohort["unit"] = cohort["factor_id"].map(units)
    cdetail = compute(cohort, lib).lines.assign(company=cohort["company"].to_numpy())
    t_co, m_co, mc_co = measure(
        lambda: monte_carlo(cdetail, DEFAULT_DRAWS, group="company"), repeat=1
    )
    return [
        {"benchmark": f"Monte Carlo, company: 300 lines, {mc.sources} sources, 10,000 draws",
         "seconds": t_one, "peak_mib": m_one, "goal": "< 1 s", "ok": t_one < 1.0},
        {"benchmark": f"Monte Carlo, cohort total: 300 × 300 lines, {mc_co.sources:,} sources",
         "seconds": t_co, "peak_mib": m_co, "goal": "< 30 s", "ok": t_co < 30.0},
    ]  # fmt: skip


if __name__ == "__main__":
    from bench.run import print_rows

    print_rows(run())
