"""Numbers and headers as French, Italian and English spreadsheets write them."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from carbon.imports.tabular import TableError, decode, fold, parse_decimal


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["1 234,5", "0,5"], [1234.5, 0.5]),  # French: space groups, comma decimal
        (["1\u202f234,5"], [1234.5]),  # narrow no-break space, as babel writes French numbers
        (["1.234,5", "2,5"], [1234.5, 2.5]),  # Italian: dot groups
        (["1,234.5", "12"], [1234.5, 12.0]),  # English
        (["1.234.567"], [1234567.0]),  # several dots can only group
        (["1,234", "12.5", "1.234"], [1.234, 12.5, 1234.0]),  # comma column: 12.5 stays 12.5
        (["1.234", "2.5"], [1.234, 2.5]),  # no comma anywhere: dots are decimal marks
        (["-3,2"], [-3.2]),
    ],
)
def test_parse_decimal(cells: list[str], expected: list[float]) -> None:
    assert parse_decimal(pd.Series(cells)).tolist() == pytest.approx(expected)


def test_parse_decimal_gives_nan_for_what_is_not_a_number() -> None:
    got = parse_decimal(pd.Series(["abc", "", "1e400", "12,5,3"])).tolist()
    assert all(math.isnan(v) for v in got)


def test_fold_keeps_ligatures() -> None:
    assert fold("Bœuf  Quantité") == "boeuf quantite"


def test_decode_accepts_cp1252_and_bom_and_refuses_binary() -> None:
    assert decode("Électricité".encode("cp1252")) == "Électricité"
    assert decode("\ufeffÉlectricité".encode()) == "Électricité"
    with pytest.raises(TableError, match="not a text file"):
        decode(b"PK\x03\x04\x00\x00binary")
