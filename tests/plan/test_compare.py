"""A period under another library, and the activity/factor split of a year-on-year change."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from carbon.accounting.engine import ComputationError
from carbon.db.factor_store import save_library
from carbon.db.models import LibraryVersion
from carbon.factors.ademe import read_ademe_export
from carbon.factors.bundled import load_bundled_library
from carbon.plan.compare import compare_versions, previous_period, split_change
from tests import factories as f
from tests.factors.ademe_fixture import element, render


@pytest.fixture
def two_years(db_session: Session, old_library: LibraryVersion):  # type: ignore[no-untyped-def]
    bundled = save_library(db_session, load_bundled_library(), source="bundled")
    company = f.make_company(db_session, country="FR")
    # 2023, pinned to the old library: 12 MWh × 0.060 = 720 kg; 1,100 L × 3.10 = 3,410 kg.
    y2023 = f.make_period(db_session, company, old_library, year=2023)
    f.make_line(db_session, y2023, poste="2.1", factor_id="bundled:elec-fr-2022", quantity=12,
                unit="MWh")  # fmt: skip
    f.make_line(db_session, y2023, poste="1.2", factor_id="bundled:diesel-b7-fr", quantity=1100,
                unit="litre")  # fmt: skip
    # 2024, pinned to the bundled library: 10 MWh × 0.052 = 520 kg; 1,000 L × 3.10 = 3,100 kg.
    y2024 = f.make_period(db_session, company, bundled, year=2024)
    f.make_line(db_session, y2024, poste="2.1", factor_id="bundled:elec-fr-2022", quantity=10,
                unit="MWh")  # fmt: skip
    f.make_line(db_session, y2024, poste="1.2", factor_id="bundled:diesel-b7-fr", quantity=1000,
                unit="litre")  # fmt: skip
    db_session.flush()
    return y2023, y2024


def test_the_change_splits_into_activity_and_factor_effects(db_session: Session, two_years) -> None:  # type: ignore[no-untyped-def]
    y2023, y2024 = two_years
    assert previous_period(db_session, y2024) is y2023
    assert previous_period(db_session, y2023) is None
    split = split_change(db_session, y2023, y2024)
    # 2023 = 720 + 3,410 = 4,130 kg; 2024 = 520 + 3,100 = 3,620 kg; change −510 kg.
    # 2024 with 2023's library: 10,000 kWh × 0.060 = 600 + 3,100 = 3,700 kg.
    # Activity effect = 3,700 − 4,130 = −430 kg; factor effect = 3,620 − 3,700 = −80 kg.
    total = split.total
    assert total.activity_effect == pytest.approx(-430.0)
    assert total.factor_effect == pytest.approx(-80.0)
    assert total.total == pytest.approx(-510.0)
    rows = {r.code: r for r in split.rows}
    assert set(rows) == {"1.2", "2.1"}
    # 2.1: 720 → 520 (bridge 600): activity −120, factor −80. 1.2: 3,410 → 3,100: all activity.
    assert (rows["2.1"].split.activity_effect, rows["2.1"].split.factor_effect) == (
        pytest.approx(-120.0), pytest.approx(-80.0))  # fmt: skip
    assert (rows["1.2"].split.activity_effect, rows["1.2"].split.factor_effect) == (
        pytest.approx(-310.0), pytest.approx(0.0))  # fmt: skip
    # The postes' effects add up to the total's.
    assert sum(r.split.activity_effect for r in split.rows if r.in_total) == pytest.approx(-430.0)
    assert sum(r.split.factor_effect for r in split.rows if r.in_total) == pytest.approx(-80.0)
    assert not split.same_library


def test_same_library_means_no_factor_effect(db_session: Session, two_years) -> None:  # type: ignore[no-untyped-def]
    y2023, y2024 = two_years
    y2023.library_version_id = y2024.library_version_id
    db_session.flush()
    split = split_change(db_session, y2023, y2024)
    # 12,000 × 0.052 = 624 + 3,410 = 4,034 kg → 3,620 kg: −414 kg, all activity.
    assert split.same_library
    assert split.total.factor_effect == 0.0
    assert split.total.activity_effect == pytest.approx(-414.0)


def test_compare_with_another_version(db_session: Session, two_years, old_library) -> None:  # type: ignore[no-untyped-def]
    _, y2024 = two_years
    c = compare_versions(db_session, y2024, old_library.id)
    # 2.1 with the old grid factor: 10,000 × 0.060 = 600 kg instead of 520: +80 kg.
    rows = {r.code: r for r in c.rows}
    assert (rows["2.1"].pinned_kg, rows["2.1"].other_kg) == (
        pytest.approx(520.0),
        pytest.approx(600.0),
    )
    assert rows["1.2"].difference_kg == pytest.approx(0.0)
    assert c.difference_kg == pytest.approx(80.0)
    # The period itself is untouched.
    db_session.refresh(y2024)
    assert y2024.library_version_id != old_library.id


def test_a_version_without_the_factors_cannot_compare(db_session: Session, two_years) -> None:  # type: ignore[no-untyped-def]
    _, y2024 = two_years
    # An ADEME export names factors by number, not by the bundled slugs the lines use.
    ademe = read_ademe_export(render([element(30001, total=0.06)]), "ADEME tiny")
    version = save_library(db_session, ademe, source="ademe")
    with pytest.raises(ComputationError, match="bundled:elec-fr-2022"):
        compare_versions(db_session, y2024, version.id)
