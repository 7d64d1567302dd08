"""A FEC imported into a reporting period: the stored lines, their footprint, once per file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from carbon.cli import app
from carbon.config import Settings
from carbon.db import migrate
from carbon.db.activity_lines import PeriodReadOnly
from carbon.db.compute import compute_period
from carbon.db.factor_store import save_library
from carbon.db.fec_import import FecImportError, plan_fec_import, store_fec_import
from carbon.db.models import ActivityLine, AuditLog, ReportingPeriod
from carbon.db.session import make_engine, make_sessionmaker
from carbon.factors.bundled import load_bundled_library
from carbon.imports.fec import FEC_COLUMNS, read_fec
from carbon.imports.fec_mapping import default_rules, layered
from tests.factories import make_company, make_line, make_period

HOTEL = Path(__file__).parents[1] / "data" / "123456782FEC20251231.txt"


def hotel_period(session: Session, **kw: object) -> ReportingPeriod:
    version = save_library(session, load_bundled_library(), source="bundled")
    company = make_company(session, legal_id="123456782")
    return make_period(session, company, version, year=2025, **kw)


def test_the_hotel_fec_gives_the_footprint_computed_by_hand(db_session: Session) -> None:
    period = hotel_period(db_session)
    plan = plan_fec_import(db_session, period, read_fec(HOTEL.read_bytes(), HOTEL.name),
                           layered(default_rules()), "123456782")  # fmt: skip
    store_fec_import(db_session, None, period, plan)
    db_session.flush()
    lines = db_session.scalars(
        select(ActivityLine).where(ActivityLine.period_id == period.id)
    ).all()
    assert len(lines) == 8
    assert {line.data_quality for line in lines} == {"estimated"}
    assert {line.unit for line in lines} == {"k€"}
    assert all(line.evidence_ref and line.evidence_ref.startswith("FEC ") for line in lines)
    result = compute_period(db_session, period)
    # Monetary ratios of the bundled library (kgCO2e per k€ HT):
    # food (28.35 + 7.2) × 900 = 31,995; telecom 1.02 × 150 = 153; bank 0.42 × 100 = 42;
    # fees 3.6 × 110 = 396; insurance 3.2 × 100 = 320; maintenance 1.8 × 250 = 450;
    # IT equipment 2.5 × 600 = 1,500.
    assert result.by_poste["4.1"] == pytest.approx(31_995)
    assert result.by_poste["4.5"] == pytest.approx(153 + 42 + 396 + 320 + 450)
    assert result.by_poste["4.2"] == pytest.approx(1_500)
    assert result.total_kgco2e == pytest.approx(34_856)
    audits = db_session.scalars(select(AuditLog).where(AuditLog.entity == "activity_line")).all()
    assert len([a for a in audits if a.action == "import"]) == 8


def test_the_same_file_twice_changes_nothing(db_session: Session) -> None:
    period = hotel_period(db_session)
    ledger = read_fec(HOTEL.read_bytes(), HOTEL.name)
    plan = plan_fec_import(db_session, period, ledger, layered(default_rules()))
    first = store_fec_import(db_session, None, period, plan)
    db_session.flush()
    second = plan_fec_import(db_session, period, ledger, layered(default_rules()))
    assert first.stored == 8 and second.already_imported
    assert store_fec_import(db_session, None, period, second).stored == 0
    count = db_session.scalars(
        select(ActivityLine).where(ActivityLine.period_id == period.id)
    ).all()
    assert len(count) == 8


def test_physical_food_data_keeps_the_food_spend_out(db_session: Session) -> None:
    period = hotel_period(db_session)
    make_line(db_session, period, activity_id="meals-average", poste="4.1",
              factor_id="bundled:meal-average", quantity=1000, unit="repas")  # fmt: skip
    plan = plan_fec_import(db_session, period, read_fec(HOTEL.read_bytes(), HOTEL.name),
                           layered(default_rules()))  # fmt: skip
    assert {line.account for line, _ in plan.proposal.overlapping} == {"607"}
    assert len(plan.rows) == 6  # 8 lines less the two food suppliers


def test_a_submitted_period_is_not_written(db_session: Session) -> None:
    period = hotel_period(db_session, status="submitted")
    plan = plan_fec_import(db_session, period, read_fec(HOTEL.read_bytes(), HOTEL.name),
                           layered(default_rules()))  # fmt: skip
    with pytest.raises(PeriodReadOnly):
        store_fec_import(db_session, None, period, plan)


def test_another_companys_siren_is_a_warning(db_session: Session) -> None:
    period = hotel_period(db_session)
    plan = plan_fec_import(db_session, period, read_fec(HOTEL.read_bytes(), HOTEL.name),
                           layered(default_rules()), "552100554")  # fmt: skip
    assert any("SIREN 123456782" in str(w) for w in plan.warnings)


def test_the_cli_previews_then_commits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'carbon.db'}"
    monkeypatch.setenv("CARBON_DATABASE_URL", url)
    migrate.upgrade(url)
    engine = make_engine(Settings(env="test", database_url=url))
    with make_sessionmaker(engine)() as session:
        period = hotel_period(session)
        session.commit()
        company_id = period.company_id
    runner = CliRunner()
    args = ["import", "fec", str(HOTEL), "--company", str(company_id), "--year", "2025"]
    preview = runner.invoke(app, args)
    assert preview.exit_code == 0, preview.output
    assert "8 spend line(s), 48.09 k€ HT" in preview.output
    assert "unmapped: add a rule: 6081" in preview.output
    stored = runner.invoke(app, [*args, "--commit"])
    assert stored.exit_code == 0, stored.output
    assert "8 line(s) stored" in stored.output
    again = runner.invoke(app, [*args, "--commit"])
    assert "already imported" in again.output
    missing = runner.invoke(app, [*args[:-1], "2031"])
    assert missing.exit_code == 1 and "no reporting period for 2031" in missing.output
    broken = tmp_path / "123456782FEC20251231.txt"
    broken.write_bytes(HOTEL.read_bytes().replace(b"|2640,00|", b"|2640.00.0|", 1))
    refused = runner.invoke(app, ["import", "fec", str(broken), "--company", str(company_id),
                                  "--year", "2025", "--commit"])  # fmt: skip
    assert refused.exit_code == 1
    assert "line " in refused.output and "Credit" in refused.output
    with make_sessionmaker(engine)() as session:
        assert len(session.scalars(select(ActivityLine)).all()) == 8
    engine.dispose()


def test_a_sum_past_what_a_line_can_hold_is_refused_before_anything_is_stored(
    db_session: Session,
) -> None:
    # 1,001 purchases of 10^12 € each from one supplier: each line within the reader's bound,
    # their sum 1.001 × 10^15 € = 1.001 × 10^12 k€, past MAX_QUANTITY (10^12).
    period = hotel_period(db_session)
    purchase = ("607", "", "1000000000000,00", "0")
    payable = ("401", "F1", "0", "1000000000000,00")
    entries = [entry(n, *side) for n in range(1001) for side in (purchase, payable)]
    data = ("|".join(FEC_COLUMNS) + "\n" + "\n".join(entries) + "\n").encode()
    with pytest.raises(FecImportError, match="beyond what a line can hold"):
        plan_fec_import(db_session, period, read_fec(data, "x.txt"), layered(default_rules()))


def entry(n: int, account: str, aux: str, debit: str, credit: str) -> str:
    day = "20250105"
    return "|".join(["AC", "Achats", f"A{n}", day, account, "x", aux, "", f"A{n}", day, "x",
                     debit, credit, "", "", day, "", ""])  # fmt: skip
