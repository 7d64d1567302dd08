"""The results pages: the dashboard, its htmx breakdown block, and the drill-down by poste.

Figures are computed by hand from the World personas' data (tests/web/conftest.py): period_a
(company A, 2024, base year) has 10 MWh of French grid electricity (10,000 kWh × 0.052 = 520 kg
in 2.1, factor ± 10 %) and 1,000 L of diesel B7 (× 3.10 = 3,100 kg in 1.2, factor ± 5 %), both
measured (± 5 %). Total 3,620 kg. Variances (u_rel² × kg²): 520² × (0.10² + 0.05²) = 3,380 and
3,100² × (0.05² + 0.05²) = 48,050; total uncertainty √51,430 = 226.8 kg (6.26 %).
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.db.compute import compute_period, library_for
from carbon.db.factor_store import save_library
from carbon.db.models import ActivityLine, ReportingPeriod
from carbon.i18n import use_locale
from carbon.web.dashboard_data import facts_of, line_infos
from carbon.web.results_view import (
    HINT_ESTIMATE,
    HINT_FACTOR,
    HINT_QUALITY,
    BaseYear,
    build_dashboard,
)
from tests import factories as f
from tests.accounting.library_builder import DIESEL, DIESEL_SPLIT, ELEC_FR, make_library

from .conftest import World


def soup(r: Any) -> BeautifulSoup:
    return BeautifulSoup(r.text, "html.parser")


def node(page: Any, selector: str) -> Tag:
    found = page.select_one(selector)
    assert found is not None, f"nothing matches {selector}"
    return found


def attr(page: Any, selector: str, name: str) -> str:
    value = node(page, selector).get(name)
    return " ".join(value) if isinstance(value, list) else str(value or "")


def text(page: Any, selector: str = "") -> str:
    """The visible text of ``selector`` (of ``page`` itself without one), spaces collapsed."""
    node = page.select_one(selector) if selector else page
    assert node is not None, f"nothing matches {selector}"
    return " ".join(node.get_text(" ", strip=True).split())


def second_year(s: Session, world: World) -> ReportingPeriod:
    """2025 for company A: the same electricity, 800 L of diesel (× 3.10 = 2,480 kg): 3,000 kg."""
    world.period_a.fte, world.period_a.revenue_keur = 20.0, 1810.0
    world.period_a.sector_activity = 36200.0
    p = f.make_period(s, world.company_a, world.library, year=2025, fte=20.0,
                      revenue_keur=1200.0, sector_activity=40000.0)  # fmt: skip
    f.make_line(s, p, poste="2.1", factor_id="bundled:elec-fr-2022", quantity=10, unit="MWh",
                activity_id="electricity-buildings")  # fmt: skip
    f.make_line(s, p, poste="1.2", factor_id="bundled:diesel-b7-fr", quantity=800, unit="litre",
                activity_id="groomer-diesel")  # fmt: skip
    s.flush()
    return p


def split_library_period(s: Session, world: World) -> ReportingPeriod:
    """2023 for company A on a library where diesel is checked and split 2.50 + 0.60 (upstream).

    1,000 L of diesel: 2,500 kg in 1.2 and 600 kg in 4.1; 10 MWh of electricity (unchecked,
    unsplit): 520 kg in 2.1.
    """
    lib = make_library(
        [{**DIESEL, "checked": True, "estimate": False, "source_ref": "14015"}, ELEC_FR],
        DIESEL_SPLIT,
        version="test-split 1",
    )
    version = save_library(s, lib, source="ademe")
    p = f.make_period(s, world.company_a, version, year=2023)
    f.make_line(s, p, poste="1.2", factor_id="diesel", quantity=1000, unit="litre")
    f.make_line(s, p, poste="2.1", factor_id="elec-fr", quantity=10, unit="MWh")
    s.flush()
    return p


# ---- Access ------------------------------------------------------------------------------------

PAGES = ("/periods/{id}/results", "/periods/{id}/postes/2.1")


def test_anonymous_is_sent_to_login(client: Any, world: World) -> None:
    for path in PAGES:
        url = path.format(id=world.period_a.id)
        r = client.get(url, follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"] == f"/login?next={url}"


@pytest.mark.parametrize(("persona", "status"), [
    ("alice", 200), ("bob", 404), ("carol", 200), ("dave", 404), ("admin", 200),
])  # fmt: skip
def test_access(as_user: Any, world: World, persona: str, status: int) -> None:
    c = as_user(persona)
    for path in PAGES:
        r = c.get(path.format(id=world.period_a.id))
        assert (path, r.status_code) == (path, status)
        if status == 404:
            assert "Alpha Remontées" not in r.text and "3.6" not in r.text
    # htmx asking for the breakdown block of a period that is not yours: 404 as well.
    r = c.htmx("GET", f"/periods/{world.period_a.id}/results?breakdown=scopes")
    assert r.status_code == status


def test_unknown_poste_is_404(as_user: Any, world: World) -> None:
    c = as_user("alice")
    assert c.get(f"/periods/{world.period_a.id}/postes/9.9").status_code == 404
    assert c.get(f"/periods/{world.period_a.id}/postes/abc").status_code == 404


# ---- The dashboard -----------------------------------------------------------------------------


def test_dashboard_figures(as_user: Any, world: World) -> None:
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}/results"))
    assert text(page, "#total-value") == "3.6 t CO₂e"
    # ± 226.8 kg = 0.2 t; 226.8 / 3,620 = 6.26 %.
    assert text(page, "#total-uncertainty") == "± 0.2 t CO₂e (± 6.3%)"
    assert "base year" in text(page, "#change-total")
    # Category 1: 3,100 / 3,620 = 85.6 %; category 2: 520 / 3,620 = 14.4 %.
    assert "3.1 t CO₂e 85.6%" in text(page, "#breakdown-table #group-1")
    assert "0.5 t CO₂e 14.4%" in text(page, "#breakdown-table #group-2")
    links = [a.get("href") for a in page.select("#breakdown-table #group-1 a")]
    assert links == [f"/periods/{world.period_a.id}/postes/1.2"]
    # The 22 postes are all listed; the empty ones muted and without a link.
    assert len(page.select("#beges tr[id^=poste-row-]")) == 22
    assert attr(page, "#poste-row-1-1", "class") == "results-empty"
    assert page.select_one("#poste-row-1-1 a") is None
    assert attr(page, "#poste-row-1-2", "class") == ""
    assert attr(page, "#poste-row-1-2 a", "href").endswith("/postes/1.2")
    # Market-based, no contract: the AIB residual mix of France 2024, 10,000 kWh × 0.02352 =
    # 235.2 kg = 0.2 t (until December 2026 France had none: market = location = 0.5 t).
    assert text(page, "#scope2-location") == "0.5 t CO₂e"
    assert text(page, "#scope2-market") == "0.2 t CO₂e"
    sources = [text(tr, "td:nth-of-type(2)") for tr in page.select("#sources tbody tr")]
    assert sources == ["Snow groomer diesel", "Building electricity (offices, workshops, hotels)"]
    # Both bundled factors are unchecked: 100 % of 3.6 t rests on them.
    assert "100% of this footprint (3.6 t CO₂e, 2 line(s))" in text(page, "#note-unchecked")
    assert page.select_one("#note-estimates") is None
    assert "2 energy line(s)" in text(page, "#note-unsplit")
    # Diesel weighs 48,050 / 51,430 = 93 % of the variance, electricity 3,380 / 51,430 = 7 %.
    improve = [text(li) for li in page.select("#improve li")]
    assert improve[0].startswith("Snow groomer diesel") and "93% of the total's" in improve[0]
    assert "7% of the total's" in improve[1]
    # No period has revenue or sector activity here: intensities say so rather than guess.
    assert "not given" in text(page, "#intensity-revenue_keur")
    # No period has its FTE either: the company's 25 stand in, as in the PDF and the cohort
    # table (carbon.accounting.headcount): 3,620 / 25 = 144.8 kg = 0.14 t per FTE.
    assert text(page, "#intensity-fte") == "per full-time equivalent (FTE) 0.14 t CO₂e 25.0 FTE"


def test_change_against_the_base_year_and_intensities(
    as_user: Any, world: World, db_session: Session
) -> None:
    p2025 = second_year(db_session, world)
    page = soup(as_user("alice").get(f"/periods/{p2025.id}/results"))
    assert text(page, "#total-value") == "3.0 t CO₂e"
    # 3,000 − 3,620 = −620 kg; −620 / 3,620 = −17.1 %.
    assert text(page, "#change-total") == "-17.1%"
    # Category 1: 2,480 − 3,100 = −620 kg (−20.0 %); category 2 unchanged.
    assert text(page, "#breakdown-table #group-1 td:nth-of-type(3)") == "-0.6 t CO₂e (-20.0%)"
    assert text(page, "#breakdown-table #group-2 td:nth-of-type(3)") == "0.0 t CO₂e (0.0%)"
    assert text(page, "#breakdown-table #group-5 td:nth-of-type(3)") == "—"  # 0 then, 0 now
    # Per FTE: 3,000 / 20 = 150 kg = 0.15 t; base 3,620 / 20 = 181 kg = 0.18 t; −17.1 %.
    assert text(page, "#intensity-fte") == (
        "per full-time equivalent (FTE) 0.15 t CO₂e 20.0 FTE 0.18 t CO₂e -17.1%"
    )
    # Per k€: 3,000 / 1,200 = 2.50 kg; base 3,620 / 1,810 = 2.00 kg; +25.0 %.
    assert (
        text(page, "#intensity-revenue_keur")
        == "per k€ of revenue 2.50 kg CO₂e 1,200 k€ 2.00 kg CO₂e +25.0%"
    )
    # Per skier-day: 3,000 / 40,000 = 0.075 kg; base 3,620 / 36,200 = 0.10 kg; −25.0 %.
    assert text(page, "#intensity-sector_activity") == (
        "per skier-day 0.08 kg CO₂e 40,000 skier-day 0.10 kg CO₂e -25.0%"
    )
    chart = json.loads(text(page, "#chart-history"))
    assert chart["labels"] == ["2024 (base year)", "2025"]
    assert chart["series"][0]["values"] == [3.62, 3.0]
    assert chart["series"][1] == {"label": "Base year 2024", "values": [3.62, 3.62], "dashed": True}
    years = [text(tr, "th") for tr in page.select("#history tbody tr")]
    assert years == ["2024 base year", "2025"]
    assert page.select_one("#history tr[aria-current]") is not None


def test_the_dashboard_follows_its_lines_and_the_other_years(
    as_user: Any, world: World, db_session: Session
) -> None:
    """Dashboards are kept by the application (web.dashboard_data.Dashboards): a change to the
    period's lines or to another year shows on the next view."""
    p2025 = second_year(db_session, world)
    alice = as_user("alice")

    def page() -> BeautifulSoup:
        return soup(alice.get(f"/periods/{p2025.id}/results"))

    assert text(page(), "#total-value") == "3.0 t CO₂e"
    kept = alice.app.state.dashboards.built.get((p2025.id, "en"))
    assert kept is not None
    assert text(page(), "#total-value") == "3.0 t CO₂e"
    assert alice.app.state.dashboards.built.get((p2025.id, "en")) is kept  # served as kept
    # One more line: 3,000 + 10,000 kWh × 0.052 = 3,520 kg.
    f.make_line(db_session, p2025, poste="2.1", factor_id="bundled:elec-fr-2022",
                quantity=10_000, unit="kWh")  # fmt: skip
    db_session.flush()
    assert text(page(), "#total-value") == "3.5 t CO₂e"
    # The base year's FTE is another period's: 3,620 / 10 = 362 kg = 0.36 t per FTE (was 0.18).
    world.period_a.fte = 10.0
    db_session.flush()
    assert "0.36 t CO₂e" in text(page(), "#intensity-fte")
    # The year's own figures were derived once for 3,520 kg: the base year's change reused them.
    own = alice.app.state.dashboards.own.get((p2025.id, "en"))
    assert own is not None and own.result.total_kgco2e == pytest.approx(3_520.0)


