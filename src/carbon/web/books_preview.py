"""What a FEC or FatturaPA file would give a reporting period, shaped for the web preview.

The web import of the books (:mod:`carbon.web.routes.imports_books`) reads the uploaded file with
the same readers and plans it with the same steps as ``carbon import fec|fatturapa``
(:func:`carbon.db.fec_import.plan_fec_import`, :func:`carbon.db.invoice_import.plan_invoice_import`,
the company's layered rules from :func:`carbon.db.mapping_rules.rules_for`), then adds what a
person needs to decide: each line's kgCO2e estimate, computed by the engine as the period's
footprint will compute it (the company's country, the period's year), the factor's name, whose
rule mapped it, and the reader's problems in the reader's language. The plan itself is kept on
the preview, so confirming stores exactly what was planned from the same bytes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import pandas as pd
from sqlalchemy.orm import Session

from carbon.accounting.engine import compute
from carbon.db.compute import library_for, uncertainty_scale
from carbon.db.fec_import import FecImport, FecImportError, plan_fec_import, store_fec_import
from carbon.db.invoice_import import InvoiceImport, plan_invoice_import, store_invoice_import
from carbon.db.mapping_rules import rules_for
from carbon.db.models import ReportingPeriod
from carbon.factors.bundled import find_activity
from carbon.factors.reference import load_reference_data
from carbon.i18n import N_, get_locale
from carbon.i18n import gettext as _
from carbon.imports.fatturapa import InvoiceError, InvoiceLine, read_invoices
from carbon.imports.fec import FecError, read_fec
from carbon.imports.fec_mapping import AccountTotal
from carbon.imports.invoice_mapping import default_rules as invoice_rules
from carbon.web.books_messages import column_text, reader_text

Kind = Literal["fec", "fatturapa"]
FEC_SUFFIXES: Final = (".txt",)
INVOICE_SUFFIXES: Final = (".xml", ".zip")


class BooksRefusal(ValueError):
    """The whole file is refused before any line is read; the message is translated."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One problem of the file, located as the reader found it (line of the file, column)."""

    line: int | None
    column: str
    message: str


@dataclass(frozen=True)
class PreviewLine:
    """A line that confirming would store, as the preview shows it."""

    account: str  # FEC account number; empty for an invoice line
    account_label: str
    supplier: str
    comment: str
    amount_eur: float | None  # € excluding VAT (None: a physical invoice line)
    quantity: float
    unit: str
    poste: str
    factor_id: str
    factor_name: str
    kgco2e: float
    origin: str | None  # the rule's layer (default, cohort, company); None for invoices


@dataclass(frozen=True)
class LeftOut:
    """A spend line kept out of the total because physical data measures the same need."""

    account: str
    account_label: str
    supplier: str
    amount_eur: float
    activity: str  # the physical activity already in the period, by name


