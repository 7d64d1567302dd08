"""Hand-computed cases for every computation rule of methodology.md."""

from __future__ import annotations

import math
import pickle

import pytest

from carbon.accounting.engine import ComputationError, compute

from .library_builder import lines, standard_library

LIB = standard_library()


def test_emissions_are_quantity_converted_times_factor() -> None:
    # 12 MWh = 12,000 kWh; 12,000 × 0.052 = 624 kgCO2e, all in 2.1 (no split).
    r = compute(lines(("2.1", "elec-fr", 12, "MWh", "measured")), LIB)
    assert r.by_poste["2.1"] == pytest.approx(624.0)
    assert r.total_kgco2e == pytest.approx(624.0)
    assert r.unsplit_energy_lines == 1


def test_combustion_stays_in_energy_poste_and_upstream_goes_to_4_1() -> None:
    # 1,000 L diesel in 1.2: combustion 1,000 × 2.50 = 2,500 in 1.2; Amont 1,000 × 0.60 = 600
    # in 4.1; total 1,000 × 3.10 = 3,100.
    r = compute(lines(("1.2", "diesel", 1000, "litre", "measured")), LIB)
    assert r.by_poste["1.2"] == pytest.approx(2500.0)
    assert r.by_poste["4.1"] == pytest.approx(600.0)
    assert r.total_kgco2e == pytest.approx(3100.0)
    assert r.by_scope == pytest.approx({1: 2500.0, 2: 0.0, 3: 600.0})
    assert r.unsplit_energy_lines == 0


def test_every_non_combustion_subpost_goes_to_4_1() -> None:
    # 10 MWh PCS of gas in 1.1: combustion 10,000 × 0.190 = 1,900; Amont + Fuites
    # 10,000 × (0.025 + 0.006) = 310 in 4.1.
    r = compute(lines(("1.1", "gas", 10, "MWh PCS", "measured")), LIB)
    assert r.by_poste["1.1"] == pytest.approx(1900.0)
    assert r.by_poste["4.1"] == pytest.approx(310.0)


def test_split_factor_outside_energy_postes_stays_whole() -> None:
    # Diesel bought for a client's trip, in 3.5: 100 L × 3.10 = 310, nothing moved to 4.1.
    r = compute(lines(("3.5", "diesel", 100, "L", "measured")), LIB)
    assert r.by_poste["3.5"] == pytest.approx(310.0)
    assert r.by_poste["4.1"] == 0.0


def test_biogenic_co2_is_reported_apart() -> None:
    # 20,000 kWh PCI pellets: 20,000 × 0.032 = 640 kgCO2e in the total; CO2b 20,000 × 0.35 = 7,000.
    r = compute(lines(("1.1", "pellets", 20000, "kWh PCI", "measured")), LIB)
    assert r.total_kgco2e == pytest.approx(640.0)
    assert r.biogenic_co2_kg == pytest.approx(7000.0)


def test_poste_1_5_counts_in_category_1_and_the_total() -> None:
    # BEGES v5's table and ISO 14064-1 put land use (1.5) in category 1 (methodology.md §4):
    # 2 t × 1,000 = 2,000 in 1.5; 100 L diesel in 3.5 = 310; total 2,310, scope 1 2,000.
    r = compute(
        lines(("1.5", "forest", 2, "tonne", "measured"), ("3.5", "diesel", 100, "litre", None)),
        LIB,
    )
    assert r.by_poste["1.5"] == pytest.approx(2000.0)
    assert r.reported_apart_kgco2e == 0.0
    assert r.total_kgco2e == pytest.approx(2310.0)
    assert r.by_category[1] == pytest.approx(2000.0)
    assert r.by_scope[1] == pytest.approx(2000.0)
    assert sum(r.by_category.values()) == pytest.approx(2310.0)


def test_scope2_market_based_uses_supplier_factor() -> None:
    # Location: 10,000 × 0.052 = 520 + 5,000 × 0.052 = 260 → 780.
    # Market: the first line has a green contract at 0.010: 10,000 × 0.010 = 100; 100 + 260 = 360.
    df = lines(
        ("2.1", "elec-fr", 10000, "kWh", "measured", 0.010),
        ("2.1", "elec-fr", 5000, "kWh", "measured", None),
        columns=(
            "poste",
            "factor_id",
            "quantity",
            "unit",
            "data_quality",
            "supplier_factor_kgco2e",
        ),
    )
    r = compute(df, LIB)
    assert r.scope2_location_kgco2e == pytest.approx(780.0)
    assert r.scope2_market_kgco2e == pytest.approx(360.0)
    assert r.total_kgco2e == pytest.approx(780.0)  # BEGES total stays location-based


def test_uncertainty_of_a_line_and_of_the_total() -> None:
    # Line 1: 10,000 kWh × 0.052 = 520; u = sqrt(10² + 5²) % = 11.1803 % → 58.1378 kg.
    # Line 2: 2 k€ × 110 = 220; u = sqrt(50² + 30²) % = 58.3095 % → 128.2809 kg.
    # Total u = sqrt(58.1378² + 128.2809²) = 140.8412 kg.
    r = compute(
        lines(
            ("2.1", "elec-fr", 10000, "kWh", "invoice"), ("4.5", "services", 2, "k€", "estimate")
        ),
        LIB,
    )
    u1 = 520 * math.sqrt(0.10**2 + 0.05**2)
    u2 = 220 * math.sqrt(0.50**2 + 0.30**2)
    assert u1 == pytest.approx(58.1378, abs=1e-3)
    assert u2 == pytest.approx(128.2809, abs=1e-3)
    assert r.uncertainty_kgco2e == pytest.approx(math.hypot(u1, u2))
    assert r.uncertainty_kgco2e == pytest.approx(140.8412, abs=1e-3)
    assert r.uncertainty_by_poste["4.5"] == pytest.approx(u2)
    top = r.uncertainty_contributors(1)
    assert list(top["factor_id"]) == ["services"]