def test_breakdown_switches_in_place_with_htmx(as_user: Any, world: World) -> None:
    c = as_user("alice")
    url = f"/periods/{world.period_a.id}/results?breakdown=scopes"
    r = c.htmx("GET", url)
    assert r.status_code == 200
    assert "<html" not in r.text
    page = soup(r)
    assert page.select_one("#breakdown") is not None and page.select_one("#beges") is None
    # Scope 1 = 1.2 (3,100 kg); scope 2 = 2.1 (520 kg); scope 3 nothing.
    assert text(page, "#group-1 th") == "Scope 1"
    assert text(page, "#group-1 td:nth-of-type(1)") == "3.1 t CO₂e"
    assert text(page, "#group-3 td:nth-of-type(1)") == "0.0 t CO₂e"
    chart = json.loads(attr(page, "canvas[data-chart=doughnut]", "data-chart-data"))
    assert chart["labels"] == ["Scope 1", "Scope 2"]
    assert chart["series"][0]["values"] == [3.1, 0.52] and chart["palette"] == [1, 2]
    # The same URL as a plain page (reload, shared link): the whole dashboard, scopes chosen.
    full = soup(c.get(url))
    assert full.select_one("html") is not None and full.select_one("#beges") is not None
    assert attr(full, ".results-switch a[aria-current]", "href").startswith(url)


