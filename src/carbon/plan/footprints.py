"""A company's footprint year by year, as the plan page and the saving proposals read it.

Each year is computed with the library its period is pinned to (methodology rule 6), exactly as
the period page shows it; a period whose lines cannot be computed (a factor missing from its
library) is kept with no result rather than hiding the year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from carbon.accounting.engine import ComputationError
from carbon.accounting.headcount import year_fte
from carbon.accounting.progress import intensity
from carbon.accounting.results import ComputationResult
from carbon.db.compute import compute_period
from carbon.db.models import Company, IntensityUnit, ReportingPeriod
from carbon.plan.trajectory import ScopeGroups


@dataclass(frozen=True)
class YearFootprint:
    period: ReportingPeriod
    result: ComputationResult | None  # None when the period cannot be computed

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def total_kg(self) -> float | None:
        return None if self.result is None else self.result.total_kgco2e

    @property
    def groups(self) -> ScopeGroups | None:
        """Scopes 1+2 and scope 3, for the SBTi references (scope 2 location-based)."""
        if self.result is None:
            return None
        scope = self.result.by_scope
        return ScopeGroups(scope[1] + scope[2], scope[3])


def company_footprints(session: Session, company: Company) -> list[YearFootprint]:
    """Every period of ``company``, oldest first, with its result."""
    out = []
    for period in sorted(company.periods, key=lambda p: p.year):
        try:
            result: ComputationResult | None = compute_period(session, period)
        except (ComputationError, LookupError):
            result = None
        out.append(YearFootprint(period, result))
    return out


def denominator(period: ReportingPeriod, unit: str) -> float | None:
    """The period's FTE, revenue (k€) or sector activity (skier-days…) for an intensity."""
    return {
        IntensityUnit.fte: year_fte(period.fte, period.company.fte),
        IntensityUnit.revenue_keur: period.revenue_keur,
        IntensityUnit.sector_activity: period.sector_activity,
    }.get(IntensityUnit(unit))


def yearly_values(footprints: list[YearFootprint], unit: str | None) -> dict[int, float | None]:
    """Total kgCO2e per year, or kgCO2e per ``unit`` (None where the denominator is missing)."""
    out: dict[int, float | None] = {}
    for fp in footprints:
        total = fp.total_kg
        if total is None or unit is None:
            out[fp.year] = total
        else:
            out[fp.year] = intensity(total, denominator(fp.period, unit))
    return out


def emissions_by_activity(period: ReportingPeriod, result: ComputationResult) -> dict[str, float]:
    """kgCO2e that each catalogue activity's lines put in their own poste (not the upstream part
    an energy line sends to 4.1), so that a percentage of it matches a percentage of the poste."""
    if not period.lines:
        return {}
    activity_of: Mapping[int, str | None] = {ln.id: ln.activity_id for ln in period.lines}
    detail = result.lines
    out: dict[str, float] = {}
    for line_id, kg in zip(detail["line"], detail["kgco2e_in_poste"], strict=True):
        activity_id = activity_of.get(int(line_id))
        if activity_id:
            out[activity_id] = out.get(activity_id, 0.0) + float(kg)
    return out
