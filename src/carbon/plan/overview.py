"""What a plan page shows beside the actions: trajectories, the programme KPIs, a saving proposal.

Trajectories: absolute emissions always, intensity for an intensity target.

Absolute emissions are drawn with the target path (for an absolute target) and the SBTi
references, which are absolute contractions. An intensity target (per FTE, per k€ of revenue, per
skier-day…) gets its own series in its own unit, since tonnes and tonnes per FTE cannot share an
axis; the references are not drawn there, as they are defined on absolute emissions.
"""

from __future__ import annotations

from dataclasses import dataclass

from carbon.accounting.progress import intensity
from carbon.db.models import Action, ActionStatus, Target, TargetKind
from carbon.plan.footprints import YearFootprint, denominator, emissions_by_activity, yearly_values
from carbon.plan.library import LibraryAction, find_library_action
from carbon.plan.savings import SavingProposal, propose_saving
from carbon.plan.trajectory import Trajectory, build_trajectory

# Shown per FTE in tonnes (a few t/FTE), per k€ and per sector unit in kilograms (1.7 kg per
# skier-day): the units people quote.
INTENSITY_SCALE = {"fte": 0.001, "revenue_keur": 1.0, "sector_activity": 1.0}


@dataclass(frozen=True)
class PlanTrajectories:
    base: YearFootprint | None
    absolute: Trajectory | None
    intensity: Trajectory | None
    # Why a trajectory is missing: "no_period", "base_not_computed", "no_denominator".
    problem: str | None = None


def _base(footprints: list[YearFootprint], target: Target | None) -> YearFootprint | None:
    if target is not None:
        return next((fp for fp in footprints if fp.period.id == target.base_period_id), None)
    marked = next((fp for fp in footprints if fp.period.is_base_year), None)
    return marked or next((fp for fp in footprints if fp.result is not None), None)


def plan_trajectories(footprints: list[YearFootprint], target: Target | None) -> PlanTrajectories:
    base = _base(footprints, target)
    if base is None:
        return PlanTrajectories(None, None, None, "no_period")
    if base.total_kg is None:
        return PlanTrajectories(base, None, None, "base_not_computed")
    absolute_target = target is not None and target.kind == TargetKind.absolute
    absolute = build_trajectory(
        yearly_values(footprints, None),
        base.year,
        base.total_kg,
        target.target_year if target is not None and absolute_target else None,
        target.reduction_pct if target is not None and absolute_target else None,
        {fp.year: fp.groups for fp in footprints},
    )
    if target is None or target.kind != TargetKind.intensity or target.intensity_unit is None:
        return PlanTrajectories(base, absolute, None)
    unit = target.intensity_unit
    base_intensity = intensity(base.total_kg, denominator(base.period, unit))
    if base_intensity is None:
        return PlanTrajectories(base, absolute, None, "no_denominator")
    per_unit = build_trajectory(
        yearly_values(footprints, unit),
        base.year,
        base_intensity,
        target.target_year,
        target.reduction_pct,
    )
    return PlanTrajectories(base, absolute, per_unit)


@dataclass(frozen=True)
class PlanKpis:
    """The programme's KPIs for one company: abandoned actions do not count as identified."""

    identified: int
    quantified: int  # with an expected saving
    expected_tco2e_per_year: float
    achieved_tco2e: float


def plan_kpis(actions: list[Action]) -> PlanKpis:
    live = [a for a in actions if a.status != ActionStatus.abandoned]
    quantified = [a for a in live if a.expected_avoided_tco2e_per_year is not None]
    return PlanKpis(
        identified=len(live),
        quantified=len(quantified),
        expected_tco2e_per_year=sum(a.expected_avoided_tco2e_per_year or 0.0 for a in quantified),
        # What was measured stays achieved even if the action was later dropped.
        achieved_tco2e=sum(a.achieved_avoided_tco2e or 0.0 for a in actions),
    )


@dataclass(frozen=True)
class Proposal:
    picked: LibraryAction
    saving: SavingProposal | None  # None when the company has no emissions to reduce there
    year: int | None  # the year whose footprint the saving is computed from


def proposal_for(footprints: list[YearFootprint], library_id: str) -> Proposal | None:
    """The library action ``library_id`` and its saving from the latest computable year."""
    picked = find_library_action(library_id) if library_id else None
    if picked is None:
        return None
    latest = next((fp for fp in reversed(footprints) if fp.result is not None), None)
    if latest is None or latest.result is None:
        return Proposal(picked, None, None)
    by_activity = emissions_by_activity(latest.period, latest.result)
    return Proposal(
        picked, propose_saving(picked, latest.result.by_poste, by_activity), latest.year
    )
