"""Feeding the accounting core from the database: a period's lines and its pinned library.

A period is always computed with the library version it is pinned to (methodology rule 6), so a
new import never changes a past year silently.

What a running application keeps between requests lives in one :class:`Computations` object,
built by the application factory (or the CLI) from its settings and carried by each of its
sessions (``session.info``): the deployment's data-quality scale, loaded libraries by content
digest (the same content is the same library), and results per period and library version with
the period's ``(line_count, lines_revision)``, which carbon.db.line_stats renews with every
insert, change or delete of one of its lines, and with a change of its site's or company's
country (the country chooses factors). A kept result is therefore never stale, whoever
wrote the lines (this process, another worker, ``carbon restore``, an import), and a cohort
page recomputes only what changed, reading one row per period instead of aggregating its lines.
A session without one (a test's, a script's) computes with the methodology's default scale and
keeps nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from carbon.accounting.engine import ComputationError, compute, compute_encoded, encode_lines
from carbon.accounting.factors import FactorLibrary
from carbon.accounting.gases import DEFAULT_GWP_SET
from carbon.accounting.gwp import restate
from carbon.accounting.results import ComputationResult
from carbon.accounting.uncertainty import UncertaintyScale
from carbon.config import Settings
from carbon.db.factor_store import load_library
from carbon.db.models import ActivityLine, Company, LibraryVersion, ReportingPeriod, Site
from carbon.factors.gwp import load_gwp_table
from carbon.factors.reference import load_reference_data
from carbon.lru import Lru

Computed = tuple[ComputationResult | None, frozenset[str]]  # None: a line the engine refuses
SESSION_KEY = "carbon.computations"  # in Session.info


class Computations:
    """A deployment's data-quality scale and what its application keeps: libraries and results.

    ``keep=False`` keeps nothing (a one-off command, a test of the computation itself).
    """

    def __init__(self, scale: UncertaintyScale | None = None, *, keep: bool = True) -> None:
        self.scale = scale or UncertaintyScale()
        self.keep = keep
        self.libraries: Lru[str, FactorLibrary] = Lru(4 if keep else 0)
        # (period, library version, scale) -> ((line_count, lines_revision), computed). A new
        # revision replaces the old one's entry: one result per period, not one per edit.
        self.results: Lru[tuple[Any, ...], tuple[tuple[int, int], Computed]] = Lru(
            20_000 if keep else 0
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> Computations:
        return cls(UncertaintyScale(quality_pct=dict(settings.data_quality_uncertainty)))

    def clear(self) -> None:
        self.libraries.clear()
        self.results.clear()


def computations(session: Session) -> Computations:
    """The application's computations this session carries, or one that keeps nothing."""
    found = session.info.get(SESSION_KEY)
    if isinstance(found, Computations):
        return found
    found = Computations(keep=False)
    session.info[SESSION_KEY] = found
    return found


def uncertainty_scale(session: Session) -> UncertaintyScale:
    """The data-quality scale of the deployment the session belongs to."""
    return computations(session).scale


def scale_key(scale: UncertaintyScale) -> tuple[Any, ...]:
    """The scale as a hashable value, for keys: a result or a table built under one scale is
    not served under another."""
    return (tuple(sorted(scale.quality_pct.items())), scale.default_quality,
            scale.unknown_factor_pct)  # fmt: skip


LINE_COLUMNS = (
    "id", "poste", "factor_id", "quantity", "unit", "data_quality", "supplier_factor_kgco2e",
    "activity_id", "site_id", "comment",
)  # fmt: skip


# Where and when each line happened, for the method's country and year rules (methodology §5–8):
# the site's country, else the company's, and the period's year.
CONTEXT_COLUMNS = ("country", "year")


def lines_select(*lead: Any) -> Select[Any]:
    """``lead`` columns, then LINE_COLUMNS, then CONTEXT_COLUMNS of activity lines."""
    return (
        select(
            *lead,
            *(getattr(ActivityLine, c) for c in LINE_COLUMNS),
            func.coalesce(Site.country, Company.country),
            ReportingPeriod.year,
        )
        .join(ReportingPeriod, ReportingPeriod.id == ActivityLine.period_id)
        .join(Company, Company.id == ReportingPeriod.company_id)
        .outerjoin(Site, Site.id == ActivityLine.site_id)
    )


def library_for(session: Session, version_id: int) -> FactorLibrary:
    version = session.get(LibraryVersion, version_id)
    if version is None:
        raise LookupError(f"library version {version_id} does not exist")
    kept = computations(session).libraries
    lib = kept.get(version.content_digest)
    if lib is None:
        lib = load_library(session, version)
        kept.put(version.content_digest, lib)
    return lib


def select_frame(session: Session, stmt: Select[Any], columns: Sequence[str]) -> pd.DataFrame:
    """Rows of a Core select of plain columns as a frame, straight from the DBAPI cursor.

    Building a Row object per line costs more than the whole computation for a cohort's
    hundreds of thousands of lines; the columns read this way need no type processing.
    """
    result = session.connection().execute(stmt)
    try:
        raw = result.cursor.fetchall() if result.cursor is not None else []
    finally:
        result.close()
    return pd.DataFrame.from_records(raw, columns=list(columns), coerce_float=True)


