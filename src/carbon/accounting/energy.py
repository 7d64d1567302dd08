"""Energy consumed, in MWh: what the VSME B3 disclosure asks beside the emissions.

EFRAG's VSME basic module (Commission Recommendation (EU) 2025/1710, Annex I, B3 §29) asks a
company's total energy consumption in MWh, split where available between electricity and fuels
and between renewable and non-renewable sources. carbon's activity lines already hold the
quantities: a line of an energy poste (1.1, 1.2 fuels; 2.1 electricity; 2.2 heat) is converted to
MWh on a net calorific basis:

- a quantity in kWh, MWh or GJ (electricity, heat) or in kWh PCI is energy already;
- gas billed in kWh PCS (gross) is brought to PCI with the French energy-balance convention
  PCI = 0.9 × PCS (SDES, *Bilan énergétique de la France*, methodological annex);
- a fuel in litres, kilograms or tonnes takes the energy content per unit of its factor, from
  ``emission_factors/energy_content.csv`` (each value with its source);
- a line with none of these (a car in vehicle.km) has no energy figure: it is counted apart, so the
  disclosure can say what it leaves out, and never guessed.

Each factor's carrier (electricity, self-generated, heat, fuel) and renewable flag come from the
same file; grid electricity without a contract is non-renewable.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

import pandas as pd

from carbon.accounting.factors import FactorLibrary
from carbon.accounting.units import UnitError, canonical, conversion_factor

ENERGY_POSTES: Final = frozenset({"1.1", "1.2", "2.1", "2.2"})
PCI_PER_PCS: Final = 0.9
CARRIERS: Final = ("electricity", "self_generated", "heat", "fuel")


@dataclass(frozen=True)
class EnergyContent:
    carrier: str
    renewable: bool
    kwh_per_unit: float | None = None  # per unit of the factor, net basis, for fuels


@dataclass
class EnergyUse:
    """MWh by carrier and renewable flag, and the energy lines that have no energy figure."""

    mwh: dict[tuple[str, bool], float] = field(default_factory=dict)
    lines_without_energy: list[int] = field(default_factory=list)

    def total(self, carrier: str | None = None, renewable: bool | None = None) -> float:
        return sum(
            value
            for (c, r), value in self.mwh.items()
            if (carrier is None or c == carrier) and (renewable is None or r == renewable)
        )


def parse_contents(text: str) -> dict[str, EnergyContent]:
    """``energy_content.csv`` as factor id -> content; ValueError naming a bad line."""
    contents = {}
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        carrier = (row.get("carrier") or "").strip()
        if carrier not in CARRIERS:
            raise ValueError(f"line {number}, carrier: '{carrier}' is not one of {CARRIERS}")
        renewable = (row.get("renewable") or "").strip().lower()
        if renewable not in ("true", "false"):
            raise ValueError(f"line {number}, renewable: expected true or false")
        value = (row.get("kwh_per_unit") or "").strip()
        kwh = float(value) if value else None
        if kwh is not None and not (0 < kwh < 1e6):
            raise ValueError(f"line {number}, kwh_per_unit: {value} is out of range")
        contents[row["factor_id"].strip()] = EnergyContent(carrier, renewable == "true", kwh)
    return contents


def _kwh_per_factor_unit(unit: str, content: EnergyContent | None) -> float | None:
    """kWh (net basis) in one unit of the factor, or None when it is not an energy unit."""
    try:
        pint_unit = canonical(unit)
    except UnitError:
        return None
    if pint_unit.endswith("_PCI"):
        return conversion_factor(unit, "kWh PCI")
    if pint_unit.endswith("_PCS"):
        return conversion_factor(unit, "kWh PCS") * PCI_PER_PCS
    try:
        return conversion_factor(unit, "kWh")
    except UnitError:
        return content.kwh_per_unit if content is not None else None


def energy_use(
    lines: pd.DataFrame, library: FactorLibrary, contents: Mapping[str, EnergyContent]
) -> EnergyUse:
    """MWh consumed by the energy lines of ``lines`` (columns poste, factor_id, quantity, unit).

    Lines must already be valid for ``library`` (the engine checked them when they were stored).
    """
    use = EnergyUse()
    factor_units = library.factors.set_index("factor_id")["unit"]
    energy = lines[lines["poste"].astype(str).isin(ENERGY_POSTES)]
    rows = zip(
        energy.index.tolist(),
        energy["poste"].astype(str).tolist(),
        energy["factor_id"].astype(str).tolist(),
        energy["quantity"].astype(float).tolist(),
        energy["unit"].astype(str).tolist(),
        strict=True,
    )
    for position, poste, factor_id, quantity, unit in rows:
        factor_unit = str(factor_units.get(factor_id, ""))
        content = contents.get(factor_id)
        per_unit = _kwh_per_factor_unit(factor_unit, content) if factor_unit else None
        if per_unit is None:
            use.lines_without_energy.append(int(position))
            continue
        in_factor_unit = quantity * conversion_factor(unit, factor_unit)
        if content is not None:
            key = (content.carrier, content.renewable)
        else:
            # An energy factor the file does not describe (an imported ADEME one): its carrier
            # follows the poste, and it counts as non-renewable until someone says otherwise.
            key = ({"2.1": "electricity", "2.2": "heat"}.get(poste, "fuel"), False)
        use.mwh[key] = use.mwh.get(key, 0.0) + in_factor_unit * per_unit / 1000.0
    return use
