"""Storing FatturaPA purchase lines in a reporting period: checked, all or nothing, once per file.

The same path as the FEC import (:mod:`carbon.db.fec_import`): the lines are proposed from the
invoices dated in the period (so a spend's year, the invoice's, is the period's and deflates with
it), checked by the engine against the period's library, stored through
:func:`carbon.db.activity_lines.add_lines` (audited, drafts only), and a file already imported
changes nothing the second time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from carbon.accounting.reference import ReferenceData
from carbon.db.activity_lines import add_lines
from carbon.db.fec_import import PriceNote, already_imported, check_rows
from carbon.db.models import ReportingPeriod
from carbon.imports.fatturapa import InvoiceLine
from carbon.imports.invoice_mapping import InvoiceProposal, InvoiceRule, propose


@dataclass
class InvoiceImport:
    proposal: InvoiceProposal
    outside_period: int
    already_imported: bool
    stored: int = 0
    prices: tuple[PriceNote, ...] = ()


def plan_invoice_import(
    session: Session,
    period: ReportingPeriod,
    data: bytes,
    lines: list[InvoiceLine],
    rules: list[InvoiceRule],
    reference: ReferenceData | None = None,
) -> InvoiceImport:
    """What importing the invoices of ``data`` into ``period`` would store; nothing is written."""
    tag = f"FPA {hashlib.sha256(data).hexdigest()[:12]}"
    inside = [
        line for line in lines
        if line.invoice_date is None or line.invoice_date.year == period.year
    ]  # fmt: skip
    proposal = propose(inside, rules, period.company.country, tag)
    prices = check_rows(session, period, proposal.rows, reference)
    return InvoiceImport(
        proposal,
        len(lines) - len(inside),
        already_imported(session, period, tag),
        prices=prices,
    )


def store_invoice_import(
    session: Session, actor_id: int | None, period: ReportingPeriod, plan: InvoiceImport
) -> InvoiceImport:
    if not plan.already_imported:
        plan.stored = len(add_lines(session, actor_id, period, plan.proposal.rows))
    return plan
