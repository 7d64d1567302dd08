"""Spend-based lines (methodology §8): VAT-included spends and deflation, computed by hand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from carbon.accounting.engine import ComputationError, compute
from carbon.accounting.reference import IndexValue, ReferenceData
from carbon.i18n import use_locale

from .library_builder import SERVICES, lines, make_library

# SERVICES: 110 kgCO2e per k€ HT, French ratio at 2022 prices (library_builder defaults).
LIB = make_library([SERVICES, {**SERVICES, "factor_id": "undated", "valid_year": None}])


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Warnings are read in the reader's locale; these tests read them in English."""
    with use_locale("en"):
        yield


COLS = ("poste", "factor_id", "quantity", "unit", "country", "vat_category", "year")
# Test index values chosen for easy arithmetic (not INSEE's).
REF = ReferenceData(
    price_index={
        ("FR", 2022): IndexValue(110.0, "test CPI FR", True),
        ("FR", 2024): IndexValue(121.0, "test CPI FR", True),
        ("IT", 2022): IndexValue(100.0, "test CPI IT", False),
        ("IT", 2024): IndexValue(125.0, "test CPI IT", False),
    }
)


def run(*rows: tuple[object, ...], year: int | None = None) -> object:
    return compute(lines(*rows, columns=COLS), LIB, reference=REF, year=year)


@pytest.mark.parametrize(
    ("quantity", "unit", "country", "category", "kg"),
    [
        # 12 k€ TTC at 20 % (France, standard): 12 / 1.20 = 10 k€ HT × 110 = 1,100 kg
        (12.0, "k€ TTC", "FR", "", 1100.0),
        # 11 k€ TTC at 10 % (intermediate): 11 / 1.10 = 10 k€ HT → 1,100 kg
        (11.0, "k€ TTC", "FR", "intermédiaire", 1100.0),
        # 10.55 k€ TTC at 5.5 % (reduced): 10.55 / 1.055 = 10 k€ HT → 1,100 kg
        (10.55, "k€ TTC", "FR", "reduced", 1100.0),
        # Monaco applies the French VAT: 1,200 € TTC / 1.20 = 1,000 € = 1 k€ HT → 110 kg
        (1200.0, "€ TTC", "MC", "standard", 110.0),
        # Italy, IVA 22 %: 12.2 k€ / 1.22 = 10 k€ HT → 1,100 kg
        (12.2, "k€ IVA inclusa", "IT", "", 1100.0),
        # IVA 10 % (ridotta): 11 / 1.10 = 10 → 1,100 kg; IVA 4 % (minima): 10.4 / 1.04 = 10
        (11.0, "k€ TTC", "IT", "ridotta", 1100.0),
        (10.4, "k€ TTC", "IT", "minima", 1100.0),
        # A rate written as a percentage of the country: 10.4 / 1.04 = 10 → 1,100 kg
        (10.4, "k€ TTC", "IT", "4 %", 1100.0),
        # Excluding VAT stays as written: 10 k€ HT × 110 = 1,100 kg
        (10.0, "k€ HT", "FR", "", 1100.0),
    ],
)
def test_vat_included_spend_is_brought_to_excluding_vat(
    quantity: float, unit: str, country: str, category: str, kg: float
) -> None:
    r = run(("4.5", "services", quantity, unit, country, category, ""))
    assert r.total_kgco2e == pytest.approx(kg)
    converted = [w for w in r.warnings if "VAT" in w.template]
    assert len(converted) == (0 if unit.endswith("HT") else 1)
    assert all(w.line == 1 for w in converted)


def test_ttc_was_read_as_ht_before() -> None:
    # The defect of issue 14: 12 k€ TTC gave 12 × 110 = 1,320 kg, 20 % too high.
    r = run(("4.5", "services", 12.0, "k€ TTC", "FR", "", ""))
    assert r.total_kgco2e == pytest.approx(1100.0) and r.total_kgco2e != pytest.approx(1320.0)
    assert r.to_dict()["warnings"][0]["line"] == 1


@pytest.mark.parametrize(
    ("country", "category", "words"),
    [
        ("", "", "without a country"),
        ("CH", "", "'CH'"),
        ("FR", "super", "unknown VAT category"),
        ("IT", "5.5", "unknown VAT category"),  # a French rate is not an Italian one
    ],
)
def test_ttc_whose_rate_cannot_be_known_is_refused(country: str, category: str, words: str) -> None:
    with pytest.raises(ComputationError) as exc:
        run(
            ("4.5", "services", 10.0, "k€ HT", "FR", "", ""),
            ("4.5", "services", 12.0, "k€ TTC", country, category, ""),
        )
    [error] = exc.value.errors
    assert (error.line, error.column) == (2, "unit")
    assert words in error.message


def test_spend_of_another_year_is_deflated_to_the_ratio_year() -> None:
    # 12.1 k€ HT spent in 2024, ratio at 2022 prices: 12.1 × 110 / 121 = 11 k€ → 1,210 kg.
    r = run(("4.5", "services", 12.1, "k€ HT", "FR", "", 2024))
    assert r.total_kgco2e == pytest.approx(1210.0)
    [w] = r.warnings
    assert w.line == 1 and "deflated" in w.message and "not verified" not in w.message


def test_reporting_year_applies_to_lines_without_their_own_year() -> None:
    # Italian spend of 2024, no year column value: the reporting year 2024 is used.
    # 14.64 k€ TTC / 1.22 = 12 k€ HT; × IT index 100 / 125 = 9.6 k€ → 9.6 × 110 = 1,056 kg.
    r = run(("4.5", "services", 14.64, "k€ TTC", "IT", "", ""), year=2024)
    assert r.total_kgco2e == pytest.approx(1056.0)
    messages = [w.message for w in r.warnings]
    # The French ratio used for an Italian line is flagged too (methodology §6).
    assert len(messages) == 3 and "is for FR, the line is in IT" in messages[0]
    assert "not verified" in messages[2]  # the IT test index is marked unverified


def test_same_year_or_no_year_is_not_deflated() -> None:
    # 10 k€ of 2022 at 2022 prices, and 10 k€ of no stated year: 2 × 1,100 kg, no warning.
    r = run(
        ("4.5", "services", 10.0, "k€", "FR", "", 2022),
        ("4.5", "services", 10.0, "k€", "FR", "", ""),
    )
    assert r.total_kgco2e == pytest.approx(2200.0)
    assert r.warnings == ()


def test_missing_index_or_ratio_year_is_said_not_hidden() -> None:
    # No FR index for 2023: 10 k€ stays 10 k€ → 1,100; an undated ratio cannot be deflated.
    r = run(
        ("4.5", "services", 10.0, "k€", "FR", "", 2023),
        ("4.5", "undated", 10.0, "k€", "FR", "", 2024),
    )
    assert r.total_kgco2e == pytest.approx(2200.0)
    assert [(w.line, "not deflated" in w.message) for w in r.warnings] == [(1, True), (2, True)]


@pytest.mark.parametrize("year", ["1890", "2024.5", "nonsense", "1e9"])
def test_a_year_out_of_bounds_is_refused_with_its_line(year: str) -> None:
    with pytest.raises(ComputationError) as exc:
        run(("4.5", "services", 10.0, "k€", "FR", "", year))
    assert [(e.line, e.column) for e in exc.value.errors] == [(1, "year")]
