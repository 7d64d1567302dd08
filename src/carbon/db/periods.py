"""Opening a reporting period and choosing the base year: the only writers of both, audited.

The web form, the JSON API and ``carbon period create`` all call :func:`create_period`, so a
year is opened the same way whoever opens it. A new period is pinned to the database's default
factor library (a fresh database without one gets the bundled library as its default first), so
a later import never changes it silently. Copying last year's lines is a starting point: each
copy is audited as created by the person who opened the year; comments, evidence references and
the history of the old lines stay with the old year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from carbon.accounting.engine import ComputationError, encode_lines
from carbon.db import audit
from carbon.db.activity_lines import insert_audited
from carbon.db.compute import library_for, uncertainty_scale
from carbon.db.factor_store import default_version, save_library
from carbon.db.models import Company, LibraryVersion, ReportingPeriod
from carbon.factors.reference import load_reference_data
from carbon.inputs.period import PeriodIn

# Copied from last year's lines; comment and evidence_ref describe last year's documents.
COPIED_FIELDS = (
    "activity_id", "poste", "factor_id", "quantity", "unit", "data_quality", "site_id",
    "supplier_factor_kgco2e",
)  # fmt: skip


class PeriodExists(ValueError):
    """The company already has a period for that year."""

    def __init__(self, period: ReportingPeriod):
        super().__init__(f"{period.company_id} already has {period.year}")
        self.period = period


@dataclass(frozen=True)
class Opened:
    period: ReportingPeriod
    copied_from: int | None  # the year whose lines were copied
    copied: int  # lines copied
    skipped: int  # lines left out: their factor or unit is not in the new period's library


def pinned_library(session: Session) -> LibraryVersion:
    """The default library; in a database that has none yet, the bundled one made default."""
    version = default_version(session)
    if version is None:
        from carbon.factors.bundled import load_bundled_library

        version = save_library(session, load_bundled_library(), source="bundled", make_default=True)
    return version


def find_period(session: Session, company_id: int, year: int) -> ReportingPeriod | None:
    return session.scalar(
        select(ReportingPeriod).where(
            ReportingPeriod.company_id == company_id, ReportingPeriod.year == year
        )
    )


def create_period(
    session: Session, actor_id: int | None, company: Company, data: PeriodIn
) -> Opened:
    """Open ``data.year`` for ``company``; :class:`PeriodExists` if it is already open.

    The caller owns the transaction (flush, no commit). ``actor_id`` is None for an operator's
    script (the audit log records a system act).
    """
    existing = find_period(session, company.id, data.year)
    if existing is not None:
        raise PeriodExists(existing)
    period = ReportingPeriod(
        company=company,  # through the relationship: company.periods includes it at once
        year=data.year,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        library_version_id=pinned_library(session).id,
        fte=data.fte,
        revenue_keur=data.revenue_keur,
        sector_activity=data.sector_activity,
    )
    session.add(period)
    session.flush()
    audit.record(
        session, actor_id, "create", "reporting_period", period.id, None, audit.snapshot(period),
        company_id=company.id,
    )  # fmt: skip
    copied_from, copied, skipped = None, 0, 0
    if data.copy_last_year != "none":
        source = session.scalar(
            select(ReportingPeriod)
            .where(ReportingPeriod.company_id == company.id, ReportingPeriod.year < data.year)
            .order_by(ReportingPeriod.year.desc())
            .limit(1)
        )
        if source is not None:
            copied_from = source.year
            copied, skipped = _copy_lines(
                session,
                actor_id,
                source,
                period,
                keep_quantities=data.copy_last_year == "quantities",
            )
    if data.is_base_year:
        set_base_year(session, actor_id, period)
    return Opened(period, copied_from, copied, skipped)


def _copy_lines(
    session: Session,
    actor_id: int | None,
    source: ReportingPeriod,
    target: ReportingPeriod,
    *,
    keep_quantities: bool,
) -> tuple[int, int]:
    rows: list[dict[str, Any]] = [
        {k: getattr(line, k) for k in COPIED_FIELDS} for line in source.lines
    ]
    if not keep_quantities:
        # The column holds a number: 0 is "to fill in", and computes to nothing meanwhile.
        for row in rows:
            row["quantity"] = 0.0
    kept = _computable(session, target, rows)
    lines = insert_audited(session, actor_id, target, kept, "create")
    return len(lines), len(rows) - len(kept)


def _computable(
    session: Session, period: ReportingPeriod, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rows the period's library can compute (last year's library may have had others)."""
    if not rows:
        return rows
    library = library_for(session, period.library_version_id)
    frame = pd.DataFrame(rows)
    try:
        encode_lines(frame, library, uncertainty_scale(session), reference=load_reference_data())
    except ComputationError as exc:
        bad = {e.line - 1 for e in exc.errors}  # line numbers count from 1
        return [row for i, row in enumerate(rows) if i not in bad]
    return rows


def set_base_year(session: Session, actor_id: int | None, period: ReportingPeriod) -> None:
    """Make ``period`` its company's base year (targets and changes are measured from it)."""
    if period.is_base_year:
        return
    previous = session.scalar(
        select(ReportingPeriod).where(
            ReportingPeriod.company_id == period.company_id,
            ReportingPeriod.is_base_year,
            ReportingPeriod.id != period.id,
        )
    )
    if previous is not None:
        # Cleared first: a partial unique index allows one base year per company. A Core
        # UPDATE, like line_stats: the old year's version_id (a coach's validation) is untouched.
        session.execute(
            update(ReportingPeriod)
            .where(ReportingPeriod.id == previous.id)
            .values(is_base_year=False)
            .execution_options(synchronize_session=False)
        )
        session.expire(previous, ["is_base_year"])
    session.execute(
        update(ReportingPeriod)
        .where(ReportingPeriod.id == period.id)
        .values(is_base_year=True)
        .execution_options(synchronize_session=False)
    )
    session.expire(period, ["is_base_year"])
    audit.record(
        session, actor_id, "base_year", "reporting_period", period.id,
        {"base_year": previous.year if previous is not None else None},
        {"base_year": period.year},
        company_id=period.company_id,
    )  # fmt: skip
    session.flush()
