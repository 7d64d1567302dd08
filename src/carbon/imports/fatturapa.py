"""Reading Italian electronic invoices (FatturaPA 1.2) into purchase lines, safely.

Italian companies of Mission Carb 0 receive every supplier invoice as FatturaPA XML through the
Sistema di Interscambio; those files hold what a footprint needs: the supplier, each line's
description, quantity and unit (kWh, Smc, litri) and its amount excluding VAT (``PrezzoTotale``,
with its ``AliquotaIVA`` beside it). This module reads single XML files or a zip of them with the
maintained ``a38`` parser, after ``defusedxml`` has parsed the bytes (no DTD, no entity expansion:
the files come from outside). Signed ``.p7m`` envelopes are refused with the way out (extract the
XML first), and a zip is checked for its size and compression ratio before anything is inflated.
Which line becomes which activity is :mod:`carbon.imports.invoice_mapping`'s job.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Final

from a38.fattura import auto_from_etree
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from carbon.imports.a38_nocopy import no_copies

MAX_INVOICE_BYTES: Final = 5 * 1024 * 1024
MAX_FILES: Final = 5_000
MAX_UNCOMPRESSED: Final = 500 * 1024 * 1024
MAX_RATIO: Final = 100
# TD04 is a credit note (nota di credito): its amounts reduce the supplier's purchases.
CREDIT_NOTES: Final = frozenset({"TD04", "TD08"})


@dataclass(frozen=True)
class InvoiceLine:
    """One ``DettaglioLinee`` of a purchase invoice; ``amount_eur`` excludes VAT."""

    file: str
    invoice: str
    invoice_date: date | None
    supplier_vat: str
    supplier: str
    line: int
    description: str
    quantity: float | None
    unit: str | None
    amount_eur: float
    vat_rate: float


class InvoiceError(ValueError):
    """A file that cannot be read; the message names the file (and the zip member)."""


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _supplier(fattura: Any) -> tuple[str, str]:
    cedente = fattura.fattura_elettronica_header.cedente_prestatore.dati_anagrafici
    vat = cedente.id_fiscale_iva
    vat_id = f"{_text(vat.id_paese)}{_text(vat.id_codice)}" if vat is not None else ""
    registry = cedente.anagrafica
    name = _text(registry.denominazione) or " ".join(
        p for p in (_text(registry.nome), _text(registry.cognome)) if p
    )
    return vat_id, name


def parse_invoice(data: bytes, file_name: str) -> list[InvoiceLine]:
    """The purchase lines of one FatturaPA XML document."""
    if data[:1] == b"0" or file_name.lower().endswith(".p7m"):
        raise InvoiceError(
            f"{file_name}: a signed .p7m envelope; extract the XML invoice from it first "
            "(your invoicing software or the Agenzia delle Entrate portal can download it)"
        )
    if len(data) > MAX_INVOICE_BYTES:
        raise InvoiceError(f"{file_name}: larger than {MAX_INVOICE_BYTES // 2**20} MB")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException) as exc:
        raise InvoiceError(f"{file_name}: not a readable XML invoice ({exc})") from None
    if not root.tag.endswith("FatturaElettronica"):
        raise InvoiceError(f"{file_name}: not a FatturaPA invoice (root element {root.tag})")
    try:
        with no_copies():  # the same tree, 6 times faster (carbon.imports.a38_nocopy)
            fattura = auto_from_etree(root)
    except Exception as exc:  # a38 raises plain exceptions on a malformed tree
        raise InvoiceError(f"{file_name}: not a FatturaPA 1.2 invoice ({exc})") from None
    vat_id, supplier = _supplier(fattura)
    lines: list[InvoiceLine] = []
    for body in fattura.fattura_elettronica_body:
        document = body.dati_generali.dati_generali_documento
        sign = -1.0 if _text(document.tipo_documento) in CREDIT_NOTES else 1.0
        for detail in body.dati_beni_servizi.dettaglio_linee:
            quantity = _number(detail.quantita)
            lines.append(
                InvoiceLine(
                    file=file_name,
                    invoice=_text(document.numero),
                    invoice_date=document.data,
                    supplier_vat=vat_id,
                    supplier=supplier,
                    line=int(detail.numero_linea or 0),
                    description=_text(detail.descrizione),
                    quantity=None if quantity is None else sign * quantity,
                    unit=_text(detail.unita_misura) or None,
                    amount_eur=sign * float(detail.prezzo_totale or 0),
                    vat_rate=float(detail.aliquota_iva or 0),
                )
            )
    return lines


def _members(data: bytes, file_name: str) -> list[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InvoiceError(f"{file_name}: not a readable zip archive") from None
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_FILES:
        raise InvoiceError(f"{file_name}: more than {MAX_FILES} files in the archive")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
        raise InvoiceError(f"{file_name}: the archive expands too much to be a set of invoices")
    members = []
    for info in infos:
        if info.file_size > MAX_INVOICE_BYTES:
            raise InvoiceError(f"{file_name}/{info.filename}: larger than an invoice can be")
        members.append((f"{file_name}/{info.filename}", archive.read(info)))
    return members


def read_invoices(data: bytes, file_name: str) -> list[InvoiceLine]:
    """Lines of one XML invoice or of every invoice in a zip; InvoiceError names the bad file."""
    if data[:4] == b"PK\x03\x04":
        lines: list[InvoiceLine] = []
        for name, member in _members(data, file_name):
            if name.lower().endswith((".xml", ".p7m")):
                lines += parse_invoice(member, name)
        return lines
    return parse_invoice(data, file_name)