def test_notes_on_estimates_and_hints(as_user: Any, world: World, db_session: Session) -> None:
    # + 380 t.km by van × 1.000 (an estimate factor, ± 50 %), estimated (± 30 %) = 380 kg;
    # + 100 L of diesel × 3.10, estimated = 310 kg. Total 3,620 + 380 + 310 = 4,310 kg.
    f.make_line(db_session, world.period_a, poste="3.1", factor_id="bundled:freight-van",
                quantity=380, unit="t.km", data_quality="estimated")  # fmt: skip
    f.make_line(db_session, world.period_a, poste="1.2", factor_id="bundled:diesel-b7-fr",
                quantity=100, unit="litre", data_quality="estimated")  # fmt: skip
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}/results"))
    # 380 / 4,310 = 8.8 % rests on an estimate.
    assert "9% of this footprint (0.4 t CO₂e, 1 line(s))" in text(page, "#note-estimates")
    # Variances: van 380² × (0.5² + 0.3²) = 49,096; diesel 48,050; small diesel
    # 310² × (0.05² + 0.3²) = 8,889.25; electricity 3,380. Total 109,415.25.
    hints = [text(li, ".results-hint") for li in page.select("#improve li")]
    shares = [text(li) for li in page.select("#improve li")]
    assert "45% of the total's" in shares[0]  # 49,096 / 109,415 = 44.9 %
    assert hints[0] == HINT_ESTIMATE
    assert hints[1] == HINT_FACTOR  # measured already: the factor is what is left
    assert hints[2] == HINT_QUALITY["estimated"]


