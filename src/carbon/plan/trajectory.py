"""A company's trajectory beside its target path and the reference trajectories, year by year.

The plan page draws one chart and one table from the same rows, so the two can never disagree:
for each year, the actual value (from that year's computation), the straight line to the target
and the two reference contractions people compare with (SBTi 1.5 °C, 4.2 % of the base a year;
well-below 2 °C, 2.5 % a year). Values are kgCO2e for an absolute target, or kgCO2e per unit for
an intensity target. Pure arithmetic over :mod:`carbon.accounting.progress`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from carbon.accounting.progress import (
    SBTI_1_5C,
    WELL_BELOW_2C,
    linear_trajectory,
    on_track,
    target_trajectory,
)

# Without a target, the references are drawn to the usual near-term horizon of SBTi targets.
NEAR_TERM_HORIZON = 2030


@dataclass(frozen=True)
class TrajectoryRow:
    year: int
    actual: float | None
    target: float | None
    sbti_1_5c: float | None
    well_below_2c: float | None


@dataclass(frozen=True)
class Trajectory:
    base_year: int
    base_value: float
    rows: tuple[TrajectoryRow, ...]
    # The latest year after the base year with an actual value; None when there is none yet.
    latest_year: int | None
    on_track_target: bool | None  # None without a target or without a year after the base
    on_track_1_5c: bool | None

    def row(self, year: int) -> TrajectoryRow | None:
        return next((r for r in self.rows if r.year == year), None)

    @property
    def latest_gap(self) -> float | None:
        """Latest actual minus the target path that year (negative: ahead of the target)."""
        row = self.row(self.latest_year) if self.latest_year is not None else None
        if row is None or row.actual is None or row.target is None:
            return None
        return row.actual - row.target


def build_trajectory(
    actual: Mapping[int, float | None],
    base_year: int,
    base_value: float,
    target_year: int | None = None,
    reduction_pct: float | None = None,
) -> Trajectory:
    """Rows from the first actual year (or the base year) to the target year (or the horizon).

    ``actual`` maps years to values (None where a year could not be computed or has no
    denominator). Target and references start at the base year; before it, only actual values.
    """
    known = {y: v for y, v in actual.items() if v is not None}
    end = max([*known, target_year if target_year is not None else NEAR_TERM_HORIZON, base_year])
    years = range(min([*known, base_year]), end + 1)
    after_base = [y for y in years if y >= base_year]
    target: dict[int, float] = {}
    if target_year is not None and reduction_pct is not None:
        target = target_trajectory(base_value, base_year, target_year, reduction_pct, after_base)
    sbti = linear_trajectory(base_value, base_year, SBTI_1_5C, after_base)
    wb2c = linear_trajectory(base_value, base_year, WELL_BELOW_2C, after_base)
    rows = tuple(
        TrajectoryRow(y, known.get(y), target.get(y), sbti.get(y), wb2c.get(y)) for y in years
    )
    later = [y for y in known if y > base_year]
    latest = max(later) if later else None
    return Trajectory(
        base_year=base_year,
        base_value=base_value,
        rows=rows,
        latest_year=latest,
        on_track_target=None
        if latest is None or not target
        else on_track(known[latest], latest, target),
        on_track_1_5c=None if latest is None else on_track(known[latest], latest, sbti),
    )


def chart_values(trajectory: Trajectory, scale: float = 1.0, digits: int = 3) -> dict[str, list]:
    """The rows as chart series (values × ``scale``, rounded; None where a year has no value),
    keyed actual / target / sbti_1_5c / well_below_2c, plus the year labels."""

    def values(field: str) -> list[float | None]:
        out: list[float | None] = []
        for row in trajectory.rows:
            v = getattr(row, field)
            out.append(None if v is None else round(v * scale, digits))
        return out

    return {
        "labels": [str(r.year) for r in trajectory.rows],
        "actual": values("actual"),
        "target": values("target"),
        "sbti_1_5c": values("sbti_1_5c"),
        "well_below_2c": values("well_below_2c"),
    }
