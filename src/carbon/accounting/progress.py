"""Progress against the base year, intensities, trajectories and the activity/factor split.

Pure arithmetic on totals (kgCO2e), shared by the dashboards, the coach's cohort view and the
reports so that a figure means the same everywhere. See methodology.md, "Progress, targets and
actions".
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Reference absolute-contraction rates, as a share of base-year emissions per year (linear).
SBTI_1_5C = 0.042
WELL_BELOW_2C = 0.025


@dataclass(frozen=True)
class Change:
    absolute: float  # kgCO2e (or intensity units), current minus base
    relative_pct: float | None  # None when the base is zero


def change(current: float, base: float) -> Change:
    diff = current - base
    return Change(diff, None if base == 0 else 100.0 * diff / base)


def intensity(total: float, denominator: float | None) -> float | None:
    """Emissions per unit (FTE, k€ of revenue, skier-day…); None without a positive denominator."""
    if denominator is None or denominator <= 0:
        return None
    return total / denominator


def linear_trajectory(
    base: float, base_year: int, annual_rate: float, years: Iterable[int]
) -> dict[int, float]:
    """Absolute contraction: each year removes ``annual_rate`` × base, never below zero."""
    return {y: max(0.0, base * (1 - annual_rate * (y - base_year))) for y in years}


def target_trajectory(
    base: float, base_year: int, target_year: int, reduction_pct: float, years: Iterable[int]
) -> dict[int, float]:
    """The straight line from the base year to the target (``reduction_pct`` % below base)."""
    if target_year <= base_year:
        raise ValueError("the target year must come after the base year")
    rate = reduction_pct / 100.0 / (target_year - base_year)
    return {
        y: max(0.0, base * (1 - rate * (min(y, target_year) - base_year)))
        for y in years
        if y >= base_year
    }


def on_track(actual: float, year: int, trajectory: dict[int, float]) -> bool | None:
    """Whether ``actual`` is at or below the trajectory for ``year`` (None if it has no value)."""
    expected = trajectory.get(year)
    return None if expected is None else actual <= expected


@dataclass(frozen=True)
class Decomposition:
    activity_effect: float  # what changed because activity changed (factors held at year N-1)
    factor_effect: float  # what changed because the factors changed

    @property
    def total(self) -> float:
        return self.activity_effect + self.factor_effect


def decompose(
    previous: float, current: float, current_with_previous_factors: float
) -> Decomposition:
    """Split ``current - previous`` by recomputing year N with year N-1's factors.

    activity effect = N with N-1 factors − N-1; factor effect = N − N with N-1 factors. The two
    add up to the whole change by construction.
    """
    return Decomposition(
        activity_effect=current_with_previous_factors - previous,
        factor_effect=current - current_with_previous_factors,
    )


def percentile_rank(values: Sequence[float], x: float) -> float:
    """Share (0–100) of ``values`` at or below ``x``: where a company sits among its peers."""
    if not values:
        raise ValueError("no values to rank against")
    ordered = sorted(values)
    return 100.0 * bisect.bisect_right(ordered, x) / len(ordered)
