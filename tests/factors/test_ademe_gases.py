"""The ADEME export's gas columns, imported as each factor's breakdown (methodology.md § 10)."""

from __future__ import annotations

import pandas as pd
import pytest

from carbon.accounting.engine import compute
from carbon.accounting.gases import GAS_COLUMNS
from carbon.accounting.gwp import restate
from carbon.factors.ademe import read_ademe_export
from carbon.factors.gwp import load_gwp_table
from tests.factors.ademe_fixture import element, poste, render

VERSION = "ADEME test gases"


def rows() -> list:
    return [
        # natural gas: total 0,227 = CO2f 0,205 + CH4f 0,012 + N2O 0,010 (test values)
        element(1, unit="kgCO2e/kWh PCI", total="0,227",
                cells={"CO2f": "0,205", "CH4f": "0,012", "N2O": "0,010"}),
        poste(1, "Combustion", "0,187", cells={"CO2f": "0,185", "N2O": "0,002"}),
        poste(1, "Amont", "0,04", cells={"CO2f": "0,020", "CH4f": "0,012", "N2O": "0,008"}),
        # a refrigerant given by a supplementary gas code, and an unnamed "Autres GES" factor
        element(2, unit="kgCO2e/kg", total=1300,
                cells={"Code gaz supplémentaire 1": "HFC-134a",
                       "Valeur gaz supplémentaire 1": 1300}),
        element(3, unit="kgCO2e/kg", total=50, cells={"CO2f": 40, "Autres GES": 10}),
        # no gas given at all
        element(4, unit="kgCO2e/kWh", total="0,052"),
    ]  # fmt: skip


def test_gas_columns_become_the_breakdown() -> None:
    lib = read_ademe_export(render(rows()), VERSION)
    g = lib.gases
    assert g.dtypes.astype(str).to_dict() == GAS_COLUMNS
    got = {(r.factor_id, r.part, r.gas): r.kgco2e for r in g.itertuples()}
    assert got == pytest.approx(
        {
            ("1", "", "CO2f"): 0.205, ("1", "", "CH4f"): 0.012, ("1", "", "N2O"): 0.010,
            ("1", "Combustion", "CO2f"): 0.185, ("1", "Combustion", "N2O"): 0.002,
            ("1", "Amont", "CO2f"): 0.020, ("1", "Amont", "CH4f"): 0.012,
            ("1", "Amont", "N2O"): 0.008,
            ("2", "", "HFC-134a"): 1300.0,
            ("3", "", "CO2f"): 40.0, ("3", "", "other"): 10.0,
        }
    )  # fmt: skip
    assert "4" not in set(g["factor_id"])


def test_imported_breakdown_through_the_engine_and_ar6() -> None:
    lib = read_ademe_export(render(rows()), VERSION)
    lines = pd.DataFrame(
        {
            "poste": ["1.1", "1.4", "1.4", "2.1"],
            "factor_id": ["1", "2", "3", "4"],
            "quantity": [1000.0, 1.0, 1.0, 1000.0],
            "unit": ["kWh PCI", "kg", "kg", "kWh"],
        }
    )
    r = compute(lines, lib)
    # 1.1: 1000 × combustion (0.185 CO2f, 0.002 N2O); 4.1: 1000 × (0.020, 0.012 CH4f, 0.008)
    assert r.by_poste_gas["1.1"]["co2_fossil"] == pytest.approx(185.0)
    assert r.by_poste_gas["4.1"]["ch4_fossil"] == pytest.approx(12.0)
    # 1.4: HFC-134a 1300 + "Autres GES" 10 = other 1310; CO2f 40
    assert r.by_poste_gas["1.4"]["other"] == pytest.approx(1310.0)
    # 2.1: 1000 × 0.052 = 52, not broken down
    assert r.by_gas["not_broken_down"] == pytest.approx(52.0)
    ar6 = compute(lines, restate(lib, load_gwp_table(), "AR6"))
    # 1: 1000 × (0.205 + 0.012 × 29.8/30 + 0.010 × 273/265); 2: 1300/1300 × 1530;
    # 3 ("Autres GES" has no gas) and 4 (no breakdown) stay AR5: 50 + 52.
    expected = 1000 * (0.205 + 0.012 * 29.8 / 30 + 0.010 * 273 / 265) + 1530 + 50 + 52
    assert ar6.total_kgco2e == pytest.approx(expected)
    assert ar6.gwp_kept_ar5_factors == ("3", "4")
    assert ar6.gwp_kept_ar5_lines == 2


def test_a_gas_cell_that_is_not_a_number_names_its_line_and_column() -> None:
    from carbon.factors.ademe import AdemeFormatError

    bad = [*rows()[:3], element(5, total=1, cells={"CH4b": "abc"})]
    with pytest.raises(AdemeFormatError) as err:
        read_ademe_export(render(bad), VERSION)
    # header line 1, then rows: element 1 (2), its two postes (3, 4), element 5 (5)
    assert err.value.line == 5 and err.value.column == "CH4b"
    assert "'abc' is not a number" in str(err.value)
