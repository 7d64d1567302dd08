"""Refrigerants and SF6: what each is made of, and the GWP its bundled factor is computed from.

Why this exists: a refrigerant blend's factor (kgCO2e per kg leaked) is not a published number
but a computation, Σ mass fraction × the component's 100-year GWP (IPCC AR5, the set ADEME's
base uses). ``emission_factors/refrigerants.csv`` keeps that computation as data, one row per
component, with the composition's source (ASHRAE Standard 34) and both AR5 and AR6 GWPs, so
that every refrigerant factor of ``factors.csv`` can be recomputed and checked
(``tests/factors/test_refrigerants.py``), and so that a gas outside the Kyoto basket (HCFC-22,
a Montreal Protocol gas) is named with the reason it has no factor (methodology §16).

The file is validated when read: fractions add up to 1, GWPs are finite and not negative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import pandas as pd

from carbon.accounting.factors import LibraryError
from carbon.resources import resource

REFRIGERANTS_FILE = "refrigerants.csv"
_FRACTION_TOLERANCE = 1e-9
_COLUMNS = (
    "refrigerant", "factor_id", "component", "mass_fraction", "gwp_ar5", "ar5_as_printed",
    "gwp_ar6", "kyoto_gas", "composition_source", "note",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Component:
    gas: str
    mass_fraction: float
    gwp_ar5: float | None  # None: the gas is not in AR5's list
    ar5_as_printed: str  # what AR5's table prints ("677", "<1", "not listed")
    gwp_ar6: float | None
    kyoto_gas: bool


@dataclass(frozen=True, slots=True)
class Refrigerant:
    name: str  # ASHRAE designation, "R-410A"
    factor_id: str | None  # its bundled factor; None when it has none
    components: tuple[Component, ...]
    composition_source: str
    note: str

    @property
    def is_blend(self) -> bool:
        return len(self.components) > 1

    @property
    def kyoto(self) -> bool:
        """Whether every component is a Kyoto Protocol gas."""
        return all(c.kyoto_gas for c in self.components)

    def gwp(self, gwp_set: str = "AR5") -> float | None:
        """Σ mass fraction × component GWP of ``gwp_set`` (AR5 or AR6); None if one is unknown."""
        terms: list[float] = []
        for c in self.components:
            gwp = c.gwp_ar5 if gwp_set == "AR5" else c.gwp_ar6
            if gwp is None:
                return None
            terms.append(c.mass_fraction * gwp)
        return math.fsum(terms)

    def factor_value(self) -> float | None:
        """The bundled factor's kgCO2e per kg: the AR5 GWP, or AR6 where AR5 lists no component.

        Whole kilograms, rounded half up, as the library has always written GWPs above 10
        (R-410A: 1,923.5 -> 1,924); smaller ones as computed (R-290: 0.02).
        """
        value = self.gwp("AR5")
        if value is None:
            value = self.gwp("AR6")
        if value is None:
            return None
        if value >= 10:
            return float(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return value


def _number(text: str, where: str, problems: list[str]) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append(f"{where}: not a number: {text!r}")
        return None
    if not math.isfinite(value) or value < 0:
        problems.append(f"{where}: must be a finite number >= 0, not {text!r}")
        return None
    return value


def load_refrigerants(path: Path | None = None) -> dict[str, Refrigerant]:
    """The refrigerants of ``path`` (a folder holding refrigerants.csv), by ASHRAE name.

    Raises :class:`LibraryError` listing every problem (row numbers as in a spreadsheet).
    """
    return _load((path or resource("emission_factors")).resolve())


@cache
def _load(folder: Path) -> dict[str, Refrigerant]:
    raw = pd.read_csv(folder / REFRIGERANTS_FILE, dtype=str, keep_default_na=False)
    missing = [c for c in _COLUMNS if c not in raw.columns]
    if missing:
        raise LibraryError(f"{REFRIGERANTS_FILE}: missing columns {missing}")
    problems: list[str] = []
    parts: dict[str, list[Component]] = {}
    heads: dict[str, tuple[str, str, str]] = {}
    for idx, row in raw.iterrows():
        where = f"{REFRIGERANTS_FILE} row {int(str(idx)) + 2}"
        name = row["refrigerant"].strip()
        fraction = _number(row["mass_fraction"], f"{where} mass_fraction", problems)
        if not name or not row["component"].strip() or fraction is None:
            problems.append(f"{where}: refrigerant, component and mass_fraction are required")
            continue
        if row["kyoto_gas"] not in ("true", "false"):
            problems.append(f"{where}: kyoto_gas must be true or false")
        if not row["composition_source"].strip():
            problems.append(f"{where}: composition_source is empty")
        parts.setdefault(name, []).append(
            Component(
                gas=row["component"].strip(),
                mass_fraction=fraction,
                gwp_ar5=_number(row["gwp_ar5"], f"{where} gwp_ar5", problems),
                ar5_as_printed=row["ar5_as_printed"].strip(),
                gwp_ar6=_number(row["gwp_ar6"], f"{where} gwp_ar6", problems),
                kyoto_gas=row["kyoto_gas"] == "true",
            )
        )
        head = (row["factor_id"].strip(), row["composition_source"].strip(), row["note"].strip())
        heads.setdefault(name, head)
        if heads[name][0] != head[0]:
            problems.append(f"{where}: {name} has two factor ids")
    for name, comps in parts.items():
        total = math.fsum(c.mass_fraction for c in comps)
        if abs(total - 1.0) > _FRACTION_TOLERANCE:
            problems.append(f"{REFRIGERANTS_FILE}: {name}'s mass fractions add up to {total:g}")
    if problems:
        raise LibraryError(f"{REFRIGERANTS_FILE} is invalid:\n- " + "\n- ".join(problems))
    return {
        name: Refrigerant(
            name=name,
            factor_id=heads[name][0] or None,
            components=tuple(comps),
            composition_source=heads[name][1],
            note=heads[name][2],
        )
        for name, comps in parts.items()
    }
