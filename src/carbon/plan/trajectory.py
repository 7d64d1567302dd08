"""A company's trajectory beside its target path and the reference trajectories, year by year.

The plan page draws one chart and one table from the same rows, so the two can never disagree:
for each year, the actual value (from that year's computation), the straight line to the target
and the SBTi reference contractions, one per scope group with the rule it applies: scopes 1 and
2 at 4.2 % of their base-year emissions a year (1.5 °C), scope 3 at 2.5 % of its own a year (well
below 2 °C) — never 4.2 % of the whole footprint (SBTi Corporate Net-Zero Standard and its
cross-sector absolute contraction; docs/methodology.md §11). Values are kgCO2e for an absolute
target, or kgCO2e per unit for an intensity target (no references there: they are defined on
absolute emissions). Pure arithmetic over :mod:`carbon.accounting.progress`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from carbon.accounting.progress import (
    SBTI_1_5C,
    WELL_BELOW_2C,
    linear_trajectory,
    on_track,
    target_trajectory,
)
from carbon.i18n import N_

# Without a target, the references are drawn to the usual near-term horizon of SBTi targets.
NEAR_TERM_HORIZON = 2030

# The rule each scope group's reference applies, as shown beside it (kept with the rates).
RULE_SCOPES_1_2 = N_(
    "SBTi 1.5 °C, scopes 1 and 2: −4.2 %% of their base-year emissions a year (linear)"
)
RULE_SCOPE_3 = N_(
    "SBTi well below 2 °C, scope 3: −2.5 %% of its base-year emissions a year (linear)"
)


class ScopeGroups(NamedTuple):
    """One year's emissions by SBTi scope group, kgCO2e (scope 2 location-based)."""

    scopes_1_2: float
    scope_3: float


@dataclass(frozen=True)
class TrajectoryRow:
    year: int
    actual: float | None
    target: float | None
    sbti_scopes_1_2: float | None  # 4.2 %/yr of the base year's scopes 1 and 2
    sbti_scope_3: float | None  # 2.5 %/yr of the base year's scope 3
    actual_scopes_1_2: float | None = None
    actual_scope_3: float | None = None


@dataclass(frozen=True)
class Trajectory:
    base_year: int
    base_value: float
    rows: tuple[TrajectoryRow, ...]
    # The latest year after the base year with an actual value; None when there is none yet.
    latest_year: int | None
    on_track_target: bool | None  # None without a target or without a year after the base
    on_track_1_5c: bool | None  # scopes 1 and 2 against their 4.2 %/yr path

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
    groups: Mapping[int, ScopeGroups | None] | None = None,
) -> Trajectory:
    """Rows from the first actual year (or the base year) to the target year (or the horizon).

    ``actual`` maps years to values (None where a year could not be computed or has no
    denominator). ``groups`` gives each year's emissions by scope group; the SBTi references
    are drawn from the base year's groups, and are left out without them. Target and references
    start at the base year; before it, only actual values.
    """
    known = {y: v for y, v in actual.items() if v is not None}
    by_group = {y: g for y, g in (groups or {}).items() if g is not None}
    end = max([*known, target_year if target_year is not None else NEAR_TERM_HORIZON, base_year])
    years = range(min([*known, base_year]), end + 1)
    after_base = [y for y in years if y >= base_year]
    target: dict[int, float] = {}
    if target_year is not None and reduction_pct is not None:
        target = target_trajectory(base_value, base_year, target_year, reduction_pct, after_base)
    s12: dict[int, float] = {}
    s3: dict[int, float] = {}
    if base_year in by_group:
        base = by_group[base_year]
        s12 = linear_trajectory(base.scopes_1_2, base_year, SBTI_1_5C, after_base)
        s3 = linear_trajectory(base.scope_3, base_year, WELL_BELOW_2C, after_base)
    rows = tuple(
        TrajectoryRow(
            y, known.get(y), target.get(y), s12.get(y), s3.get(y),
            by_group[y].scopes_1_2 if y in by_group else None,
            by_group[y].scope_3 if y in by_group else None,
        )
        for y in years
    )  # fmt: skip
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
        on_track_1_5c=None
        if latest is None or latest not in by_group or not s12
        else on_track(by_group[latest].scopes_1_2, latest, s12),
    )


def chart_values(trajectory: Trajectory, scale: float = 1.0, digits: int = 3) -> dict[str, list]:
    """The rows as chart series (values × ``scale``, rounded; None where a year has no value),
    keyed actual / target / actual and SBTi path per scope group, plus the year labels."""

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
        "actual_scopes_1_2": values("actual_scopes_1_2"),
        "sbti_scopes_1_2": values("sbti_scopes_1_2"),
        "actual_scope_3": values("actual_scope_3"),
        "sbti_scope_3": values("sbti_scope_3"),
    }
