"""Import of the official ADEME Base Carbone / Base Empreinte CSV export as a factor library.

Users download the whole export from ADEME and upload it as it is; regulatory reports must be
traceable to it, so the importer keeps each factor's ADEME identifier, the library version, the
sub-posts (combustion vs upstream) and the valid/archived status, and it refuses, naming the line
and the column, any file that is not in the published layout rather than importing part of it.
The byte-level checks live in :mod:`carbon.factors.ademe_layout`; this module maps the columns.

Choices made where the format leaves room:

- Only elements of type "Facteur d'émission" are imported. "Valide générique" and "Valide
  spécifique" become ``valid``, "Archivé" ``archived``; any other status ("Refusé"…) is skipped
  with its sub-posts: ADEME never published such a value for use, so no report may cite it.
- Numbers are checked on the rows that are imported (factors and their sub-posts); the structure
  (line type, identifiers, sub-post parents, field counts) on every row.
- ``country`` is the ISO 3166-1 code of "Localisation géographique". "France continentale",
  "France" and "Corse" give FR; the overseas departments and territories give their own codes
  (GP, MQ, RE…) since their electricity and fuels differ from mainland France, so their factors are
  never chosen for a mainland site. Regions ("Europe", "Monde") give "".
- ``valid_year`` is the first year written in "Période de validité", else in the modification,
  else in the creation date.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import BinaryIO

import numpy as np
import pandas as pd

from carbon.accounting.factors import FACTOR_COLUMNS, SUBPOST_COLUMNS, FactorLibrary, subpost_kind
from carbon.accounting.gases import GAS_COLUMNS, OTHER_GAS, canonical_gas
from carbon.factors.ademe_layout import (
    COLUMNS,
    AdemeFormatError,
    fold,
    more_wrong,
    parse,
    read_bytes,
)

__all__ = ["COLUMNS", "SOURCE", "AdemeFormatError", "ademe_file_digest", "read_ademe_export"]

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO

SOURCE = "ADEME Base Empreinte"
NOTE_MAX = 500  # characters of "Commentaire français" kept: a hint for users, not a document

_LINE_TYPE, _ID, _KIND, _STATUS = (
    "Type Ligne", "Identifiant de l'élément", "Type de l'élément", "Statut de l'élément",
)  # fmt: skip
_TOTAL, _CO2B, _UNCERTAINTY = "Total poste non décomposé", "CO2b", "Incertitude"
# The gas columns: kgCO2e of each gas per unit (AR5), named ones then five coded ones.
_GAS_COLUMNS = {"CO2f": "CO2f", "CH4f": "CH4f", "CH4b": "CH4b", "N2O": "N2O",
                "Autres GES": OTHER_GAS}  # fmt: skip
_SUPPLEMENTARY = [
    (f"Code gaz supplémentaire {i}", f"Valeur gaz supplémentaire {i}") for i in range(1, 6)
]
_USED = [
    _LINE_TYPE, _ID, _KIND, _STATUS, "Nom base français", "Nom base anglais",
    "Nom attribut français", "Nom attribut anglais", "Nom frontière français",
    "Code de la catégorie", "Unité français", "Localisation géographique", "Date de création",
    "Date de modification", "Période de validité", _UNCERTAINTY, "Commentaire français",
    "Type poste", "Nom poste français", _TOTAL, _CO2B, *_GAS_COLUMNS,
    *(c for pair in _SUPPLEMENTARY for c in pair),
]  # fmt: skip

_STATUSES = {"valide generique": "valid", "valide specifique": "valid", "archive": "archived"}

# Folded French names (see _country) as ADEME writes them -> ISO 3166-1 alpha-2.
_COUNTRIES = {
    "france": "FR", "france continentale": "FR", "france metropolitaine": "FR", "corse": "FR",
    "guadeloupe": "GP", "martinique": "MQ", "guyane": "GF", "guyane francaise": "GF",
    "reunion": "RE", "la reunion": "RE", "mayotte": "YT", "saint pierre et miquelon": "PM",
    "saint martin": "MF", "saint barthelemy": "BL", "nouvelle caledonie": "NC",
    "polynesie francaise": "PF", "wallis et futuna": "WF",
    "allemagne": "DE", "autriche": "AT", "belgique": "BE", "bulgarie": "BG", "chypre": "CY",
    "croatie": "HR", "danemark": "DK", "espagne": "ES", "estonie": "EE", "finlande": "FI",
    "grece": "GR", "hongrie": "HU", "irlande": "IE", "italie": "IT", "lettonie": "LV",
    "lituanie": "LT", "luxembourg": "LU", "malte": "MT", "pays bas": "NL", "pologne": "PL",
    "portugal": "PT", "republique tcheque": "CZ", "tchequie": "CZ", "roumanie": "RO",
    "slovaquie": "SK", "slovenie": "SI", "suede": "SE", "royaume uni": "GB", "suisse": "CH",
    "norvege": "NO", "islande": "IS", "liechtenstein": "LI", "monaco": "MC", "andorre": "AD",
    "saint marin": "SM", "serbie": "RS", "albanie": "AL", "macedoine du nord": "MK",
    "montenegro": "ME", "bosnie herzegovine": "BA", "ukraine": "UA", "bielorussie": "BY",
    "moldavie": "MD", "russie": "RU", "turquie": "TR",
    "etats unis": "US", "canada": "CA", "chine": "CN", "japon": "JP", "inde": "IN",
    "bresil": "BR", "maroc": "MA", "tunisie": "TN", "algerie": "DZ", "australie": "AU",
    "mexique": "MX", "afrique du sud": "ZA", "coree du sud": "KR",
}  # fmt: skip

_NUMBER = r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?"
_YEAR = r"(?<!\d)((?:19|20)\d{2})(?!\d)"


def ademe_file_digest(source: Source) -> str:
    """SHA-256 (hex) of the file's bytes: the same export imported twice has the same digest.

    Pass bytes rather than a stream if the same data is then given to :func:`read_ademe_export`:
    a stream is read to its end.
    """
    return hashlib.sha256(read_bytes(source)).hexdigest()


def read_ademe_export(source: Source, version: str) -> FactorLibrary:
    """The emission factors of an ADEME export, as library ``version`` (e.g. "ADEME Base Carbone
    23.6"). Raises :class:`AdemeFormatError` on any departure from the published layout."""
    if not version.strip():
        raise ValueError("a library version label is required")
    parsed = parse(read_bytes(source), _USED)
    table, lines = parsed.frame, parsed.lines
    ids = table[_ID].str.strip()

    line_type = _by_unique(table[_LINE_TYPE], fold)
    is_element = (line_type == "element").to_numpy()
    is_poste = (line_type == "poste").to_numpy()
    _refuse(
        ~(is_element | is_poste),
        lines,
        _LINE_TYPE,
        lambda i: f"{table[_LINE_TYPE].iat[i]!r} is neither 'Elément' nor 'Poste'",
    )
    _refuse((ids == "").to_numpy(), lines, _ID, lambda i: "the identifier is empty")

    element_ids = ids[is_element]
    dup = element_ids.duplicated().to_numpy()
    if dup.any():
        second = int(np.flatnonzero(is_element)[np.argmax(dup)])
        first = int(np.flatnonzero(is_element & (ids == ids.iat[second]).to_numpy())[0])
        raise AdemeFormatError(
            f"identifier {ids.iat[second]} is already the Elément of line {lines[first]}",
            line=int(lines[second]),
            column=_ID,
        )
    orphan = is_poste & ~ids.isin(element_ids).to_numpy()
    _refuse(
        orphan, lines, _ID, lambda i: f"Poste of identifier {ids.iat[i]}: no Elément row has it"
    )

    status = _by_unique(table[_STATUS], lambda s: _STATUSES.get(fold(s), ""))
    is_factor = (_by_unique(table[_KIND], fold) == "facteur d'emission").to_numpy()
    kept = is_element & is_factor & (status != "").to_numpy()
    kept_sub = is_poste & ids.isin(ids[kept]).to_numpy()

    total = _numbers(table, _TOTAL, kept | kept_sub, lines, required=True)
    co2b = _numbers(table, _CO2B, kept, lines)
    uncertainty = _numbers(table, _UNCERTAINTY, kept, lines, percent=True)

    f = table.loc[kept]
    sub = table.loc[kept_sub]
    factors = pd.DataFrame(
        {
            "factor_id": ids[kept],
            "name_fr": _joined(f["Nom base français"], f["Nom attribut français"]),
            "name_en": _joined(f["Nom base anglais"], f["Nom attribut anglais"]),
            "name_it": "",
            "frontier": f["Nom frontière français"].str.strip(),
            "category_path": f["Code de la catégorie"].str.strip(),
            "unit": _activity_unit(f["Unité français"]),
            "total_kgco2e": total[kept],
            "co2b_kg": np.nan_to_num(co2b[kept], nan=0.0),
            "uncertainty_pct": uncertainty[kept],
            "uncertainty_is_default": False,
            "country": _by_unique(f["Localisation géographique"], _country),
            "location": f["Localisation géographique"].str.strip(),
            "status": status[kept],
            "valid_year": _year(f),
            "source": SOURCE,
            "source_ref": ids[kept],
            "checked": True,  # this is the official export itself
            "estimate": False,
            "note": _truncated(f["Commentaire français"].str.strip(), NOTE_MAX),
        }
    )
    names = sub["Nom poste français"].str.strip()
    names = names.where(names != "", sub["Type poste"].str.strip())
    subposts = pd.DataFrame(
        {
            "factor_id": ids[kept_sub],
            "name": names,
            "kind": _by_unique(names, subpost_kind),
            "kgco2e": total[kept_sub],
        }
    )
    parts = pd.Series("", index=table.index, dtype="string")
    parts[kept_sub] = names
    return FactorLibrary(
        version=version,
        factors=factors.reset_index(drop=True).astype(FACTOR_COLUMNS),
        subposts=subposts.reset_index(drop=True).astype(SUBPOST_COLUMNS),
        gases=_gases(table, ids, parts, kept | kept_sub, lines),
    )


def _gases(
    table: pd.DataFrame, ids: pd.Series, parts: pd.Series, rows: np.ndarray, lines: np.ndarray
) -> pd.DataFrame:
    """The breakdown by gas of the imported factors and sub-posts: one row per non-zero cell.

    The export gives kgCO2e of each gas per unit, with the base's GWPs (AR5); a supplementary
    gas is named by its code (normalised by gases.canonical_gas), "Autres GES" is unnamed.
    """
    frames = []
    columns = [(c, pd.Series(gas, index=table.index)) for c, gas in _GAS_COLUMNS.items()]
    for code_col, value_col in _SUPPLEMENTARY:
        codes = _by_unique(table[code_col], lambda c: canonical_gas(c) if c.strip() else OTHER_GAS)
        columns.append((value_col, codes))
    for column, gas in columns:
        # Most cells are empty: only the filled ones of imported rows are parsed.
        filled = rows & (table[column] != "").to_numpy()
        if not filled.any():
            continue
        values = _numbers(table.loc[filled, [column]], column, np.ones(filled.sum(), dtype=bool),
                          lines[filled])  # fmt: skip
        take = np.isfinite(values) & (values != 0)
        if take.any():
            frames.append(
                pd.DataFrame(
                    {"factor_id": ids[filled][take], "part": parts[filled][take],
                     "gas": gas[filled][take], "kgco2e": values[take]}
                )
            )  # fmt: skip
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in GAS_COLUMNS.items()})
    out = pd.concat(frames, ignore_index=True).astype(GAS_COLUMNS)
    # A gas named twice in one part (a coded gas also in a named column) is one value.
    summed = out.groupby(["factor_id", "part", "gas"], sort=True)["kgco2e"].sum().reset_index()
    return pd.DataFrame(summed).astype(GAS_COLUMNS)


