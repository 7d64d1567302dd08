"""``carbon import``: activity data from accounting exports, for operators and scripted starts.

``carbon import fec FILE --company ID --year YEAR`` previews what a company's FEC gives for one of
its reporting periods (spend lines per account and supplier, accounts that want physical data,
excluded and unmapped accounts); ``--commit`` stores the lines, all or nothing, once per file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from carbon.cli_console import err, fail, out
from carbon.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from carbon.db.models import Company, ReportingPeriod
    from carbon.imports.fec_mapping import AccountRule

import_app = typer.Typer(help="Activity data from accounting exports (FEC, FatturaPA).")


def _euros(value: float) -> str:
    return f"{value:,.2f} €".replace(",", " ")


@import_app.command("fec")
def import_fec(
    path: Annotated[Path, typer.Argument(help="the FEC file (<SIREN>FEC<AAAAMMJJ>.txt)")],
    company: Annotated[int, typer.Option("--company", help="company id")],
    year: Annotated[int, typer.Option("--year", help="the reporting period's year")],
    rules: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            help="a CSV of account rules over the shipped, cohort's and company's ones",
        ),
    ] = None,
    commit: Annotated[bool, typer.Option("--commit", help="store the lines")] = False,
) -> None:
    """Preview (or with --commit store) the spend lines a FEC gives for a reporting period."""
    from carbon.cli import _sessions
    from carbon.db.fec_import import FecImportError, plan_fec_import, store_fec_import
    from carbon.db.mapping_rules import rules_for
    from carbon.db.session import session_scope
    from carbon.imports.fec import FecError, read_fec
    from carbon.imports.fec_mapping import parse_rules

    try:
        data = path.read_bytes()
        extra = parse_rules(rules.read_text(encoding="utf-8"), "file") if rules else []
    except OSError as exc:
        raise fail(f"{exc.filename}: {exc.strerror}") from None
    except ValueError as exc:
        raise fail(f"{rules}: {exc}") from None
    try:
        ledger = read_fec(data, path.name)
    except FecError as exc:
        for issue in exc.issues:
            err.print(f"{path}: {issue}", highlight=False, markup=False)
        raise fail(f"{path}: {len(exc.issues)} problem(s); nothing imported") from None
    with session_scope(_sessions(Settings())) as session:
        owner, period = _period(session, company, year)
        try:
            plan = plan_fec_import(
                session, period, ledger, rules_for(session, owner, extra), owner.legal_id
            )
        except FecImportError as exc:
            raise fail(f"{path}: {exc}") from None
        _print_plan(plan)
        _finish(
            plan,
            commit,
            f"{owner.name} {year}",
            lambda: store_fec_import(session, None, period, plan),
        )


def _origin(rule: AccountRule | None) -> str:
    """Whose rule mapped the account: "601 (cohort rule)" (the CLI speaks English: the msgid)."""
    from carbon.db.mapping_rules import LAYER_LABELS

    if rule is None:
        return ""
    return f"{rule.prefix} ({LAYER_LABELS.get(rule.origin, rule.origin)})"


def _print_plan(plan: object) -> None:
    from carbon.db.fec_import import FecImport

    assert isinstance(plan, FecImport)
    proposal = plan.proposal
    table = Table(title=f"{len(proposal.lines)} spend line(s), {proposal.total_keur:,.2f} k€ HT")
    for column in ("account", "supplier", "amount HT", "poste", "factor", "rule"):
        table.add_column(column, justify="right" if column == "amount HT" else "left")
    for line in proposal.lines:
        table.add_row(
            f"{line.account} {line.account_label}", line.supplier_label or line.supplier,
            _euros(line.amount_eur), str(line.rule.poste), str(line.rule.factor_id),
            _origin(line.rule),
        )  # fmt: skip
    out.print(table)
    for title, totals in (
        ("needs physical data", proposal.physical),
        ("excluded (no emissions of their own)", proposal.excluded),
        ("unmapped: add a rule", proposal.unmapped),
        ("net credits, not counted", proposal.credits),
    ):
        for total in totals:
            hint = (
                f" — {total.rule.physical_hint}" if total.rule and total.rule.physical_hint else ""
            )
            rule = f" [{_origin(total.rule)}]" if total.rule else ""
            out.print(
                f"{title}: {total.account} {total.label} {_euros(total.amount_eur)}{hint}{rule}"
            )
    for line, activity in proposal.overlapping:
        out.print(
            f"left out, physical data already entered ({activity}): {line.account} "
            f"{line.supplier_label or line.supplier} {_euros(line.amount_eur)}"
        )
    _print_prices(plan.prices)
    for warning in plan.warnings:
        out.print(f"warning: {warning}")


def _print_prices(notes: tuple[Any, ...]) -> None:
    """Which planned spend lines the engine deflates to their ratio's prices, and which not
    (in English, as the rest of the command's output)."""
    from carbon.i18n import use_locale

    deflated = sum(1 for note in notes if note.deflated)
    if notes:
        out.print(
            f"prices: {deflated} spend line(s) deflated to their ratio's price year, "
            f"{len(notes) - deflated} not deflated"
        )
    with use_locale("en"):
        for note in notes:
            out.print(f"{'deflated' if note.deflated else 'not deflated'}: {note.comment} — "
                      f"{note.message}", highlight=False, markup=False)  # fmt: skip


@import_app.command("fatturapa")
def import_fatturapa(
    path: Annotated[Path, typer.Argument(help="a FatturaPA XML invoice, or a zip of them")],
    company: Annotated[int, typer.Option("--company", help="company id")],
    year: Annotated[int, typer.Option("--year", help="the reporting period's year")],
    commit: Annotated[bool, typer.Option("--commit", help="store the lines")] = False,
) -> None:
    """Preview (or with --commit store) the lines Italian purchase invoices give for a period."""
    from carbon.cli import _sessions
    from carbon.db.fec_import import FecImportError
    from carbon.db.invoice_import import plan_invoice_import, store_invoice_import
    from carbon.db.session import session_scope
    from carbon.imports.fatturapa import InvoiceError, read_invoices
    from carbon.imports.invoice_mapping import default_rules

    try:
        data = path.read_bytes()
        lines = read_invoices(data, path.name)
    except OSError as exc:
        raise fail(f"{exc.filename}: {exc.strerror}") from None
    except InvoiceError as exc:
        raise fail(f"{exc}; nothing imported") from None
    with session_scope(_sessions(Settings())) as session:
        owner, period = _period(session, company, year)
        try:
            plan = plan_invoice_import(session, period, data, lines, default_rules())
        except FecImportError as exc:
            raise fail(f"{path}: {exc}") from None
        proposal = plan.proposal
        table = Table(title=f"{proposal.invoices} invoice(s), {len(proposal.rows)} line(s)")
        for column in ("supplier and invoices", "quantity", "unit", "poste", "factor"):
            table.add_column(column, justify="right" if column == "quantity" else "left")
        for row in proposal.rows:
            table.add_row(str(row["comment"]), f"{row['quantity']:,.2f}", str(row["unit"]),
                          str(row["poste"]), str(row["factor_id"]))  # fmt: skip
        out.print(table)
        for line in proposal.covered:
            out.print(f"covered by the invoice's physical data: {line.description} "
                      f"{_euros(line.amount_eur)}")  # fmt: skip
        for line in proposal.unmapped:
            out.print(f"unmapped: add a rule: {line.supplier}, {line.description} "
                      f"{_euros(line.amount_eur)}")  # fmt: skip
        if plan.outside_period:
            out.print(f"{plan.outside_period} invoice line(s) dated outside {year}: left out")
        _print_prices(plan.prices)
        _finish(plan, commit, f"{owner.name} {year}",
                lambda: store_invoice_import(session, None, period, plan))  # fmt: skip


def _finish(plan: Any, commit: bool, where: str, store: Callable[[], object]) -> None:
    """Store the planned lines (``--commit``) unless the file is already in the period."""
    if plan.already_imported:
        out.print("this file is already imported into this period: nothing changed")
    elif commit:
        try:
            store()
        except PermissionError as exc:
            raise fail(str(exc)) from None
        out.print(f"{plan.stored} line(s) stored in {where}")
    else:
        out.print("preview only: run again with --commit to store these lines")


def _period(session: Session, company: int, year: int) -> tuple[Company, ReportingPeriod]:
    from sqlalchemy import select

    from carbon.db.models import Company, ReportingPeriod

    owner = session.get(Company, company)
    if owner is None:
        raise fail(f"no company with id {company}")
    period = session.scalars(
        select(ReportingPeriod).where(
            ReportingPeriod.company_id == company, ReportingPeriod.year == year
        )
    ).first()
    if period is None:
        raise fail(f"{owner.name} has no reporting period for {year}: create it first")
    return owner, period
