"""Two FatturaPA invoices imported into an Italian company's year: lines, footprint, once only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from carbon.cli import app
from carbon.config import Settings
from carbon.db import migrate
from carbon.db.compute import compute_period, library_for
from carbon.db.factor_store import save_library
from carbon.db.invoice_import import plan_invoice_import, store_invoice_import
from carbon.db.models import ActivityLine, ReportingPeriod
from carbon.db.session import make_engine, make_sessionmaker
from carbon.factors.bundled import load_bundled_library
from carbon.imports.fatturapa import read_invoices
from carbon.imports.invoice_mapping import default_rules
from tests.factories import make_company, make_period
from tests.imports.test_fatturapa import ELECTRICITY, SERVICES, zipped


def test_the_invoices_give_the_footprint_computed_by_hand(db_session: Session) -> None:
    version = save_library(db_session, load_bundled_library(), source="bundled")
    period = make_period(db_session, make_company(db_session, country="IT"), version, year=2025)
    data = zipped(ELECTRICITY, SERVICES)
    plan = plan_invoice_import(db_session, period, data, read_invoices(data, "x.zip"),
                               default_rules())  # fmt: skip
    assert store_invoice_import(db_session, None, period, plan).stored == 2
    db_session.flush()
    library = library_for(db_session, period.library_version_id)
    factors = library.factors.set_index("factor_id")
    grid_it = float(factors.loc["bundled:elec-it-2022", "total_kgco2e"])
    result = compute_period(db_session, period)
    # 7,000 kWh × the Italian grid factor in 2.1; 2.4 k€ × 110 kgCO2e/k€ = 264 in 4.5.
    assert result.by_poste["2.1"] == pytest.approx(7000 * grid_it)
    assert result.by_poste["4.5"] == pytest.approx(264.0)
    again = plan_invoice_import(db_session, period, data, read_invoices(data, "x.zip"),
                                default_rules())  # fmt: skip
    assert again.already_imported
    assert store_invoice_import(db_session, None, period, again).stored == 0
    stored = db_session.scalars(select(ActivityLine).where(ActivityLine.period_id == period.id))
    assert len(stored.all()) == 2


def test_invoices_of_another_year_are_left_out(db_session: Session) -> None:
    version = save_library(db_session, load_bundled_library(), source="bundled")
    period = make_period(db_session, make_company(db_session, country="IT"), version, year=2026)
    data = Path(SERVICES).read_bytes()
    plan = plan_invoice_import(db_session, period, data, read_invoices(data, "s.xml"),
                               default_rules())  # fmt: skip
    assert plan.outside_period == 2 and plan.proposal.rows == []


def test_two_invoices_through_carbon_import_fatturapa(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17's "done when": an electricity bill in kWh and a services invoice, through the
    command, preview then --commit, give the lines and totals computed by hand."""
    url = f"sqlite:///{tmp_path / 'carbon.db'}"
    monkeypatch.setenv("CARBON_DATABASE_URL", url)
    migrate.upgrade(url)
    engine = make_engine(Settings(env="test", database_url=url))
    with make_sessionmaker(engine)() as session:
        version = save_library(session, load_bundled_library(), source="bundled")
        period = make_period(session, make_company(session, country="IT"), version, year=2025)
        session.commit()
        company_id = period.company_id
    invoices = tmp_path / "fatture.zip"
    invoices.write_bytes(zipped(ELECTRICITY, SERVICES))
    runner = CliRunner()
    args = ["import", "fatturapa", str(invoices), "--company", str(company_id), "--year", "2025"]
    preview = runner.invoke(app, args)
    assert preview.exit_code == 0, preview.output
    text = " ".join(preview.output.split())  # the console wraps long lines
    # Electricity: 4,200 + 2,800 = 7,000 kWh in one line; services: 2,400 € HT = 2.40 k€.
    assert "2 invoice(s), 2 line(s)" in text
    assert "│ 7,000.00 │ kWh │ 2.1 │" in text and "│ 2.40 │ k€ │ 4.5 │" in text
    # The bill's 170.30 € of system charges are covered by its kWh; the 180 € of travel
    # expenses match no rule and are listed, not dropped.
    assert "covered by the invoice's physical data: Oneri di sistema e trasporto 170.30 €" in text
    assert "unmapped: add a rule: Studio Bianchi Consulenza S.r.l., Rimborso spese di trasferta " \
        "180.00 €" in text  # fmt: skip
    # The bundled ratio states no price year: the plan says the spend is not deflated.
    assert "prices: 0 spend line(s) deflated to their ratio's price year, 1 not deflated" in text
    assert "not deflated: Studio Bianchi" in text
    assert "the monetary ratio states no price year" in text
    assert "preview only" in text
    stored = runner.invoke(app, [*args, "--commit"])
    assert stored.exit_code == 0, stored.output
    assert "2 line(s) stored" in stored.output
    again = runner.invoke(app, [*args, "--commit"])
    assert "already imported" in again.output
    with make_sessionmaker(engine)() as session:
        lines = session.scalars(select(ActivityLine).order_by(ActivityLine.id)).all()
        assert [(line.quantity, line.unit, line.data_quality) for line in lines] == [
            (7000.0, "kWh", "measured"),
            (2.4, "k€", "estimated"),
        ]
        period = session.get(ReportingPeriod, period.id)
        assert period is not None
        grid_it = float(
            library_for(session, period.library_version_id)
            .factors.set_index("factor_id")
            .loc["bundled:elec-it-2022", "total_kgco2e"]
        )
        result = compute_period(session, period)
        # 7,000 kWh × the Italian grid factor in 2.1; 2.4 k€ × 110 kgCO2e/k€ = 264 kg in 4.5.
        assert result.by_poste["2.1"] == pytest.approx(7000 * grid_it)
        assert result.by_poste["4.5"] == pytest.approx(264.0)
        assert result.total_kgco2e == pytest.approx(7000 * grid_it + 264.0)
    engine.dispose()