def test_negligible_lines_are_not_worth_improving(
    as_user: Any, world: World, db_session: Session
) -> None:
    # 1 kWh × 0.052 = 0.052 kg, estimated: variance 0.052² × (0.1² + 0.3²) ≈ 0.0003 kg², far
    # below half a percent of 51,430: only the two real lines are listed.
    f.make_line(db_session, world.period_a, poste="2.1", factor_id="bundled:elec-fr-2022",
                quantity=1, unit="kWh", data_quality="estimated")  # fmt: skip
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}/results"))
    assert len(page.select("#improve li")) == 2


def test_what_to_improve_follows_sources_not_lines(
    as_user: Any, world: World, db_session: Session
) -> None:
    # Two more measured bills of the same meter (5 MWh each) join the 10 MWh line: one source of
    # 20,000 kWh × 0.052 = 1,040 kg ± 1,040 × sqrt(0.1² + 0.05²) = 116.275 kg, variance 13,520.
    # Diesel 48,050. Total variance 61,570: diesel 78 %, electricity 13,520 / 61,570 = 22 %.
    # (Line by line, the three bills would have been three entries of 3,380 and 845 × 2.)
    for _ in range(2):
        f.make_line(db_session, world.period_a, poste="2.1", factor_id="bundled:elec-fr-2022",
                    quantity=5, unit="MWh", data_quality="measured")  # fmt: skip
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}/results"))
    improve = [text(li) for li in page.select("#improve li")]
    assert len(improve) == 2
    assert "78% of the total's" in improve[0]
    assert "and 2 more lines of the same factor and quality" in improve[1]
    assert "22% of the total's" in improve[1]


def test_build_dashboard_exact_figures(world: World, db_session: Session) -> None:
    p2025 = second_year(db_session, world)
    lib = library_for(db_session, world.library.id)
    base = compute_period(db_session, world.period_a)
    with use_locale("en"):
        dash = build_dashboard(
            compute_period(db_session, p2025), lib, line_infos(db_session, p2025, lib, "en"),
            facts_of(p2025), "en", BaseYear(2024, base, facts_of(world.period_a)),
        )  # fmt: skip
    assert dash.result.total_kgco2e == pytest.approx(3000.0)
    # 520² × 0.0125 + 2,480² × 0.005 = 3,380 + 30,752 = 34,132.
    assert dash.result.uncertainty_kgco2e == pytest.approx(math.sqrt(34132))
    assert dash.change is not None and dash.change.absolute == pytest.approx(-620.0)
    assert dash.change.relative_pct == pytest.approx(-620 / 3620 * 100)
    cat1 = dash.categories[0]
    assert cat1.kgco2e == pytest.approx(2480) and cat1.share_pct == pytest.approx(82.6667, 1e-4)
    assert [p.poste.code for p in cat1.postes if not p.empty] == ["1.2"]
    assert dash.scopes[1].kgco2e == pytest.approx(520)
    assert dash.unchecked.share_pct == pytest.approx(100.0) and dash.unchecked.lines == 2
    fte = dash.intensities[0]
    assert fte.kg_per_unit == pytest.approx(150.0) and fte.base_kg_per_unit == pytest.approx(181.0)
    assert [s.kgco2e for s in dash.sources] == pytest.approx([2480.0, 520.0])
    assert dash.improvements[0].share_pct == pytest.approx(30752 / 34132 * 100)


