"""Proposing an action's expected saving from the company's own emissions, arithmetic shown.

A library action says "eco-driving saves 5–10 % of groomer diesel"; the company's footprint says
how much groomer diesel it burns. The proposal is their product at the middle of the range, with
the low and high ends beside it, so the figure a company writes in its plan is traceable (basis ×
percentage) and never looks more precise than the range it comes from.

The basis is the emissions, in the action's poste(s), of the lines of the activities the action
names; when the company has none of those lines (its diesel may be logged under a custom factor)
it falls back to the whole poste(s), and the proposal says which basis it used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from carbon.plan.library import LibraryAction


@dataclass(frozen=True)
class SavingProposal:
    action_id: str
    basis: Literal["activities", "postes"]
    basis_kg: float  # kgCO2e a year the percentage applies to
    # The activities whose lines make up the basis (empty when the basis is the postes).
    activities: tuple[str, ...]
    low_pct: float
    high_pct: float

    @property
    def mid_pct(self) -> float:
        return (self.low_pct + self.high_pct) / 2

    @property
    def expected_kg(self) -> float:
        return self.basis_kg * self.mid_pct / 100

    @property
    def low_kg(self) -> float:
        return self.basis_kg * self.low_pct / 100

    @property
    def high_kg(self) -> float:
        return self.basis_kg * self.high_pct / 100


def propose_saving(
    action: LibraryAction,
    by_poste: Mapping[str, float],
    by_activity: Mapping[str, float],
) -> SavingProposal | None:
    """The expected saving of ``action`` for a company, or None when it has nothing to reduce.

    ``by_poste`` is kgCO2e per poste; ``by_activity`` is kgCO2e per catalogue activity id,
    counting only what each activity's lines put in their own poste (see
    :func:`carbon.plan.footprints.emissions_by_activity`).
    """
    low, high = action.saving_low_pct, action.saving_high_pct
    found = tuple(a for a in action.activities if by_activity.get(a, 0.0) > 0)
    if found:
        kg = sum(by_activity[a] for a in found)
        return SavingProposal(action.action_id, "activities", kg, found, low, high)
    kg = sum(by_poste.get(p, 0.0) for p in action.postes)
    if kg > 0:
        return SavingProposal(action.action_id, "postes", kg, (), low, high)
    return None


# A heat pump replacing a fuel boiler (the action library's "heat-pump" rationale): the boiler
# turns 90 % of the fuel's gross energy (kWh PCS) into heat, the heat pump makes 3 kWh of heat
# per kWh of electricity (seasonal COP 3).
BOILER_EFFICIENCY_PCS = 0.9
HEAT_PUMP_COP = 3.0


def heat_pump_saving_kg(fuel_kwh_pcs: float, fuel_kg: float, grid_kg_per_kwh: float) -> float:
    """kgCO2e a year avoided by replacing a boiler that burnt ``fuel_kwh_pcs`` (emitting
    ``fuel_kg``) with a heat pump on a grid of ``grid_kg_per_kwh``: the fuel's emissions minus
    those of the electricity the heat pump draws for the same heat. The site's own grid decides
    it: 0.052 kg/kWh (France) keeps about 93 % of a gas boiler's emissions out, 0.409 (Italy's
    bundled mix) about 45 %. Never below zero (on a grid dirtier than the fuel, no saving)."""
    electricity_kwh = fuel_kwh_pcs * BOILER_EFFICIENCY_PCS / HEAT_PUMP_COP
    return max(0.0, fuel_kg - electricity_kwh * grid_kg_per_kwh)
