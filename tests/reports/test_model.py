"""Figures derived from the report data: change, intensities, trajectories, KPIs (no database)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from carbon.reports.data_cohort import stage_of
from carbon.reports.model import LineInfo, TargetInfo, YearTotal
from carbon.reports.model_cohort import certificates

from . import sample


def test_change_vs_base_is_none_in_the_base_year_itself() -> None:
    assert sample.period_a().change_vs_base is None
    report = sample.period_a(
        is_base_year=False,
        history=(YearTotal(2022, 4000.0, 1.0, "validated", True), YearTotal(2024, 3620.0, 1.0,
                                                                             "draft")),
    )  # fmt: skip
    change = report.change_vs_base
    assert change is not None
    # 3,620 − 4,000 = −380 kg; −380 / 4,000 = −9.5 %.
    assert change.absolute == pytest.approx(-380.0)
    assert change.relative_pct == pytest.approx(-9.5)


def test_intensities_per_fte_revenue_and_sector_unit() -> None:
    report = sample.period_a(sector_activity=2000.0)
    # 3,620 kg / 25 FTE = 144.8; / 4,200 k€ = 0.8619; / 2,000 skier-days = 1.81 kg.
    assert dict(report.intensities) == pytest.approx(
        {"fte": 144.8, "revenue_keur": 3620 / 4200, "sector_activity": 1.81}
    )
    assert sample.period_a(fte=None, revenue_keur=0.0).intensities == []


def test_trajectories_from_the_base_year() -> None:
    report = sample.period_a(targets=(TargetInfo(2024, 3620.0, 2030, 42.0),))
    paths = report.trajectories()
    # SBTi per scope group: scopes 1+2 3,620 × (1 − 0.042 × 6) = 2,707.76 in 2030; scope 3
    # (0 kg in the base year) 0 × (1 − 0.025 × 6) = 0. Never 4.2 % of the whole footprint.
    assert paths["sbti_s12"][2030] == pytest.approx(2707.76)
    assert paths["sbti_s3"][2030] == 0.0
    # Target: 42 % over 6 years, i.e. 3,620 × 0.58 = 2,099.6 in 2030.
    assert paths["target"][2030] == pytest.approx(2099.6)
    assert min(paths["sbti_s12"]) == 2024 and max(paths["sbti_s12"]) == 2030
    assert sample.period_a(history=()).trajectories() == {}


def test_largest_sources_add_up_lines_of_the_same_activity() -> None:
    base = sample.period_a()
    extra = replace(base.lines[0], line_id=3, kgco2e=260.0)  # a second electricity invoice
    sources = sample.period_a(lines=(*base.lines, extra)).largest_sources()
    # Diesel 3,100 first (85.6 % of 3,620); electricity 520 + 260 = 780.
    assert [(s.activity, round(s.kgco2e)) for s in sources] == [
        ("Gazole des dameuses (GNR)", 3100), ("Électricité des bâtiments", 780)]  # fmt: skip
    assert sources[0].share_pct == pytest.approx(100 * 3100 / 3620)


def test_quality_shares_and_postes_with_data() -> None:
    base = sample.period_a()
    estimated = replace(base.lines[0], line_id=3, data_quality="estimated", kgco2e=380.0)
    report = sample.period_a(lines=(*base.lines, estimated))
    # 520 + 3,100 measured, 380 estimated: 3,620 / 4,000 = 90.5 %, 380 / 4,000 = 9.5 %.
    shares = report.quality_shares()
    assert shares["measured"][0] == 2 and shares["measured"][1] == pytest.approx(90.5)
    assert shares["estimated"][0] == 1 and shares["estimated"][1] == pytest.approx(9.5)
    assert report.postes_with_data == {"1.2", "2.1"}


def test_scope3_splits_upstream_energy_out_of_4_1() -> None:
    # 4.1 holds 1,000 kg: 200 of them the upstream part of a fuel line (category 3).
    result = sample.result_of([(1, "4.1", "bundled:money-machinery", 1.0, "k€", "measured")])
    line = LineInfo(1, "1.1", "Fioul", "x", 1.0, "litre", "measured", 500.0, 300.0, 200.0, 0.0,
                    5.0, 25.0, 1.0, "litre", 500.0)  # fmt: skip
    by_poste = dict(result.by_poste, **{"4.1": 1000.0, "3.4": 50.0})
    report = sample.period_a(result=replace(result, by_poste=by_poste), lines=(line,))
    assert report.scope3_by_category() == pytest.approx(
        {1: 800.0, 2: 0.0, 3: 200.0, 4: 0.0, 5: 0.0, 6: 0.0, 7: 0.0, 8: 0.0, 9: 0.0, 11: 0.0,
         12: 0.0, 13: 0.0, 14: 0.0, 15: 0.0, None: 50.0}
    )  # fmt: skip
    assert list(report.scope3_by_category())[-1] is None


def test_cohort_kpis_add_up_the_companies() -> None:
    k = sample.cohort().kpis
    assert (k.companies, k.footprints_measured, k.companies_validated) == (3, 2, 2)
    assert k.footprints_validated == 4  # 2 years each for the first two
    # Actions 2 + 3 + 0; quantified 1 + 2; expected 1.5 + 2.25; achieved 0 + 0.5.
    assert (k.actions, k.quantified) == (5, 3)
    assert k.expected_t == pytest.approx(3.75) and k.achieved_t == pytest.approx(0.5)
    assert k.latest_total_kg == pytest.approx(12_000.0)  # 9,000 + 3,000
    # By category: 6,000 + 1,000 in 1; 3,000 in 2; 2,000 in 4.
    assert sample.cohort().by_category == {1: 7000.0, 2: 3000.0, 3: 0.0, 4: 2000.0, 5: 0.0,
                                           6: 0.0}  # fmt: skip


def test_cohort_company_change_and_intensity() -> None:
    c = sample.cohort().companies[0]
    # (9,000 − 10,000) / 10,000 = −10 %; 9,000 kg / 10 FTE = 0.9 t per FTE.
    assert c.change_pct == pytest.approx(-10.0) and c.t_per_fte == pytest.approx(0.9)
    assert replace(c, latest_year=2023).change_pct is None  # the base year is the latest
    assert replace(c, fte=None).t_per_fte is None


def test_anonymise_numbers_by_footprint_not_by_name() -> None:
    anon = sample.cohort().anonymise("Entreprise")
    assert anon.anonymised
    # 9 t, then 3 t, then the company with nothing measured.
    assert [c.name for c in anon.companies] == ["Entreprise 01", "Entreprise 02", "Entreprise 03"]
    assert [c.company_id for c in anon.companies] == [1, 2, 3]
    assert anon.kpis == sample.cohort().kpis


def test_anonymising_hides_a_sector_or_country_too_few_companies_share() -> None:
    base = sample.cohort()
    companies = (
        *base.companies,  # lift FR, hotel FR, agrifood FR
        sample.cohort_company(4, "Albergo Bianco", sector="hotel", country="IT"),
        sample.cohort_company(5, "Hotel du Col", sector="hotel"),
    )
    anon = replace(base, companies=companies).anonymise("Company")
    by_id = {c.company_id: c for c in anon.companies}
    # Three hotels: "hotel" stays. One lift, one agrifood firm: "other". Four French companies
    # keep "FR"; the one Italian company's country is left blank.
    assert [by_id[i].sector for i in (1, 2, 3, 4, 5)] == [
        "other",
        "hotel",
        "other",
        "hotel",
        "hotel",
    ]
    assert [by_id[i].country for i in (1, 2, 3, 4, 5)] == ["FR", "FR", "FR", "", "FR"]
    assert not any("Albergo" in c.name or "Hotel du" in c.name for c in anon.companies)


def test_certificates_one_per_company_in_name_order() -> None:
    certs = certificates(sample.cohort())
    assert [c.company for c in certs] == [
        "Fromagerie de la Tinée", "Hôtel Les Mélèzes", "Remontées du Vallon"]  # fmt: skip
    assert certs[0].footprint_year is None and certs[0].actions == 0
    assert certs[1].footprint_year == 2025 and certs[1].footprint_kg == 3000.0
    assert certs[1].issued_on == sample.TODAY


@pytest.mark.parametrize(("statuses", "lines", "actions", "stage"), [
    ([], False, [], "not_started"),
    (["draft"], True, [], "measuring"),
    (["validated", "submitted"], True, [], "validated"),
    (["submitted"], True, [], "submitted"),
    (["draft"], True, ["abandoned"], "measuring"),
    (["validated"], True, ["identified"], "planning"),
    (["draft"], True, ["planned", "done"], "acting"),
])  # fmt: skip
def test_stage_is_the_furthest_step_reached(
    statuses: list[str], lines: bool, actions: list[str], stage: str
) -> None:
    assert stage_of(statuses, lines, actions) == stage
