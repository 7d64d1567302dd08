"""Monte Carlo check of the analytic uncertainty (IPCC 2006 vol. 1 ch. 3, Approach 2).

The analytic figure (:mod:`carbon.accounting.uncertainty`, computed on every view) treats sources
as independent. This check draws instead: one factor multiplier per emission factor, shared by
every line and source that uses it, and one activity multiplier per source, then reads the 2.5th
and 97.5th percentiles of the total. It costs about 10,000 × the number of sources draws, so it
runs on demand only (``carbon compute --monte-carlo``, the PDF's method annex), never on a page.

Distributions (methodology.md § 9): a relative uncertainty ``U`` is read as the half-width of a
95 % interval, so a standard deviation of ``U / 1.96``; factors and activity data are lognormal,
as ADEME's Bilan Carbone guidance suggests (never negative, right-skewed), with mean 1 and that
standard deviation: ``σ² = ln(1 + (U / 1.96)²)``, ``μ = −σ² / 2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbon.accounting.postes import POSTES
from carbon.accounting.uncertainty import SOURCE_COLUMNS

MONTE_CARLO_METHOD = "ipcc-approach-2-monte-carlo-lognormal"
DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 2006
MIN_DRAWS, MAX_DRAWS = 1_000, 1_000_000
Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal
_BATCH_ELEMENTS = 2_000_000  # draws × sources held at once: about 16 MB per array


@dataclass(frozen=True)
class MonteCarloResult:
    draws: int
    seed: int
    sources: int
    factors: int
    mean_kgco2e: float
    p2_5_kgco2e: float
    p97_5_kgco2e: float
    analytic_kgco2e: float  # the same lines' total and per-source analytic ± (kgCO2e)
    analytic_uncertainty_kgco2e: float
    method: str = MONTE_CARLO_METHOD

    @property
    def half_width_pct(self) -> float:
        """Half the 95 % interval, relative to the mean: comparable to the analytic ± %."""
        if not self.mean_kgco2e:
            return 0.0
        return 100.0 * (self.p97_5_kgco2e - self.p2_5_kgco2e) / 2.0 / abs(self.mean_kgco2e)

    @property
    def analytic_pct(self) -> float:
        if not self.analytic_kgco2e:
            return 0.0
        return 100.0 * self.analytic_uncertainty_kgco2e / abs(self.analytic_kgco2e)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "draws": self.draws,
            "seed": self.seed,
            "sources": self.sources,
            "factors": self.factors,
            "mean_kgco2e": self.mean_kgco2e,
            "p2_5_kgco2e": self.p2_5_kgco2e,
            "p97_5_kgco2e": self.p97_5_kgco2e,
            "half_width_pct": self.half_width_pct,
            "analytic_uncertainty_pct": self.analytic_pct,
        }


def lognormal_parameters(u_pct: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], ...]:
    """``(μ, σ)`` of a lognormal multiplier of mean 1 whose 95 % half-width is ``u_pct`` %."""
    sd = np.asarray(u_pct, dtype="float64") / 100.0 / Z_95
    sigma2 = np.log1p(sd * sd)
    return -sigma2 / 2.0, np.sqrt(sigma2)


def check_draws(draws: int, seed: int) -> None:
    if not MIN_DRAWS <= draws <= MAX_DRAWS:
        raise ValueError(f"draws must be between {MIN_DRAWS:,} and {MAX_DRAWS:,}, not {draws}")
    if not 0 <= seed < 2**63:
        raise ValueError(f"seed must be a whole number from 0 to 2^63 - 1, not {seed}")


def monte_carlo(
    lines: pd.DataFrame,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    group: str | None = None,
) -> MonteCarloResult:
    """Draw the total of ``lines``, a result's line detail (``ComputationResult.lines``).

    Needs the columns ``factor_id``, ``poste``, ``data_quality``, ``kgco2e`` (the whole line),
    ``u_factor_pct`` and ``u_activity_pct``. Postes reported apart are left out, as from the
    total. ``group`` names a column (a cohort's company) whose values keep otherwise equal
    sources apart: their activity data are drawn independently, their factors still shared.
    """
    check_draws(draws, seed)
    apart = [p.code for p in POSTES if p.reported_apart]
    df = lines.loc[~lines["poste"].isin(apart)]
    keys = [*([group] if group else []), *SOURCE_COLUMNS]
    src = (
        df.groupby(keys, sort=False, dropna=False)
        .agg(kg=("kgco2e", "sum"), u_f=("u_factor_pct", "first"), u_a=("u_activity_pct", "first"))
        .reset_index()
    )
    kg = src["kg"].to_numpy(dtype="float64")
    factor_idx, factor_ids = pd.factorize(src["factor_id"], sort=False)
    # A factor's uncertainty is the same in every source that uses it.
    u_factor = np.zeros(len(factor_ids))
    u_factor[factor_idx] = src["u_f"].to_numpy(dtype="float64")
    mu_f, sigma_f = lognormal_parameters(u_factor)
    mu_a, sigma_a = lognormal_parameters(src["u_a"].to_numpy(dtype="float64"))
    analytic_u = float(np.sqrt(np.sum(np.square(np.hypot(u_factor[factor_idx], src["u_a"]) / 100.0
                                                  * kg))))  # fmt: skip

    rng = np.random.default_rng(seed)
    totals = np.empty(draws)
    batch = max(1, _BATCH_ELEMENTS // max(len(kg), 1))
    for lo in range(0, draws, batch):
        b = min(batch, draws - lo)
        f = np.exp(mu_f + sigma_f * rng.standard_normal((b, len(factor_ids))))
        a = np.exp(mu_a + sigma_a * rng.standard_normal((b, len(kg))))
        a *= f[:, factor_idx]  # one factor draw shared by every source of the factor
        totals[lo : lo + b] = np.einsum("ds,s->d", a, kg)
    p_lo, p_hi = np.percentile(totals, [2.5, 97.5])
    return MonteCarloResult(
        draws=draws,
        seed=seed,
        sources=len(kg),
        factors=len(factor_ids),
        mean_kgco2e=float(totals.mean()),
        p2_5_kgco2e=float(p_lo),
        p97_5_kgco2e=float(p_hi),
        analytic_kgco2e=float(kg.sum()),
        analytic_uncertainty_kgco2e=analytic_u,
    )
