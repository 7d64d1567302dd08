"""The bundled price indices and residual mixes: provenance, bounds, and refusal of bad files."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from carbon.accounting.engine import compute
from carbon.factors.bundled import BUNDLED_DIR, load_bundled_library
from carbon.factors.reference import ReferenceDataError, load_reference_data
from carbon.i18n import use_locale
from tests.accounting.library_builder import SERVICES, lines, make_library


def test_bundled_reference_data_covers_france_and_italy() -> None:
    ref = load_reference_data()
    for country in ("FR", "IT"):
        years = sorted(y for c, y in ref.price_index if c == country)
        assert years == list(range(2015, 2026)), country
        assert ref.price_index[(country, 2015)].value == 100.0  # base 2015 = 100
    assert ref.residual("IT", 2023) is not None
    assert all(mix.kgco2e_per_kwh > 0 for mix in ref.residual_mix.values())  # never a zero


def test_every_unverified_value_says_so_in_its_note() -> None:
    for name, required in (("price_index.csv", "value"), ("residual_mix.csv", "kgco2e_per_kwh")):
        with (BUNDLED_DIR / name).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                assert row["source"].strip() and row[required].strip()
                if row["verified"] == "false":
                    note = row["note"].lower()
                    assert "not" in note or "to pin" in note or "base year" in note, row


@pytest.mark.parametrize(
    ("file", "row", "message"),
    [
        ("residual_mix.csv", "AT,2023,0,AIB,false,published zero\n", "is not in (0"),
        ("residual_mix.csv", "IT,2023,0.457,AIB,false,again\n", "appears twice"),
        ("price_index.csv", "FR,2030,inf,2015=100,x,y,false,z\n", "is not in (0"),
        ("price_index.csv", "France,2030,100,2015=100,x,y,false,z\n", "malformed"),
    ],
)
def test_a_broken_file_is_refused_with_its_line(
    tmp_path: Path, file: str, row: str, message: str
) -> None:
    for name in ("price_index.csv", "residual_mix.csv"):
        shutil.copy(BUNDLED_DIR / name, tmp_path / name)
    with (tmp_path / file).open("a", encoding="utf-8") as fh:
        fh.write(row)
    with pytest.raises(ReferenceDataError) as exc:
        load_reference_data(tmp_path)
    assert message in str(exc.value) and file in str(exc.value)


# ---- the published values (issue 14, December 2026) ---------------------------------------------

# AIB European Residual Mixes, CO2 in g/kWh, / 1,000 (residual_mix.csv notes give table and cell).
AIB = {
    ("FR", 2023): 0.04074, ("FR", 2024): 0.02352, ("FR", 2025): 0.01711,
    ("IT", 2023): 0.50057, ("IT", 2024): 0.44120, ("IT", 2025): 0.42020,
}  # fmt: skip


def test_residual_mixes_are_aibs_figures_for_france_and_italy_by_year() -> None:
    ref = load_reference_data()
    assert {k: m.kgco2e_per_kwh for k, m in ref.residual_mix.items()} == AIB
    for (_, year), mix in ref.residual_mix.items():
        # Read from a transcription of AIB's tables, not from AIB's own report: never "verified".
        assert mix.source.startswith(f"AIB European Residual Mixes {year}") and not mix.verified


def test_french_market_based_scope2_takes_the_french_residual_mix() -> None:
    # 10,000 kWh of French grid in 2024, no contract: location-based 10,000 × 0.052 = 520 kg;
    # market-based 10,000 × 0.02352 (AIB 2024, France) = 235.2 kg (until December 2026 France had
    # no residual mix and its market-based figure was the location-based 520 kg).
    rows = pd.DataFrame(
        [{"poste": "2.1", "factor_id": "bundled:elec-fr-2022", "quantity": 10_000.0,
          "unit": "kWh", "country": "FR", "year": 2024}]
    )  # fmt: skip
    with use_locale("en"):
        r = compute(rows, load_bundled_library(), reference=load_reference_data())
        assert r.scope2_location_kgco2e == pytest.approx(520.0)
        assert r.scope2_market_kgco2e == pytest.approx(235.2)
        [w] = r.warnings
        assert "residual mix of FR 2024" in w.message


def test_insee_annual_averages_are_the_means_of_the_monthly_indices() -> None:
    fr = {y: v.value for (c, y), v in load_reference_data().price_index.items() if c == "FR"}
    # Sums of the 12 monthly indices (price_index.csv notes list them) / 12, to 2 decimals:
    # 2018 1,237.38 / 12 = 103.115 → 103.12; 2019 1,251.21 / 12 = 104.2675 → 104.27;
    # 2020 1,257.25 / 12 = 104.7708 → 104.77; 2021 1,277.88 / 12 = 106.49;
    # 2022 1,345.09 / 12 = 112.0908 → 112.09; 2023 1,411.15 / 12 = 117.5958 → 117.60.
    assert [fr[y] for y in range(2018, 2024)] == [103.12, 104.27, 104.77, 106.49, 112.09, 117.60]
    # 2024 is still chained: 117.60 × 1.020 = 119.952 → 119.95; and 2025 from it with INSEE's
    # 2025 annual average inflation, +0.9 %: 119.95 × 1.009 = 121.02955 → 121.03.
    assert fr[2024] == 119.95
    assert fr[2025] == 121.03
    # The same monthly series gives 2015-2017 as the CNR reproduction: 1,200.02 / 12 = 100.00,
    # 1,202.29 / 12 = 100.19, 1,214.81 / 12 = 101.23.
    assert [fr[y] for y in (2015, 2016, 2017)] == [100.0, 100.19, 101.23]


def test_a_french_spend_is_deflated_with_the_insee_averages() -> None:
    # 117.60 k€ HT spent in 2023 on a ratio at 2022 prices (110 kgCO2e per k€):
    # 117.60 × 112.09 / 117.60 = 112.09 k€ of 2022 → 112.09 × 110 = 12,329.9 kg.
    lib = make_library([SERVICES])
    rows = lines(("4.5", "services", 117.60, "k€ HT", "FR", 2023),
                 columns=("poste", "factor_id", "quantity", "unit", "country", "year"))  # fmt: skip
    r = compute(rows, lib, reference=load_reference_data())
    assert r.total_kgco2e == pytest.approx(12_329.9)
