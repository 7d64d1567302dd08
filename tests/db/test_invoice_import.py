"""Two FatturaPA invoices imported into an Italian company's year: lines, footprint, once only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.db.compute import compute_period, library_for
from carbon.db.factor_store import save_library
from carbon.db.invoice_import import plan_invoice_import, store_invoice_import
from carbon.db.models import ActivityLine
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
