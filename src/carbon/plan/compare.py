"""Factor updates without confusion: a period under another library, and a year-on-year change
split into what the company did and what the factors did.

Each period is pinned to a library version, so a new ADEME import never moves a validated year
(methodology rule 6). People still ask "what would it be with the new factors?" and "did we
really reduce, or did the grid factor change?"; both answers are recomputations for display
only: nothing here writes to the database.

Split of the change from year N-1 to N (GHG Protocol's recalculation logic): recompute N with
N-1's library; activity effect = N with N-1 factors − N-1; factor effect = N − N with N-1
factors (:func:`carbon.accounting.progress.decompose`). The split is linear, so the postes' effects
add up to the total's.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.accounting.postes import POSTES
from carbon.accounting.progress import Decomposition, decompose
from carbon.accounting.results import ComputationResult
from carbon.db.compute import compute_period
from carbon.db.models import ReportingPeriod


@dataclass(frozen=True)
class PosteComparison:
    code: str
    in_total: bool  # False for 1.5, reported apart
    pinned_kg: float
    other_kg: float

    @property
    def difference_kg(self) -> float:
        return self.other_kg - self.pinned_kg


@dataclass(frozen=True)
class VersionComparison:
    pinned: ComputationResult
    other: ComputationResult
    rows: tuple[PosteComparison, ...]

    @property
    def difference_kg(self) -> float:
        return self.other.total_kgco2e - self.pinned.total_kgco2e


def compare_versions(
    session: Session, period: ReportingPeriod, version_id: int
) -> VersionComparison:
    """The period with its pinned library and with ``version_id``, poste by poste.

    Raises :class:`carbon.accounting.engine.ComputationError` when a line's factor is not in
    the other version (libraries name factors differently: bundled slugs vs ADEME numbers).
    """
    pinned = compute_period(session, period)
    other = compute_period(session, period, library_version_id=version_id)
    rows = tuple(
        PosteComparison(
            p.code, not p.reported_apart, pinned.by_poste[p.code], other.by_poste[p.code]
        )
        for p in POSTES
        if pinned.by_poste[p.code] or other.by_poste[p.code]
    )
    return VersionComparison(pinned, other, rows)


@dataclass(frozen=True)
class PosteSplit:
    code: str
    in_total: bool
    previous_kg: float
    current_kg: float
    split: Decomposition


@dataclass(frozen=True)
class YearSplit:
    previous: ReportingPeriod
    current: ReportingPeriod
    previous_result: ComputationResult
    current_result: ComputationResult
    # Year N computed with year N-1's library: the bridge between the two effects.
    current_with_previous_factors: ComputationResult
    rows: tuple[PosteSplit, ...]

    @property
    def same_library(self) -> bool:
        return self.previous.library_version_id == self.current.library_version_id

    @property
    def total(self) -> Decomposition:
        return decompose(
            self.previous_result.total_kgco2e,
            self.current_result.total_kgco2e,
            self.current_with_previous_factors.total_kgco2e,
        )


def previous_period(session: Session, period: ReportingPeriod) -> ReportingPeriod | None:
    """The company's latest period before ``period`` (usually year N-1)."""
    return session.scalar(
        select(ReportingPeriod)
        .where(ReportingPeriod.company_id == period.company_id, ReportingPeriod.year < period.year)
        .order_by(ReportingPeriod.year.desc())
        .limit(1)
    )


def split_change(
    session: Session, previous: ReportingPeriod, current: ReportingPeriod
) -> YearSplit:
    """The change from ``previous`` to ``current``, poste by poste, into activity and factor
    effects. Raises ComputationError when ``current``'s lines cannot use ``previous``'s library."""
    prev = compute_period(session, previous)
    cur = compute_period(session, current)
    bridge = compute_period(session, current, library_version_id=previous.library_version_id)
    rows = tuple(
        PosteSplit(
            p.code,
            not p.reported_apart,
            prev.by_poste[p.code],
            cur.by_poste[p.code],
            decompose(prev.by_poste[p.code], cur.by_poste[p.code], bridge.by_poste[p.code]),
        )
        for p in POSTES
        if prev.by_poste[p.code] or cur.by_poste[p.code] or bridge.by_poste[p.code]
    )
    return YearSplit(previous, current, prev, cur, bridge, rows)