@dataclass
class BooksPreview:
    kind: Kind
    filename: str
    library_version: str = ""
    lines: list[PreviewLine] = field(default_factory=list)
    overlapping: list[LeftOut] = field(default_factory=list)
    excluded: list[AccountTotal] = field(default_factory=list)
    physical: list[AccountTotal] = field(default_factory=list)
    unmapped: list[AccountTotal] = field(default_factory=list)
    credits: list[AccountTotal] = field(default_factory=list)
    covered: list[InvoiceLine] = field(default_factory=list)
    unmapped_invoice_lines: list[InvoiceLine] = field(default_factory=list)
    invoices: int = 0
    outside_period: int = 0
    warnings: list[str] = field(default_factory=list)
    # What the engine does to the spends' prices (methodology §8), each message once, with how
    # many planned lines it concerns.
    prices: list[tuple[str, int]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    already_imported: bool = False
    plan: FecImport | InvoiceImport | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.plan is not None

    @property
    def total_kgco2e(self) -> float:
        return float(sum(line.kgco2e for line in self.lines))

    @property
    def total_eur(self) -> float:
        return float(sum(line.amount_eur or 0.0 for line in self.lines))


KIND_NAMES: Final = {"fec": N_("FEC (French general ledger)"), "fatturapa": N_("FatturaPA")}


def kind_of(filename: str) -> Kind:
    """Which reader takes the file, by its name; BooksRefusal for anything else."""
    lower = filename.lower()
    if lower.endswith(".p7m"):
        raise BooksRefusal(
            "p7m",
            _(
                "'%(file)s' is a signed .p7m envelope: extract the XML invoice from it first "
                "(your invoicing software or the Agenzia delle Entrate portal can download it), "
                "then upload the .xml file or a .zip of them."
            )
            % {"file": filename},
        )
    if lower.endswith(FEC_SUFFIXES):
        return "fec"
    if lower.endswith(INVOICE_SUFFIXES):
        return "fatturapa"
    suffix = "." + lower.rpartition(".")[2] if "." in lower else filename
    raise BooksRefusal(
        "unsupported_format",
        _(
            "Files of type '%(extension)s' cannot be imported here: upload a FEC (.txt) or "
            "FatturaPA invoices (.xml, or a .zip of them)."
        )
        % {"extension": suffix},
    )


def _estimates(
    session: Session, period: ReportingPeriod, rows: list[dict[str, Any]]
) -> list[float]:
    """Each row's kgCO2e as the period's footprint computes it (company country, period year)."""
    if not rows:
        return []
    columns = ("poste", "factor_id", "quantity", "unit", "data_quality")
    frame = pd.DataFrame([{c: row[c] for c in columns} for row in rows])
    frame["country"] = period.company.country
    frame["year"] = period.year
    library = library_for(session, period.library_version_id)
    result = compute(frame, library, uncertainty_scale(session), reference=load_reference_data())
    return [float(kg) for kg in result.lines["kgco2e"].to_numpy(dtype="float64")]


def _factor_names(session: Session, period: ReportingPeriod, ids: set[str]) -> dict[str, str]:
    """The names of the factors ``ids`` in the reader's language (French when missing)."""
    factors = library_for(session, period.library_version_id).factors
    factors = factors[factors["factor_id"].isin(ids)]
    column = f"name_{get_locale()}" if f"name_{get_locale()}" in factors.columns else "name_fr"
    names = factors[column].fillna(factors["name_fr"]).astype(str)
    return dict(zip(factors["factor_id"].astype(str), names, strict=True))


def _activity_name(activity_id: str) -> str:
    activity = find_activity(activity_id)
    return activity.name(get_locale()) if activity else activity_id


def analyse(session: Session, period: ReportingPeriod, filename: str, data: bytes) -> BooksPreview:
    """Read, check and plan ``data`` for ``period``; nothing is written.

    A file the readers refuse gives a preview with ``errors`` (and no plan); a file that is not
    one of the two formats raises :class:`BooksRefusal`.
    """
    kind = kind_of(filename)
    preview = BooksPreview(kind, filename)
    preview.library_version = library_for(session, period.library_version_id).version
    try:
        if kind == "fec":
            _plan_fec(session, period, data, preview)
        else:
            _plan_invoices(session, period, data, preview)
    except FecImportError as exc:  # a rule's factor is not in the period's library
        preview.errors.append(Problem(None, "", reader_text(str(exc))))
        preview.plan = None
    if preview.plan is not None:
        _lines(session, period, preview)
        # Biggest first: the lines worth replacing with physical data come to the top.
        preview.lines.sort(key=lambda line: -line.kgco2e)
    return preview


def _plan_fec(
    session: Session, period: ReportingPeriod, data: bytes, preview: BooksPreview
) -> None:
    try:
        ledger = read_fec(data, preview.filename)
    except FecError as exc:
        preview.errors = [
            Problem(issue.line, column_text(issue.column), reader_text(issue.message))
            for issue in exc.issues
        ]
        return
    company = period.company
    plan = plan_fec_import(session, period, ledger, rules_for(session, company), company.legal_id)
    proposal = plan.proposal
    preview.plan = plan
    preview.already_imported = plan.already_imported
    preview.excluded, preview.physical = proposal.excluded, proposal.physical
    preview.unmapped, preview.credits = proposal.unmapped, proposal.credits
    preview.overlapping = [
        LeftOut(line.account, line.account_label, line.supplier_label or line.supplier,
                line.amount_eur, _activity_name(activity))
        for line, activity in proposal.overlapping
    ]  # fmt: skip
    preview.warnings = [reader_text(warning.message) for warning in plan.warnings]
    preview.prices = _price_notes(plan)


def _price_notes(plan: FecImport | InvoiceImport) -> list[tuple[str, int]]:
    counted = Counter(note.message for note in plan.prices)
    return sorted(counted.items(), key=lambda item: (-item[1], item[0]))


def _plan_invoices(
    session: Session, period: ReportingPeriod, data: bytes, preview: BooksPreview
) -> None:
    try:
        lines = read_invoices(data, preview.filename)
    except InvoiceError as exc:
        preview.errors = [Problem(None, "", reader_text(str(exc)))]
        return
    if not lines:
        preview.errors = [Problem(None, "", _("The archive holds no FatturaPA invoice (.xml)."))]
        return
    plan = plan_invoice_import(session, period, data, lines, invoice_rules())
    preview.plan = plan
    preview.already_imported = plan.already_imported
    preview.covered = plan.proposal.covered
    preview.unmapped_invoice_lines = plan.proposal.unmapped
    preview.invoices = plan.proposal.invoices
    preview.outside_period = plan.outside_period
    preview.prices = _price_notes(plan)


def _lines(session: Session, period: ReportingPeriod, preview: BooksPreview) -> None:
    plan = preview.plan
    rows = plan.rows if isinstance(plan, FecImport) else plan.proposal.rows if plan else []
    names = _factor_names(session, period, {str(row["factor_id"]) for row in rows})
    kg = _estimates(session, period, rows)
    if isinstance(plan, FecImport):
        for line, row, estimate in zip(plan.proposal.lines, rows, kg, strict=True):
            preview.lines.append(PreviewLine(
                line.account, line.account_label, line.supplier_label or line.supplier,
                str(row["comment"]), line.amount_eur, float(row["quantity"]), str(row["unit"]),
                str(row["poste"]), str(row["factor_id"]),
                names.get(str(row["factor_id"]), str(row["factor_id"])), estimate,
                line.rule.origin,
            ))  # fmt: skip
        return
    for row, estimate in zip(rows, kg, strict=True):
        spend = row["unit"] == "k€"
        preview.lines.append(PreviewLine(
            "", "", str(row["comment"]).partition(" (")[0], str(row["comment"]),
            round(float(row["quantity"]) * 1000, 2) if spend else None, float(row["quantity"]),
            str(row["unit"]), str(row["poste"]), str(row["factor_id"]),
            names.get(str(row["factor_id"]), str(row["factor_id"])), estimate, None,
        ))  # fmt: skip


def store(session: Session, actor_id: int, period: ReportingPeriod, preview: BooksPreview) -> int:
    """Store the preview's plan, all or nothing (the caller commits); the lines stored, 0 when
    the file was already imported into the period."""
    plan = preview.plan
    if isinstance(plan, FecImport):
        return store_fec_import(session, actor_id, period, plan).stored
    if isinstance(plan, InvoiceImport):
        return store_invoice_import(session, actor_id, period, plan).stored
    return 0
