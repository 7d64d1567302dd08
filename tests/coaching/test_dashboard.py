"""The cohort table and KPIs, on a five-company cohort computed by hand.

Factors (conftest): elec 0.1 kg/kWh, diesel 3.0 kg/L, train 0.01 kg/passager.km, goods 1 kg/kg.

- Alpha (lift, 10 FTE, 2,000 k€): 2023 base year validated, 16,000 kg
  (100,000 kWh → 10,000 in 2.1; 1,000 L → 3,000 in 1.2; 100,000 p.km → 1,000 in 3.4;
  2,000 kg → 2,000 in 4.1); 2024 validated with 8 FTE, 14,000 kg (80,000 kWh → 8,000 in 2.1).
  Actions: in progress (5 t/yr), abandoned (3 t/yr), done (achieved 1.5 t). Target −30 % by 2033.
- Bravo (hotel): 2025 submitted, 50,000 kWh → 5,000 kg. One action identified (2 t/yr).
- Charlie (services, IT): 2025 draft without lines, enrolled 60 days ago: stuck.
- Delta (services): 2025 draft, 60,000 kWh → 6,000 kg in 2.1, 10,000 p.km → 100 kg in 3.5.
- Foxtrot (lift): 2025 draft, 7,000,000 kWh (MWh typed as kWh) → 700,000 kg in 2.1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from carbon.coaching import dashboard
from carbon.coaching.dashboard import CohortTables, Flag, build_dashboard
from carbon.coaching.path import Stage
from carbon.coaching.table import TableQuery, totals
from carbon.db import audit
from carbon.db.compute import SESSION_KEY, Computations
from carbon.db.models import Cohort, Company, LibraryVersion, ReportingPeriod
from tests import factories as f

NOW = datetime.now(UTC)


@dataclass
class Built:
    cohort: Cohort
    ids: dict[str, int]


def elec(s: Session, period: ReportingPeriod, kwh: float, poste: str = "2.1") -> None:
    f.make_line(s, period, poste=poste, factor_id="elec", quantity=kwh, unit="kWh")


def build(s: Session, lib: LibraryVersion) -> Built:
    cohort = f.make_cohort(s, name="Test cohort")
    other = f.make_cohort(s, name="Other cohort")
    ids: dict[str, int] = {}

    def company(name: str, sector: str, country: str = "FR", **kw: Any) -> Any:
        c = f.make_company(s, name=name, sector=sector, country=country, fte=10.0,
                           revenue_keur=2000.0, **kw)  # fmt: skip
        f.make_enrolment(s, company=c, cohort=cohort)
        ids[name] = c.id
        return c

    alpha = company("Alpha", "lift", sector_unit_label="skier-day")
    # Revenue is a year's own figure (methodology §11): 2,000 k€ both years.
    a23 = f.make_period(s, alpha, lib, year=2023, status="validated", is_base_year=True,
                        sector_activity=10_000, revenue_keur=2000.0)  # fmt: skip
    a24 = f.make_period(s, alpha, lib, year=2024, status="validated", fte=8.0,
                        revenue_keur=2000.0)  # fmt: skip
    for period, kwh in ((a23, 100_000), (a24, 80_000)):
        elec(s, period, kwh)
        f.make_line(s, period, poste="1.2", factor_id="diesel", quantity=1000, unit="litre")
        f.make_line(s, period, poste="3.4", factor_id="train", quantity=100_000,
                    unit="passager.km")  # fmt: skip
        f.make_line(s, period, poste="4.1", factor_id="goods", quantity=2000, unit="kg")
    f.make_action(s, alpha, status="in_progress", expected_avoided_tco2e_per_year=5.0)
    f.make_action(s, alpha, status="abandoned", expected_avoided_tco2e_per_year=3.0)
    f.make_action(s, alpha, status="done", expected_avoided_tco2e_per_year=None,
                  achieved_avoided_tco2e=1.5)  # fmt: skip
    f.make_target(s, a23, target_year=2033, reduction_pct=30.0)

    bravo = company("Bravo", "hotel")
    elec(s, f.make_period(s, bravo, lib, year=2025, status="submitted"), 50_000)
    f.make_action(s, bravo, status="identified", expected_avoided_tco2e_per_year=2.0)

    charlie = f.make_company(s, name="Charlie", sector="services", country="IT", fte=10.0)
    f.make_enrolment(s, company=charlie, cohort=cohort, enrolled_at=NOW - timedelta(days=60))
    ids["Charlie"] = charlie.id
    f.make_period(s, charlie, lib, year=2025)

    delta = company("Delta", "services")
    d25 = f.make_period(s, delta, lib, year=2025)
    elec(s, d25, 60_000)
    f.make_line(s, d25, poste="3.5", factor_id="train", quantity=10_000, unit="passager.km")

    foxtrot = company("Foxtrot", "lift")
    elec(s, f.make_period(s, foxtrot, lib, year=2025), 7_000_000)

    # Not in the cohort: must not show.
    outsider = f.make_company(s, name="Outsider")
    f.make_enrolment(s, company=outsider, cohort=other)
    elec(s, f.make_period(s, outsider, lib, year=2025), 1)
    return Built(cohort, ids)


def test_rows_and_kpis(db_session: Session, lib: LibraryVersion) -> None:
    b = build(db_session, lib)
    board = build_dashboard(db_session, b.cohort.id, now=NOW)
    rows = {r.company.name: r for r in board.rows}
    assert list(rows) == ["Alpha", "Bravo", "Charlie", "Delta", "Foxtrot"]  # name order

    a = rows["Alpha"]
    assert a.stage is Stage.follow_up
    assert (a.total_kg, a.base_kg) == pytest.approx((14_000, 16_000))
    assert a.change is not None and a.change.absolute == pytest.approx(-2_000)
    assert a.change.relative_pct == pytest.approx(-12.5)  # −2,000 / 16,000
    # Per FTE: 14,000 / 8 (2024's own FTE) = 1,750 vs 16,000 / 10 (the company's) = 1,600.
    fte = a.intensities["fte"]
    assert (fte.latest, fte.base) == pytest.approx((1_750, 1_600))
    assert fte.change_pct == pytest.approx(9.375)  # 150 / 1,600
    assert a.intensities["revenue_keur"].change_pct == pytest.approx(-12.5)  # 7 vs 8 kg/k€
    assert a.intensities["sector_activity"].base == pytest.approx(1.6)  # 16,000 / 10,000
    assert a.intensities["sector_activity"].latest is None  # 2024 has no skier-days
    # Target −30 % from 2023 to 2033: 3 % a year; 2024 expects 16,000 × 0.97 = 15,520 ≥ 14,000.
    assert a.target is not None and a.target.on_track is True
    assert (a.target.expected, a.target.actual) == pytest.approx((15_520, 14_000))
    assert a.completeness.pct == 100.0 and a.flags == ()
    assert (a.actions.identified, a.actions.quantified, a.actions.planned) == (3, 2, 2)
    assert (a.actions.under_way, a.actions.expected_t, a.actions.achieved_t) == (2, 5.0, 1.5)

    bravo = rows["Bravo"]
    assert bravo.stage is Stage.submitted and bravo.flags == (Flag.to_validate,)
    assert bravo.submitted is not None and bravo.submitted.year == 2025
    assert bravo.change is None and bravo.total_kg == pytest.approx(5_000)
    assert bravo.completeness.missing == [1, 3, 4] and bravo.completeness.pct == 25.0

    charlie = rows["Charlie"]
    assert charlie.stage is Stage.collecting and charlie.flags == (Flag.stuck,)
    assert charlie.total_kg is None and charlie.completeness.pct == 0.0

    delta = rows["Delta"]
    assert delta.stage is Stage.computed and delta.total_kg == pytest.approx(6_100)
    assert delta.completeness.pct == pytest.approx(200 / 3)  # 2 and 3 of 2, 3, 4
    assert delta.last_activity is not None and delta.flags == ()

    # 2.1 per FTE: 1,000 (Alpha), 500, 600, 70,000: median 800, and 70,000 > 10 × 800.
    fox = rows["Foxtrot"]
    assert fox.flags == (Flag.outlier,)
    assert [(o.poste, o.value, o.median) for o in fox.outliers] == [("2.1", 70_000, 800)]

    k = board.kpis
    assert (k.companies, k.footprints_validated, k.companies_validated) == (5, 2, 1)
    assert (k.awaiting_validation, k.stuck) == (1, 1)
    # 3 of Alpha + 1 of Bravo; quantified: 5, 3 (abandoned) and 2; expected: 5 + 2 (not the 3).
    assert (k.actions_identified, k.actions_quantified) == (4, 3)
    assert (k.expected_avoided_t, k.achieved_avoided_t) == (7.0, 1.5)


def test_last_activity_and_stuck(db_session: Session, lib: LibraryVersion) -> None:
    b = build(db_session, lib)
    later = NOW + timedelta(days=45)  # every line is now 45 days old
    rows = {r.company.name: r for r in build_dashboard(db_session, b.cohort.id, now=later).rows}
    # Validated latest year: never stuck. Everyone else is silent for 45 days.
    assert [n for n, r in rows.items() if Flag.stuck in r.flags] == [
        "Bravo", "Charlie", "Delta", "Foxtrot",
    ]  # fmt: skip
    # An audit entry (a comment, a status change…) counts as activity.
    entry = audit.record(db_session, None, "comment", "period_comment", 1, None, {"body": "x"},
                         company_id=b.ids["Delta"])  # fmt: skip
    entry.at = later - timedelta(days=2)
    db_session.flush()
    rows = {r.company.name: r for r in build_dashboard(db_session, b.cohort.id, now=later).rows}
    assert Flag.stuck not in rows["Delta"].flags
    assert rows["Delta"].last_activity is not None
    assert rows["Delta"].last_activity > rows["Bravo"].last_activity  # type: ignore[operator]


def test_intensity_target_off_track(db_session: Session, lib: LibraryVersion) -> None:
    b = build(db_session, lib)
    alpha_base = (
        db_session.query(ReportingPeriod).filter_by(company_id=b.ids["Alpha"], year=2023).one()
    )
    # Intensity target, −50 % per FTE by 2025: 25 % a year; 2024 expects 1,600 × 0.75 = 1,200,
    # Alpha has 1,750 per FTE: off track. (The absolute target still comes first: drop it.)
    for t in list(alpha_base.company.targets):
        db_session.delete(t)
    f.make_target(db_session, alpha_base, kind="intensity", intensity_unit="fte",
                  target_year=2025, reduction_pct=50.0)  # fmt: skip
    row = next(r for r in build_dashboard(db_session, b.cohort.id, now=NOW).rows
               if r.company.name == "Alpha")  # fmt: skip
    assert row.target is not None and row.target.on_track is False
    assert (row.target.expected, row.target.actual) == pytest.approx((1_200, 1_750))


def test_filters_sort_and_totals(db_session: Session, lib: LibraryVersion) -> None:
    rows = build_dashboard(db_session, build(db_session, lib).cohort.id, now=NOW).rows

    def names(**params: str) -> list[str]:
        return [r.company.name for r in TableQuery.parse(params).apply(rows)]

    # Needs attention first: the most flags, then a period to validate, then the longest silent.
    assert names()[:3] == ["Bravo", "Charlie", "Foxtrot"]
    assert names(flag="any") == ["Bravo", "Charlie", "Foxtrot"]
    assert names(flag="stuck") == ["Charlie"]
    assert names(stage="computed") == ["Foxtrot", "Delta"]  # the flagged one first
    assert names(stage="computed", sort="name") == ["Delta", "Foxtrot"]
    assert names(sector="services", sort="name", dir="desc") == ["Delta", "Charlie"]
    assert names(country="IT") == ["Charlie"]
    # No footprint (Charlie) sorts last, whichever the direction.
    assert names(sort="total", dir="desc") == ["Foxtrot", "Alpha", "Delta", "Bravo", "Charlie"]
    assert names(sort="total") == ["Bravo", "Delta", "Alpha", "Foxtrot", "Charlie"]
    t = totals(TableQuery.parse({"sector": "lift"}).apply(rows))
    # Alpha 14,000 + Foxtrot 700,000; only Alpha has a base year: 14,000 vs 16,000, −12.5 %.
    assert (t.footprint_kg, t.with_footprint, t.comparable) == (714_000, 2, 1)
    assert t.change_pct == pytest.approx(-12.5)


def test_query_count_does_not_grow_with_the_cohort(
    db_session: Session, lib: LibraryVersion
) -> None:
    b = build(db_session, lib)
    engine = db_session.get_bind().engine
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    # The test's session keeps no results (carbon.db.compute.Computations): every build is cold.
    event.listen(engine, "before_cursor_execute", count)
    try:
        build_dashboard(db_session, b.cohort.id, now=NOW)
        small = len(statements)
        for i in range(10):
            c = f.make_company(db_session, name=f"Extra {i}")
            f.make_enrolment(db_session, company=c, cohort=b.cohort)
            elec(db_session, f.make_period(db_session, c, lib, year=2025), 1000 + i)
            f.make_action(db_session, c)
        statements.clear()
        board = build_dashboard(db_session, b.cohort.id, now=NOW)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(board.rows) == 15
    assert len(statements) == small <= 12, statements


def test_any_change_shows_at_once(db_session: Session, lib: LibraryVersion) -> None:
    b = build(db_session, lib)
    db_session.info[SESSION_KEY] = Computations()  # results kept, as in the application
    first = build_dashboard(db_session, b.cohort.id, now=NOW)
    delta = next(r for r in first.rows if r.company.name == "Delta")
    assert delta.total_kg == pytest.approx(6_100.0)  # 60,000 kWh × 0.1 + 10,000 p.km × 0.01
    # One more line: 6,100 + 1,000 kWh × 0.1 = 6,200 kg.
    period = db_session.get(ReportingPeriod, delta.footprint.id)  # type: ignore[union-attr]
    assert period is not None
    elec(db_session, period, 1_000)
    again = build_dashboard(db_session, b.cohort.id, now=NOW)
    assert next(r for r in again.rows if r.company.name == "Delta").total_kg == pytest.approx(
        6_200.0
    )
    # A new action shows in the KPIs.
    f.make_action(db_session, db_session.get(Company, b.ids["Delta"]), status="planned")
    after_action = build_dashboard(db_session, b.cohort.id, now=NOW)
    assert after_action.kpis.actions_identified == 5
    # The clock moves the "stuck" flag: 45 days later Delta is stuck.
    later = build_dashboard(db_session, b.cohort.id, now=NOW + timedelta(days=45))
    assert Flag.stuck in next(r for r in later.rows if r.company.name == "Delta").flags


def test_a_change_to_one_company_can_clear_another_s_outlier_flag(
    db_session: Session, lib: LibraryVersion
) -> None:
    b = build(db_session, lib)
    db_session.info[SESSION_KEY] = Computations()
    first = build_dashboard(db_session, b.cohort.id, now=NOW)
    assert next(r for r in first.rows if r.company.name == "Foxtrot").flags != ()
    # Bravo's only line goes: poste 2.1 keeps three companies (Alpha, Delta, Foxtrot), fewer
    # than the four a fence needs, so Foxtrot's outlier flag goes too, though only Bravo changed.
    bravo = next(r for r in first.rows if r.company.name == "Bravo")
    period = db_session.get(ReportingPeriod, bravo.footprint.id)  # type: ignore[union-attr]
    assert period is not None
    for line in list(period.lines):
        db_session.delete(line)
    db_session.flush()
    again = build_dashboard(db_session, b.cohort.id, now=NOW)
    rows = {r.company.name: r for r in again.rows}
    assert rows["Bravo"].total_kg is None and rows["Bravo"].footprint is None
    assert rows["Foxtrot"].flags == () and rows["Foxtrot"].outliers == ()
    assert rows["Alpha"].total_kg == pytest.approx(14_000.0)  # unchanged


def test_kept_tables_rebuild_the_changed_company_only_and_match_a_full_build(
    db_session: Session, lib: LibraryVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    b = build(db_session, lib)
    kept = CohortTables()
    first = build_dashboard(db_session, b.cohort.id, now=NOW, kept=kept)
    assert build_dashboard(db_session, b.cohort.id, now=NOW, kept=kept) is first  # unchanged
    built_for: list[list[str]] = []
    load = dashboard.load_cohort

    def recording(*args: Any, **kwargs: Any) -> Any:
        built_for.append([r[1] for r in kwargs["rows"].companies])
        return load(*args, **kwargs)

    monkeypatch.setattr(dashboard, "load_cohort", recording)
    # Bravo's only line goes; Foxtrot's outlier flag goes with it (see the test above).
    bravo = next(r for r in first.rows if r.company.name == "Bravo")
    period = db_session.get(ReportingPeriod, bravo.footprint.id)  # type: ignore[union-attr]
    assert period is not None
    for line in list(period.lines):
        db_session.delete(line)
    db_session.flush()
    again = build_dashboard(db_session, b.cohort.id, now=NOW, kept=kept)
    assert built_for == [["Bravo"]]
    rows = {r.company.name: r for r in again.rows}
    assert rows["Foxtrot"].flags == () and rows["Foxtrot"].outliers == ()
    # The same table as one built from nothing.
    full = build_dashboard(db_session, b.cohort.id, now=NOW)
    assert built_for[-1] == ["Alpha", "Bravo", "Charlie", "Delta", "Foxtrot"]
    assert (full.rows, full.kpis) == (again.rows, again.kpis)
    # The clock moves the "stuck" flag even when nothing else changed.
    later = build_dashboard(db_session, b.cohort.id, now=NOW + timedelta(days=45), kept=kept)
    assert Flag.stuck in next(r for r in later.rows if r.company.name == "Delta").flags
