"""The demo world passes the method's own rules: no need counted twice."""

from __future__ import annotations

import pytest

from carbon.demo.world import ACTION_LIBRARY, PROFILES, SAME_NEED
from carbon.factors.bundled import find_activity


def test_the_groups_of_one_need_name_catalogue_activities() -> None:
    for need, activities in SAME_NEED.items():
        for activity_id in activities:
            assert find_activity(activity_id) is not None, (need, activity_id)


@pytest.mark.parametrize("sector", sorted(PROFILES))
def test_no_demo_company_counts_one_need_twice(sector: str) -> None:
    # Each hotel logged both its meals (30,000 × 2.0 kg) and its food purchases (300 k€ × 900 kg)
    # in 4.1: the same food twice, 60 t + 270 t at the reference size.
    logged = {activity_id for activity_id, _, _ in PROFILES[sector].lines}
    for need, activities in SAME_NEED.items():
        assert len(logged & activities) <= 1, f"{sector} counts {need} twice"


def test_only_the_heat_pump_saving_is_computed_from_the_grid() -> None:
    computed = [title for title, _, _, share in ACTION_LIBRARY if share is None]
    assert computed == ["Pompe à chaleur en remplacement de la chaudière"]
