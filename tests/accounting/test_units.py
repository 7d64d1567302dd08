"""Unit conversion: explicit, checked, and never across PCS/PCI or mass/volume."""

from __future__ import annotations

import pytest

from carbon.accounting.units import UnitError, canonical, conversion_factor


@pytest.mark.parametrize(
    ("src", "dst", "factor"),
    [
        ("MWh", "kWh", 1000.0),
        ("GJ", "kWh", 1e9 / 3.6e6),  # 1 GJ = 10⁹ J / 3.6×10⁶ J per kWh = 277.78 kWh
        ("m3", "litre", 1000.0),
        ("m³", "L", 1000.0),
        ("tonne", "kg", 1000.0),
        ("k€ HT", "€", 1000.0),
        ("MWh PCS", "kWh PCS", 1000.0),
        ("tep", "MWh PCI", 11.63),  # 1 toe = 41.868 GJ = 11.63 MWh (net basis)
        ("Passager.km", "passenger.km", 1.0),
        ("nuitée", "night", 1.0),
    ],
)
def test_conversions(src: str, dst: str, factor: float) -> None:
    assert conversion_factor(src, dst) == pytest.approx(factor, rel=1e-12)


@pytest.mark.parametrize(
    ("src", "dst"),
    [("kWh PCI", "kWh PCS"), ("kWh", "kWh PCS"), ("litre", "kg"), ("km", "passager.km"),
     ("k€", "kg"), ("t.km", "tonne")],
)  # fmt: skip
def test_incompatible_units_are_refused(src: str, dst: str) -> None:
    with pytest.raises(UnitError, match="cannot convert"):
        conversion_factor(src, dst)


def test_unknown_unit_is_named() -> None:
    with pytest.raises(UnitError, match="unknown unit 'furlong'"):
        canonical("furlong")


def test_italian_standard_cubic_metres_convert_by_the_stated_conventions() -> None:
    # 1 Smc = 0.03852 GJ PCS = 38.52 MJ / 3.6 MJ per kWh = 10.70 kWh PCS (billing convention);
    # 1 Smc = 35.253 GJ PCI / 1,000 = 0.035253 GJ PCI (national inventory).
    assert conversion_factor("Smc", "kWh PCS") == pytest.approx(10.70)
    assert conversion_factor("smc", "GJ PCI") == pytest.approx(0.035253)
    assert conversion_factor("MWh PCS", "Smc") == pytest.approx(1000 / 10.70)
    # The context must not open a road between gross and net energy, nor to plain kWh.
    for src, dst in (("kWh PCS", "kWh PCI"), ("Smc", "kWh"), ("Smc", "litre")):
        with pytest.raises(UnitError):
            conversion_factor(src, dst)
