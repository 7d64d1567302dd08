"""SIREN and Partita IVA checks, with numbers worked out by hand."""

from __future__ import annotations

import pytest

from carbon.identifiers import (
    InvalidIdentifier,
    luhn_sum,
    normalise_legal_id,
    normalise_partita_iva,
    normalise_siren,
)


def test_luhn_sum_by_hand() -> None:
    # 732829320 from the right: 0, 2×2=4, 3, 2×9=18→9, 2, 2×8=16→7, 2, 2×3=6, 7.
    # 0 + 4 + 3 + 9 + 2 + 7 + 2 + 6 + 7 = 40.
    assert luhn_sum("732829320") == 40


@pytest.mark.parametrize(("typed", "stored"), [
    ("732829320", "732829320"),
    ("732 829 320", "732829320"),
    ("732.829.320", "732829320"),
    # 552100554: 4 + (5→10→1) + 5 + (0) + 0 + (1→2) + 2 + (5→10→1) + 5 = 20.
    ("552 100 554", "552100554"),
    # La Poste, 356000000: 0+0+0+0+0+0+6+(5→10→1)+3 = 10.
    ("356000000", "356000000"),
    ("FR 552100554", "552100554"),
])  # fmt: skip
def test_valid_siren(typed: str, stored: str) -> None:
    assert normalise_siren(typed) == stored


@pytest.mark.parametrize(("typed", "code"), [
    ("732829321", "check_digit"),  # sum 41
    ("732829302", "check_digit"),  # the last two digits swapped: sum 38
    ("73282932", "length"),
    ("7328293200", "length"),
    ("73282932A", "length"),
    ("73282932000019", "siret"),
    ("", "length"),
])  # fmt: skip
def test_invalid_siren(typed: str, code: str) -> None:
    with pytest.raises(InvalidIdentifier) as err:
        normalise_siren(typed)
    assert err.value.code == code


def test_swapped_digits_change_the_luhn_sum() -> None:
    # 732829302 from the right: 2, 0, 3, 9→18→9, 2, 8→16→7, 2, 3→6, 7 → 38, not a multiple of 10.
    assert luhn_sum("732829302") == 38


@pytest.mark.parametrize(("typed", "stored"), [
    # 00743110157, doubling every second digit from the right (positions 2, 4, … from the
    # left here, as 11 digits are odd): 0 + (0) + 7 + (4→8) + 3 + (1→2) + 1 + (0) + 1 + (5→10→1)
    # + 7 = 30; office 015 (Milan).
    ("00743110157", "00743110157"),
    ("IT00743110157", "00743110157"),
    ("IT 007 4311 0157", "00743110157"),
    # 12345670017 (office 001): 1+(2→4)+3+(4→8)+5+(6→12→3)+7+(0)+0+(1→2)+7 = 40.
    ("12345670017", "12345670017"),
])  # fmt: skip
def test_valid_partita_iva(typed: str, stored: str) -> None:
    assert normalise_partita_iva(typed) == stored


def test_partita_iva_sums_by_hand() -> None:
    assert luhn_sum("00743110157") == 30
    assert luhn_sum("12345670017") == 40


@pytest.mark.parametrize(("typed", "code"), [
    ("00743110158", "check_digit"),
    ("0074311015", "length"),
    ("007431101570", "length"),
    ("00000000000", "office"),  # no company number
    ("00743111957", "office"),  # office 195 does not exist (001-100, 120, 121, 888, 999)
    ("12345678903", "office"),  # a valid Luhn sum (50) but office 890
])  # fmt: skip
def test_invalid_partita_iva(typed: str, code: str) -> None:
    with pytest.raises(InvalidIdentifier) as err:
        normalise_partita_iva(typed)
    assert err.value.code == code


def test_legal_id_by_country() -> None:
    assert normalise_legal_id("FR", " 552 100 554 ") == "552100554"
    assert normalise_legal_id("IT", "IT00743110157") == "00743110157"
    assert normalise_legal_id("CH", " CHE-123.456.789 ") == "CHE-123.456.789"
    assert normalise_legal_id("FR", "   ") is None
    with pytest.raises(InvalidIdentifier):
        normalise_legal_id("IT", "552100554")  # a SIREN is not a Partita IVA
