"""The anonymous peer view: the group chosen, percentiles and medians, and nothing too small.

Every company has 1 FTE and one line of electricity at 0.1 kg/kWh in 2.1, so its intensity per
FTE (and its category 2 per FTE) is kWh / 10.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from carbon.coaching.peers import peer_view
from carbon.db.models import Company, LibraryVersion
from tests import factories as f


def member(s: Session, lib: LibraryVersion, cohort: Any, sector: str, kg: float | None) -> int:
    unit = "overnight stay" if sector == "hotel" else None
    c = f.make_company(s, sector=sector, fte=1.0, revenue_keur=100.0, sector_unit_label=unit)
    f.make_enrolment(s, company=c, cohort=cohort)
    period = f.make_period(s, c, lib, year=2025, sector_activity=1000.0, revenue_keur=100.0)
    if kg is not None:
        f.make_line(s, period, poste="2.1", factor_id="elec", quantity=kg * 10, unit="kWh")
    return c.id


def test_same_sector_when_three_peers_share_it(db_session: Session, lib: LibraryVersion) -> None:
    s = db_session
    cohort = f.make_cohort(s, name="Peers")
    me = member(s, lib, cohort, "hotel", 200)
    for kg in (100, 300, 400):
        member(s, lib, cohort, "hotel", kg)
    member(s, lib, cohort, "lift", 10_000)  # another sector: left out of the group
    member(s, lib, cohort, "hotel", None)  # no footprint yet: left out too
    view = peer_view(s, me)
    assert view is not None and view.by_sector and view.peers == 3 and view.year == 2025
    fte = view.intensities[0]
    # Group 100, 200 (me), 300, 400: 2 of 4 at or below 200 → 50 %; median (200 + 300) / 2.
    assert (fte.unit, fte.value, fte.percentile, fte.median, fte.compared) == (
        "fte", pytest.approx(200), 50.0, pytest.approx(250), 3,
    )  # fmt: skip
    # Per k€ (100 k€ each) ranks the same way; per overnight stay (1,000 each) too.
    assert view.intensities[1].percentile == 50.0
    assert view.intensities[2].value == pytest.approx(0.2)
    cat = {m.category: m for m in view.categories}
    assert cat[2].percentile == 50.0
    assert cat[1].value is None and cat[1].percentile is None  # nothing entered in category 1


def test_whole_cohort_when_the_sector_is_small(db_session: Session, lib: LibraryVersion) -> None:
    s = db_session
    cohort = f.make_cohort(s, name="Peers")
    me = member(s, lib, cohort, "hotel", 500)
    member(s, lib, cohort, "hotel", 100)
    member(s, lib, cohort, "lift", 1_000)
    member(s, lib, cohort, "digital", 50)
    view = peer_view(s, me)
    assert view is not None and not view.by_sector and view.peers == 3
    # Group 50, 100, 500 (me), 1,000: 3 of 4 at or below 500 → 75 %; median 300.
    fte = view.intensities[0]
    assert (fte.percentile, fte.median) == (75.0, pytest.approx(300))
    # Only the other hotel counts "overnight stays": one peer is too few to show anything.
    stay = view.intensities[2]
    assert stay.value == pytest.approx(0.5) and stay.compared == 1
    assert stay.percentile is None and stay.median is None and not stay.enough_peers


def test_too_few_companies_shows_no_rank(db_session: Session, lib: LibraryVersion) -> None:
    s = db_session
    cohort = f.make_cohort(s, name="Small")
    me = member(s, lib, cohort, "hotel", 500)
    member(s, lib, cohort, "hotel", 100)
    member(s, lib, cohort, "lift", 1_000)
    view = peer_view(s, me)
    assert view is not None and view.peers == 2
    assert all(m.percentile is None and m.median is None for m in view.intensities)


def test_latest_cohort_and_no_cohort(db_session: Session, lib: LibraryVersion) -> None:
    s = db_session
    loner = f.make_company(s)
    assert peer_view(s, loner.id) is None
    old = f.make_cohort(s, name="2025", start_date=date(2025, 3, 1))
    new = f.make_cohort(s, name="2026", start_date=date(2026, 3, 1))
    me = member(s, lib, new, "hotel", 10)
    f.make_enrolment(s, company=s.get(Company, me), cohort=old)
    view = peer_view(s, me)
    assert view is not None and view.cohort_name == "2026"