def period_lines(session: Session, period_id: int) -> pd.DataFrame:
    """The period's activity lines as a frame indexed by line id, in entry order, with each
    line's country and year (CONTEXT_COLUMNS)."""
    stmt = lines_select().where(ActivityLine.period_id == period_id).order_by(ActivityLine.id)
    columns = (*LINE_COLUMNS, *CONTEXT_COLUMNS)
    return select_frame(session, stmt, columns).set_index("id", drop=False)


def compute_period(
    session: Session,
    period: ReportingPeriod,
    scale: UncertaintyScale | None = None,
    library_version_id: int | None = None,
    gwp_set: str = DEFAULT_GWP_SET,
) -> ComputationResult:
    """The period's footprint with its pinned library, or with another version to compare;
    under ``gwp_set`` AR6, restated (methodology § 10; computed on demand, not kept).

    Raises :class:`ComputationError` naming the stored lines (by id) the engine refuses.
    """
    kept = computations(session)
    scale = scale or kept.scale
    version_id = library_version_id or period.library_version_id
    if gwp_set != DEFAULT_GWP_SET:
        lib = restate(library_for(session, version_id), load_gwp_table(), gwp_set)
        lines = period_lines(session, period.id)
        return compute(
            lines, lib, scale, line_numbers=lines["id"].to_numpy(), reference=load_reference_data()
        )
    revision = line_revisions(session, [period.id])[period.id]
    key = _key(period.id, version_id, scale)
    cached = _cached(kept, key, revision)
    if cached is not None and cached[0] is not None:
        return cached[0]
    lib = library_for(session, version_id)
    lines = period_lines(session, period.id)
    # Errors cite the line id: stored lines have no file line number.
    result = compute(
        lines, lib, scale, line_numbers=lines["id"].to_numpy(), reference=load_reference_data()
    )
    kept.results.put(key, (revision, (result, frozenset(lines["poste"]))))
    return result


def line_revisions(session: Session, period_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Per period: ``(line_count, lines_revision)``, the results cache's key (one row each)."""
    p = ReportingPeriod
    rows = session.execute(
        select(p.id, p.line_count, p.lines_revision).where(p.id.in_(period_ids))
    ).all()
    found = {r[0]: (r[1], r[2]) for r in rows}
    return {pid: found.get(pid, (0, 0)) for pid in period_ids}


def _key(period_id: int, version_id: int, scale: UncertaintyScale) -> tuple[Any, ...]:
    return (period_id, version_id, *scale_key(scale))


def _cached(kept: Computations, key: tuple[Any, ...], revision: tuple[int, int]) -> Computed | None:
    hit = kept.results.get(key)
    return None if hit is None or hit[0] != revision else hit[1]


def compute_many(
    session: Session,
    periods: Sequence[tuple[int, int]],
    scale: UncertaintyScale | None = None,
    revisions: dict[int, tuple[int, int]] | None = None,
) -> dict[int, Computed]:
    """Results of many ``(period_id, library_version_id)`` at once, with the postes that have
    lines. Cached ones are reused; the others are read in one query and coded once per library.
    A period with a line the engine refuses gets ``None``; the others still get their result.
    ``revisions`` (as from :func:`line_revisions`) saves the query when the caller has them.
    """
    kept = computations(session)
    scale = scale or kept.scale
    if revisions is None:
        revisions = line_revisions(session, [pid for pid, _ in periods])
    out: dict[int, Computed] = {}
    missing: dict[int, list[int]] = {}
    keys: dict[int, tuple[Any, ...]] = {}
    for pid, version_id in periods:
        keys[pid] = _key(pid, version_id, scale)
        hit = _cached(kept, keys[pid], revisions[pid])
        if hit is not None:
            out[pid] = hit
        else:
            missing.setdefault(version_id, []).append(pid)
    if not missing:
        return out
    ids = [pid for pids in missing.values() for pid in pids]
    lines = select_frame(
        session,
        lines_select(ActivityLine.period_id)
        .where(ActivityLine.period_id.in_(ids))
        .order_by(ActivityLine.period_id, ActivityLine.id),
        ["period_id", *LINE_COLUMNS, *CONTEXT_COLUMNS],
    )
    reference = load_reference_data()
    for version_id, pids in missing.items():
        lib = library_for(session, version_id)
        part = lines[lines["period_id"].isin(pids)]
        owner = part["period_id"].to_numpy()
        postes = part["poste"].to_numpy()
        try:
            enc = encode_lines(
                part, lib, scale, line_numbers=part["id"].to_numpy(), reference=reference
            )
        except ComputationError:
            enc = None  # one bad line must not hide the rest: compute those periods one by one
        for pid in pids:
            lo, hi = (int(i) for i in np.searchsorted(owner, [pid, pid + 1]))
            result: ComputationResult | None
            if enc is not None:
                result = compute_encoded(enc.slice(lo, hi), lib, scale.unknown_factor_pct)
            else:
                one = part.iloc[lo:hi]
                try:
                    result = compute(one, lib, scale, one["id"].to_numpy(), reference=reference)
                except ComputationError:
                    result = None
            out[pid] = (result, frozenset(postes[lo:hi]))
            kept.results.put(keys[pid], (revisions[pid], out[pid]))
    return out
