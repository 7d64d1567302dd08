"""The results page's "replace the biggest spend lines first" (methodology.md § 17), by hand.

World's period_a (tests/web/conftest.py) holds two physical lines: 10 MWh of electricity (520 kg,
variance 3,380 kg²) and 1,000 L of diesel (3,100 kg, variance 48,050 kg²). Two spend lines are
added, both estimated (± 30 %) on ratios at ± 50 %, so u² = 0.5² + 0.3² = 0.34:
  S1, from the books: 10 k€ × 110 kg/k€ (intellectual services, 4.5) = 1,100 kg,
      variance 0.34 × 1,100² = 411,400; its account 6226 has a company rule with a hint;
  S2, typed: 2 k€ × 900 kg/k€ (food and drink, 4.1) = 1,800 kg, variance 0.34 × 1,800² = 1,101,600.
Total 520 + 3,100 + 1,100 + 1,800 = 6,520 kg; variance 51,430 + 411,400 + 1,101,600 = 1,564,430.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from carbon.db.models import MappingRule
from carbon.i18n import gettext, use_locale
from carbon.reports.spend_hints import HINT_FOOD, account_of
from tests import factories as f

from .conftest import World
from .test_results import soup, text

HINT_6226 = "Hours of audit and advice, with the firm's own footprint per hour"


def _spend_lines(s: Session, world: World) -> None:
    f.make_line(s, world.period_a, poste="4.5", factor_id="bundled:money-services-intellectual",
                quantity=10, unit="k€", data_quality="estimated",
                comment="6226 Honoraires — Cabinet Expert",
                evidence_ref="FEC 0123456789ab 6226/401EXP")  # fmt: skip
    f.make_line(s, world.period_a, poste="4.1", factor_id="bundled:money-food", quantity=2,
                unit="k€", data_quality="estimated", activity_id="purchases-food")  # fmt: skip
    s.add(MappingRule(company_id=world.company_a.id, prefix="6226", treatment="spend", poste="4.5",
                      factor_id="bundled:money-services-intellectual", overlaps="",
                      label="Fees", physical_hint=HINT_6226, note="", version_id=1))  # fmt: skip
    s.flush()


def test_the_spend_lines_ranked_with_their_shares_and_hints(
    as_user: Any, world: World, db_session: Session
) -> None:
    _spend_lines(db_session, world)
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}/results"))
    rows = page.select("#spend tbody tr")
    assert len(rows) == 2  # the electricity and the diesel are physical: not listed
    cells = [[text(td) for td in tr.select("td")] for tr in rows]
    # S2 first (1,800 kg): 1,800 / 6,520 = 27.6 % of the total; 1,101,600 / 1,564,430 = 70.4 %
    # of the variance. Food: the hint is about meals and kg of food.
    assert cells[0][0] == "1" and cells[0][2].startswith("4.1 Purchased goods")
    assert cells[0][3:6] == ["1.80", "27.6%", "70.4%"]
    assert cells[0][6] == HINT_FOOD
    # S1: 1,100 / 6,520 = 16.9 %; 411,400 / 1,564,430 = 26.3 %; the company rule's hint.
    assert cells[1][2].startswith("4.5 Purchased services")
    assert cells[1][3:6] == ["1.10", "16.9%", "26.3%"]
    assert cells[1][6] == HINT_6226
    assert "Cabinet Expert" in cells[1][1]


def test_in_french_the_numbers_follow_the_locale(
    as_user: Any, world: World, db_session: Session
) -> None:
    _spend_lines(db_session, world)
    world.alice.locale = "fr"
    db_session.flush()
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}/results"))
    first = [text(td) for td in page.select("#spend tbody tr")[0].select("td")]
    assert first[3:6] == ["1,80", "27,6 %", "70,4 %"]
    with use_locale("fr"):
        assert first[6] == gettext(HINT_FOOD) != HINT_FOOD
    assert "Remplacer" in text(page, "#spend-title")


def test_no_section_without_a_spend_line(as_user: Any, world: World) -> None:
    page = soup(as_user("alice").get(f"/periods/{world.period_a.id}/results"))
    assert page.select_one("#spend-to-replace") is None


def test_the_account_is_read_from_the_fec_evidence_only() -> None:
    assert account_of("FEC 0123456789ab 6226/401EXP") == "6226"
    assert account_of("facture 2024-17") is None
    assert account_of(None) is None


def test_a_coachs_new_hint_shows_at_once(as_user: Any, world: World, db_session: Session) -> None:
    # The app keeps built dashboards (web/dashboard_data.Dashboards): a rule's edit must reach
    # the page although no line changed.
    _spend_lines(db_session, world)
    alice = as_user("alice")
    url = f"/periods/{world.period_a.id}/results"
    assert text(soup(alice.get(url)), "#spend tbody tr:nth-of-type(2) td:nth-of-type(7)") == (
        HINT_6226
    )
    rule = db_session.query(MappingRule).filter_by(company_id=world.company_a.id).one()
    rule.physical_hint = "Hours billed by the auditors"
    db_session.flush()
    cell = text(soup(alice.get(url)), "#spend tbody tr:nth-of-type(2) td:nth-of-type(7)")
    assert cell == "Hours billed by the auditors"
    db_session.delete(rule)
    db_session.flush()
    # No rule left for 6226: the poste's hint (4.5, purchased services).
    cell = text(soup(alice.get(url)), "#spend tbody tr:nth-of-type(2) td:nth-of-type(7)")
    assert cell.startswith("Your suppliers' own footprint for the service")
