"""Uncertainty per emission source (methodology.md § 9), computed by hand.

A source is the lines of one factor, one poste and one data quality: within it absolute
uncertainties add linearly, sources combine in quadrature (IPCC 2006 vol. 1 ch. 3, eq. 3.1 and 3.2,
Approach 1 applied per source).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbon.accounting import uncertainty
from carbon.accounting.engine import compute
from carbon.accounting.postes import POSTE_CODES
from carbon.accounting.uncertainty import UNCERTAINTY_METHOD, combine_per_source, rank_sources

from .library_builder import lines, standard_library
from .test_properties import line_strategy

LIB = standard_library()

# elec-fr: 0.052 kgCO2e/kWh at 10 %; "measured" data 5 %.
# 12,000 kWh × 0.052 = 624 kg; u = sqrt(0.10² + 0.05²) = sqrt(0.0125) = 11.1803 %;
# ± 624 × 0.111803 = 69.7653 kg, whether the kWh come as one line, 12 or 365.
U_ELEC = math.sqrt(0.10**2 + 0.05**2)


@pytest.mark.parametrize("n_lines", [1, 12, 365])
def test_one_meter_gives_the_same_uncertainty_in_one_twelve_or_365_lines(n_lines: int) -> None:
    # 12 monthly lines of 1,000 kWh: each 52 kg ± 5.81378 kg; one source, so 12 × 5.81378 =
    # 69.7653 kg (the old line-by-line quadrature gave 69.7653 / sqrt(12) = 20.14 kg, ± 3.2 %).
    # 365 daily lines of 32.8767 kWh: 365 × 1.711365 × 0.111803 = 69.7653 kg (old: ± 0.6 %).
    rows = [("2.1", "elec-fr", 12_000 / n_lines, "kWh", "measured")] * n_lines
    r = compute(lines(*rows), LIB)
    assert r.total_kgco2e == pytest.approx(624.0)
    assert r.uncertainty_kgco2e == pytest.approx(69.7653, abs=1e-3)
    assert r.uncertainty_pct == pytest.approx(11.1803, abs=1e-3)
    assert r.uncertainty_by_poste["2.1"] == pytest.approx(69.7653, abs=1e-3)
    assert r.uncertainty_by_scope[2] == pytest.approx(69.7653, abs=1e-3)
    assert r.to_dict()["uncertainty_method"] == UNCERTAINTY_METHOD == "ipcc-approach-1-per-source"


def test_two_sources_combine_in_quadrature() -> None:
    # Source 1: 12 lines of 1,000 kWh elec-fr, measured: 624 kg ± 69.7653 kg (above).
    # Source 2: 2 k€ of services at 110 kg/k€, 50 % factor, estimated 30 %: 220 kg;
    # u = sqrt(0.5² + 0.3²) = 58.3095 %, ± 128.2809 kg.
    # Total 844 kg ± sqrt(69.7653² + 128.2809²) = sqrt(4867.20 + 16456.00) = 146.025 kg.
    rows = [("2.1", "elec-fr", 1000, "kWh", "measured")] * 12
    rows.append(("4.5", "services", 2, "k€", "estimated"))
    r = compute(lines(*rows), LIB)
    assert r.total_kgco2e == pytest.approx(844.0)
    assert r.uncertainty_kgco2e == pytest.approx(146.025, abs=1e-3)
    assert r.uncertainty_by_poste["4.5"] == pytest.approx(128.2809, abs=1e-3)
    assert r.uncertainty_by_category == pytest.approx(
        {1: 0.0, 2: 69.7653, 3: 0.0, 4: 128.2809, 5: 0.0, 6: 0.0}, abs=1e-3
    )


def test_one_factor_with_two_data_qualities_is_two_sources() -> None:
    # 6,000 kWh measured: 312 kg × 0.111803 = 34.8827 kg.
    # 6,000 kWh estimated: 312 kg × sqrt(0.10² + 0.30²) = 312 × 0.316228 = 98.6631 kg.
    # Total 624 kg ± sqrt(34.8827² + 98.6631²) = sqrt(1216.80 + 9734.41) = 104.648 kg.
    r = compute(
        lines(
            ("2.1", "elec-fr", 3000, "kWh", "measured"),
            ("2.1", "elec-fr", 6000, "kWh", "estimated"),
            ("2.1", "elec-fr", 3000, "kWh", "facture"),  # an alias of measured: same source
        ),
        LIB,
    )
    assert r.uncertainty_kgco2e == pytest.approx(104.648, abs=1e-3)


def test_a_split_energy_source_keeps_its_two_parts_together() -> None:
    # diesel 3.10 kg/L (combustion 2.50, upstream 0.60), 5 % factor, measured 5 %:
    # u = sqrt(0.05² + 0.05²) = 7.07107 %. 1,000 L as 4 lines of 250 L: one source.
    # 1.2: 2,500 × 0.0707107 = 176.777 kg; 4.1: 600 × 0.0707107 = 42.426 kg;
    # total: the two parts of one source add linearly: 3,100 × 0.0707107 = 219.203 kg
    # (not sqrt(176.777² + 42.426²) = 181.797). Scopes: 1 → 176.777, 3 → 42.426.
    r = compute(lines(*[("1.2", "diesel", 250, "litre", "measured")] * 4), LIB)
    assert r.uncertainty_by_poste["1.2"] == pytest.approx(176.777, abs=1e-3)
    assert r.uncertainty_by_poste["4.1"] == pytest.approx(42.426, abs=1e-3)
    assert r.uncertainty_kgco2e == pytest.approx(219.203, abs=1e-3)
    assert r.uncertainty_by_scope == pytest.approx({1: 176.777, 2: 0.0, 3: 42.426}, abs=1e-3)


def test_the_same_factor_in_two_postes_is_two_sources() -> None:
    # diesel 100 L in 3.5 (no split there): 310 kg × 0.0707107 = 21.9203 kg;
    # diesel 100 L in 1.2: 310 kg × 0.0707107 = 21.9203 kg (250 in 1.2, 60 in 4.1).
    # Total sqrt(2) × 21.9203 = 31.0000 kg.
    r = compute(
        lines(("3.5", "diesel", 100, "litre", "measured"), ("1.2", "diesel", 100, "L", "measured")),
        LIB,
    )
    assert r.uncertainty_kgco2e == pytest.approx(31.0, abs=1e-3)


def test_poste_1_5_counts_in_the_total_uncertainty_and_in_the_ranking() -> None:
    # Poste 1.5 counts in the total (methodology.md §4), so its uncertainty does too.
    # forest 2 t × 1,000 = 2,000 kg in 1.5 ± 2,000 × sqrt(0.5² + 0.05²) = 1,004.99 kg;
    # services 1 k€, estimated: 110 kg ± 110 × 0.583095 = 64.1405 kg.
    # Total: sqrt(2,000² × 0.2525 + 64.1405²) = sqrt(1,010,000 + 4,114.0) = 1,007.032 kg;
    # forest's share 1,010,000 / 1,014,114 = 0.99594.
    r = compute(
        lines(("1.5", "forest", 2, "tonne", "measured"), ("4.5", "services", 1, "k€", None)), LIB
    )
    assert r.uncertainty_by_poste["1.5"] == pytest.approx(1004.988, abs=1e-3)
    assert r.uncertainty_kgco2e == pytest.approx(1007.032, abs=1e-3)
    top = r.uncertainty_contributors(5)
    assert list(top["poste"]) == ["1.5", "4.5"]
    assert top["variance_share"].iloc[0] == pytest.approx(0.99594, abs=1e-5)


def test_what_to_improve_ranks_sources_not_lines() -> None:
    # 12 bills of 1,000 kWh (one source, ± 69.7653 kg) and one estimated k€ of services
    # (110 kg ± 64.1405 kg). Total variance 69.7653² + 64.1405² = 4867.20 + 4114.00 = 8981.20.
    # Shares: electricity 4867.20 / 8981.20 = 54.19 %, services 4114.00 / 8981.20 = 45.81 %.
    # Line by line, each bill (± 5.814 kg, 0.38 %) would have ranked below the services.
    rows = [("2.1", "elec-fr", 1000, "kWh", "measured")] * 12
    rows.append(("4.5", "services", 1, "k€", "estimated"))
    r = compute(lines(*rows), LIB)
    top = r.uncertainty_contributors(5)
    assert list(top["factor_id"]) == ["elec-fr", "services"]
    assert list(top["lines"]) == [12, 1]
    assert list(top["data_quality"]) == ["measured", "estimated"]
    assert top["variance_share"].tolist() == pytest.approx([0.5419, 0.4581], abs=1e-4)
    assert top["uncertainty_kgco2e"].iloc[0] == pytest.approx(69.7653, abs=1e-3)


def test_rank_sources_on_an_empty_frame() -> None:
    r = compute(lines(("1.5", "forest", 1, "tonne", "measured")), LIB)
    assert rank_sources(r.lines.iloc[0:0], 0.0).empty


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.integers(0, 2**31 - 1), st.integers(1, 400))
def test_the_dense_and_the_sorted_grouping_agree(seed: int, n: int) -> None:
    # The same lines through both ways of finding sources give the same variances.
    rng = np.random.default_rng(seed)
    n_f, n_q, n_p = 50, 3, len(POSTE_CODES)
    fp, pi, qi = rng.integers(0, n_f, n), rng.integers(0, n_p, n), rng.integers(0, n_q, n)
    key = uncertainty.source_key(fp, pi, qi, n_f, n_q)
    total = rng.uniform(0.01, 5, n_f)
    up = np.where(rng.random(n_f) < 0.5, total * 0.2, 0.0)
    args = (
        key, rng.uniform(0, 1e4, n), total, up, rng.random(n_p) < 0.2, rng.uniform(0, 0.3, n_f)
        ** 2, rng.uniform(0, 0.5, n_q) ** 2, rng.random(n_p) < 0.9, 15,
    )  # fmt: skip
    dense = combine_per_source(*args, dense=True)
    sparse = combine_per_source(*args, dense=False)
    assert sparse.total == pytest.approx(dense.total, rel=1e-9)
    assert sparse.by_poste == pytest.approx(dense.by_poste, rel=1e-9)


def _split(rows: list[tuple[object, ...]], i: int, parts: list[float]) -> list[tuple[object, ...]]:
    poste, fid, qty, unit, quality = rows[i]
    assert isinstance(qty, float)
    pieces = [(poste, fid, qty * w / sum(parts), unit, quality) for w in parts]
    return rows[:i] + pieces + rows[i + 1 :]


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(
    st.lists(line_strategy, min_size=1, max_size=30),
    st.data(),
)
def test_splitting_a_line_changes_neither_the_total_nor_its_uncertainty(
    rows: list[tuple[object, ...]], data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(rows) - 1))
    parts = data.draw(st.lists(st.floats(0.01, 100.0), min_size=2, max_size=12))
    before = compute(lines(*rows), LIB)
    after = compute(lines(*_split(rows, i, parts)), LIB)
    assert after.total_kgco2e == pytest.approx(before.total_kgco2e, rel=5e-3, abs=1e-6)
    assert after.uncertainty_kgco2e == pytest.approx(before.uncertainty_kgco2e, rel=5e-3, abs=1e-6)
    # No source is more uncertain than the total: quadrature never shrinks below a term.
    for r in (before, after):
        sources = r.uncertainty_contributors(len(r.lines))
        if len(sources):
            largest = float(sources["uncertainty_kgco2e"].max())
            assert r.uncertainty_kgco2e >= largest * (1 - 1e-9) - 1e-9


def test_lines_coded_without_quality_names_group_by_activity_uncertainty() -> None:
    # Same case as the quadrature of two qualities above: 104.648 kg, whether the coded lines
    # carry the scale's quality names or only each line's activity uncertainty.
    from dataclasses import replace

    from carbon.accounting.engine import compute_encoded, encode_lines

    enc = encode_lines(
        lines(("2.1", "elec-fr", 6000, "kWh", "measured"), ("2.1", "elec-fr", 6000, "kWh", None)),
        LIB,
    )
    bare = replace(enc, quality_idx=None, quality_u=None)
    for e in (enc, bare):
        assert compute_encoded(e, LIB).uncertainty_kgco2e == pytest.approx(104.648, abs=1e-3)
    assert list(compute_encoded(bare, LIB).lines["data_quality"]) == ["5 %", "30 %"]
