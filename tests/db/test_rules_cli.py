"""``carbon import fec`` with a cohort's and a company's rules, and ``carbon rules`` CSV in/out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from carbon.cli import app
from carbon.config import Settings
from carbon.db import migrate
from carbon.db.compute import compute_period
from carbon.db.mapping_rules import owner_rules, rule_context, save_rule
from carbon.db.models import AuditLog, Cohort, Company, ReportingPeriod
from carbon.db.session import make_engine, make_sessionmaker
from carbon.imports.rule_csv import read_rule_csv, write_rule_csv
from carbon.inputs.mapping_rule import MappingRuleIn
from carbon.inputs.validate import validated
from tests import factories as f

from .test_fec_import import HOTEL, hotel_period

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sessionmaker[Session]]:
    url = f"sqlite:///{tmp_path / 'carbon.db'}"
    monkeypatch.setenv("CARBON_DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "250")  # the preview's table, unwrapped
    migrate.upgrade(url)
    engine = make_engine(Settings(env="test", database_url=url))
    yield make_sessionmaker(engine)
    engine.dispose()


def rule(
    session: Session, prefix: str, treatment: str, factor: str = "", poste: str = ""
) -> MappingRuleIn:
    values = {"prefix": prefix, "treatment": treatment, "poste": poste, "factor_id": factor}
    return validated(MappingRuleIn, values, rule_context(session))


def enrolled_hotel(session: Session) -> tuple[Cohort, ReportingPeriod]:
    period = hotel_period(session)
    cohort = f.make_cohort(session)
    f.make_enrolment(session, company=period.company, cohort=cohort)
    session.flush()
    return cohort, period


def test_the_fec_import_uses_the_cohorts_the_companys_and_the_files_rules(
    database: sessionmaker[Session], tmp_path: Path
) -> None:
    with database() as session:
        cohort, period = enrolled_hotel(session)
        # Cohort: fees 6226 on the finance ratio (100 kg/k€) instead of the shipped 622 (110).
        save_rule(session, None, cohort, rule(session, "6226", "spend",
                                              "bundled:money-services-finance", "4.5"))  # fmt: skip
        # Company: the unmapped 6081 (freight on purchases, 80 €) with its food (900 kg/k€).
        save_rule(session, None, period.company,
                  rule(session, "6081", "spend", "bundled:money-food", "4.1"))  # fmt: skip
        session.commit()
        company_id, period_id = period.company_id, period.id
    mine = tmp_path / "mine.csv"
    mine.write_text("prefix,treatment\n616,excluded\n", encoding="utf-8")  # insurance out
    args = ["import", "fec", str(HOTEL), "--company", str(company_id), "--year", "2025",
            "--rules", str(mine)]  # fmt: skip
    preview = runner.invoke(app, args)
    assert preview.exit_code == 0, preview.output
    # The shipped set gives 8 lines, 48.09 k€; the file drops 616 (3.20 k€), the company's rule
    # adds 6081 (0.08 k€): 8 lines, 48.09 - 3.20 + 0.08 = 44.97 k€.
    assert "8 spend line(s), 44.97 k€ HT" in preview.output
    assert "6226 (cohort rule)" in preview.output
    assert "6081 (company rule)" in preview.output
    assert "607 (default rule)" in preview.output
    assert "excluded (no emissions of their own): 616" in preview.output
    assert "[616 (rule from the file)]" in preview.output
    assert "unmapped" not in preview.output
    stored = runner.invoke(app, [*args, "--commit"])
    assert stored.exit_code == 0, stored.output
    with database() as session:
        result = compute_period(session, session.get(ReportingPeriod, period_id))  # type: ignore[arg-type]
    # food (28.35 + 7.2 + 0.08) × 900 = 32,067; fees 3.6 × 100 (finance, cohort) = 360,
    # telecom 1.02 × 150 = 153, bank 0.42 × 100 = 42, maintenance 1.8 × 250 = 450 -> 1,005;
    # IT equipment 2.5 × 600 = 1,500; insurance left out. Total 34,572.
    assert result.by_poste["4.1"] == pytest.approx(32_067)
    assert result.by_poste["4.5"] == pytest.approx(1_005)
    assert result.total_kgco2e == pytest.approx(34_572)


def test_rules_export_then_import_round_trip(
    database: sessionmaker[Session], tmp_path: Path
) -> None:
    with database() as session:
        cohort = f.make_cohort(session)
        company = f.make_company(session)
        save_rule(session, None, cohort, rule(session, "601", "spend",
                                              "bundled:money-metal-products", "4.1"))  # fmt: skip
        session.commit()
        cohort_id, company_id = cohort.id, company.id
    out = tmp_path / "cohort.csv"
    exported = runner.invoke(
        app, ["rules", "export", "--cohort", str(cohort_id), "--out", str(out)]
    )
    assert exported.exit_code == 0, exported.output
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == (
        "prefix,treatment,poste,factor_id,overlaps,label_en,physical_hint,note"
    )
    assert "601,spend,4.1,bundled:money-metal-products" in text
    # The cohort's set becomes the company's: a preview first, then stored.
    args = ["rules", "import", str(out), "--company", str(company_id)]
    preview = runner.invoke(app, args)
    assert "1 rule(s) added, 0 changed, 0 removed (preview only" in preview.output
    with database() as session:
        assert owner_rules(session, session.get(Company, company_id)) == []  # type: ignore[arg-type]
    stored = runner.invoke(app, [*args, "--commit"])
    assert stored.exit_code == 0, stored.output
    with database() as session:
        rows = owner_rules(session, session.get(Company, company_id))  # type: ignore[arg-type]
        assert [(r.prefix, r.factor_id) for r in rows] == [("601", "bundled:money-metal-products")]
        trail = session.scalars(select(AuditLog).where(AuditLog.entity == "mapping_rule")).all()
        assert [(a.action, a.company_id) for a in trail] == [
            ("create", None),
            ("create", company_id),
        ]
    again = runner.invoke(app, [*args, "--commit"])
    assert "0 rule(s) added, 0 changed, 0 removed" in again.output


def test_a_bad_rules_file_is_refused_whole_with_lines_and_columns(
    database: sessionmaker[Session], tmp_path: Path
) -> None:
    with database() as session:
        cohort = f.make_cohort(session)
        session.commit()
        cohort_id = cohort.id
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "prefix,treatment,poste,factor_id\n"
        "601,spend,4.1,bundled:money-food\n"
        "706,excluded,,\n"  # a sale, not a purchase
        "602,spend,4.1,bundled:elec-fr-2022\n"  # not a monetary ratio
        "601,excluded,,\n"  # the same prefix twice
        "62,spend,,\n",  # a spend rule without poste nor factor
        encoding="utf-8",
    )
    refused = runner.invoke(app, ["rules", "import", str(bad), "--cohort", str(cohort_id),
                                  "--commit"])  # fmt: skip
    assert refused.exit_code == 1
    output = " ".join(refused.output.split())
    assert "line 3, column prefix: Account prefix: '706' is not a purchase" in output
    assert "line 4, column factor_id:" in output and "not a monetary ratio" in output
    assert "line 5, column prefix:" in output and "(line 2)" in output
    assert "line 6, column poste:" in output and "line 6, column factor_id:" in output
    assert "5 problem(s); nothing imported" in output
    with database() as session:
        assert owner_rules(session, session.get(Cohort, cohort_id)) == []  # type: ignore[arg-type]
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("prefix,treatment,colour\n601,excluded,red\n", encoding="utf-8")
    unknown = runner.invoke(app, ["rules", "import", str(wrong), "--cohort", str(cohort_id)])
    assert "line 1, column colour: this column is not expected" in unknown.output
    both = runner.invoke(app, ["rules", "export", "--cohort", "1", "--company", "1"])
    assert both.exit_code == 1 and "exactly one of --cohort and --company" in both.output


def test_a_formula_like_label_is_neutralised_and_read_back(db_session: Session) -> None:
    values = rule(db_session, "64", "excluded").model_copy(update={"label": "=HYPERLINK(1)"})
    text = write_rule_csv([values])
    assert ",'=HYPERLINK(1)," in text
    rules, issues = read_rule_csv(text, rule_context(db_session))
    assert issues == [] and rules["64"].label == "=HYPERLINK(1)"


def test_a_copy_of_the_shipped_file_is_read_with_its_translations(db_session: Session) -> None:
    """The shipped file's label_fr / physical_hint_it columns are accepted; a coach's rule keeps
    one label: English where given, else the first translation the row has."""
    text = (
        "prefix,treatment,poste,factor_id,overlaps,label_en,label_fr,label_it,"
        "physical_hint,physical_hint_fr,physical_hint_it,note\n"
        "6251,physical,3.5,,,Travel,Voyages,Viaggi,km,,,\n"
        "6256,physical,3.5,,,,Missions FR,Missioni,,km par mode,,\n"
    )
    rules, issues = read_rule_csv(text, rule_context(db_session))
    assert issues == []
    assert (rules["6251"].label, rules["6251"].physical_hint) == ("Travel", "km")
    assert (rules["6256"].label, rules["6256"].physical_hint) == ("Missions FR", "km par mode")
