"""Spends from the books are brought to their monetary ratio's price year, and the plan says so.

A FEC or FatturaPA spend line is stored in a reporting period, so the engine computes it with the
period's year (the FEC's entries and the invoices are those dated in it) and the company's
country: a spend of 2025 on a ratio priced in 2022 is deflated with that country's consumer price
index (methodology §8, §15). The libraries here are the bundled one with the intellectual-services
ratio given a 2022 price year; the bundled ratios themselves state none (nothing sourced gives
one), which the plan says line by line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from carbon.accounting.factors import FactorLibrary
from carbon.cli import app
from carbon.config import Settings
from carbon.db import migrate
from carbon.db.compute import compute_period
from carbon.db.factor_store import save_library
from carbon.db.fec_import import plan_fec_import, store_fec_import
from carbon.db.invoice_import import plan_invoice_import, store_invoice_import
from carbon.db.session import make_engine, make_sessionmaker
from carbon.factors.bundled import load_bundled_library
from carbon.i18n import use_locale
from carbon.imports.fatturapa import read_invoices
from carbon.imports.fec import read_fec
from carbon.imports.fec_mapping import default_rules, layered
from carbon.imports.invoice_mapping import default_rules as invoice_rules
from tests.factories import make_company, make_period
from tests.imports.test_fatturapa import ELECTRICITY, SERVICES, zipped

HOTEL = Path(__file__).parents[1] / "data" / "123456782FEC20251231.txt"
FEES = "bundled:money-services-intellectual"


def fees_priced_in_2022() -> FactorLibrary:
    """The bundled library, its intellectual-services ratio (110 kgCO2e/k€ HT) at 2022 prices."""
    bundled = load_bundled_library()
    factors = bundled.factors.copy()
    factors.loc[factors["factor_id"] == FEES, "valid_year"] = 2022
    return FactorLibrary(f"{bundled.version} fees@2022", factors, bundled.subposts)


def test_a_2025_fec_spend_is_deflated_to_its_ratios_2022_prices(db_session: Session) -> None:
    version = save_library(db_session, fees_priced_in_2022(), source="bundled")
    company = make_company(db_session, legal_id="123456782", country="FR")
    period = make_period(db_session, company, version, year=2025)
    plan = plan_fec_import(db_session, period, read_fec(HOTEL.read_bytes(), HOTEL.name),
                           layered(default_rules()), "123456782")  # fmt: skip
    deflated = [note for note in plan.prices if note.deflated]
    assert [plan.rows[note.row]["factor_id"] for note in deflated] == [FEES]
    assert deflated[0].comment.startswith("6226")
    others = [note for note in plan.prices if not note.deflated]
    with use_locale("en"):
        # INSEE CPI, base 2015 (emission_factors/price_index.csv): 2022 = 112.09, 2025 = 121.03.
        assert "Spend of 2025 deflated to 2022 prices" in deflated[0].message
        assert "× 112.09 / 121.03" in deflated[0].message
        # The seven other spend lines are on bundled ratios, which state no price year.
        assert len(others) == len(plan.rows) - 1 == 7
        assert all("states no price year" in note.message for note in others)

    store_fec_import(db_session, None, period, plan)
    db_session.flush()
    result = compute_period(db_session, period)
    # Fees: 4 × 900 € = 3.6 k€ of 2025 → 3.6 × 112.09 / 121.03 = 3.334082 k€ of 2022
    # → × 110 kgCO2e/k€ = 366.749 kg (instead of 396 undeflated). The rest of 4.5, not
    # deflated: telecom 1.02 × 150 = 153, bank 0.42 × 100 = 42, insurance 3.2 × 100 = 320,
    # maintenance 1.8 × 250 = 450.
    assert result.by_poste["4.5"] == pytest.approx(3.6 * 112.09 / 121.03 * 110 + 153 + 42 + 320
                                                   + 450)  # fmt: skip
    assert result.by_poste["4.5"] == pytest.approx(1331.749, abs=1e-3)


def test_an_italian_invoice_is_deflated_with_the_istat_index(db_session: Session) -> None:
    version = save_library(db_session, fees_priced_in_2022(), source="bundled")
    period = make_period(db_session, make_company(db_session, country="IT"), version, year=2025)
    data = zipped(ELECTRICITY, SERVICES)
    plan = plan_invoice_import(db_session, period, data, read_invoices(data, "x.zip"),
                               invoice_rules())  # fmt: skip
    # Only the consultancy is a spend line (the kWh are physical): deflated with the index of
    # the line's country, Italy's NIC (base 2015): 2022 = 113.15, 2025 = 122.61.
    assert [(note.deflated, "× 113.15 / 122.61" in note.message) for note in plan.prices] == [
        (True, True)
    ]
    store_invoice_import(db_session, None, period, plan)
    db_session.flush()
    # 2.4 k€ of 2025 → 2.4 × 113.15 / 122.61 = 2.214828 k€ of 2022 → × 110 = 243.631 kg.
    result = compute_period(db_session, period)
    assert result.by_poste["4.5"] == pytest.approx(243.631, abs=1e-3)


def test_the_bundled_ratios_state_no_price_year_and_the_plan_says_so(db_session: Session) -> None:
    version = save_library(db_session, load_bundled_library(), source="bundled")
    period = make_period(db_session, make_company(db_session, country="IT"), version, year=2025)
    data = SERVICES.read_bytes()
    plan = plan_invoice_import(db_session, period, data, read_invoices(data, SERVICES.name),
                               invoice_rules())  # fmt: skip
    assert [note.deflated for note in plan.prices] == [False]
    with use_locale("en"):
        message = plan.prices[0].message
    assert message == "Spend not deflated: the monetary ratio states no price year."
    assert plan.prices[0].comment.startswith("Studio Bianchi")


def test_carbon_import_fec_says_which_spends_are_deflated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'carbon.db'}"
    monkeypatch.setenv("CARBON_DATABASE_URL", url)
    migrate.upgrade(url)
    engine = make_engine(Settings(env="test", database_url=url))
    with make_sessionmaker(engine)() as session:
        version = save_library(session, fees_priced_in_2022(), source="bundled")
        company = make_company(session, legal_id="123456782", country="FR")
        company_id = make_period(session, company, version, year=2025).company_id
        session.commit()
    args = ["import", "fec", str(HOTEL), "--company", str(company_id), "--year", "2025"]
    preview = CliRunner().invoke(app, args)
    engine.dispose()
    assert preview.exit_code == 0, preview.output
    text = " ".join(preview.output.split())  # the console wraps long lines
    assert "prices: 1 spend line(s) deflated to their ratio's price year, 7 not deflated" in text
    assert (
        "deflated: 6226 Honoraires — Cabinet Comptable Alpin — Spend of 2025 deflated to 2022 "
        "prices with INSEE CPI, all households, mainland France: × 112.09 / 121.03 (index "
        "values not verified against the publisher's table)." in text
    )
    assert text.count("— Spend not deflated: the monetary ratio states no price year.") == 7
