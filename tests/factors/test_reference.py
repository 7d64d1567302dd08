"""The bundled price indices and residual mixes: provenance, bounds, and refusal of bad files."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from carbon.factors.bundled import BUNDLED_DIR
from carbon.factors.reference import ReferenceDataError, load_reference_data


def test_bundled_reference_data_covers_france_and_italy() -> None:
    ref = load_reference_data()
    for country in ("FR", "IT"):
        years = sorted(y for c, y in ref.price_index if c == country)
        assert years == list(range(2015, 2025)), country
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
