"""Refrigerants and SF6 (poste 1.4): compositions, GWPs, the factors computed from them (issue 14).

Component GWPs, IPCC AR5 WG I Table 8.A.1 (100 years): HFC-32 677, HFC-125 3,170, HFC-134a
1,300, HFC-143a 4,800, HFO-1234yf and HFO-1234ze(E) "<1" (taken as 1), HCFC-22 1,760, SF6
23,500. Compositions: ASHRAE Standard 34, mass fractions.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from carbon.accounting.engine import compute
from carbon.accounting.factors import LibraryError
from carbon.accounting.postes import POSTES_BY_CODE
from carbon.factors.bundled import BUNDLED_DIR, activities, load_bundled_library
from carbon.factors.refrigerants import REFRIGERANTS_FILE, load_refrigerants


@pytest.fixture(scope="module")
def by_id() -> pd.DataFrame:
    return load_bundled_library().factors.set_index("factor_id")


# (refrigerant, AR5 Σ fraction × GWP computed by hand, the factor it rounds to)
BLENDS = [
    # R-410A: 0.50 × 677 + 0.50 × 3,170 = 338.5 + 1,585 = 1,923.5 -> 1,924 (half up)
    ("R-410A", 1923.5, 1924.0),
    # R-404A: 0.44 × 3,170 + 0.52 × 4,800 + 0.04 × 1,300 = 1,394.8 + 2,496 + 52 = 3,942.8
    ("R-404A", 3942.8, 3943.0),
    # R-407C: 0.23 × 677 + 0.25 × 3,170 + 0.52 × 1,300 = 155.71 + 792.5 + 676 = 1,624.21
    ("R-407C", 1624.21, 1624.0),
    # R-407F: 0.30 × 677 + 0.30 × 3,170 + 0.40 × 1,300 = 203.1 + 951 + 520 = 1,674.1
    ("R-407F", 1674.1, 1674.0),
    # R-448A: 0.26 × 677 + 0.26 × 3,170 + 0.20 × 1 + 0.21 × 1,300 + 0.07 × 1
    #       = 176.02 + 824.2 + 0.2 + 273 + 0.07 = 1,273.49
    ("R-448A", 1273.49, 1273.0),
    # R-449A: 0.243 × 677 + 0.247 × 3,170 + 0.253 × 1 + 0.257 × 1,300
    #       = 164.511 + 782.99 + 0.253 + 334.1 = 1,281.854
    ("R-449A", 1281.854, 1282.0),
    # R-452A: 0.11 × 677 + 0.59 × 3,170 + 0.30 × 1 = 74.47 + 1,870.3 + 0.3 = 1,945.07
    ("R-452A", 1945.07, 1945.0),
    # R-507A: 0.50 × 3,170 + 0.50 × 4,800 = 1,585 + 2,400 = 3,985
    ("R-507A", 3985.0, 3985.0),
]


@pytest.mark.parametrize(("name", "gwp", "factor"), BLENDS)
def test_each_blend_gwp_is_the_weighted_sum_of_its_components(
    by_id: pd.DataFrame, name: str, gwp: float, factor: float
) -> None:
    ref = load_refrigerants()[name]
    assert ref.is_blend
    assert sum(c.mass_fraction for c in ref.components) == pytest.approx(1.0)
    assert ref.gwp("AR5") == pytest.approx(gwp, abs=1e-9)
    assert ref.factor_value() == factor
    row = by_id.loc[ref.factor_id]
    assert (row["total_kgco2e"], row["unit"]) == (factor, "kg")
    assert row["source"].startswith("IPCC AR5") and not row["estimate"] and not row["checked"]


def test_the_hfo_blends_would_round_the_same_with_the_hfos_at_zero() -> None:
    # AR5 prints "<1" for the HFOs; 0 instead of 1 moves R-448A by 0.27, R-449A by 0.253, R-452A
    # by 0.3: 1,273.22, 1,281.601, 1,944.77 round to the same factors as with 1.
    for name, factor in (("R-448A", 1273.0), ("R-449A", 1282.0), ("R-452A", 1945.0)):
        ref = load_refrigerants()[name]
        hfcs = [c for c in ref.components if "HFO" not in c.gas]
        at_zero = sum(c.mass_fraction * (c.gwp_ar5 or 0) for c in hfcs)
        assert round(at_zero) == factor, name
        assert any(c.ar5_as_printed == "<1" for c in ref.components), name


def test_ar6_gwps_where_known() -> None:
    # AR6 WG I Table 7.SM.7: HFC-32 771, HFC-125 3,740, HFC-134a 1,530, HFC-143a 5,810.
    # R-410A: 0.5 × 771 + 0.5 × 3,740 = 2,255.5; R-507A: 0.5 × 3,740 + 0.5 × 5,810 = 4,775;
    # SF6 25,200; HCFC-22 1,960; propane 0.02.
    refs = load_refrigerants()
    assert refs["R-410A"].gwp("AR6") == pytest.approx(2255.5)
    assert refs["R-507A"].gwp("AR6") == pytest.approx(4775.0)
    assert refs["SF6"].gwp("AR6") == 25200.0
    assert refs["R-22"].gwp("AR6") == 1960.0
    assert refs["R-290"].gwp("AR6") == pytest.approx(0.02)


@pytest.mark.parametrize(
    ("name", "factor_id", "value"),
    [
        ("SF6", "bundled:sf6", 23500.0),  # AR5 SF6
        ("R-744", "bundled:refrigerant-r744", 1.0),  # CO2 by definition
        ("R-32", "bundled:refrigerant-r32", 677.0),
        ("R-134a", "bundled:refrigerant-r134a", 1300.0),
    ],
)
def test_pure_gases_take_their_ar5_gwp(
    by_id: pd.DataFrame, name: str, factor_id: str, value: float
) -> None:
    ref = load_refrigerants()[name]
    assert not ref.is_blend and ref.factor_id == factor_id
    assert ref.factor_value() == value == by_id.loc[factor_id, "total_kgco2e"]


def test_every_refrigerant_factor_is_recomputed_from_the_data_file(by_id: pd.DataFrame) -> None:
    refs = load_refrigerants()
    with_factor = {r.factor_id: r for r in refs.values() if r.factor_id}
    for fid, ref in with_factor.items():
        assert by_id.loc[fid, "total_kgco2e"] == ref.factor_value(), fid
    # Every leak factor of the library is in the data file, so none escapes the check.
    leaks = {f for f in by_id.index if f.startswith("bundled:refrigerant-")} | {"bundled:sf6"}
    assert leaks == set(with_factor)


def test_propane_takes_ar6_since_ar5_does_not_list_it(by_id: pd.DataFrame) -> None:
    ref = load_refrigerants()["R-290"]
    assert ref.gwp("AR5") is None and ref.components[0].ar5_as_printed == "not listed"
    row = by_id.loc["bundled:refrigerant-r290"]
    assert row["total_kgco2e"] == pytest.approx(0.02) and row["source"].startswith("IPCC AR6")


def test_pure_hfos_are_labelled_estimates_at_the_bound_of_ar5(by_id: pd.DataFrame) -> None:
    for fid in ("bundled:refrigerant-r1234yf", "bundled:refrigerant-r1234ze"):
        row = by_id.loc[fid]
        assert row["estimate"] and row["total_kgco2e"] == 1.0
        assert row["note"].startswith("ESTIMATE") and "'<1'" in row["note"]


def test_r22_is_a_montreal_gas_kept_out_of_the_total() -> None:
    """HCFC-22: AR5 1,760 but no Kyoto gas: no factor, no catalogue entry (methodology §16)."""
    r22 = load_refrigerants()["R-22"]
    assert r22.gwp("AR5") == 1760.0 and not r22.kyoto and r22.factor_id is None
    assert "Montreal Protocol" in r22.note
    lib = load_bundled_library()
    assert not lib.factors["factor_id"].str.contains("r22").any()
    assert not [a for a in activities() if "R22" in a.keywords or "22" in a.activity_id]


def test_each_leak_factor_has_a_catalogue_entry_in_1_4(by_id: pd.DataFrame) -> None:
    by_factor = {a.default_factor_id: a for a in activities() if a.poste == "1.4"}
    for ref in load_refrigerants().values():
        if ref.factor_id is None:
            continue
        act = by_factor[ref.factor_id]
        assert act.allowed_units == ("kg", "g") and act.default_unit == "kg"
        assert act.name_fr and act.name_it and act.name_en and act.keywords
    assert POSTES_BY_CODE["1.4"].scope == 1


def test_an_sf6_leak_is_a_scope_1_fugitive_emission() -> None:
    # 0.3 kg of SF6 topped up in a lift's switchgear: 0.3 × 23,500 = 7,050 kg CO2e in 1.4; and
    # 2 kg of R-449A in a cold room: 2 × 1,282 = 2,564 kg; 1.4 = 9,614 kg, all scope 1.
    lines = pd.DataFrame(
        {"poste": ["1.4", "1.4"], "factor_id": ["bundled:sf6", "bundled:refrigerant-r449a"],
         "quantity": [300.0, 2.0], "unit": ["g", "kg"]}
    )  # fmt: skip
    r = compute(lines, load_bundled_library())
    assert r.by_poste["1.4"] == pytest.approx(9614.0)
    assert r.by_scope[1] == pytest.approx(9614.0) and r.total_kgco2e == pytest.approx(9614.0)


def test_a_blend_whose_fractions_do_not_add_up_is_refused(tmp_path: Path) -> None:
    shutil.copy(BUNDLED_DIR / REFRIGERANTS_FILE, tmp_path / REFRIGERANTS_FILE)
    path = tmp_path / REFRIGERANTS_FILE
    row = "R-507A,bundled:refrigerant-r507a,HFC-125,"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(row + "0.50,", row + "0.55,"), "utf-8")
    with pytest.raises(LibraryError, match=r"R-507A's mass fractions add up to 1\.05"):
        load_refrigerants(tmp_path)


def test_a_negative_gwp_is_refused_with_its_row(tmp_path: Path) -> None:
    shutil.copy(BUNDLED_DIR / REFRIGERANTS_FILE, tmp_path / REFRIGERANTS_FILE)
    path = tmp_path / REFRIGERANTS_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("SF6,"))
    lines[row] = lines[row].replace(",23500,23500,", ",-23500,23500,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LibraryError, match=rf"row {row + 1} gwp_ar5: must be a finite number"):
        load_refrigerants(tmp_path)


def test_component_gwps_agree_with_the_pure_gas_table_when_it_is_there() -> None:
    """emission_factors/gwp.csv (the pure gases' GWPs, from the per-gas work of issue 14) and
    refrigerants.csv must not disagree: AR5 exactly, AR6 within the 0.5 % that separates Table
    7.15's values from 7.SM.7's three significant figures (HFC-134a: 1,526 vs 1,530)."""
    path = BUNDLED_DIR / "gwp.csv"
    if not path.exists():
        pytest.skip("emission_factors/gwp.csv is not in this checkout yet")
    table = pd.read_csv(path, dtype={"gas": str}).set_index("gas")
    compared = 0
    for ref in load_refrigerants().values():
        for c in ref.components:
            if c.gas not in table.index:
                continue
            compared += 1
            # Not in AR5 (propane): the AR6 value stands in, in both files' factors.
            ar5 = c.gwp_ar5 if c.gwp_ar5 is not None else c.gwp_ar6
            assert table.loc[c.gas, "ar5_gwp100"] == ar5, (ref.name, c.gas)
            assert table.loc[c.gas, "ar6_gwp100"] == pytest.approx(c.gwp_ar6, rel=0.005), c.gas
    assert compared >= 5
