"""Hand-computed progress, intensity, trajectory and decomposition cases."""

from __future__ import annotations

import pytest

from carbon.accounting.progress import (
    SBTI_1_5C,
    WELL_BELOW_2C,
    change,
    decompose,
    intensity,
    linear_trajectory,
    on_track,
    percentile_rank,
    target_trajectory,
)


def test_change_against_base_year() -> None:
    # 900 t now vs 1,000 t in the base year: -100 t, -10 %.
    c = change(900_000, 1_000_000)
    assert c.absolute == -100_000
    assert c.relative_pct == pytest.approx(-10.0)
    assert change(5, 0).relative_pct is None


def test_intensity() -> None:
    # 600 t for 40 FTE = 15 t per FTE; 1.7 kg per skier-day × 300,000 = 510,000 kg.
    assert intensity(600_000, 40) == pytest.approx(15_000)
    assert intensity(510_000, 300_000) == pytest.approx(1.7)
    assert intensity(1, 0) is None
    assert intensity(1, None) is None


def test_reference_trajectories() -> None:
    # SBTi 1.5 °C: 4.2 % of the base a year; 1,000 t in 2023 → 2030: 1,000 × (1 − 0.042 × 7) = 706.
    sbti = linear_trajectory(1000.0, 2023, SBTI_1_5C, range(2023, 2031))
    assert sbti[2030] == pytest.approx(706.0)
    # Well-below 2 °C: 2.5 %: 1,000 × (1 − 0.025 × 7) = 825.
    assert linear_trajectory(1000.0, 2023, WELL_BELOW_2C, [2030])[2030] == pytest.approx(825.0)
    # Never below zero: 1 − 0.042 × 30 < 0.
    assert linear_trajectory(1000.0, 2023, SBTI_1_5C, [2053])[2053] == 0.0


def test_target_trajectory_and_on_track() -> None:
    # −30 % by 2030 from 1,000 t in 2023: 30/7 = 4.2857 % a year; 2025: 1,000 × (1 − 2 × 0.042857).
    path = target_trajectory(1000.0, 2023, 2030, 30.0, range(2023, 2032))
    assert path[2025] == pytest.approx(1000 * (1 - 2 * 0.3 / 7))
    assert path[2030] == pytest.approx(700.0)
    assert path[2031] == pytest.approx(700.0)  # the target holds after its year
    assert on_track(900.0, 2025, path) is True  # 900 ≤ 914.29
    assert on_track(950.0, 2025, path) is False
    assert on_track(950.0, 2040, path) is None
    with pytest.raises(ValueError):
        target_trajectory(1000.0, 2023, 2023, 30.0, [2023])


def test_activity_and_factor_effects_add_up() -> None:
    # 2024: 1,000 t. 2025: 950 t; 2025 with 2024's factors: 980 t.
    # Activity effect 980 − 1,000 = −20 t; factor effect 950 − 980 = −30 t; total −50 t.
    d = decompose(1000.0, 950.0, 980.0)
    assert d.activity_effect == pytest.approx(-20.0)
    assert d.factor_effect == pytest.approx(-30.0)
    assert d.total == pytest.approx(950.0 - 1000.0)


def test_percentile_rank() -> None:
    peers = [10.0, 20.0, 30.0, 40.0]
    assert percentile_rank(peers, 25.0) == 50.0  # 2 of 4 at or below
    assert percentile_rank(peers, 40.0) == 100.0
    assert percentile_rank(peers, 5.0) == 0.0