def _refuse(bad: np.ndarray, lines: np.ndarray, column: str, what: Callable[[int], str]) -> None:
    """Raise for the first bad row, saying how many more there are."""
    rows = np.flatnonzero(bad)
    if not len(rows):
        return
    raise AdemeFormatError(
        what(int(rows[0])) + more_wrong(len(rows) - 1), line=int(lines[rows[0]]), column=column
    )


def _numbers(
    table: pd.DataFrame,
    column: str,
    rows: np.ndarray,
    lines: np.ndarray,
    *,
    required: bool = False,
    percent: bool = False,
) -> np.ndarray:
    """The column as floats (NaN where empty), checked on ``rows``: decimal comma or point,
    spaces as thousands separators, and for a percentage an optional trailing "%"."""
    text = table[column].str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    if percent:
        text = text.str.removesuffix("%")
    empty = (text == "").to_numpy()
    valid = text.str.fullmatch(_NUMBER).to_numpy(dtype=bool)
    cells = table[column]
    if required:
        _refuse(rows & empty, lines, column, lambda i: "the total is empty")
    _refuse(rows & ~empty & ~valid, lines, column, lambda i: f"{cells.iat[i]!r} is not a number")
    # Exact decimal-to-binary conversion (float() on each string, in C): a value read back from
    # the export is the value ADEME wrote.
    usable = text.where(valid, "nan").str.replace(",", ".", regex=False)
    return usable.to_numpy(dtype=object).astype("float64")


