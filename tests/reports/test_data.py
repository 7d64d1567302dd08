"""Report data filled from the database (reports/data.py, data_cohort.py), on both backends.

Company A: 2023 (base, validated) 20 MWh × 0.052 = 1,040 kg + 1,000 L × 3.10 = 3,100 kg, total
4,140 kg; 2024 (draft) 10 MWh × 0.052 = 520 kg + 3,100 kg = 3,620 kg, so −520 kg, −12.56 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from carbon.accounting.engine import ComputationError
from carbon.db.factor_store import save_library
from carbon.db.models import Cohort, Company, LibraryVersion, ReportingPeriod
from carbon.factors.bundled import load_bundled_library
from carbon.reports.data import period_report
from carbon.reports.data_cohort import cohort_report
from tests import factories as f

TODAY = date(2026, 3, 2)


@dataclass
class Setup:
    version: LibraryVersion
    cohort: Cohort
    a: Company
    b: Company
    c: Company
    a2023: ReportingPeriod
    a2024: ReportingPeriod
    c2024: ReportingPeriod


@pytest.fixture
def setup(db_session: Session) -> Setup:
    s = db_session
    version = save_library(s, load_bundled_library(), source="bundled", make_default=True)
    programme = f.make_programme(s, code="PZCM", name_fr="Parcours Zéro Carbone Montagne",
                                 name_it="Percorso Zero Carbonio Montagna")  # fmt: skip
    cohort = f.make_cohort(s, programme, name="Cohorte 2")
    coach = f.make_user(s, display_name="Carol Coach")
    f.make_cohort_coach(s, user=coach, cohort=cohort)
    a = f.make_company(s, name="Alpha Remontées", fte=25.0, revenue_keur=4200.0)
    b = f.make_company(s, name="Beta Albergo", country="IT")
    c = f.make_company(s, name="Cime Conseil")
    for company in (a, b, c):
        f.make_enrolment(s, company=company, cohort=cohort)
    site = f.make_site(s, a, name="Vars")
    a2023 = f.make_period(s, a, version, year=2023, is_base_year=True, status="validated",
                          validated_at=datetime(2025, 6, 30, 12, 0, tzinfo=UTC))  # fmt: skip
    a2024 = f.make_period(s, a, version, year=2024, revenue_keur=4200.0)
    for period, mwh in ((a2023, 20), (a2024, 10)):
        f.make_line(s, period, poste="2.1", factor_id="bundled:elec-fr-2022", quantity=mwh,
                    unit="MWh", activity_id="electricity-buildings", site_id=site.id)  # fmt: skip
        f.make_line(s, period, poste="1.2", factor_id="bundled:diesel-b7-fr", quantity=1000,
                    unit="litre", activity_id="groomer-diesel", comment="=cuve",
                    evidence_ref="FAC-12")  # fmt: skip
    f.make_target(s, a2023, target_year=2030, reduction_pct=42.0)
    f.make_action(s, a, title="Variateurs", status="planned", expected_avoided_tco2e_per_year=12.5)
    f.make_action(s, a, title="Éco-conduite", status="done", expected_avoided_tco2e_per_year=2.0,
                  achieved_avoided_tco2e=1.0)  # fmt: skip
    f.make_action(s, a, title="Abandonnée", status="abandoned", expected_avoided_tco2e_per_year=5.0)
    # Company C's only line names a factor the library does not have: it cannot be computed.
    c2024 = f.make_period(s, c, version, year=2024)
    f.make_line(s, c2024, factor_id="bundled:no-such-factor", quantity=1, unit="kWh")
    s.flush()
    s.expire_all()
    return Setup(version, cohort, a, b, c, a2023, a2024, c2024)


def test_period_report_reads_results_history_targets_actions(
    db_session: Session, setup: Setup
) -> None:
    r = period_report(db_session, setup.a2024, "fr", today=TODAY)
    assert r.result.total_kgco2e == pytest.approx(3620.0)
    assert r.result.library_version == setup.version.label
    assert [(y.year, y.total_kg, y.is_base_year) for y in r.history] == [
        (2023, pytest.approx(4140.0), True), (2024, pytest.approx(3620.0), False)]  # fmt: skip
    change = r.change_vs_base
    assert change is not None and change.absolute == pytest.approx(-520.0)
    assert change.relative_pct == pytest.approx(-12.56, abs=0.01)  # −520 / 4,140
    assert r.targets[0].base_year == 2023 and r.targets[0].base_kg == pytest.approx(4140.0)
    # Planned first, then done, the abandoned one last.
    assert [a.title for a in r.actions] == ["Variateurs", "Éco-conduite", "Abandonnée"]
    assert r.enrolments[0].programme == "Parcours Zéro Carbone Montagne"
    assert (r.fte, r.revenue_keur, r.generated_on) == (25.0, 4200.0, TODAY)
    elec, diesel = r.lines
    assert elec.activity.startswith("Électricité des bâtiments") and elec.site == "Vars"
    assert elec.kgco2e == pytest.approx(520.0) and elec.quantity_in_factor_unit == 10_000
    assert diesel.comment == "=cuve" and diesel.evidence == "FAC-12"  # neutralised on export
    assert {f.factor_id: f.kgco2e for f in r.factors} == pytest.approx(
        {"bundled:diesel-b7-fr": 3100.0, "bundled:elec-fr-2022": 520.0})  # fmt: skip
    diesel_factor = r.factors[0]
    assert diesel_factor.name == "Gazole routier B7 - France continentale"
    assert diesel_factor.library_version == setup.version.label
    assert diesel_factor.kg_per_unit == pytest.approx(3.1) and diesel_factor.lines == 1


def test_period_report_in_italian_names_things_in_italian(
    db_session: Session, setup: Setup
) -> None:
    r = period_report(db_session, setup.a2023, "it", today=TODAY)
    assert r.enrolments[0].programme == "Percorso Zero Carbonio Montagna"
    assert r.lines[1].activity == "Gasolio dei battipista"
    assert r.validated_on == date(2025, 6, 30) and r.change_vs_base is None


def test_a_period_that_cannot_be_computed_raises(db_session: Session, setup: Setup) -> None:
    with pytest.raises(ComputationError):
        period_report(db_session, setup.c2024, "fr")


def test_cohort_report_sums_up_each_company(db_session: Session, setup: Setup) -> None:
    r = cohort_report(db_session, setup.cohort, "fr", today=TODAY)
    assert (r.programme, r.programme_code, r.cohort) == (
        "Parcours Zéro Carbone Montagne", "PZCM", "Cohorte 2")  # fmt: skip
    assert r.coaches == ("Carol Coach",)
    a, b, c = r.companies  # by name
    assert (a.name, b.name, c.name) == ("Alpha Remontées", "Beta Albergo", "Cime Conseil")
    assert (a.base_year, a.latest_year, a.latest_status) == (2023, 2024, "draft")
    assert a.base_kg == pytest.approx(4140.0) and a.latest_kg == pytest.approx(3620.0)
    assert a.latest_by_category[1] == pytest.approx(3100.0)
    # Three actions identified, all quantified (as on the cohort page); the expected tonnes
    # leave the abandoned one out: 12.5 + 2.0; 1.0 achieved; one is done.
    assert (a.actions, a.quantified, a.stage, a.validated) == (3, 3, "acting", True)
    assert a.expected_t == pytest.approx(14.5) and a.achieved_t == pytest.approx(1.0)
    assert (b.stage, b.latest_kg, b.base_year) == ("not_started", None, None)
    assert (c.stage, c.latest_year, c.latest_kg) == ("measuring", 2024, None)
    assert r.library_versions == {setup.version.label: 3}  # A's two periods and C's one
    k = r.kpis
    assert (k.companies, k.footprints_measured, k.companies_validated) == (3, 1, 1)
    assert k.footprints_validated == 1 and k.actions == 3


def test_cohort_report_for_one_company(db_session: Session, setup: Setup) -> None:
    r = cohort_report(db_session, setup.cohort, "fr", company_ids={setup.b.id})
    assert [c.name for c in r.companies] == ["Beta Albergo"]


def test_a_year_without_its_own_revenue_has_no_revenue_intensity(db_session: Session) -> None:
    """The company's revenue field is not a stand-in for a year's (methodology §11): the PDF
    agrees with the results page, the plan and the VSME disclosure."""
    s = db_session
    version = save_library(s, load_bundled_library(), source="bundled")
    company = f.make_company(s, revenue_keur=4200.0)
    period = f.make_period(s, company, version, year=2024)
    f.make_line(s, period, poste="2.1", factor_id="bundled:elec-fr-2022", quantity=10, unit="MWh")
    s.flush()
    assert period_report(s, period, "fr", today=TODAY).revenue_keur is None


def test_the_report_lists_the_spend_lines_to_replace(db_session: Session) -> None:
    s = db_session
    version = save_library(s, load_bundled_library(), source="bundled")
    period = f.make_period(s, f.make_company(s), version, year=2024)
    f.make_line(s, period, poste="2.1", factor_id="bundled:elec-fr-2022", quantity=10, unit="MWh")
    f.make_line(s, period, poste="4.5", factor_id="bundled:money-services-intellectual",
                quantity=10, unit="k€")  # fmt: skip
    s.flush()
    report = period_report(s, period, "en", today=TODAY)
    # Only the k€ line: 10 k€ × 110 = 1,100 kg of 1,100 + 10,000 kWh × 0.052 (520) = 1,620 kg,
    # 67.9 % of the total; no account rule (not from the books), so the poste's hint.
    (spend,) = report.spend
    assert spend.poste == "4.5" and spend.kgco2e == pytest.approx(1_100.0)
    assert spend.share_total_pct == pytest.approx(1_100 / 1_620 * 100)
    assert spend.hint.startswith("Your suppliers' own footprint")
