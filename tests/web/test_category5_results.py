"""A manufacturer's category 5 (5.1, 5.3) on the results pages (issue 14).

World's period_a (tests/web/conftest.py) holds 3,620 kg (520 kg in 2.1, 3,100 kg in 1.2). Its
company adds the use of its sold products, 100 MWh of French grid electricity over their life
× 0.052 = 5,200 kg in 5.1, and their end of life, 60 t of steel recycled × 30 = 1,800 kg in 5.3.
Total 3,620 + 5,200 + 1,800 = 10,620 kg = 10.6 t.
"""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from sqlalchemy.orm import Session

from tests import factories as f

from .conftest import World


def _text(page: BeautifulSoup, selector: str) -> str:
    node = page.select_one(selector)
    assert node is not None, f"nothing matches {selector}"
    return " ".join(node.get_text(" ", strip=True).split())


def test_results_and_poste_pages_show_5_1_and_5_3(
    as_user: Any, world: World, db_session: Session
) -> None:
    period = world.period_a
    f.make_line(db_session, period, poste="5.1", factor_id="bundled:elec-fr-2022",
                quantity=100, unit="MWh")  # fmt: skip
    f.make_line(db_session, period, poste="5.3", factor_id="bundled:eol-steel-recycling",
                quantity=60, unit="tonne", data_quality="estimated")  # fmt: skip
    c = as_user("alice")
    page = BeautifulSoup(c.get(f"/periods/{period.id}/results").text, "html.parser")
    assert _text(page, "#total-value") == "10.6 t CO₂e"
    use = _text(page, "#poste-row-5-1")
    assert "Use of sold products" in use and "5.2" in use
    end = _text(page, "#poste-row-5-3")
    assert "End of life of sold products" in end and "1.8" in end
    page = BeautifulSoup(c.get(f"/periods/{period.id}/postes/5.1").text, "html.parser")
    assert _text(page, "#poste-total") == "5.20 t CO₂e"
    page = BeautifulSoup(c.get(f"/periods/{period.id}/postes/5.3").text, "html.parser")
    assert _text(page, "#poste-total") == "1.80 t CO₂e"


def test_a_french_makers_lift_running_in_italy_keeps_the_italian_grid(
    as_user: Any, world: World, db_session: Session
) -> None:
    # Company A is French: its lines are in FR. 20 MWh of the Italian grid used by a lift it
    # sold to Italy: 20,000 kWh × 0.2655 = 5,310 kg in 5.1, not the French mix (1,040 kg).
    period = world.period_a
    f.make_line(db_session, period, poste="5.1", factor_id="bundled:elec-it-2022",
                quantity=20, unit="MWh")  # fmt: skip
    c = as_user("alice")
    page = BeautifulSoup(c.get(f"/periods/{period.id}/postes/5.1").text, "html.parser")
    assert _text(page, "#poste-total") == "5.31 t CO₂e"