def _joined(base: pd.Series, attribute: pd.Series) -> pd.Series:
    base, attribute = base.str.strip(), attribute.str.strip()
    return base.where(attribute == "", base + " - " + attribute)


def _activity_unit(unit: pd.Series) -> pd.Series:
    """``kgCO2e/kWh PCI`` -> ``kWh PCI``; a unit without a slash is kept as written."""
    parts = unit.str.strip().str.partition("/")
    return parts[2].str.strip().where(parts[1] == "/", parts[0])


def _country(place: str) -> str:
    key = " ".join(fold(place).replace("-", " ").replace("'", " ").split())
    return _COUNTRIES.get(key, "")


def _by_unique(values: pd.Series, fn: Callable[[str], str]) -> pd.Series:
    """``fn`` applied once per distinct value: the export repeats a few hundred labels."""
    return values.map({v: fn(v) for v in values.unique()})


def _year(f: pd.DataFrame) -> pd.Series:
    year = f["Période de validité"].str.extract(_YEAR, expand=False)
    for column in ("Date de modification", "Date de création"):
        year = year.fillna(f[column].str.extract(_YEAR, expand=False))
    return pd.to_numeric(year).astype("Int64")


def _truncated(text: pd.Series, limit: int) -> pd.Series:
    return text.where(text.str.len() <= limit, text.str.slice(0, limit - 1) + "…")