def test_empty_period(as_user: Any, world: World, db_session: Session) -> None:
    empty = f.make_period(db_session, world.company_a, world.library, year=2026)
    page = soup(as_user("alice").get(f"/periods/{empty.id}/results"))
    # No figures at all until there are lines: the page says what to do instead.
    assert page.select_one("#total-value") is None
    assert page.select_one("canvas[data-chart=doughnut]") is None
    assert "No results yet: this year has no activity line." in text(page, "#no-results")
    assert "No activity line" in text(
        soup(as_user("alice").get(f"/periods/{empty.id}/postes/1.1")), "#no-lines"
    )


# ---- Drill-down --------------------------------------------------------------------------------


def test_poste_lists_its_lines_and_their_factor(as_user: Any, world: World) -> None:
    line = next(ln for ln in world.period_a.lines if ln.poste == "2.1")
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}/postes/2.1"))
    assert text(page, "#poste-total") == "0.52 t CO₂e"
    cells = [text(td) for td in page.select(f"#line-{line.id} td")]
    assert cells[:4] == ["Building electricity (offices, workshops, hotels)", "10.0", "MWh",
                         "measured (invoice, meter)"]  # fmt: skip
    # 10,000 kWh × 0.052 = 520 kg, all of the poste; √(10² + 5²) = 11.2 %, × 520 = 58.1 kg.
    assert cells[4:7] == ["520.0 kg CO₂e", "100.0%", "± 11.2% ± 58.1 kg CO₂e"]
    factor = page.select_one("[id='factor-bundled:elec-fr-2022']")
    facts = text(factor)
    for expected in ("0.052 kg CO₂e per kWh", "Nos Gestes Climat", "carbon-bundled 2026.5",
                     "± 10% (ADEME default class)", "not checked against ADEME", "FR",
                     "no split in the source"):  # fmt: skip
        assert expected in facts


def test_upstream_of_energy_appears_under_4_1(
    as_user: Any, world: World, db_session: Session
) -> None:
    period = split_library_period(db_session, world)
    diesel = next(ln for ln in period.lines if ln.poste == "1.2")
    c = as_user("alice")
    page = soup(c.get(f"/periods/{period.id}/postes/1.2"))
    row = text(page, f"#line-{diesel.id}")
    # 1,000 L × 2.50 (combustion) = 2,500 kg here; × 0.60 (upstream) = 600 kg in 4.1.
    assert "2,500.0 kg CO₂e + 600.0 kg CO₂e upstream, counted in 4.1" in row
    factor = text(page, "[id='factor-diesel']")
    assert "checked against ADEME" in factor and "not checked" not in factor
    assert "14015" in factor
    assert "Combustion: 2.5 kg CO₂e per litre (combustion, stays in the line's poste)" in factor
    assert "Amont: 0.6 kg CO₂e per litre (upstream, counted in 4.1)" in factor

    page = soup(c.get(f"/periods/{period.id}/postes/4.1"))
    assert text(page, "#poste-total") == "0.60 t CO₂e"
    up = text(page, f"#upstream-{diesel.id}")
    assert "upstream of energy" in up and "from poste 1.2" in up and "600.0 kg CO₂e" in up

    page = soup(c.get(f"/periods/{period.id}/results"))
    assert page.select_one("#poste-row-4-1 a") is not None  # 4.1 is not empty any more
    # Only electricity (520 of 3,620 kg) rests on an unchecked factor: 14 %.
    assert "14% of this footprint (0.5 t CO₂e, 1 line(s))" in text(page, "#note-unchecked")
    assert "1 energy line(s)" in text(page, "#note-unsplit")


