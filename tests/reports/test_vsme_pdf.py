"""The company PDF's VSME B3 page prints what ``carbon export vsme`` writes, for the demo company.

Both come from reports/data_vsme.vsme_figures; this reads the numbers back from the PDF's text and
compares them with the JSON file the command line wrote, rounded as the page rounds them (MWh to
one decimal, tonnes to two, intensities per million € to two).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from carbon.accounting.energy import EnergyUse
from carbon.cli import app
from carbon.config import Settings
from carbon.db import migrate
from carbon.db.models import ActivityLine, ReportingPeriod
from carbon.db.session import make_engine, make_sessionmaker
from carbon.demo.load import load_demo
from carbon.i18n import fmt_number, gettext, use_locale
from carbon.reports.company import company_report_pdf
from carbon.reports.data import period_report
from carbon.reports.vsme import build_b3, build_esrs_e1_6

from . import sample
from .pdf import follows, lines, pages_text

TITLE = "VSME B3 — Energy and GHG emissions"


def _demo_year(session: Session) -> ReportingPeriod:
    """The demo's first year that has a turnover, energy lines and a spend of each kind."""
    periods = session.scalars(
        select(ReportingPeriod)
        .where(ReportingPeriod.revenue_keur.is_not(None))
        .order_by(ReportingPeriod.id)
    ).all()
    for period in periods:
        postes = set(session.scalars(
            select(ActivityLine.poste).where(ActivityLine.period_id == period.id)
        ))  # fmt: skip
        if {"1.1", "2.1"} <= postes and postes & {"4.1", "4.5"}:
            return period
    raise AssertionError("the demo has no year with energy, spends and a turnover")


def _b3_page(pdf: bytes) -> list[str]:
    # The page itself, not the contents that name it.
    page = next(p for p in pages_text(pdf) if TITLE in p and "Contents" not in p)
    return [line.strip() for line in page.splitlines() if line.strip()]


def test_the_b3_page_prints_the_json_exports_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'carbon.db'}"
    monkeypatch.setenv("CARBON_DATABASE_URL", url)
    migrate.upgrade(url)
    settings = Settings(env="test", database_url=url)
    engine = make_engine(settings)
    with make_sessionmaker(engine)() as session:
        load_demo(session, settings)
        session.commit()
        period = _demo_year(session)
        company_id, year = period.company_id, period.year
    out = tmp_path / "b3.json"
    done = CliRunner().invoke(app, ["export", "vsme", "--company", str(company_id), "--year",
                                    str(year), "--out", str(out), "--draft"])  # fmt: skip
    assert done.exit_code == 0, done.output
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    with make_sessionmaker(engine)() as session:
        period = session.get_one(ReportingPeriod, period.id)
        report = period_report(session, period, "en")
    engine.dispose()
    seq = _b3_page(company_report_pdf(report, "en"))
    e16 = data["esrs_e1_6"]

    def mwh(v: float) -> str:
        return fmt_number(v, "en", 1)

    def t(v: float) -> str:
        return fmt_number(v, "en", 2)

    assert data["total_energy_mwh"] > 0 and data["turnover_eur"] > 0
    expected = [
        ("Total energy consumption", mwh(data["total_energy_mwh"])),
        ("Electricity, renewable", mwh(data["electricity_renewable_mwh"])),
        ("Electricity, non-renewable", mwh(data["electricity_non_renewable_mwh"])),
        ("of which self-generated", mwh(data["self_generated_mwh"])),
        ("Fuels, renewable", mwh(data["fuels_renewable_mwh"])),
        ("Fuels, non-renewable", mwh(data["fuels_non_renewable_mwh"])),
        ("Gross scope 1 GHG emissions", t(data["scope1_tco2e"])),
        ("Gross scope 3 GHG emissions", t(data["scope3_tco2e"])),
        ("Scope 1 and location-based scope 2", t(data["scope1_2_location_tco2e"])),
        ("Turnover (k€)", fmt_number(data["turnover_eur"] / 1000, "en", 0)),
        ("Total GHG emissions, location-based", t(e16["total_location_tco2e"])),
        ("Total GHG emissions, market-based", t(e16["total_market_tco2e"])),
    ]
    for label, value in expected:
        assert follows(seq, label, value), (label, value, seq)
    # Scope 2, both ways, and the intensity (× 10⁶: per million €) come as wrapped labels: the
    # value follows the label's last line.
    text = "\n".join(seq)
    for value in (data["scope2_location_tco2e"], data["scope2_market_tco2e"]):
        assert f"\n{t(value)}\n" in text
    intensity = t(data["ghg_intensity_tco2e_per_eur"] * 1e6)
    assert f"\n{intensity}\n" in text
    for category, value in e16["scope3_by_category"].items():
        assert f"\n{t(value)}\n" in text, category
    assert "turnover not given" not in text


def test_a_year_without_energy_or_turnover_still_renders() -> None:
    # The sample year's result with no energy figure at all and no turnover.
    report = sample.period_a()
    result = report.result
    b3 = build_b3(result, EnergyUse(), company="X", year=2024, status="draft", revenue_keur=None)
    e16 = build_esrs_e1_6(result, None)
    for locale in ("fr", "it", "en"):
        pdf = company_report_pdf(replace(report, vsme=(b3, e16)), locale)
        with use_locale(locale):
            title, missing = gettext(TITLE), gettext("turnover not given")
        seq = _b3_page(pdf) if locale == "en" else lines(pdf)
        joined = " ".join(seq)  # a long label wraps: its words come back as several lines
        assert title in joined
        assert joined.count(missing) == 3  # B3's intensity and E1-6's two
    # No energy: 0.0 MWh, printed as such.
    assert follows(_b3_page(company_report_pdf(replace(report, vsme=(b3, e16)), "en")),
                   "Total energy consumption", "0.0")  # fmt: skip