def test_factor_without_uncertainty_gets_the_stated_default() -> None:
    # train has no uncertainty: 20 % default; data measured 5 %: 1,000 pkm × 0.004 = 4 kg,
    # u = 4 × sqrt(0.2² + 0.05²) = 0.824621 kg.
    r = compute(lines(("3.5", "train", 1000, "passager.km", "measured")), LIB)
    assert r.unknown_factor_uncertainty_lines == 1
    assert r.uncertainty_kgco2e == pytest.approx(4 * math.sqrt(0.04 + 0.0025))


def test_result_records_the_library_version() -> None:
    r = compute(lines(("3.5", "train", 1, "pkm", None)), LIB)
    assert r.library_version == "test-lib 1"
    assert r.to_dict()["factor_library"] == "test-lib 1"


def test_line_detail_traces_each_line() -> None:
    r = compute(lines(("1.2", "diesel", 10, "litre", "measured")), LIB)
    row = r.lines.iloc[0]
    assert row["kgco2e_in_poste"] == pytest.approx(25.0)  # 10 × 2.50
    assert row["kgco2e_upstream_4_1"] == pytest.approx(6.0)  # 10 × 0.60
    assert bool(row["factor_split"]) is True


def test_a_copy_of_a_result_has_the_figures_without_the_line_detail() -> None:
    # What a PDF worker process receives: 10 L × 3.10 = 31 kg, without the per-line closure.
    r = compute(lines(("1.2", "diesel", 10, "litre", "measured")), LIB)
    assert len(r.lines) == 1  # the detail asked for once stays with the original only
    copy = pickle.loads(pickle.dumps(r))
    assert copy.total_kgco2e == pytest.approx(31.0)
    assert copy.by_poste == r.by_poste and copy.uncertainty_kgco2e == r.uncertainty_kgco2e
    with pytest.raises(ValueError, match="without its line detail"):
        _ = copy.lines


def test_all_bad_lines_are_reported_with_their_line_numbers() -> None:
    df = lines(
        ("2.1", "elec-fr", 100, "kWh", None),
        ("9.9", "elec-fr", 100, "kWh", None),
        ("2.1", "nope", 100, "kWh", None),
        ("2.1", "elec-fr", -5, "kWh", None),
        ("2.1", "elec-fr", "beaucoup", "kWh", None),
        ("2.1", "elec-fr", 100, "litre", None),
        ("1.1", "gas", 100, "kWh PCI", None),
        ("2.1", "elec-fr", 100, "kWh", "à la louche"),
    )
    with pytest.raises(ComputationError) as exc:
        compute(df, LIB, line_numbers=range(2, 10))
    got = [(e.line, e.column) for e in exc.value.errors]
    assert got == [
        (3, "poste"),
        (4, "factor_id"),
        (5, "quantity"),
        (6, "quantity"),
        (7, "unit"),
        (8, "unit"),
        (9, "data_quality"),
    ]
    text = str(exc.value)
    assert "line 4, column factor_id: unknown factor 'nope'" in text
    assert "line 5, column quantity: negative quantity" in text
    assert "line 8, column unit: cannot convert 'kWh PCI' to 'kWh PCS'" in text


def test_missing_column_is_refused() -> None:
    with pytest.raises(ComputationError, match="unit: missing column"):
        compute(lines(("2.1", "elec-fr", 1), columns=("poste", "factor_id", "quantity")), LIB)


def test_supplier_factor_outside_scope_2_is_refused() -> None:
    df = lines(
        ("1.2", "diesel", 10, "litre", None, 1.0),
        columns=(
            "poste",
            "factor_id",
            "quantity",
            "unit",
            "data_quality",
            "supplier_factor_kgco2e",
        ),
    )
    with pytest.raises(ComputationError, match="only applies to energy bought"):
        compute(df, LIB)


def test_an_empty_library_reports_unknown_factors() -> None:
    from .library_builder import make_library

    with pytest.raises(ComputationError, match="line 1, column factor_id: unknown factor 'x'"):
        compute(lines(("2.1", "x", 1, "kWh", None)), make_library([]))


def test_italian_gas_billed_in_smc() -> None:
    # The bundled Italian factor from the national parameters: 35.253 GJ PCI per 1,000 Smc ×
    # 55.934 tCO2/TJ = 0.035253 GJ × 0.055934 t/GJ = 1.9718 kgCO2 per Smc (CO2, combustion).
    from carbon.factors.bundled import load_bundled_library

    bundled = load_bundled_library()
    row = bundled.factors.set_index("factor_id").loc["bundled:natural-gas-it-smc"]
    assert row["unit"] == "Smc" and row["total_kgco2e"] == pytest.approx(
        0.035253 * 55.934, abs=5e-4
    )
    # 1,000 Smc × 1.972 = 1,972 kgCO2.
    r = compute(lines(("1.1", "bundled:natural-gas-it-smc", 1000, "Smc", "measured")), bundled)
    assert r.total_kgco2e == pytest.approx(1972.0)
    # A per-kWh PCS factor with a bill in Smc: 1,000 Smc × 10.70 kWh PCS = 10,700 kWh PCS,
    # × 0.221 (test gas factor) = 2,364.7 kg, split 10,700 × 0.190 = 2,033 in 1.1 and
    # 10,700 × 0.031 = 331.7 in 4.1.
    r = compute(lines(("1.1", "gas", 1000, "Smc", "measured")), LIB)
    assert r.total_kgco2e == pytest.approx(2364.7)
    assert r.by_poste["1.1"] == pytest.approx(2033.0)
