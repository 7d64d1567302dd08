"""The energy content of the bundled factors' units (``emission_factors/energy_content.csv``).

Kept beside the bundled library because it describes its factors: which carrier each energy
factor is (electricity, self-generated, heat, fuel), whether it is renewable, and for fuels
measured in litres or kilograms the kWh (net calorific value) in one unit, each with its source.
"""

from __future__ import annotations

from carbon.accounting.energy import EnergyContent, parse_contents
from carbon.factors.bundled import BUNDLED_DIR

FILE = "energy_content.csv"


def load_energy_contents() -> dict[str, EnergyContent]:
    return parse_contents((BUNDLED_DIR / FILE).read_text(encoding="utf-8"))
