"""Trajectories beside the target and the SBTi references, worked out by hand."""

from __future__ import annotations

import pytest

from carbon.plan.trajectory import (
    NEAR_TERM_HORIZON,
    ScopeGroups,
    build_trajectory,
    chart_values,
)

# Base 2022: 1,000 t, of which scopes 1+2 400 t and scope 3 600 t.
GROUPS = {
    2022: ScopeGroups(400.0, 600.0),
    2023: ScopeGroups(380.0, 570.0),
    2024: ScopeGroups(370.0, 530.0),
}


def test_absolute_target_and_references() -> None:
    # Target −30 % by 2027: −6 %/year of the base, i.e. −60 t a year.
    t = build_trajectory({2022: 1000.0, 2023: 950.0, 2024: 900.0}, 2022, 1000.0, 2027, 30.0, GROUPS)
    assert [r.year for r in t.rows] == [2022, 2023, 2024, 2025, 2026, 2027]
    row = t.row(2024)
    assert row is not None
    # Target 2024: 1,000 × (1 − 2 × 0.06) = 880.
    assert (row.actual, row.target) == (900.0, pytest.approx(880.0))
    # SBTi per scope group, each on its own base: scopes 1+2 400 × (1 − 2 × 0.042) = 366.4;
    # scope 3 600 × (1 − 2 × 0.025) = 570. Never 4.2 % of the whole (that would be 916).
    assert (row.sbti_scopes_1_2, row.sbti_scope_3) == (pytest.approx(366.4), pytest.approx(570.0))
    assert (row.actual_scopes_1_2, row.actual_scope_3) == (370.0, 530.0)
    assert t.latest_year == 2024
    assert t.on_track_target is False  # 900 > 880
    # 1.5 °C is judged on scopes 1+2: 370 > 366.4, though the whole (900) is below 916.
    assert t.on_track_1_5c is False
    assert t.latest_gap == pytest.approx(20.0)
    last = t.row(2027)
    assert last is not None and last.target == pytest.approx(700.0) and last.actual is None


def test_on_track_when_at_or_below_the_path() -> None:
    # −42 % by 2030 from 2024: −7 %/year. 2025 path = 3,620 × 0.93 = 3,366.6 ≥ 3,310.
    t = build_trajectory({2024: 3620.0, 2025: 3310.0}, 2024, 3620.0, 2030, 42.0)
    assert t.on_track_target is True
    assert t.latest_gap == pytest.approx(3310.0 - 3366.6)


def test_without_target_the_references_run_to_the_horizon() -> None:
    t = build_trajectory({2023: 10.0}, 2023, 10.0)
    assert t.rows[-1].year == NEAR_TERM_HORIZON
    assert all(r.target is None for r in t.rows)
    assert t.latest_year is None and t.on_track_target is None and t.on_track_1_5c is None


def test_years_before_the_base_show_actuals_only_and_gaps_stay_gaps() -> None:
    t = build_trajectory({2021: 12.0, 2022: 11.0, 2023: None, 2024: 9.0}, 2022, 11.0, 2025, 10.0)
    first = t.rows[0]
    assert (first.year, first.actual, first.target, first.sbti_scopes_1_2) == (
        2021,
        12.0,
        None,
        None,
    )
    assert t.row(2023).actual is None  # type: ignore[union-attr]
    assert t.latest_year == 2024


def test_references_never_go_below_zero() -> None:
    # SBTi: 4.2 %/year reaches zero after 1 / 0.042 = 23.8 years; 2.5 %/year after 40 years:
    # scope 3 in 2050 = 50 × (1 − 30 × 0.025) = 12.5.
    t = build_trajectory({2020: 100.0}, 2020, 100.0, 2050, 90.0, {2020: ScopeGroups(50.0, 50.0)})
    assert t.row(2050).sbti_scopes_1_2 == 0.0  # type: ignore[union-attr]
    assert t.row(2050).sbti_scope_3 == pytest.approx(12.5)  # type: ignore[union-attr]


def test_without_scope_groups_no_reference_is_drawn() -> None:
    # An intensity trajectory has no scope groups: no SBTi path, no 1.5 °C verdict.
    t = build_trajectory({2022: 5.0, 2023: 4.0}, 2022, 5.0, 2030, 40.0)
    assert all(r.sbti_scopes_1_2 is None and r.sbti_scope_3 is None for r in t.rows)
    assert t.on_track_1_5c is None


def test_chart_values_scale_and_round() -> None:
    t = build_trajectory({2024: 3620.0, 2025: 3310.0}, 2024, 3620.0, 2026, 42.0)
    c = chart_values(t, 0.001)
    # 2025 target: 3,620 × (1 − 0.21) = 2,859.8 kg → 2.86 t; 2026: 3,620 × 0.58 = 2,099.6 kg.
    assert c["labels"] == ["2024", "2025", "2026"]
    assert c["actual"] == [3.62, 3.31, None]
    assert c["target"] == [3.62, 2.86, 2.1]
