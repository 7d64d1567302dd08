"""Downloadable templates for the spreadsheet import, in French, Italian and English.

A user who starts from our template gets headers we recognise, units we accept and a data-quality
word we understand; the example rows (real catalogue activities) show the expected shape. The CSV
is written the way the user's own Excel writes it: ``;`` and a decimal comma in French and
Italian, ``,`` and a decimal point in English, UTF-8 with a BOM so that Excel reads accents. The
XLSX adds a second sheet listing the catalogue and drop-down lists for activity and quality.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from carbon.factors.bundled import Activity, activities, find_activity
from carbon.imports.spreadsheet_headers import COLUMNS
from carbon.imports.spreadsheet_validate import normalise_locale

TEMPLATE_HEADERS: dict[str, dict[str, str]] = {
    "fr": dict(zip(COLUMNS, (
        "Activité", "Poste", "Facteur", "Quantité", "Unité", "Site", "Qualité", "Commentaire",
        "Référence"), strict=True)),
    "it": dict(zip(COLUMNS, (
        "Attività", "Voce", "Fattore", "Quantità", "Unità", "Sito", "Qualità", "Commento",
        "Riferimento"), strict=True)),
    "en": dict(zip(COLUMNS, (
        "Activity", "Poste", "Factor", "Quantity", "Unit", "Site", "Quality", "Comment",
        "Evidence"), strict=True)),
}  # fmt: skip

# (activity id, quantity, unit, quality, comment, evidence) per locale: a groomer's diesel from
# an invoice, lift electricity from the meter, an estimated refrigerant top-up.
_EXAMPLES: dict[str, list[tuple[str, float, str, str, str, str]]] = {
    "fr": [
        ("groomer-diesel", 1234.5, "litre", "facture", "Cuves de janvier", "FAC-2025-0012"),
        ("electricity-lifts", 48250, "kWh", "compteur", "Relevé annuel", "EDF-2025"),
        ("refrigerant-r410a", 2.5, "kg", "estimation", "Recharge pompe à chaleur", ""),
    ],
    "it": [
        ("groomer-diesel", 1234.5, "litri", "fattura", "Cisterne di gennaio", "FT-2025-0012"),
        ("electricity-lifts", 48250, "kWh", "contatore", "Lettura annuale", "ENEL-2025"),
        ("refrigerant-r410a", 2.5, "kg", "stima", "Ricarica pompa di calore", ""),
    ],
    "en": [
        ("groomer-diesel", 1234.5, "litre", "invoice", "January tank fills", "INV-2025-0012"),
        ("electricity-lifts", 48250, "kWh", "meter", "Annual meter reading", "EDF-2025"),
        ("refrigerant-r410a", 2.5, "kg", "estimate", "Heat pump top-up", ""),
    ],
}
_QUALITY_WORDS = {
    "fr": ("facture", "compteur", "estimation", "extrapolation"),
    "it": ("fattura", "contatore", "stima", "estrapolazione"),
    "en": ("invoice", "meter", "estimate", "extrapolation"),
}
_SHEETS = {
    "fr": ("Import", "Activités"),
    "it": ("Import", "Attività"),
    "en": ("Import", "Activities"),
}
_CATALOGUE_HEADERS = {
    "fr": ("Nom de l'activité", "Identifiant", "Poste BEGES", "Unités acceptées"),
    "it": ("Nome dell'attività", "Identificativo", "Voce BEGES", "Unità accettate"),
    "en": ("Activity name", "Identifier", "BEGES poste", "Accepted units"),
}


def _activity(activity_id: str) -> Activity:
    act = find_activity(activity_id)
    if act is None:  # the catalogue and this file are shipped together; a test watches them
        raise LookupError(f"template activity {activity_id!r} is not in the catalogue")
    return act


def _example_rows(lang: str) -> list[dict[str, object]]:
    return [
        {"activity": _activity(aid).name(lang), "poste": "", "factor_id": "", "quantity": qty,
         "unit": unit, "site": "", "data_quality": quality, "comment": comment,
         "evidence_ref": evidence}
        for aid, qty, unit, quality, comment, evidence in _EXAMPLES[lang]
    ]  # fmt: skip


def template_csv(locale: str) -> bytes:
    """The import template as CSV in the separator and decimal mark of ``locale``'s Excel."""
    lang = normalise_locale(locale)
    comma = lang in ("fr", "it")
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if comma else ",", lineterminator="\r\n")
    writer.writerow([TEMPLATE_HEADERS[lang][c] for c in COLUMNS])
    for row in _example_rows(lang):
        cells = [row[c] for c in COLUMNS]
        writer.writerow(
            [f"{v:g}".replace(".", ",") if comma and isinstance(v, float) else v for v in cells]
        )
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(locale: str) -> bytes:
    """The import template as an Excel workbook: the import sheet, then the catalogue."""
    lang = normalise_locale(locale)
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook has one sheet
    data_title, list_title = _SHEETS[lang]
    ws.title = data_title
    ws.append([TEMPLATE_HEADERS[lang][c] for c in COLUMNS])
    for row in _example_rows(lang):
        ws.append([row[c] or None for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHI", (48, 8, 24, 12, 10, 16, 14, 32, 18), strict=True):
        ws.column_dimensions[letter].width = width

    cat = wb.create_sheet(list_title)
    cat.append(list(_CATALOGUE_HEADERS[lang]))
    acts = activities()
    for act in acts:
        cat.append([act.name(lang), act.activity_id, act.poste, ", ".join(act.allowed_units)])
    for cell in cat[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (60, 26, 12, 28), strict=True):
        cat.column_dimensions[letter].width = width

    # Drop-downs that suggest without forbidding: an id or another language is fine too.
    names = DataValidation(
        type="list", formula1=f"='{list_title}'!$A$2:$A${len(acts) + 1}", showErrorMessage=False
    )
    words = DataValidation(
        type="list", formula1='"' + ",".join(_QUALITY_WORDS[lang]) + '"', showErrorMessage=False
    )
    ws.add_data_validation(names)
    ws.add_data_validation(words)
    names.add("A2:A1000")
    words.add("G2:G1000")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