def test_method_warnings_are_listed_with_their_line(
    as_user: Any, world: World, db_session: Session
) -> None:
    # Company B is Italian, its 2024 electricity has no supplier contract: the market-based
    # figure takes the AIB residual mix of Italy 2024, 20,000 kWh × 0.44120 = 8,824 kg (0.441
    # until December 2026, 8,820 kg: a documented correction, methodology §12), and the
    # page says so next to the line's number. A French line of 2024 spent VAT-included:
    # 1,200 € TTC / 1.20 = 1 k€ HT (the bundled ratio has no price year: said, not deflated).
    line_id = db_session.scalars(
        select(ActivityLine.id).where(ActivityLine.period_id == world.period_b.id)
    ).one()
    page = soup(as_user("bob").get(f"/periods/{world.period_b.id}/results"))
    items = [text(li) for li in page.select("#method-warnings li")]
    assert len(items) == 1 and "residual mix of IT 2024" in items[0]
    assert items[0].startswith(f"Line {line_id}:")
    result = compute_period(db_session, world.period_b)
    assert result.scope2_market_kgco2e == pytest.approx(8824.0)
    f.make_line(db_session, world.period_a, poste="4.5", factor_id="bundled:money-services-it",
                quantity=1200, unit="€ TTC")  # fmt: skip
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}/results"))
    items = [text(li) for li in page.select("#method-warnings li")]
    assert any("excluding VAT at 20 % (FR)" in i for i in items)
    assert any("states no price year" in i for i in items)
    # A second line with the same note: one item naming both lines, not two items.
    second = f.make_line(db_session, world.period_a, poste="4.5", quantity=600, unit="€ TTC",
                         factor_id="bundled:money-services-it")  # fmt: skip
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}/results"))
    again = [text(li) for li in page.select("#method-warnings li")]
    assert len(again) == len(items)
    vat = next(i for i in again if "excluding VAT at 20 % (FR)" in i)
    assert vat.startswith("Lines ") and f"{second.id} (2):" in vat


def test_one_fte_on_every_page_and_report(as_user: Any, world: World, db_session: Session) -> None:
    """The year without its own FTE uses the company's, rounded once: the results page, the
    company PDF, the cohort table and report, and the plan's intensities all use 12.3."""
    from carbon.coaching.dashboard import build_dashboard
    from carbon.db.models import Enrolment
    from carbon.plan.footprints import denominator
    from carbon.reports.data import period_report
    from carbon.reports.data_cohort import cohort_report

    world.company_a.fte, world.period_a.fte = 12.25, None
    db_session.flush()
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}/results"))
    # 3,620 kg / 12.3 = 294.3 kg = 0.29 t per FTE, beside "12.3 FTE".
    assert text(page, "#intensity-fte") == "per full-time equivalent (FTE) 0.29 t CO₂e 12.3 FTE"
    assert facts_of(world.period_a).fte == 12.3
    assert period_report(db_session, world.period_a, "en").fte == 12.3
    assert denominator(world.period_a, "fte") == 12.3
    enrolment = db_session.query(Enrolment).filter_by(company_id=world.company_a.id).one()
    row = next(
        r
        for r in build_dashboard(db_session, enrolment.cohort_id).rows
        if r.company.id == world.company_a.id
    )
    assert row.intensities["fte"].latest == pytest.approx(3_620 / 12.3)
    report = cohort_report(db_session, enrolment.cohort, "en")
    assert [c.fte for c in report.companies if c.company_id == world.company_a.id] == [12.3]
    company = soup(as_user("alice").get(f"/companies/{world.company_a.id}"))
    assert "12.3 FTE" in text(company, ".lead")


def test_emissions_by_gas_behind_a_disclosure(
    as_user: Any, world: World, db_session: Session
) -> None:
    # period_a's 3,620 kg have no breakdown by gas; 2 kg of R410A leaked add 2 × 1,924 = 3,848 kg
    # of HFCs ("other gases"); total 7,468 kg: other 3,848 / 7,468 = 51.5 %.
    f.make_line(db_session, world.period_a, poste="1.4", factor_id="bundled:refrigerant-r410a",
                quantity=2, unit="kg")  # fmt: skip
    db_session.flush()
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}/results"))
    assert page.select_one("details#by-gas") is not None
    assert "IPCC AR5, 100 years" in text(page, "#by-gas-table caption")
    assert text(page, "#gas-other") == "Other gases 3.8 t CO₂e 51.5%"
    assert text(page, "#gas-not-broken-down") == "Not broken down by gas 3.6 t CO₂e 48.5%"
    assert text(page, "#gas-co2-fossil") == "CO₂ fossil 0.0 t CO₂e 0.0%"
    assert "3.6 t CO₂e of this footprint" in text(page, "#note-not-broken-down")
