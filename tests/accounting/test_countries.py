"""A line's country (methodology §6) and market-based scope 2's residual mix (§5), by hand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from carbon.accounting.engine import ComputationError, compute
from carbon.accounting.reference import ReferenceData, ResidualMix
from carbon.i18n import use_locale

from .library_builder import DIESEL, lines, make_library

GRID = "Electricité > Réseau > Mix moyen consommation"
# Test values for easy arithmetic (the bundled ones carry their sources).
LIB = make_library(
    [
        {"factor_id": "elec-fr", "unit": "kWh", "total_kgco2e": 0.052, "category_path": GRID},
        {"factor_id": "elec-fr-23", "unit": "kWh", "total_kgco2e": 0.050, "category_path": GRID,
         "valid_year": 2023},
        {"factor_id": "elec-it-22", "unit": "kWh", "total_kgco2e": 0.265, "category_path": GRID,
         "country": "IT"},
        {"factor_id": "elec-it-23", "unit": "kWh", "total_kgco2e": 0.246, "category_path": GRID,
         "country": "IT", "valid_year": 2023},
        {"factor_id": "pv", "unit": "kWh", "total_kgco2e": 0.03,
         "category_path": "Electricité > Renouvelable > Photovoltaïque"},
        DIESEL,
    ]
)  # fmt: skip
REF = ReferenceData(
    residual_mix={
        ("IT", 2023): ResidualMix(0.457, "AIB 2023", False),
        ("IT", 2024): ResidualMix(0.441, "AIB 2024", False),
    }
)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Warnings are read in the reader's locale; these tests read them in English."""
    with use_locale("en"):
        yield


COLS = ("poste", "factor_id", "quantity", "unit", "country", "year")


def run(*rows: tuple[object, ...]) -> object:
    return compute(lines(*rows, columns=COLS), LIB, reference=REF)


def test_a_line_country_chooses_the_factor_variant_of_the_same_year() -> None:
    # 1,000 kWh of French grid (2022) at an Italian site → the Italian 2022 factor:
    # 1,000 × 0.265 = 265 kg; the 2023 French factor → the Italian 2023 one: 1,000 × 0.246 = 246.
    r = run(
        ("2.1", "elec-fr", 1000, "kWh", "IT", 2022), ("2.1", "elec-fr-23", 1000, "kWh", "IT", 2023)
    )
    assert r.by_poste["2.1"] == pytest.approx(265.0 + 246.0)
    used = [w for w in r.warnings if "variant" in w.message]
    assert [(w.line, "elec-it-22" in w.message) for w in used] == [(1, True), (2, False)]
    assert "elec-it-23" in used[1].message


def test_a_factor_without_variant_is_used_and_flagged_with_the_line() -> None:
    # 100 L of (French) diesel at an Italian site: 100 × 3.10 = 310 kg, and a warning on line 2.
    r = run(("1.1", "elec-fr", 0, "kWh", "FR", ""), ("1.1", "diesel", 100, "litre", "IT", ""))
    assert r.total_kgco2e == pytest.approx(310.0)
    [w] = r.warnings
    assert w.line == 2 and "diesel" in w.message and "IT" in w.message


def test_monaco_uses_french_factors_without_warning() -> None:
    # Monaco is in the French customs territory: 100 L × 3.10 = 310 kg, nothing to flag.
    r = run(("1.1", "diesel", 100, "litre", "MC", ""))
    assert r.total_kgco2e == pytest.approx(310.0) and r.warnings == ()


def test_lines_without_country_keep_their_factor() -> None:
    r = run(("1.1", "diesel", 100, "litre", "", ""))
    assert r.total_kgco2e == pytest.approx(310.0) and r.warnings == ()


def test_a_malformed_country_is_refused_with_its_line() -> None:
    with pytest.raises(ComputationError) as exc:
        run(("1.1", "diesel", 100, "litre", "FR", ""), ("1.1", "diesel", 1, "litre", "Italy", ""))
    assert [(e.line, e.column) for e in exc.value.errors] == [(2, "country")]


