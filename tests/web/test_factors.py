"""The factor browser: search a stored library and read a factor, linked from the lines."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy.orm import Session

from carbon.db.factor_store import save_library
from tests.accounting.library_builder import DIESEL, DIESEL_SPLIT, ELEC_FR, make_library

from .conftest import World


def soup(r: Any) -> BeautifulSoup:
    return BeautifulSoup(r.text, "html.parser")


def text(node: Any) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


@pytest.mark.parametrize("persona", ["alice", "carol", "admin"])
def test_search_and_read_a_factor(as_user: Any, world: World, persona: str) -> None:
    c = as_user(persona)
    page = soup(c.get("/factors?q=gazole b7"))
    links = [a["href"] for a in page.select("#factor-table tbody th a")]
    assert f"/factors/{world.library.id}/bundled:diesel-b7-fr" in links
    assert not any("elec" in h for h in links)  # every word must match: no electricity
    detail = soup(c.get(f"/factors/{world.library.id}/bundled:diesel-b7-fr"))
    # The bundled road diesel: 3.1 kg CO2e per litre, from Nos Gestes Climat after Base Carbone.
    assert text(detail.select_one("#factor-value")) == "3.1 kg CO₂e per litre"
    dl = text(detail.select_one("#factor-detail"))
    assert "Nos Gestes Climat" in dl and "Uncertainty" in dl and "Validity" in dl


def test_search_in_another_library_and_its_subposts(
    as_user: Any, world: World, db_session: Session
) -> None:
    library = make_library([DIESEL, ELEC_FR], DIESEL_SPLIT, version="test-split 1")
    other = save_library(db_session, library, source="ademe", label="ADEME test")
    db_session.flush()
    c = as_user("alice")
    page = soup(c.htmx("GET", f"/factors?q=diesel&library={other.id}"))
    assert page.select_one("#factor-search") is None  # htmx: only the results block
    hrefs = [a["href"] for a in page.select("#factor-table tbody th a")]
    assert hrefs and all(h.startswith(f"/factors/{other.id}/") for h in hrefs)
    assert hrefs == [f"/factors/{other.id}/diesel"]
    detail = soup(c.get(f"/factors/{other.id}/diesel"))
    parts = [text(li) for li in detail.select("#factor-subposts li")]
    # The test library's diesel: 2.50 + 0.60 = 3.10 kg CO2e per litre.
    assert sorted(parts) == ["Amont: 0.6 kg CO₂e per litre", "Combustion: 2.5 kg CO₂e per litre"]


def test_unknown_factor_is_404(as_user: Any, world: World) -> None:
    c = as_user("alice")
    assert c.get(f"/factors/{world.library.id}/bundled:nope").status_code == 404
    assert c.get("/factors/999999/bundled:diesel-b7-fr").status_code == 404


def test_anonymous_is_sent_to_login(client: Any, world: World) -> None:
    r = client.get("/factors?q=gaz", follow_redirects=False)
    assert r.status_code in (303, 401)


def test_every_line_links_to_its_factor(as_user: Any, world: World) -> None:
    c = as_user("alice")
    page = soup(c.get(f"/periods/{world.period_a.id}"))
    links = {a["href"] for a in page.select("tr[id^=line-] a.line-factor")}
    # period_a's two lines: building electricity and groomer diesel (tests/web/conftest.py).
    assert links == {
        f"/factors/{world.library.id}/bundled:elec-fr-2022",
        f"/factors/{world.library.id}/bundled:diesel-b7-fr",
    }
    for href in links:
        assert c.get(href).status_code == 200


def test_a_factor_shows_its_breakdown_by_gas(as_user: Any, world: World) -> None:
    c = as_user("alice")
    detail = soup(c.get(f"/factors/{world.library.id}/bundled:refrigerant-r410a"))
    # R410A: 0.5 kg HFC-32 × 677 = 338.5, 0.5 kg HFC-125 × 3170 = 1585 (kg CO2e per kg)
    gases = [text(li) for li in detail.select("#factor-gases li")]
    assert sorted(gases) == ["HFC-125: 1,585 kg CO₂e per kg", "HFC-32: 338.5 kg CO₂e per kg"]
    diesel = soup(c.get(f"/factors/{world.library.id}/bundled:diesel-b7-fr"))
    assert diesel.select_one("#factor-gases") is None
    assert "Breakdown by gas not broken down by the source" in text(
        diesel.select_one("#factor-detail")
    )
