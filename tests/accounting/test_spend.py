"""The spend lines to replace first (methodology.md § 17), computed by hand."""

from __future__ import annotations

import pytest

from carbon.accounting.engine import compute
from carbon.accounting.spend import SPEND_COLUMNS, rank_spend_lines

from .library_builder import ELEC_FR, SERVICES, lines, make_library

# A test input, not a real ratio: 200 kgCO2e per k€ at ± 80 %.
FOOD = {"factor_id": "food", "unit": "k€", "total_kgco2e": 200.0, "uncertainty_pct": 80.0}
LIB = make_library([SERVICES, FOOD, ELEC_FR])

# Three spend lines and one physical line ("estimated" data ± 30 %, "measured" ± 5 %):
#   line 1: 4.5 services 10 k€ × 110 = 1,100 kg   u² = 0.50² + 0.30² = 0.34
#   line 2: 4.5 services  5 k€ × 110 =   550 kg   (same factor, poste, quality: one source)
#   line 3: 4.1 food      4 k€ × 200 =   800 kg   u² = 0.80² + 0.30² = 0.73
#   line 4: 2.1 elec 100,000 kWh × 0.052 = 5,200 kg   u² = 0.10² + 0.05² = 0.0125
# Total 1,100 + 550 + 800 + 5,200 = 7,650 kg.
# Variances: services source 0.34 × 1,650² = 925,650; food 0.73 × 800² = 467,200;
# electricity 0.0125 × 5,200² = 338,000; total 1,730,850 kg².
ROWS = (
    ("4.5", "services", 10.0, "k€", "estimated"),
    ("4.5", "services", 5.0, "k€", "estimated"),
    ("4.1", "food", 4.0, "k€", "estimated"),
    ("2.1", "elec-fr", 100_000.0, "kWh", "measured"),
)


def test_three_spend_lines_ranked_by_hand() -> None:
    result = compute(lines(*ROWS), LIB)
    assert result.total_kgco2e == pytest.approx(7_650.0)
    assert result.uncertainty_kgco2e**2 == pytest.approx(1_730_850.0)
    ranked = rank_spend_lines(result.lines, result.total_kgco2e, result.uncertainty_kgco2e)
    assert list(ranked.columns) == list(SPEND_COLUMNS)
    # The electricity line (kWh) is physical: not listed. Order by share of the total:
    # line 1 (1,100), line 3 (800), line 2 (550).
    assert ranked["line"].tolist() == [1, 3, 2]
    # Shares of the total: 1,100 / 7,650 = 14.379 %; 800 / 7,650 = 10.458 %; 550 / 7,650 = 7.190 %.
    assert ranked["share_total_pct"].tolist() == pytest.approx([14.379085, 10.457516, 7.189542])
    # Shares of the variance: the services source's 925,650 split by emissions,
    #   line 1: 0.34 × 1,650 × 1,100 = 617,100 / 1,730,850 = 35.653 %
    #   line 2: 0.34 × 1,650 ×   550 = 308,550 / 1,730,850 = 17.827 %
    #   line 3 (a source alone): 467,200 / 1,730,850 = 26.993 %
    assert ranked["share_uncertainty_pct"].tolist() == pytest.approx(
        [35.653003, 26.992519, 17.826501]
    )
    assert ranked["kgco2e"].tolist() == pytest.approx([1_100.0, 800.0, 550.0])


def test_the_lines_of_a_source_share_its_variance_whole() -> None:
    # Lines 1 and 2 together hold the services source's 925,650 / 1,730,850 = 53.480 %.
    result = compute(lines(*ROWS), LIB)
    ranked = rank_spend_lines(result.lines, result.total_kgco2e, result.uncertainty_kgco2e)
    services = ranked[ranked["factor_id"] == "services"]
    assert services["share_uncertainty_pct"].sum() == pytest.approx(53.479504)


def test_the_top_n_only_and_none_without_a_spend_line() -> None:
    result = compute(lines(*ROWS), LIB)
    top = rank_spend_lines(result.lines, result.total_kgco2e, result.uncertainty_kgco2e, n=2)
    assert top["line"].tolist() == [1, 3]
    physical = compute(lines(ROWS[3]), LIB)
    none = rank_spend_lines(physical.lines, physical.total_kgco2e, physical.uncertainty_kgco2e)
    assert none.empty and list(none.columns) == list(SPEND_COLUMNS)


def test_equal_emissions_rank_by_their_uncertainty() -> None:
    # 10 k€ of services × 110 = 1,100 kg at u² 0.34; 5.5 k€ of food × 200 = 1,100 kg at u² 0.73:
    # the food line weighs more in the variance (0.73 × 1,100² = 883,300 against 411,400).
    rows = (("4.5", "services", 10.0, "k€", "estimated"),
            ("4.1", "food", 5.5, "k€", "estimated"))  # fmt: skip
    result = compute(lines(*rows), LIB)
    ranked = rank_spend_lines(result.lines, result.total_kgco2e, result.uncertainty_kgco2e)
    assert ranked["line"].tolist() == [2, 1]
    # 883,300 / (883,300 + 411,400) = 68.224 %.
    assert ranked["share_uncertainty_pct"].iloc[0] == pytest.approx(68.224299)
