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