def test_market_based_without_contract_uses_the_residual_mix() -> None:
    # 1,000 kWh Italian grid 2023, no contract: location 1,000 × 0.246 = 246 kg,
    # market-based 1,000 × 0.457 (AIB residual mix IT 2023) = 457 kg, and a warning.
    r = run(("2.1", "elec-it-23", 1000, "kWh", "IT", 2023))
    assert r.scope2_location_kgco2e == pytest.approx(246.0)
    assert r.scope2_market_kgco2e == pytest.approx(457.0)
    [w] = r.warnings
    assert w.line == 1 and "residual mix of IT 2023" in w.message


def test_residual_mix_of_the_latest_published_year() -> None:
    # 2025 has no mix yet: the 2024 one, 1,000 × 0.441 = 441 kg; 2022 has none: the earliest,
    # 2023, 1,000 × 0.457 = 457 kg. The warning names the year used.
    r = run(
        ("2.1", "elec-it-23", 1000, "kWh", "IT", 2025),
        ("2.1", "elec-it-22", 1000, "kWh", "IT", 2022),
    )
    assert r.scope2_market_kgco2e == pytest.approx(441.0 + 457.0)
    assert ["IT 2024" in r.warnings[0].message, "IT 2023" in r.warnings[1].message] == [True, True]


def test_a_contract_wins_over_the_residual_mix() -> None:
    # A supplier factor of 0.010: market-based 1,000 × 0.010 = 10 kg, no residual-mix warning.
    rows = lines(
        ("2.1", "elec-it-23", 1000, "kWh", "IT", 2023, 0.010),
        columns=(*COLS, "supplier_factor_kgco2e"),
    )
    r = compute(rows, LIB, reference=REF)
    assert r.scope2_market_kgco2e == pytest.approx(10.0) and r.warnings == ()


def test_without_residual_mix_the_location_factor_stays_and_is_said() -> None:
    # France has no bundled residual mix here: market = location = 1,000 × 0.052 = 52 kg.
    r = run(("2.1", "elec-fr", 1000, "kWh", "FR", 2022))
    assert r.scope2_market_kgco2e == pytest.approx(52.0)
    [w] = r.warnings
    assert "No residual mix for FR" in w.message


def test_self_generated_pv_is_not_given_a_residual_mix() -> None:
    # Rooftop PV is not grid electricity: market = location = 1,000 × 0.03 = 30 kg, no warning.
    r = run(("2.1", "pv", 1000, "kWh", "FR", 2023))
    assert r.scope2_market_kgco2e == pytest.approx(30.0) and r.warnings == ()


def test_warnings_are_in_the_json_with_the_user_line_numbers() -> None:
    r = compute(
        lines(("1.1", "diesel", 100, "litre", "IT", ""), columns=COLS), LIB,
        line_numbers=[7], reference=REF,
    )  # fmt: skip
    [w] = r.to_dict()["warnings"]
    assert w["line"] == 7 and "diesel" in w["message"]


@pytest.mark.parametrize(
    ("locale", "start"),
    [("fr", "Pas de contrat fournisseur"), ("it", "Nessun contratto di fornitura"),
     ("en", "No supplier contract")],
)  # fmt: skip
def test_warnings_are_translated_when_read(locale: str, start: str) -> None:
    r = run(("2.1", "elec-it-23", 1000, "kWh", "IT", 2023))
    with use_locale(locale):
        assert r.warnings[0].message.startswith(start)
        assert "IT 2023" in r.to_dict()["warnings"][0]["message"]


def test_a_batch_sliced_per_period_keeps_each_period_warnings() -> None:
    # Two periods coded in one go (as db.compute.compute_many does): lines 10–11 and 20–21.
    from carbon.accounting.engine import compute_encoded, encode_lines

    batch = lines(
        ("1.1", "diesel", 100, "litre", "FR", ""),
        ("1.1", "diesel", 100, "litre", "IT", ""),
        ("1.1", "diesel", 100, "litre", "IT", ""),
        ("1.1", "diesel", 100, "litre", "FR", ""),
        columns=COLS,
    )
    enc = encode_lines(batch, LIB, line_numbers=[10, 11, 20, 21], reference=REF)
    first, second = compute_encoded(enc.slice(0, 2), LIB), compute_encoded(enc.slice(2, 4), LIB)
    assert [w.line for w in first.warnings] == [11]
    assert [w.line for w in second.warnings] == [20]
    assert first.total_kgco2e == pytest.approx(620.0)  # 2 × 100 L × 3.10
