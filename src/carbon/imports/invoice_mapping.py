"""From FatturaPA purchase lines to activity lines: physical data first, spend where none.

An invoice line that gives a physical quantity carbon can use (``UnitaMisura`` kWh, Smc, litri)
becomes a physical line of the matching activity, its factor chosen by the company's country; a
line without one becomes a spend line (k€ excluding VAT, the invoice's ``PrezzoTotale``) when a
description rule names its monetary ratio. Rules are data (``emission_factors/invoice_rules.csv``,
first match wins). Lines no rule covers are listed with their amounts, never dropped; the other
charges of an invoice that has physical lines (system charges, transport of energy) are listed as
covered by that invoice's physical data, so an energy bill is not counted twice. Natural gas billed
in Smc is converted at the conventional gross calorific value, 10.70 kWh PCS per Smc
(0.03852 GJ/Smc, the value Italian gas bills use), into the kWh PCS the gas factor wants.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from carbon.factors.bundled import find_activity
from carbon.imports.fatturapa import InvoiceLine

RULES_FILE: Final = "invoice_rules.csv"
# 0.03852 GJ/Smc × 277.78 kWh/GJ = 10.700 kWh PCS per standard cubic metre.
KWH_PCS_PER_SMC: Final = 0.03852 * 1e9 / 3.6e6
UNIT_ALIASES: Final = {
    "kwh": "kwh", "kw/h": "kwh", "kwh.": "kwh", "smc": "smc", "sm3": "smc", "mc": "smc",
    "l": "litri", "lt": "litri", "lt.": "litri", "litri": "litri", "litro": "litri",
}  # fmt: skip
# The unit each physical rule's line is stored in, and the factor applied to the quantity.
STORED_UNIT: Final = {"kwh": ("kWh", 1.0), "smc": ("kWh PCS", KWH_PCS_PER_SMC),
                      "litri": ("litre", 1.0)}  # fmt: skip


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


@dataclass(frozen=True)
class InvoiceRule:
    order: int
    unit: str | None
    keywords: tuple[str, ...]
    treatment: str
    activity_id: str | None
    poste: str | None
    factor_id: str | None

    def matches(self, line: InvoiceLine) -> bool:
        unit = UNIT_ALIASES.get(_fold(line.unit or "").strip())
        if self.treatment == "physical" and (unit is None or unit != self.unit):
            return False
        if self.keywords:
            text = _fold(line.description)
            return any(_fold(k) in text for k in self.keywords)
        return True


@dataclass
class InvoiceProposal:
    rows: list[dict[str, Any]] = field(default_factory=list)
    covered: list[InvoiceLine] = field(default_factory=list)
    unmapped: list[InvoiceLine] = field(default_factory=list)
    invoices: int = 0


def parse_rules(text: str) -> list[InvoiceRule]:
    rules = []
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        treatment = (row.get("treatment") or "").strip()
        if treatment not in ("physical", "spend"):
            raise ValueError(f"line {number}, treatment: '{treatment}' is not physical or spend")
        unit = (row.get("unit") or "").strip().lower() or None
        if treatment == "physical" and unit not in STORED_UNIT:
            raise ValueError(f"line {number}, unit: a physical rule needs kwh, smc or litri")
        rules.append(
            InvoiceRule(
                int(row.get("order") or number), unit,
                tuple(k.strip() for k in (row.get("keywords") or "").split("|") if k.strip()),
                treatment, (row.get("activity_id") or "").strip() or None,
                (row.get("poste") or "").strip() or None,
                (row.get("factor_id") or "").strip() or None,
            )
        )  # fmt: skip
    return sorted(rules, key=lambda r: r.order)


def default_rules() -> list[InvoiceRule]:
    from carbon.config import PROJECT_ROOT

    return parse_rules(
        (Path(PROJECT_ROOT) / "emission_factors" / RULES_FILE).read_text(encoding="utf-8")
    )


def propose(
    lines: Iterable[InvoiceLine], rules: list[InvoiceRule], country: str, tag: str
) -> InvoiceProposal:
    """Activity-line values for ``lines`` of a company in ``country``; one line per supplier and
    rule, quantities and amounts summed, the invoices named in the comment."""
    proposal = InvoiceProposal()
    by_invoice: dict[tuple[str, str], list[InvoiceLine]] = defaultdict(list)
    for line in lines:
        by_invoice[(line.file, line.invoice)].append(line)
    proposal.invoices = len(by_invoice)
    totals: dict[tuple[str, int], list[Any]] = {}
    for invoice_lines in by_invoice.values():
        matched = [
            (line, next((r for r in rules if r.matches(line)), None)) for line in invoice_lines
        ]
        has_physical = any(r is not None and r.treatment == "physical" for _, r in matched)
        for line, rule in matched:
            if rule is None:
                (proposal.covered if has_physical else proposal.unmapped).append(line)
                continue
            key = (line.supplier_vat or line.supplier, rule.order)
            entry = totals.setdefault(key, [rule, line, 0.0, set()])
            if rule.treatment == "physical":
                entry[2] += float(line.quantity or 0.0)
            else:
                entry[2] += line.amount_eur
            entry[3].add(line.invoice)
    for rule, line, amount, invoices in totals.values():
        if amount <= 0:
            proposal.unmapped.append(line)
            continue
        proposal.rows.append(_row(rule, line, amount, sorted(invoices), country, tag))
    return proposal


def _row(
    rule: InvoiceRule, line: InvoiceLine, amount: float, invoices: list[str], country: str, tag: str
) -> dict[str, Any]:
    comment = f"{line.supplier} ({line.supplier_vat}): invoice(s) {', '.join(invoices)}"
    if rule.treatment == "physical":
        activity = find_activity(rule.activity_id or "")
        if activity is None:
            raise ValueError(f"invoice rule {rule.order}: unknown activity '{rule.activity_id}'")
        unit, factor = STORED_UNIT[rule.unit or ""]
        if factor != 1.0:
            comment += f"; {amount:g} Smc × {KWH_PCS_PER_SMC:.2f} kWh PCS/Smc"
        return {
            "activity_id": activity.activity_id, "poste": activity.poste,
            "factor_id": activity.factor_id_for(country), "quantity": round(amount * factor, 6),
            "unit": unit, "data_quality": "measured", "comment": comment[:2000],
            "evidence_ref": f"{tag} {line.supplier_vat}/{rule.order}"[:500],
        }  # fmt: skip
    return {
        "poste": rule.poste, "factor_id": rule.factor_id, "quantity": round(amount / 1000.0, 6),
        "unit": "k€", "data_quality": "estimated", "comment": comment[:2000],
        "evidence_ref": f"{tag} {line.supplier_vat}/{rule.order}"[:500],
    }  # fmt: skip
