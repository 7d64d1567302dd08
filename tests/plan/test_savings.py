"""Saving proposals: the basis × the middle of the range, with the range beside it."""

from __future__ import annotations

import pytest

from carbon.plan.library import find_library_action
from carbon.plan.savings import heat_pump_saving_kg, propose_saving


def action(action_id: str):  # type: ignore[no-untyped-def]
    found = find_library_action(action_id)
    assert found is not None
    return found


def test_saving_from_the_activity_lines() -> None:
    # Groomer diesel 20,000 L × 3.10 = 62,000 kg in 1.2 (plus 9,000 kg of fleet diesel in 1.2,
    # which eco-driving of groomers does not touch).
    s = propose_saving(
        action("groomer-eco-driving"),
        by_poste={"1.2": 71_000.0},
        by_activity={"groomer-diesel": 62_000.0, "fleet-diesel": 9_000.0},
    )
    assert s is not None and s.basis == "activities" and s.activities == ("groomer-diesel",)
    # 62,000 × (5 + 10) / 2 % = 62,000 × 7.5 % = 4,650 kg a year; range 3,100 to 6,200 kg.
    assert s.basis_kg == 62_000.0 and s.mid_pct == 7.5
    assert s.expected_kg == pytest.approx(4_650.0)
    assert (s.low_kg, s.high_kg) == pytest.approx((3_100.0, 6_200.0))


def test_several_activities_add_up() -> None:
    # Heat pump: gas 10,000 kg + heating oil 3,000 kg = 13,000 kg × 65 % (50-80) = 8,450 kg.
    s = propose_saving(action("heat-pump"), by_poste={"1.1": 14_000.0},
                       by_activity={"natural-gas": 10_000.0, "heating-oil": 3_000.0})  # fmt: skip
    assert s is not None and s.activities == ("natural-gas", "heating-oil")
    assert s.expected_kg == pytest.approx(8_450.0)


def test_falls_back_to_the_poste() -> None:
    # Lift drives with no lift-electricity line: the whole of 2.1, 520 kg × 15 % = 78 kg.
    s = propose_saving(action("lift-drives-eco-driving"), by_poste={"2.1": 520.0},
                       by_activity={"electricity-buildings": 520.0})  # fmt: skip
    assert s is not None and s.basis == "postes" and s.activities == ()
    assert s.expected_kg == pytest.approx(78.0)


def test_nothing_to_reduce_proposes_nothing() -> None:
    assert propose_saving(action("rail-offers-guests"), {"2.1": 520.0}, {}) is None
    assert propose_saving(action("rail-offers-guests"), {"3.4": 0.0}, {"visitors-car": 0.0}) is None


def test_heat_pump_saving_follows_the_site_grid() -> None:
    # 100,000 kWh PCS of gas × 0.221 = 22,100 kg. Heat 100,000 × 0.9 = 90,000 kWh; COP 3:
    # 30,000 kWh of electricity.
    # France 0.052: 30,000 × 0.052 = 1,560 kg; saving 22,100 − 1,560 = 20,540 kg (92.9 %).
    assert heat_pump_saving_kg(100_000, 22_100, 0.052) == pytest.approx(20_540.0)
    # Italy 0.409: 30,000 × 0.409 = 12,270 kg; saving 22,100 − 12,270 = 9,830 kg (44.5 %),
    # not a flat 60 % (13,260 kg).
    assert heat_pump_saving_kg(100_000, 22_100, 0.409) == pytest.approx(9_830.0)
    # A grid dirtier than the boiler saves nothing (never a negative saving): 30,000 × 0.8
    # = 24,000 > 22,100.
    assert heat_pump_saving_kg(100_000, 22_100, 0.8) == 0.0
