"""Storing a FEC's spend lines in a reporting period: checked, all or nothing, once per file.

The CLI (``carbon import fec``) and the web import both come here, so the same rules apply: the
proposal is built from the period's dates and the activities it already holds (overlap with
physical data), every line is checked by the engine against the period's pinned library before
anything is written, as it will be computed once stored (the company's country, the period's
year: so the plan says which spends are deflated to their ratio's prices and which cannot be),
the lines go in through :func:`carbon.db.activity_lines.add_lines` (audited, refused on a period
that is not a draft), and a file already imported into the period changes nothing the second
time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.accounting import money
from carbon.accounting.engine import ComputationError, encode_lines
from carbon.accounting.notices import LineWarning
from carbon.accounting.reference import ReferenceData
from carbon.accounting.uncertainty import UncertaintyScale
from carbon.db.activity_lines import add_lines
from carbon.db.compute import library_for
from carbon.db.models import ActivityLine, ReportingPeriod
from carbon.factors.reference import load_reference_data
from carbon.imports.fec import FecIssue, FecLedger
from carbon.imports.fec_mapping import AccountRule, FecProposal, activity_rows, propose
from carbon.inputs.numbers import MAX_QUANTITY, QUANTITY, number_issue


class FecImportError(ValueError):
    """The proposal cannot be stored; the message names the account and the reason."""


@dataclass
class FecImport:
    proposal: FecProposal
    rows: list[dict[str, Any]]
    already_imported: bool
    stored: int = 0
    warnings: tuple[FecIssue, ...] = ()
    prices: tuple[PriceNote, ...] = ()


def evidence_tag(ledger: FecLedger) -> str:
    return f"FEC {ledger.digest[:12]}"


def already_imported(session: Session, period: ReportingPeriod, tag: str) -> bool:
    """Whether a line of ``period`` came from the file whose evidence tag is ``tag``."""
    stmt = select(ActivityLine.id).where(
        ActivityLine.period_id == period.id, ActivityLine.evidence_ref.startswith(tag + " ")
    )
    return session.execute(stmt.limit(1)).first() is not None


@dataclass(frozen=True)
class PriceNote:
    """What the engine will do to the prices of a planned spend line: deflated to the ratio's
    year, or why not (``row`` indexes the plan's rows)."""

    row: int
    comment: str
    warning: LineWarning

    @property
    def deflated(self) -> bool:
        return self.warning.template in (money.DEFLATED, money.DEFLATED_UNVERIFIED)

    @property
    def message(self) -> str:
        return self.warning.message


def check_rows(
    session: Session,
    period: ReportingPeriod,
    rows: list[dict[str, Any]],
    reference: ReferenceData | None = None,
) -> tuple[PriceNote, ...]:
    """The engine's check of every row against the period's library, as the rows will be
    computed once stored (the company's country, the period's year, the price indices);
    FecImportError names the first bad row by its comment (account or supplier).

    Returns what the deflation does to each spend row (methodology §8), for the plan to say."""
    if not rows:
        return ()
    for row in rows:  # sums of many lines: each within its bound, the total may not be
        if number_issue(float(row["quantity"]), QUANTITY) is not None:
            raise FecImportError(
                f"{row.get('comment', '')}: {row['quantity']:g} {row['unit']} is beyond what "
                f"a line can hold (at most {MAX_QUANTITY:g})"
            )
    frame = pd.DataFrame(rows)
    frame["country"] = period.company.country or ""
    try:
        enc = encode_lines(
            frame,
            library_for(session, period.library_version_id),
            UncertaintyScale(),
            reference=reference if reference is not None else load_reference_data(),
            year=period.year,
        )
    except ComputationError as exc:
        first = exc.errors[0]
        row = rows[first.line - 1] if 0 < first.line <= len(rows) else {}
        raise FecImportError(
            f"{row.get('comment', '')}: {first.message} (the rule's factor is not usable with "
            "this period's factor library: map it to a factor of that library)"
        ) from None
    return tuple(
        PriceNote(w.line - 1, str(rows[w.line - 1].get("comment", "")), w)
        for w in enc.warnings
        if w.template in money.PRICE_NOTICES and 0 < w.line <= len(rows)
    )


def plan_fec_import(
    session: Session,
    period: ReportingPeriod,
    ledger: FecLedger,
    rules: Mapping[str, AccountRule],
    company_siren: str | None = None,
    reference: ReferenceData | None = None,
) -> FecImport:
    """What importing ``ledger`` into ``period`` would store (the preview); nothing is written."""
    existing = session.scalars(
        select(ActivityLine.activity_id).where(
            ActivityLine.period_id == period.id, ActivityLine.activity_id.is_not(None)
        )
    ).all()
    proposal = propose(
        ledger, rules, date(period.year, 1, 1), date(period.year, 12, 31),
        existing_activities=[a for a in existing if a],
    )  # fmt: skip
    rows = activity_rows(proposal, ledger)
    prices = check_rows(session, period, rows, reference)
    warnings = list(ledger.warnings)
    if company_siren and ledger.siren and company_siren.replace(" ", "") != ledger.siren:
        warnings.append(
            FecIssue(
                None,
                None,
                f"the file is named for SIREN {ledger.siren}, the company's is {company_siren}",
            )
        )
    return FecImport(
        proposal,
        rows,
        already_imported(session, period, evidence_tag(ledger)),
        warnings=tuple(warnings),
        prices=prices,
    )


def store_fec_import(
    session: Session, actor_id: int | None, period: ReportingPeriod, plan: FecImport
) -> FecImport:
    """Store the planned lines (none when the file was already imported); the caller commits."""
    if plan.already_imported:
        return plan
    lines = add_lines(session, actor_id, period, plan.rows)
    plan.stored = len(lines)
    return plan
