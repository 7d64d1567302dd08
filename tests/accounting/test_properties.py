"""Invariants of the engine and of unit conversion, checked on generated inputs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon.accounting.engine import compute
from carbon.accounting.postes import POSTE_CODES
from carbon.accounting.units import conversion_factor

from .library_builder import lines, standard_library

LIB = standard_library()
FACTOR_UNITS = {
    "diesel": ["litre", "L", "m3", "hl"],
    "elec-fr": ["kWh", "MWh", "GJ"],
    "pellets": ["kWh PCI", "MWh PCI", "GJ PCI"],
    "gas": ["kWh PCS", "MWh PCS"],
    "train": ["passager.km", "pkm"],
    "services": ["k€", "€"],
    "forest": ["tonne", "kg"],
}

line_strategy = st.sampled_from(sorted(FACTOR_UNITS)).flatmap(
    lambda fid: st.tuples(
        st.sampled_from(POSTE_CODES),
        st.just(fid),
        st.floats(min_value=0, max_value=1e7, allow_nan=False),
        st.sampled_from(FACTOR_UNITS[fid]),
        st.sampled_from(["measured", "estimated", "extrapolated", None]),
    )
)


@settings(max_examples=150, deadline=None)
@given(st.lists(line_strategy, min_size=1, max_size=40))
def test_postes_categories_and_scopes_add_up_to_the_total(rows: list[tuple[object, ...]]) -> None:
    r = compute(lines(*rows), LIB)
    counted = sum(r.by_poste.values())  # every poste, 1.5 included (methodology.md §4)
    assert counted == pytest.approx(r.total_kgco2e, rel=1e-9, abs=1e-6)
    assert sum(r.by_scope.values()) == pytest.approx(r.total_kgco2e, rel=1e-9, abs=1e-6)
    assert sum(r.by_category.values()) == pytest.approx(r.total_kgco2e, rel=1e-9, abs=1e-6)
    # Splitting a line between its poste and 4.1 never creates nor loses emissions.
    assert r.lines["kgco2e"].sum() == pytest.approx(
        r.total_kgco2e + r.reported_apart_kgco2e, rel=1e-9, abs=1e-6
    )
    # Quadrature: the total's uncertainty is no larger than the sum of the lines'.
    assert r.uncertainty_kgco2e <= r.lines["uncertainty_kgco2e"].sum() * (1 + 1e-9) + 1e-9


COMPATIBLE = [
    ["kWh", "MWh", "GWh", "GJ", "MJ", "Wh"],
    ["kWh PCS", "MWh PCS", "GJ PCS"],
    ["kWh PCI", "MWh PCI", "GJ PCI", "tep"],
    ["litre", "m3", "hl", "L"],
    ["kg", "tonne", "g"],
    ["€", "k€", "k€ HT"],
]


@given(
    st.sampled_from(COMPATIBLE).flatmap(lambda g: st.tuples(st.sampled_from(g), st.sampled_from(g)))
)
def test_unit_conversion_round_trips(pair: tuple[str, str]) -> None:
    a, b = pair
    assert conversion_factor(a, b) * conversion_factor(b, a) == pytest.approx(1.0, rel=1e-12)
