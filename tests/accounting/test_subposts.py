"""Sub-post routing by kind (docs/methodology.md §3): one hand-computed case per kind."""

from __future__ import annotations

import pytest

from carbon.accounting.engine import compute
from carbon.accounting.subposts import DESTINATION, SubpostKind, subpost_kind

from .library_builder import lines, make_library

# A car factor per vehicle.km split the way ADEME splits them, plus an end-of-life part and a
# part no rule recognises; values chosen for easy arithmetic (test inputs, not real factors).
CAR = {"factor_id": "car", "unit": "km", "total_kgco2e": 0.200, "uncertainty_pct": 10.0}
CAR_SPLIT = [
    ("car", "Combustion", 0.120),
    ("car", "Amont", 0.030),
    ("car", "Fabrication", 0.040),
    ("car", "Fin de vie", 0.006),
    ("car", "Divers", 0.004),
]
LIB = make_library([CAR], CAR_SPLIT)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Combustion", SubpostKind.combustion),
        ("Combustion à la centrale", SubpostKind.combustion),
        ("Amont", SubpostKind.upstream),
        ("Amont de la combustion", SubpostKind.upstream),
        ("Transport et distribution", SubpostKind.upstream),
        ("Pertes en ligne", SubpostKind.upstream),
        ("Fuites", SubpostKind.upstream),
        ("Fabrication", SubpostKind.manufacture),
        ("Construction", SubpostKind.manufacture),
        ("Fin de vie", SubpostKind.end_of_life),
        ("Divers", SubpostKind.other),
    ],
)
def test_kind_from_the_ademe_name(name: str, kind: SubpostKind) -> None:
    assert subpost_kind(name) is kind


def test_the_table_sends_each_kind_where_beges_v5_puts_it() -> None:
    assert {
        SubpostKind.upstream: "4.1",
        SubpostKind.manufacture: "4.2",
        SubpostKind.end_of_life: "4.3",
        SubpostKind.other: "4.1",
    } == DESTINATION


def _car_in_1_2():
    # 10,000 km of a company car in 1.2 (scope 1, mobile combustion).
    return compute(lines(("1.2", "car", 10000, "km", "measured")), LIB)


def test_combustion_stays_in_the_line_poste() -> None:
    # 10,000 × 0.120 = 1,200 kgCO2e in 1.2.
    assert _car_in_1_2().by_poste["1.2"] == pytest.approx(1200.0)


def test_upstream_and_unrecognised_parts_go_to_4_1() -> None:
    # Amont 10,000 × 0.030 = 300, plus "Divers" 10,000 × 0.004 = 40: 340 in 4.1.
    assert _car_in_1_2().by_poste["4.1"] == pytest.approx(340.0)


def test_manufacture_goes_to_4_2_immobilisations() -> None:
    # Fabrication 10,000 × 0.040 = 400 in 4.2 (was wrongly in 4.1).
    assert _car_in_1_2().by_poste["4.2"] == pytest.approx(400.0)


def test_end_of_life_goes_to_4_3() -> None:
    # Fin de vie 10,000 × 0.006 = 60 in 4.3.
    assert _car_in_1_2().by_poste["4.3"] == pytest.approx(60.0)


def test_the_parts_add_up_to_the_line_and_the_detail_names_them() -> None:
    # 1,200 + 340 + 400 + 60 = 2,000 = 10,000 × 0.200.
    r = _car_in_1_2()
    assert r.total_kgco2e == pytest.approx(2000.0)
    row = r.lines.iloc[0]
    assert row["kgco2e_in_poste"] == pytest.approx(1200.0)
    assert row["kgco2e_upstream_4_1"] == pytest.approx(340.0)
    assert row["kgco2e_moved_4.2"] == pytest.approx(400.0)
    assert row["kgco2e_moved_4.3"] == pytest.approx(60.0)


def test_poste_uncertainty_follows_the_part_moved() -> None:
    # u = sqrt(10 %² + 5 %² (measured)) = 11.18 %; 4.2 holds 400 kg: ± 44.72 kg.
    r = _car_in_1_2()
    u = (0.1**2 + 0.05**2) ** 0.5
    assert r.uncertainty_by_poste["4.2"] == pytest.approx(400 * u)
    # 4.1 keeps only what stays upstream (340 kg), 4.3 the end of life (60 kg), 1.2 the
    # combustion (1,200 kg); the line is one source, so the total is 2,000 × 11.18 % = 223.6.
    assert r.uncertainty_by_poste["4.1"] == pytest.approx(340 * u)
    assert r.uncertainty_by_poste["4.3"] == pytest.approx(60 * u)
    assert r.uncertainty_by_poste["1.2"] == pytest.approx(1200 * u)
    assert r.uncertainty_kgco2e == pytest.approx(2000 * u)


def test_a_split_factor_outside_energy_postes_stays_whole() -> None:
    # The same car hired for a business trip (3.5): 10,000 × 0.200 = 2,000, all in 3.5.
    r = compute(lines(("3.5", "car", 10000, "km", "measured")), LIB)
    assert r.by_poste["3.5"] == pytest.approx(2000.0)
    assert r.by_poste["4.2"] == 0.0
