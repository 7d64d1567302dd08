"""The coach's cohort table ("who needs me this week?") and the programme's KPIs.

One row per enrolled company: its stage on the path, which BEGES categories it has filled, when
it last did anything, its flags, its latest footprint against the base year, and its target.
Built from five queries (carbon.coaching.dashboard_inputs: companies, periods with their line
counts and revisions, latest audit entries and line changes, action counts, targets): their
number does not grow with the cohort, and none reads the lines. Footprints come from the
results the application keeps (carbon.db.compute); the application also keeps the last table
of each cohort (CohortTables), so a view after a line edit rebuilds that company's part only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from carbon.accounting.progress import Change, change, intensity, on_track, target_trajectory
from carbon.coaching.dashboard_inputs import CompanyInputs, TargetRow, read_inputs
from carbon.coaching.footprints import (
    CohortFootprints,
    CohortRows,
    CompanyInfo,
    Period,
    load_cohort,
)
from carbon.coaching.outliers import Outlier, outlier_postes
from carbon.coaching.path import DONE_STATUSES, Completeness, Stage, completeness, derive_stage
from carbon.db.compute import scale_key, uncertainty_scale
from carbon.lru import Lru

STUCK_AFTER = timedelta(days=30)
INTENSITY_UNITS = ("fte", "revenue_keur", "sector_activity")


class Flag(StrEnum):
    to_validate = "to_validate"  # a period waits for the coach
    stuck = "stuck"  # nothing done for STUCK_AFTER while the latest year is not validated
    outlier = "outlier"  # a poste far from the cohort's range (carbon.coaching.outliers)
    error = "error"  # a line the engine refuses: the footprint cannot be computed


@dataclass(frozen=True)
class Intensity:
    unit: str  # "fte", "revenue_keur" or "sector_activity"
    latest: float | None  # kgCO2e per unit
    base: float | None

    @property
    def change_pct(self) -> float | None:
        if self.latest is None or self.base is None:
            return None
        return change(self.latest, self.base).relative_pct


@dataclass(frozen=True)
class TargetView:
    kind: str  # "absolute" or "intensity"
    intensity_unit: str | None
    reduction_pct: float
    base_year: int
    target_year: int
    year: int | None = None  # the year compared (the latest footprint's)
    expected: float | None = None  # the trajectory's value that year (kgCO2e or kgCO2e/unit)
    actual: float | None = None
    on_track: bool | None = None  # None: nothing to compare yet


@dataclass(frozen=True)
class ActionCounts:
    identified: int = 0  # every action of the plan, abandoned ones included
    quantified: int = 0  # with an expected avoided tCO2e a year
    planned: int = 0  # not abandoned
    under_way: int = 0  # in progress or done
    expected_t: float = 0.0  # tCO2e a year, abandoned actions left out
    achieved_t: float = 0.0


@dataclass(frozen=True)
class CompanyRow:
    company: CompanyInfo
    stage: Stage
    current: Period | None  # the latest year
    footprint: Period | None  # the latest year with lines
    reference: Period | None
    submitted: Period | None  # the latest period waiting for validation
    total_kg: float | None
    base_kg: float | None
    change: Change | None  # footprint vs reference, when they are different years
    intensities: dict[str, Intensity]
    completeness: Completeness  # of the current year
    last_activity: datetime | None
    flags: tuple[Flag, ...]
    outliers: tuple[Outlier, ...]
    target: TargetView | None
    actions: ActionCounts


@dataclass(frozen=True)
class CohortKpis:
    companies: int
    companies_validated: int  # with at least one validated or locked year
    footprints_validated: int  # validated or locked periods
    awaiting_validation: int  # companies with a submitted period
    stuck: int
    actions_identified: int
    actions_quantified: int
    expected_avoided_t: float
    achieved_avoided_t: float


@dataclass(frozen=True)
class Dashboard:
    rows: list[CompanyRow]
    kpis: CohortKpis


@dataclass(frozen=True)
class _Part:
    """A company's row before what depends on the rest of the cohort (its outliers) and on the
    clock (the "stuck" flag): its flags and outliers are left empty here."""

    row: CompanyRow
    poste_intensities: dict[str, float]  # kgCO2e per FTE, for the cohort's outlier fences
    done: int  # validated or locked periods


@dataclass(frozen=True)
class _Built:
    stamp: tuple[Any, ...]  # the queries' answers, the minute and the scale it was built for
    dashboard: Dashboard
    parts: dict[int, tuple[CompanyInputs, _Part]]


class CohortTables:
    """The cohort tables an application built last, one per cohort, with each company's part.

    Built in the application factory (``app.state.cohort_tables``). Rebuilding every company's
    part of a 300-company table costs 4–5 times the rest of the page (docs/performance.md,
    fifth session), and a line edit changes one company: the others' parts are reused while
    their queries' rows are equal to the ones they were built from, so an entry is never stale.
    """

    def __init__(self, size: int = 64) -> None:
        self._built: Lru[int, _Built] = Lru(size)

    def get(self, cohort_id: int) -> _Built | None:
        return self._built.get(cohort_id)

    def put(self, cohort_id: int, built: _Built) -> None:
        self._built.put(cohort_id, built)


def build_dashboard(
    session: Session,
    cohort_id: int,
    now: datetime | None = None,
    kept: CohortTables | None = None,
) -> Dashboard:
    """The cohort's table and KPIs; ``now`` is the clock (tests freeze it).

    One downward pass: the five queries (carbon.coaching.dashboard_inputs), the footprints
    (carbon.db.compute, which keeps results while a period's lines are unchanged), each
    company's part of the table, then what needs the whole cohort or the clock (outlier
    fences, flags, KPIs). With ``kept`` (the application's), the table is returned as it was
    when the queries return what they returned last time in the same minute under the same
    scale, and otherwise only the parts of the companies whose rows changed are built again.
    """
    now = now or datetime.now(UTC)
    inputs = read_inputs(session, cohort_id)
    stamp = (inputs, now.replace(second=0, microsecond=0), scale_key(uncertainty_scale(session)))
    hit = None if kept is None else kept.get(cohort_id)
    if hit is not None and hit.stamp == stamp:
        return hit.dashboard
    known = hit.parts if hit is not None and hit.stamp[2] == stamp[2] else {}
    companies = inputs.by_company()
    changed = {cid: c for cid, c in companies.items() if cid not in known or known[cid][0] != c}
    fresh = _build_parts(session, cohort_id, changed)
    parts = {
        cid: (c, fresh[cid] if cid in fresh else known[cid][1]) for cid, c in companies.items()
    }
    dashboard = _finish([part for _, part in parts.values()], now)
    if kept is not None:
        kept.put(cohort_id, _Built(stamp, dashboard, parts))
    return dashboard


def _build_parts(
    session: Session, cohort_id: int, changed: dict[int, CompanyInputs]
) -> dict[int, _Part]:
    """The parts of the ``changed`` companies: their footprints and everything of their rows
    that is theirs alone."""
    if not changed:
        return {}
    rows = CohortRows(
        tuple(c.company for c in changed.values()),
        tuple(p for c in changed.values() for p in c.periods),
    )
    targets = _headline_targets(tuple(t for c in changed.values() for t in c.targets))
    data = load_cohort(session, cohort_id, [t.base_period_id for t in targets.values()], rows=rows)
    activity = _last_activity(tuple(c.audit for c in changed.values() if c.audit))
    actions = _action_counts(tuple(c.actions for c in changed.values() if c.actions))
    intensities = _poste_intensities(data)
    by_id = {p.id: p for ps in data.periods.values() for p in ps}
    parts: dict[int, _Part] = {}
    for cid, company in data.companies.items():
        periods = data.periods.get(cid, [])
        acts = actions.get(cid, ActionCounts())
        current, footprint, ref = data.current(cid), data.footprint(cid), data.reference(cid)
        result, base_result = data.result(footprint), data.result(ref)
        comparable = footprint is not None and ref is not None and footprint.year > ref.year
        total = result.total_kgco2e if result else None
        base = base_result.total_kgco2e if base_result and comparable else None
        submitted = [p for p in periods if p.status == "submitted"]
        t = targets.get(cid)
        row = CompanyRow(
            company=company,
            stage=derive_stage([p.state for p in periods], acts.planned, acts.under_way),
            current=current,
            footprint=footprint,
            reference=ref,
            submitted=submitted[-1] if submitted else None,
            total_kg=total,
            base_kg=base,
            change=None if total is None or base is None else change(total, base),
            intensities=_intensities(company, footprint, total, ref, base),
            completeness=completeness(
                company.sector, data.postes.get(current.id, ()) if current else ()
            ),
            last_activity=activity.get(cid),
            flags=(),
            outliers=(),
            target=None if t is None else _target_view(t, data, company, footprint, by_id),
            actions=acts,
        )
        done = sum(p.status in DONE_STATUSES for p in periods)
        parts[cid] = _Part(row, intensities.get(cid, {}), done)
    return parts


def _finish(parts: list[_Part], now: datetime) -> Dashboard:
    """The rows with their flags and outliers, and the KPIs: what needs the whole cohort."""
    outliers = outlier_postes({p.row.company.id: p.poste_intensities for p in parts})
    rows: list[CompanyRow] = []
    for part in parts:
        row = part.row
        cid = row.company.id
        flags: list[Flag] = []
        if row.submitted is not None:
            flags.append(Flag.to_validate)
        done = row.current is not None and row.current.status in DONE_STATUSES
        if not done and (row.last_activity or row.company.enrolled_at) < now - STUCK_AFTER:
            flags.append(Flag.stuck)
        if cid in outliers:
            flags.append(Flag.outlier)
        if row.footprint is not None and row.total_kg is None:
            flags.append(Flag.error)
        rows.append(replace(row, flags=tuple(flags), outliers=tuple(outliers.get(cid, ()))))
    return Dashboard(rows, _kpis(rows, parts))


def _intensities(
    company: CompanyInfo,
    footprint: Period | None,
    total: float | None,
    ref: Period | None,
    base: float | None,
) -> dict[str, Intensity]:
    def per(kg: float | None, period: Period | None, unit: str) -> float | None:
        if kg is None or period is None:
            return None
        return intensity(kg, period.denominator(unit, company))

    return {u: Intensity(u, per(total, footprint, u), per(base, ref, u)) for u in INTENSITY_UNITS}


def _kpis(rows: list[CompanyRow], parts: list[_Part]) -> CohortKpis:
    return CohortKpis(
        companies=len(rows),
        companies_validated=sum(p.done > 0 for p in parts),
        footprints_validated=sum(p.done for p in parts),
        awaiting_validation=sum(Flag.to_validate in r.flags for r in rows),
        stuck=sum(Flag.stuck in r.flags for r in rows),
        actions_identified=sum(r.actions.identified for r in rows),
        actions_quantified=sum(r.actions.quantified for r in rows),
        expected_avoided_t=sum(r.actions.expected_t for r in rows),
        achieved_avoided_t=sum(r.actions.achieved_t for r in rows),
    )


def _poste_intensities(data: CohortFootprints) -> dict[int, dict[str, float]]:
    """kgCO2e per FTE of each poste of each company's latest footprint (for the outlier fences)."""
    out: dict[int, dict[str, float]] = {}
    for cid, company in data.companies.items():
        period = data.footprint(cid)
        result = data.result(period)
        fte = None if period is None else period.denominator("fte", company)
        if result is None or not fte or fte <= 0:
            continue
        out[cid] = {poste: kg / fte for poste, kg in result.by_poste.items() if kg > 0}
    return out


def _last_activity(audit: tuple[tuple[Any, ...], ...]) -> dict[int, datetime]:
    """Per company: the later of its latest audit entry and its latest line change."""
    latest: dict[int, datetime] = {}
    for cid, *times in audit:
        known = [t for t in times if t is not None]
        if cid is not None and known:
            latest[cid] = max(known)
    return latest


def _action_counts(rows: tuple[tuple[Any, ...], ...]) -> dict[int, ActionCounts]:
    return {
        r[0]: ActionCounts(int(r[1]), int(r[2]), int(r[3] or 0), int(r[4] or 0),
                           float(r[5] or 0.0), float(r[6] or 0.0))
        for r in rows
    }  # fmt: skip


def _headline_targets(rows: tuple[TargetRow, ...]) -> dict[int, TargetRow]:
    """Each company's headline target: absolute before intensity, then the nearest year."""
    found: dict[int, TargetRow] = {}
    for t in sorted(rows, key=lambda t: (t.kind != "absolute", t.target_year, t.id)):
        found.setdefault(t.company_id, t)
    return found


def _target_view(
    t: TargetRow,
    data: CohortFootprints,
    company: CompanyInfo,
    footprint: Period | None,
    by_id: dict[int, Period],
) -> TargetView:
    base_p = by_id.get(t.base_period_id)
    view = TargetView(
        kind=t.kind,
        intensity_unit=t.intensity_unit,
        reduction_pct=t.reduction_pct,
        base_year=base_p.year if base_p else 0,
        target_year=t.target_year,
    )
    base_r, cur_r = data.result(base_p), data.result(footprint)
    if base_p is None or footprint is None or base_r is None or cur_r is None:
        return view
    if footprint.year <= base_p.year or t.target_year <= base_p.year:
        return view
    base_v: float | None = base_r.total_kgco2e
    actual: float | None = cur_r.total_kgco2e
    if t.kind == "intensity" and t.intensity_unit:
        base_v = intensity(base_r.total_kgco2e, base_p.denominator(t.intensity_unit, company))
        actual = intensity(cur_r.total_kgco2e, footprint.denominator(t.intensity_unit, company))
    if base_v is None or actual is None:
        return view
    path = target_trajectory(base_v, base_p.year, t.target_year, t.reduction_pct, [footprint.year])
    year = footprint.year
    judged = on_track(actual, year, path)
    return replace(view, year=year, expected=path.get(year), actual=actual, on_track=judged)
