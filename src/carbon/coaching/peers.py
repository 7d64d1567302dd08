"""Where a company sits among its cohort, without naming anyone else.

Companies ask "is our footprint high for a firm like ours?". The answer compares intensities
(per employee, per k€ of revenue, per sector unit), never raw tonnes, with the cohort members
of the same sector, or the whole cohort when fewer than :data:`MIN_PEERS` share the sector.
Nothing that identifies another company leaves this module: only the company's own values, its
percentile and the group's median and size, and only when at least :data:`MIN_PEERS` other
companies are compared (below that a median or a rank would give a competitor's figure away).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.accounting.progress import intensity, percentile_rank
from carbon.accounting.results import ComputationResult
from carbon.coaching.footprints import CohortFootprints, Period, load_cohort
from carbon.db.models import Cohort, Enrolment

MIN_PEERS = 3
INTENSITY_UNITS = ("fte", "revenue_keur", "sector_activity")


@dataclass(frozen=True)
class PeerMetric:
    category: int | None  # a BEGES category (per FTE), or None for a whole-footprint intensity
    unit: str  # denominator: "fte", "revenue_keur" or "sector_activity"
    value: float | None  # the company's own kgCO2e per unit
    percentile: float | None  # share (%) of the group, the company included, at or below it
    median: float | None
    compared: int  # other companies with a value, whatever the threshold

    @property
    def enough_peers(self) -> bool:
        return self.compared >= MIN_PEERS


@dataclass(frozen=True)
class PeerView:
    cohort_name: str
    sector: str
    by_sector: bool  # False: fewer than MIN_PEERS share the sector, the whole cohort is used
    year: int | None  # the year of the company's own footprint
    peers: int  # other companies of the group with a footprint
    sector_unit_label: str | None
    categories: list[PeerMetric]
    intensities: list[PeerMetric]


def latest_cohort_id(session: Session, company_id: int) -> int | None:
    """The company's most recent cohort (a company may follow several programmes in turn)."""
    return session.scalar(
        select(Cohort.id)
        .join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .where(Enrolment.company_id == company_id)
        .order_by(Cohort.start_date.desc().nulls_last(), Cohort.id.desc())
        .limit(1)
    )


def _metric(
    values: dict[int, float], company_id: int, category: int | None, unit: str
) -> PeerMetric:
    own = values.get(company_id)
    others = [v for cid, v in values.items() if cid != company_id]
    if own is None or len(others) < MIN_PEERS:
        return PeerMetric(category, unit, own, None, None, len(others))
    everyone = [*others, own]
    return PeerMetric(
        category, unit, own, percentile_rank(everyone, own), statistics.median(everyone),
        len(others),
    )  # fmt: skip


def peer_view(session: Session, company_id: int) -> PeerView | None:
    """The company's place in its latest cohort; None when it is in no cohort."""
    cohort_id = latest_cohort_id(session, company_id)
    if cohort_id is None:
        return None
    cohort = session.get(Cohort, cohort_id)
    assert cohort is not None
    data = load_cohort(session, cohort_id)
    me = data.companies[company_id]
    footprints: dict[int, tuple[Period, ComputationResult]] = {}
    for cid in data.companies:
        period = data.footprint(cid)
        result = data.result(period)
        if period is not None and result is not None:
            footprints[cid] = (period, result)
    others = [cid for cid in footprints if cid != company_id]
    same = [cid for cid in others if data.companies[cid].sector == me.sector]
    by_sector = len(same) >= MIN_PEERS
    group = [*(same if by_sector else others), company_id]
    own = footprints.get(company_id)

    def values(unit: str, category: int | None = None) -> dict[int, float]:
        return _values(data, footprints, group, company_id, unit, category)

    return PeerView(
        cohort_name=cohort.name,
        sector=me.sector,
        by_sector=by_sector,
        year=own[0].year if own else None,
        peers=len(group) - 1,
        sector_unit_label=me.sector_unit_label,
        categories=[_metric(values("fte", c), company_id, c, "fte") for c in range(1, 7)],
        intensities=[_metric(values(u), company_id, None, u) for u in INTENSITY_UNITS],
    )


def _values(
    data: CohortFootprints,
    footprints: dict[int, tuple[Period, ComputationResult]],
    group: list[int],
    company_id: int,
    unit: str,
    category: int | None,
) -> dict[int, float]:
    """kgCO2e per ``unit`` of each group member that has one (zero counts as "not reported")."""
    me = data.companies[company_id]
    out: dict[int, float] = {}
    for cid in group:
        if cid not in footprints:
            continue
        company = data.companies[cid]
        # Skier-days and overnight stays do not compare: only the same sector unit is ranked.
        if unit == "sector_activity" and company.sector_unit_label != me.sector_unit_label:
            continue
        period, result = footprints[cid]
        kg = result.total_kgco2e if category is None else result.by_category[category]
        value = intensity(kg, period.denominator(unit, company))
        if value is not None and value > 0:
            out[cid] = value
    return out
