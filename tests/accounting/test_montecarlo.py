"""The Monte Carlo check (Approach 2) against the analytic per-source figure, by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from carbon.accounting.engine import compute
from carbon.accounting.montecarlo import lognormal_parameters, monte_carlo

from .library_builder import lines, standard_library

LIB = standard_library()
# Stated tolerance: with 10,000 seeded draws the mean is within 1 % of the analytic total and the
# 95 % half-width within 5 % (relative) of the analytic ± (the lognormal's skew and the sampling
# error of two percentiles, about 2 % each here).
MEAN_TOL, HALF_WIDTH_TOL = 0.01, 0.05


def test_lognormal_multiplier_has_mean_one_and_the_stated_half_width() -> None:
    # U = 10 %: sd = 0.10 / 1.96 = 0.0510; sigma² = ln(1 + 0.0510²) = 0.0026; mu = -0.0013.
    mu, sigma = lognormal_parameters([10.0])
    assert float(sigma[0]) ** 2 == pytest.approx(math.log1p((0.10 / 1.959964) ** 2))
    assert float(mu[0]) == pytest.approx(-(float(sigma[0]) ** 2) / 2)
    x = np.exp(mu + sigma * np.random.default_rng(1).standard_normal(200_000))
    assert x.mean() == pytest.approx(1.0, abs=1e-3)
    assert x.std() == pytest.approx(0.10 / 1.959964, rel=0.02)


def test_monte_carlo_agrees_with_the_analytic_figure() -> None:
    # Three sources, each with its own factor (so the analytic independence holds):
    # elec-fr 12 × 1,000 kWh measured: 624 kg ± 624 × sqrt(0.1² + 0.05²) = 69.7653 kg;
    # services 2 k€ estimated: 220 kg ± 220 × sqrt(0.5² + 0.3²) = 128.2809 kg;
    # diesel 1,000 L in 1.2 measured: 3,100 kg ± 3,100 × sqrt(0.05² + 0.05²) = 219.2031 kg.
    # Total 3,944 kg ± sqrt(69.7653² + 128.2809² + 219.2031²) = sqrt(4867.20 + 16456.00
    # + 48050.00) = 263.388 kg, 6.678 %.
    rows = [("2.1", "elec-fr", 1000, "kWh", "measured")] * 12
    rows += [("4.5", "services", 2, "k€", "estimated"), ("1.2", "diesel", 1000, "L", "measured")]
    r = compute(lines(*rows), LIB)
    assert r.uncertainty_kgco2e == pytest.approx(263.388, abs=1e-3)
    mc = monte_carlo(r.lines, draws=10_000, seed=7)
    assert (mc.sources, mc.factors, mc.draws) == (3, 3, 10_000)
    assert mc.analytic_uncertainty_kgco2e == pytest.approx(r.uncertainty_kgco2e)
    assert mc.mean_kgco2e == pytest.approx(3944.0, rel=MEAN_TOL)
    assert mc.half_width_pct == pytest.approx(6.678, rel=HALF_WIDTH_TOL)
    assert mc.p2_5_kgco2e < 3944.0 < mc.p97_5_kgco2e
    # Seeded: the same draws twice.
    assert monte_carlo(r.lines, draws=10_000, seed=7) == mc


def test_one_draw_per_factor_is_shared_by_its_sources() -> None:
    # elec-fr 6,000 kWh measured + 6,000 kWh estimated: two sources (analytic, independent):
    # sqrt((312 × 0.111803)² + (312 × 0.316228)²) = 104.648 kg, 16.77 % of 624 kg.
    # Drawn with one factor multiplier for both, the factor part adds linearly:
    # sqrt((624 × 0.10)² + (312 × 0.05)² + (312 × 0.30)²) = sqrt(3893.76 + 243.36 + 8761.00)
    # = 113.570 kg, 18.20 %: the check shows what the analytic independence leaves out.
    r = compute(
        lines(("2.1", "elec-fr", 6000, "kWh", "measured"), ("2.1", "elec-fr", 6000, "kWh", None)),
        LIB,
    )
    assert r.uncertainty_pct == pytest.approx(16.77, abs=0.01)
    mc = monte_carlo(r.lines, draws=20_000, seed=3)
    assert (mc.sources, mc.factors) == (2, 1)
    assert mc.half_width_pct == pytest.approx(18.20, rel=HALF_WIDTH_TOL)
    assert mc.half_width_pct > r.uncertainty_pct * 1.04


def test_companies_of_a_cohort_share_factor_draws_but_not_activity_draws() -> None:
    # Two companies, each 10,000 kWh elec-fr measured (520 kg, ± 10 % factor, ± 5 % data).
    # Shared factor: sqrt((1,040 × 0.10)² + 2 × (520 × 0.05)²) = sqrt(10816 + 1352) = 110.309 kg,
    # 10.61 % of 1,040 kg (independent companies would give 11.18 % / sqrt(2) = 7.91 %).
    r = compute(lines(*[("2.1", "elec-fr", 10_000, "kWh", "measured")] * 2), LIB)
    detail = r.lines.assign(company=[1, 2])
    mc = monte_carlo(detail, draws=20_000, seed=11, group="company")
    assert (mc.sources, mc.factors) == (2, 1)
    assert mc.half_width_pct == pytest.approx(10.61, rel=HALF_WIDTH_TOL)


def test_draws_and_seed_are_bounded() -> None:
    r = compute(lines(("2.1", "elec-fr", 1, "kWh", "measured")), LIB)
    with pytest.raises(ValueError, match="draws must be between 1,000 and 1,000,000"):
        monte_carlo(r.lines, draws=10)
    with pytest.raises(ValueError, match="seed must be"):
        monte_carlo(r.lines, seed=-1)
