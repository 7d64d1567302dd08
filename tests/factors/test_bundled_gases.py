"""The bundled library's breakdown by gas and the GWP table (methodology.md § 10)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from carbon.accounting.engine import compute
from carbon.accounting.factors import LibraryError
from carbon.accounting.gwp import restate
from carbon.factors.bundled import BUNDLED_DIR, load_bundled_library
from carbon.factors.gwp import GwpTableError, load_gwp_table


def test_only_the_refrigerants_are_broken_down() -> None:
    lib = load_bundled_library()
    # Every leak factor (refrigerants and SF6, poste 1.4), and nothing else: none is invented.
    leaks = set(lib.factors.loc[lib.factors["factor_id"].str.match(r"bundled:(refrigerant-|sf6)"),
                                "factor_id"])  # fmt: skip
    assert len(leaks) == 15
    assert set(lib.gases["factor_id"]) == leaks
    g = lib.gases.set_index(["factor_id", "gas"])["kgco2e"]
    # R410A: 0.5 kg HFC-32 × 677 = 338.5; 0.5 kg HFC-125 × 3170 = 1585
    assert g[("bundled:refrigerant-r410a", "HFC-32")] == pytest.approx(338.5)
    assert g[("bundled:refrigerant-r410a", "HFC-125")] == pytest.approx(1585.0)


def test_the_gwp_table_covers_the_listed_gases() -> None:
    table = load_gwp_table()
    assert set(table.values) == {
        "CO2f", "CH4f", "CH4b", "N2O", "SF6", "NF3", "HFC-32", "HFC-125", "HFC-134a", "HFC-143a",
        # the blends' other components (refrigerants.csv): not Kyoto gases, 'other gases' here
        "HFO-1234yf", "HFO-1234ze(E)", "propane",
    }  # fmt: skip
    # AR5 prints '<1' for the HFOs (the bound 1 is used) and has no propane (AR6's 0.02 stands in).
    assert table.values["HFO-1234yf"] == (1.0, 0.501)
    assert table.values["propane"] == (0.02, 0.02)
    assert table.values["CH4f"] == (30.0, 29.8)
    assert table.values["CH4b"] == (28.0, 27.0)


def test_bundled_refrigerants_under_ar6() -> None:
    lib = restate(load_bundled_library(), load_gwp_table(), "AR6")
    lines = pd.DataFrame(
        {
            "poste": ["1.4", "1.4", "1.4", "2.1"],
            "factor_id": ["bundled:refrigerant-r410a", "bundled:refrigerant-r404a",
                          "bundled:refrigerant-r407c", "bundled:elec-fr-2022"],
            "quantity": [1.0, 1.0, 1.0, 1000.0],
            "unit": ["kg", "kg", "kg", "kWh"],
        }
    )  # fmt: skip
    r = compute(lines, lib)
    # R410A 0.5 × 771 + 0.5 × 3740 = 2255.5; R404A 0.44 × 3740 + 0.52 × 5810 + 0.04 × 1530 =
    # 1645.6 + 3021.2 + 61.2 = 4728.0; R407C 0.23 × 771 + 0.25 × 3740 + 0.52 × 1530 =
    # 177.33 + 935 + 795.6 = 1907.93
    assert r.by_poste["1.4"] == pytest.approx(2255.5 + 4728.0 + 1907.93)
    # grid electricity has no breakdown: 1000 × 0.052 = 52, AR5, named
    assert r.by_poste["2.1"] == pytest.approx(52.0)
    assert r.gwp_kept_ar5_factors == ("bundled:elec-fr-2022",)


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ef"
    shutil.copytree(BUNDLED_DIR, folder)
    return folder


def test_a_gas_without_gwp_or_a_wrong_sum_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "gases.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("HFC-32,1.0", "HFC-32,0.9").replace(",HFC-143a,", ",CF4,"))
    with pytest.raises(LibraryError) as err:
        load_bundled_library(folder)
    assert "gas 'CF4' has no GWP" in str(err.value)
    assert "gases of bundled:refrigerant-r32 add up to 609.3, not 677" in str(err.value)


def test_a_broken_gwp_table_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "gwp.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("N2O,Nitrous oxide,265", "N2O,x,-1"))
    with pytest.raises(GwpTableError, match="line 5, column ar5_gwp100"):
        load_gwp_table(folder)
