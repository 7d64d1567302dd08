"""Recognising the columns of an activity spreadsheet from headers written in fr, it or en.

Users keep their own sheets: "Quantité", "Quantità *", "Qty", "Unità (kWh, L…)", "N° facture".
Headers are compared folded (lower case, no accents) through :data:`ALIASES`, which extends the
engine CSV's names (:data:`~carbon.imports.activity_csv.ACTIVITY_ALIASES`). The header as the
user wrote it is kept, so that every message quotes the user's own words.
"""

from __future__ import annotations

import re

import pandas as pd

from carbon.imports.activity_csv import ACTIVITY_ALIASES
from carbon.imports.spreadsheet_issues import ImportIssue, UploadError
from carbon.imports.tabular import fold

COLUMNS = (
    "activity", "poste", "factor_id", "quantity", "unit", "site", "data_quality", "comment",
    "evidence_ref",
)  # fmt: skip
REQUIRED = ("quantity", "unit")  # and "activity" or "factor_id"

_extra: dict[str, tuple[str, ...]] = {
    "activity": (
        "activite", "activites", "activity", "activity id", "activity_id", "id activite",
        "identifiant activite", "type d'activite", "attivita", "id attivita", "tipo di attivita",
    ),
    "poste": ("poste", "voce beges", "categoria beges", "beges"),
    "factor_id": (
        "facteur d'emission", "id facteur", "fattore di emissione", "emission factor",
        "emission factor id",
    ),
    "quantity": ("qte", "qta", "qty", "amount", "valore", "quantites"),
    "unit": ("unite de mesure", "unita di misura", "units", "unites"),
    "site": ("site", "sites", "sito", "sede", "etablissement", "stabilimento", "location"),
    "data_quality": ("quality", "qualite des donnees", "qualita dei dati", "qualita del dato"),
    "comment": (
        "commentaire", "commentaires", "commento", "commenti", "comment", "comments", "remarque",
        "remarques", "note", "notes", "nota",
    ),
    "evidence_ref": (
        "reference", "references", "ref", "riferimento", "rif", "evidence", "evidence ref",
        "justificatif", "piece justificative", "n facture", "numero de facture", "numero fattura",
        "invoice number", "invoice",
    ),
}  # fmt: skip
# Folded header text -> our column. The engine's names are reused, restricted to the columns an
# activity line stores (the country comes from the site; a label is a comment here).
ALIASES: dict[str, str] = {
    **{k: v for k, v in ACTIVITY_ALIASES.items() if v in COLUMNS},
    **{fold(k): col for col, names in _extra.items() for k in names},
}
# Header shown in messages for a column the file does not have.
DEFAULT_HEADERS = {
    "activity": "Activity", "poste": "Poste", "factor_id": "Factor", "quantity": "Quantity",
    "unit": "Unit", "site": "Site", "data_quality": "Quality", "comment": "Comment",
    "evidence_ref": "Evidence",
}  # fmt: skip
_EXAMPLES = {
    "activity": "Activité / Attività / Activity", "quantity": "Quantité / Quantità / Quantity",
    "unit": "Unité / Unità / Unit",
}  # fmt: skip
_MOJIBAKE = re.compile("[ÃÂ]|\ufffd")  # UTF-8 read as Windows-1252, or undecodable bytes


def header_key(text: object) -> str | None:
    """Our column for a header as written, or None."""
    key = fold(str(text)).strip(" *:.")
    if key in ALIASES:
        return ALIASES[key]
    return ALIASES.get(re.sub(r"\s*\(.*\)$", "", key))  # a parenthesised hint after the name


def map_headers(
    headers: list[str], header_row: int, text: pd.DataFrame, warnings: list[ImportIssue]
) -> dict[int, str]:
    """Position -> our column; unknown columns become warnings, duplicates and gaps errors."""
    mapping: dict[int, str] = {}
    seen: dict[str, str] = {}
    for j, name in enumerate(headers):
        key = header_key(name) if name else None
        if key is None:
            if name:
                warnings.append(ImportIssue.make("unknown_column", header_row, name, name=name))
            elif j in text and (text[j].astype(str).str.strip() != "").any():
                warnings.append(ImportIssue.make("unnamed_column", header_row))
            continue
        if key in seen:
            raise UploadError(
                "duplicate_column", header_row, name, first=seen[key], second=name, meaning=key
            )
        seen[key] = name
        mapping[j] = key
    missing = [c for c in REQUIRED if c not in seen]
    if "activity" not in seen and "factor_id" not in seen:
        missing.insert(0, "activity")
    if missing:
        if any(_MOJIBAKE.search(h) for h in headers):
            raise UploadError("encoding", header_row, detail="garbled accented letters")
        raise UploadError(
            "missing_column", header_row, columns=[_EXAMPLES.get(c, c) for c in missing]
        )
    return mapping
