"""The VSME B3 disclosure: figures from a hand-computed year, written by XBRL name."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.workbook.defined_name import DefinedName
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from carbon.accounting.energy import energy_use
from carbon.accounting.engine import compute
from carbon.accounting.uncertainty import UncertaintyScale
from carbon.cli import app
from carbon.config import Settings
from carbon.db import migrate
from carbon.db.factor_store import save_library
from carbon.db.session import make_engine, make_sessionmaker
from carbon.factors.bundled import load_bundled_library
from carbon.factors.energy_contents import load_energy_contents
from carbon.reports.vsme import ELEMENTS, build_b3, build_esrs_e1_6, fill_workbook, new_workbook
from tests.factories import make_company, make_line, make_period

LINES = pd.DataFrame(
    [
        ("2.1", "bundled:elec-fr-2022", 100_000.0, "kWh", "measured"),
        ("1.1", "bundled:wood-pellets-fr", 20_000.0, "kWh PCI", "measured"),
        ("4.5", "bundled:money-services-intellectual", 10.0, "k€", "estimated"),
    ],
    columns=["poste", "factor_id", "quantity", "unit", "data_quality"],
)


def b3(revenue_keur: float | None = 2_000.0):  # type: ignore[no-untyped-def]
    library = load_bundled_library()
    result = compute(LINES, library, UncertaintyScale())
    energy = energy_use(LINES, library, load_energy_contents())
    return build_b3(result, energy, company="Hôtel des Cimes", year=2025, status="validated",
                    revenue_keur=revenue_keur)  # fmt: skip


def test_the_b3_figures_computed_by_hand() -> None:
    figures = b3()
    # Electricity 100,000 kWh = 100 MWh (grid, non-renewable); pellets 20,000 kWh PCI = 20 MWh.
    assert figures.total_energy_mwh == pytest.approx(120.0)
    assert figures.electricity_non_renewable_mwh == pytest.approx(100.0)
    assert figures.electricity_renewable_mwh == 0.0
    assert figures.fuels_renewable_mwh == pytest.approx(20.0)
    # Scope 2 location-based: 100,000 kWh × 0.052 kg = 5,200 kg = 5.2 t.
    assert figures.scope2_location_tco2e == pytest.approx(5.2)
    # Scope 3: 10 k€ × 110 kg/k€ = 1,100 kg = 1.1 t (plus the pellets' upstream if split).
    assert figures.scope3_tco2e >= 1.1
    assert figures.scope1_2_location_tco2e == pytest.approx(
        figures.scope1_tco2e + figures.scope2_location_tco2e
    )
    # Intensity §31: (scope 1 + scope 2) ÷ turnover of 2,000 k€ = 2,000,000 €.
    assert figures.ghg_intensity_tco2e_per_eur == pytest.approx(
        figures.scope1_2_location_tco2e / 2_000_000
    )
    assert b3(None).ghg_intensity_tco2e_per_eur is None


def test_the_workbook_is_filled_by_name_wherever_the_cells_are() -> None:
    # A template whose named cells sit somewhere else than carbon's own sheet.
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Environmental"
    book.defined_names["TotalEnergyConsumption"] = DefinedName(
        "TotalEnergyConsumption", attr_text="'Environmental'!$F$17"
    )
    book.defined_names["GrossScope1GreenhouseGasEmissions"] = DefinedName(
        "GrossScope1GreenhouseGasEmissions", attr_text="'Environmental'!$C$40"
    )
    buffer = io.BytesIO()
    book.save(buffer)
    filled, missing = fill_workbook(buffer.getvalue(), b3())
    cells = load_workbook(io.BytesIO(filled))["Environmental"]
    assert cells["F17"].value == pytest.approx(120.0)
    assert cells["C40"].value == pytest.approx(b3().scope1_tco2e)
    assert "GrossLocationBasedScope2GreenhouseGasEmissions" in missing
    assert len(missing) == len(ELEMENTS) - 2


def test_carbons_own_sheet_names_every_datapoint() -> None:
    filled, missing = fill_workbook(new_workbook(), b3())
    assert missing == []
    book = load_workbook(io.BytesIO(filled))
    sheet, coordinate = next(iter(book.defined_names["Turnover"].destinations))
    assert book[sheet][coordinate.replace("$", "")].value == pytest.approx(2_000_000)


def test_the_cli_exports_a_validated_year_and_refuses_a_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'carbon.db'}"
    monkeypatch.setenv("CARBON_DATABASE_URL", url)
    migrate.upgrade(url)
    engine = make_engine(Settings(env="test", database_url=url))
    with make_sessionmaker(engine)() as session:
        ids = _year(session, "validated"), _year(session, "draft")
        session.commit()
    engine.dispose()
    runner = CliRunner()
    out = tmp_path / "b3.json"
    done = runner.invoke(app, ["export", "vsme", "--company", str(ids[0]), "--year", "2025",
                               "--out", str(out)])  # fmt: skip
    assert done.exit_code == 0, done.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["xbrl"]["GrossLocationBasedScope2GreenhouseGasEmissions"] == pytest.approx(5.2)
    assert data["xbrl"]["TotalEnergyConsumption"] == pytest.approx(100.0)
    refused = runner.invoke(app, ["export", "vsme", "--company", str(ids[1]), "--year", "2025",
                                  "--out", str(tmp_path / "x.xlsx")])  # fmt: skip
    assert refused.exit_code == 1 and "is draft" in refused.output
    drafted = runner.invoke(app, ["export", "vsme", "--company", str(ids[1]), "--year", "2025",
                                  "--out", str(tmp_path / "x.xlsx"), "--draft"])  # fmt: skip
    assert drafted.exit_code == 0, drafted.output
    assert (tmp_path / "x.xlsx").stat().st_size > 0


def _year(session: Session, status: str) -> int:
    version = save_library(session, load_bundled_library(), source="bundled")
    company = make_company(session)
    period = make_period(session, company, version, year=2025, status=status, revenue_keur=500.0)
    # 100,000 kWh of French grid electricity: 100 MWh, 5,200 kg = 5.2 t of scope 2.
    make_line(session, period, factor_id="bundled:elec-fr-2022", quantity=100_000.0, unit="kWh")
    return company.id


def test_the_esrs_e1_6_table_from_the_same_result() -> None:
    library = load_bundled_library()
    train = pd.DataFrame(
        [("3.5", "bundled:train-tgv-fr-2022", 10_000.0, "passager.km", "measured")],
        columns=LINES.columns,
    )
    lines = pd.concat([LINES, train], ignore_index=True)
    result = compute(lines, library, UncertaintyScale())
    table = build_esrs_e1_6(result, 2_000.0)
    # Business travel (poste 3.5, GHG Protocol category 6): 10,000 p.km × 0.00293 = 29.3 kg.
    assert table.scope3_by_category["6"] == pytest.approx(0.0293)
    assert sum(table.scope3_by_category.values()) == pytest.approx(table.scope3_tco2e)
    assert table.total_location_tco2e == pytest.approx(
        table.scope1_tco2e + table.scope2_location_tco2e + table.scope3_tco2e
    )
    # No supplier contract: market-based equals location-based in this engine's result.
    assert table.intensity_market_tco2e_per_eur == pytest.approx(
        table.total_market_tco2e / 2_000_000
    )
    assert build_esrs_e1_6(result, None).intensity_location_tco2e_per_eur is None


def test_upstream_energy_is_category_3_in_the_esrs_table_as_in_the_pdf() -> None:
    """Poste 4.1 holds purchases (category 1) and the upstream part of energy (category 3):
    the ESRS E1-6 table splits it as the company PDF's scope view does."""
    from tests.accounting.library_builder import DIESEL, DIESEL_SPLIT, make_library

    goods = {"factor_id": "goods", "unit": "kg", "total_kgco2e": 2.0, "uncertainty_pct": 50.0}
    library = make_library([DIESEL, goods], DIESEL_SPLIT)
    lines = pd.DataFrame(
        [
            ("1.2", "diesel", 1_000.0, "litre", "measured"),
            ("4.1", "goods", 500.0, "kg", "measured"),
        ],
        columns=LINES.columns,
    )
    result = compute(lines, library, UncertaintyScale())
    # Diesel 1,000 L: combustion 2.50 → 2,500 kg in 1.2; upstream 0.60 → 600 kg moved to 4.1.
    # Goods 500 kg × 2.0 = 1,000 kg in 4.1. So 4.1 = 1,600 kg: 1,000 category 1, 600 category 3.
    assert result.by_poste["4.1"] == pytest.approx(1_600.0)
    split = {k: v for k, v in result.scope3_by_category().items() if v}
    assert split == pytest.approx({1: 1_000.0, 3: 600.0})
    table = build_esrs_e1_6(result, None)
    assert table.scope3_by_category == pytest.approx({"1": 1.0, "3": 0.6})
    assert table.scope3_tco2e == pytest.approx(1.6)
