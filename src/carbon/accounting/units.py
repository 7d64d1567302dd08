"""Units of activity data, and the only place quantities are converted (with pint).

ADEME writes activity units as text (``kWh PCS``, ``litre``, ``passager.km``, ``k€ HT``…). Each is
mapped to a pint unit. Energy on a gross (PCS/GCV) and on a net (PCI/NCV) calorific basis are two
different dimensions, and plain ``kWh`` (electricity, heat) a third, so nothing converts between
them without a stated ratio. A unit that cannot be converted is a :class:`UnitError`, never a guess.

Italian natural gas is billed in standard cubic metres (``Smc``), a volume of its own dimension
that reaches energy only through the stated conventions of the ``natural_gas`` context below
(methodology §7): 0.03852 GJ PCS per Smc (the conventional gross calorific value of Italian
bills, 10.70 kWh PCS) and 35.253 GJ PCI per 1,000 Smc (the national inventory's net value,
MASE/ISPRA table of national standard parameters).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

import pint

_DEFINITIONS = """
Wh_PCS = [gross_calorific_energy]
J_PCS = Wh_PCS / 3600
Wh_PCI = [net_calorific_energy]
J_PCI = Wh_PCI / 3600
toe_PCI = 11630000 * Wh_PCI
passenger_km = [passenger_distance]
tonne_km = [freight_transport]
vehicle_km = [vehicle_distance]
euro = [currency]
night = [overnight_stay]
item = [count_of_items]
meal = [meals]
Smc = [natural_gas_volume]
"""
# Methodology §7: the only ways from a standard cubic metre of natural gas to its energy.
GCV_MJ_PER_SMC = 38.52  # 0.03852 GJ PCS per Smc (Italian billing convention, 10.70 kWh PCS)
NCV_MJ_PER_SMC = 35.253  # 35.253 GJ PCI per 1,000 Smc (national inventory, MASE/ISPRA)

# Text as people and ADEME write it (folded: lower case, no accents, single spaces) -> pint.
_ALIASES: dict[str, str] = {
    "wh": "Wh", "kwh": "kWh", "mwh": "MWh", "gwh": "GWh", "mj": "MJ", "gj": "GJ", "tj": "TJ",
    "kwhe": "kWh", "kwh electrique": "kWh",
    "kwh pcs": "kWh_PCS", "mwh pcs": "MWh_PCS", "gwh pcs": "GWh_PCS", "gj pcs": "GJ_PCS",
    "mj pcs": "MJ_PCS", "kwh gcv": "kWh_PCS", "mwh gcv": "MWh_PCS", "gj gcv": "GJ_PCS",
    "kwh pci": "kWh_PCI", "mwh pci": "MWh_PCI", "gwh pci": "GWh_PCI", "gj pci": "GJ_PCI",
    "mj pci": "MJ_PCI", "kwh ncv": "kWh_PCI", "mwh ncv": "MWh_PCI", "gj ncv": "GJ_PCI",
    "tep": "toe_PCI", "tep pci": "toe_PCI", "toe": "toe_PCI",
    "l": "liter", "litre": "liter", "litres": "liter", "liter": "liter", "liters": "liter",
    "litro": "liter", "litri": "liter", "hl": "hectoliter", "m3": "meter**3",
    "g": "gram", "kg": "kilogram", "t": "metric_ton", "tonne": "metric_ton",
    "tonnes": "metric_ton", "tonnellata": "metric_ton", "tonnellate": "metric_ton",
    "km": "kilometer", "m": "meter",
    "passager.km": "passenger_km", "passenger.km": "passenger_km", "p.km": "passenger_km",
    "pkm": "passenger_km", "passeggero.km": "passenger_km",
    "t.km": "tonne_km", "tonne.km": "tonne_km", "tkm": "tonne_km",
    "vehicule.km": "vehicle_km", "vehicle.km": "vehicle_km", "veicolo.km": "vehicle_km",
    "vkm": "vehicle_km",
    "€": "euro", "eur": "euro", "euro": "euro", "euros": "euro", "k€": "kiloeuro",
    "keur": "kiloeuro", "keuro": "kiloeuro", "m€": "megaeuro",
    "nuitee": "night", "nuitees": "night", "night": "night", "nights": "night",
    "notte": "night", "notti": "night", "nuit": "night",
    "unite": "item", "unit": "item", "units": "item", "unita": "item", "piece": "item",
    "pieces": "item", "u": "item", "appareil": "item",
    "repas": "meal", "meal": "meal", "meals": "meal", "pasto": "meal", "pasti": "meal",
    "smc": "Smc", "sm3": "Smc", "standard m3": "Smc", "standard cubic metre": "Smc",
}  # fmt: skip

# Money is written "k€ HT" (before tax) by ADEME; the tax mention does not change the unit, and
# the engine converts a VAT-included spend to excluding VAT (carbon.accounting.money).
_TAX_SUFFIX = re.compile(
    r"\s+(ht|ttc|hors taxes?|iva esclusa|iva inclusa|ivato|excl\.? vat|incl\.? vat|vat incl\.?"
    r"|tva comprise)$"
)


class UnitError(ValueError):
    """A unit that is unknown, or that cannot be converted to the one a factor needs."""


def _scaled(k: Any, *, invert: bool) -> Any:
    """A pint context transformation multiplying (or dividing) by the quantity ``k``."""

    def transform(ureg: Any, value: Any, **kwargs: Any) -> Any:
        return value / k if invert else value * k

    return transform


@cache
def registry() -> pint.UnitRegistry:
    ureg: pint.UnitRegistry = pint.UnitRegistry()
    for line in _DEFINITIONS.strip().splitlines():
        ureg.define(line)
    gas = pint.Context("natural_gas")
    for dim, unit, mj in (("[gross_calorific_energy]", "MJ_PCS", GCV_MJ_PER_SMC),
                          ("[net_calorific_energy]", "MJ_PCI", NCV_MJ_PER_SMC)):  # fmt: skip
        per_smc = ureg.Quantity(mj, f"{unit} / Smc")
        gas.add_transformation("[natural_gas_volume]", dim, _scaled(per_smc, invert=False))
        gas.add_transformation(dim, "[natural_gas_volume]", _scaled(per_smc, invert=True))
    ureg.add_context(gas)
    return ureg


def canonical(text: str) -> str:
    """The pint expression of an activity unit written as ADEME or a user writes it."""
    raw = " ".join(str(text).strip().split())
    key = raw.lower().replace("³", "3")
    key = _TAX_SUFFIX.sub("", key)
    if key in _ALIASES:
        return _ALIASES[key]
    folded = _TAX_SUFFIX.sub("", " ".join(
        unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode().split()
    ))  # fmt: skip
    if folded in _ALIASES:
        return _ALIASES[folded]
    raise UnitError(f"unknown unit {text!r}")


@cache
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Multiplier turning a quantity in ``from_unit`` into ``to_unit``; :class:`UnitError` if none.

    Both are written as ADEME or users write units. Cached: a computation meets few distinct pairs.
    """
    src, dst = canonical(from_unit), canonical(to_unit)
    if src == dst:
        return 1.0
    ureg = registry()
    try:
        # Only a volume of gas may go through the context: with it on, gross and net energy
        # would reach each other by way of Smc.
        contexts = ("natural_gas",) if "Smc" in (src, dst) else ()
        return float(ureg.Quantity(1.0, src).to(dst, *contexts).magnitude)
    except pint.DimensionalityError:
        hint = ""
        if {"PCS", "PCI"} & {s.rsplit("_", 1)[-1] for s in (src, dst)}:
            hint = " (gross PCS and net PCI energy are not interchangeable without a stated ratio)"
        raise UnitError(f"cannot convert {from_unit!r} to {to_unit!r}{hint}") from None


def is_money(text: str) -> bool:
    """True for a currency unit (a monetary ratio's ``k€ HT``, a spend's ``€ TTC``)."""
    try:
        src = canonical(text)
    except UnitError:
        return False
    return bool(registry().Quantity(1.0, src).check("[currency]"))


def is_known(text: str) -> bool:
    try:
        canonical(text)
    except UnitError:
        return False
    return True
