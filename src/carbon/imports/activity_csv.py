"""Activity lines from a CSV file, ready for the engine, with their file line numbers.

Used by ``carbon compute`` and by the spreadsheet import of the web workspace; header names may
be written in French, Italian or English.
"""

from __future__ import annotations

import pandas as pd

from carbon.imports.tabular import fold, parse_decimal, read_csv_table

# Folded header text -> our column name.
ACTIVITY_ALIASES: dict[str, str] = {
    **{fold(k): "poste" for k in ("poste", "poste beges", "voce", "category", "categorie")},
    **{
        fold(k): "factor_id"
        for k in ("factor_id", "factor id", "facteur", "identifiant", "identifiant facteur",
                  "fattore", "id fattore", "factor", "identifiant de l'element")
    },
    **{fold(k): "quantity" for k in ("quantity", "quantite", "quantità", "quantita", "valeur")},
    **{fold(k): "unit" for k in ("unit", "unite", "unité", "unità", "unita")},
    **{
        fold(k): "data_quality"
        for k in ("data_quality", "data quality", "qualite", "qualité des données",
                  "qualita", "qualità del dato", "qualite donnee")
    },
    **{fold(k): "country" for k in ("country", "pays", "paese")},
    **{
        fold(k): "vat_category"
        for k in ("vat_category", "vat category", "vat", "tva", "categorie tva", "taux tva",
                  "iva", "aliquota iva", "categoria iva")
    },
    **{fold(k): "year" for k in ("year", "annee", "année", "anno", "exercice", "esercizio")},
    **{fold(k): "label" for k in ("label", "libelle", "libellé", "descrizione", "description")},
    **{
        fold(k): "supplier_factor_kgco2e"
        for k in ("supplier_factor_kgco2e", "facteur fournisseur", "fattore fornitore")
    },
}  # fmt: skip

REQUIRED = ("poste", "factor_id", "quantity", "unit")


def read_activity_csv(data: bytes) -> pd.DataFrame:
    """Engine-ready lines; the index is each row's line number in the file (header = 1)."""
    df = read_csv_table(data, ACTIVITY_ALIASES, REQUIRED)
    raw_quantity = df["quantity"]
    df = df.assign(quantity=parse_decimal(raw_quantity))
    # Keep what was written, so that "not a number" errors can quote it.
    df["quantity_text"] = raw_quantity
    if "supplier_factor_kgco2e" in df.columns:
        text = df["supplier_factor_kgco2e"]
        parsed = parse_decimal(text)
        # Unparsable text is kept as written so that the engine reports it, with its line.
        df["supplier_factor_kgco2e"] = parsed.astype(object).where(parsed.notna(), text)
    return df
