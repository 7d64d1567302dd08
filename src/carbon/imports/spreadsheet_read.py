"""Reading an uploaded activity spreadsheet (CSV or XLSX) into a frame of text cells.

The web workspace lets a company upload the sheet it already keeps. Such files come from French,
Italian or English Excel or LibreOffice, with headers in any of the three languages, title rows,
stray columns, the wrong extension or a damaged download. This module only reads: it refuses a
file that cannot be read (:class:`UploadError`, with a code) and returns every row with its
spreadsheet row number, leaving the meaning of the cells to :mod:`spreadsheet_validate`.

The returned frame carries in ``attrs``: ``headers`` (our column name -> the header as written,
so that messages quote the user's words), ``warnings`` and ``row_issues`` (rows whose cells could
not be split properly; they are reported, not validated).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import PureWindowsPath
from typing import Any

import numpy as np
import openpyxl
import pandas as pd

from carbon.imports.activity_csv import ACTIVITY_ALIASES
from carbon.imports.spreadsheet_issues import ImportIssue, UploadError
from carbon.imports.tabular import TableError, decode, fold, parse_decimal, sniff_separator

COLUMNS = (
    "activity", "poste", "factor_id", "quantity", "unit", "site", "data_quality", "comment",
    "evidence_ref",
)  # fmt: skip
# Hidden column: XLSX numeric cells, kept as numbers (text renderings would meet parse_decimal's
# column-wide guess, which reads "1234.5" as 12345 next to a "2,5").
QUANTITY_NUMBER = "quantity_number"
MAX_ROWS = 10_000  # a small firm's year is a few hundred lines; more is a wrong file
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 10  # a title or a blank line may sit above the header
XLSX_EXPANSION = 40  # uncompressed XML may be this many times the upload limit (zip bombs)
CSV_EXTENSIONS = frozenset({".csv", ".tsv", ".txt"})
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 13))
_SEP_HINT = re.compile(r'"?sep=(.)"?')
_MOJIBAKE = re.compile("[ÃÂ]|\ufffd")
_SEPARATORS = (";", ",", "\t")

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
# Folded header text -> our column. The engine's CSV names are reused, restricted to the columns
# an activity line stores (country comes from the site, labels are comments here).
ALIASES: dict[str, str] = {
    **{k: v for k, v in ACTIVITY_ALIASES.items() if v in COLUMNS},
    **{fold(k): col for col, names in _extra.items() for k in names},
}
REQUIRED = ("quantity", "unit")  # and "activity" or "factor_id"
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

Records = list[tuple[int, list[Any]]]  # (spreadsheet row number, cells) of non-blank rows


def header_key(text: object) -> str | None:
    """Our column for a header as written (``Quantité *``, ``Réf.``, ``Unità (kWh, L…)``)."""
    key = fold(str(text)).strip(" *:.")
    if key in ALIASES:
        return ALIASES[key]
    bare = re.sub(r"\s*\(.*\)$", "", key)  # a parenthesised hint after the name
    return ALIASES.get(bare)


def read_upload(filename: str, data: bytes, max_bytes: int) -> pd.DataFrame:
    """The rows of an uploaded ``.csv`` / ``.xlsx`` file, as text, indexed by row number.

    Raises :class:`UploadError` (a ``TableError``) when the file cannot be imported at all.
    """
    if len(data) > max_bytes:
        raise UploadError("file_too_large", size_mb=_mb(len(data)), limit_mb=_mb(max_bytes))
    if not data.strip():
        raise UploadError("empty_file")
    ext = PureWindowsPath(filename).suffix.lower()  # browsers may send "C:\...\file.csv"
    if ext == ".xlsx":
        return _frame(_xlsx_records(data, max_bytes * XLSX_EXPANSION), separator=None)
    if ext in CSV_EXTENSIONS:
        if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
            raise UploadError("workbook_as_csv")
        records, separator = _csv_records(data)
        return _frame(records, separator)
    if ext == ".xls":
        raise UploadError("xls_not_supported")
    raise UploadError("unsupported_format", extension=ext or filename)


def _mb(n: int) -> str:
    return f"{n / 1_048_576:.1f}".removesuffix(".0")


# --------------------------------------------------------------------------- CSV


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UploadError("encoding", detail="broken UTF-16") from None
    head = data[:4096]
    if b"\x00" in head:
        if max(head[0::2].count(0), head[1::2].count(0)) > len(head) // 4:
            raise UploadError("encoding", detail="UTF-16 without byte-order mark")
        raise UploadError("binary_file")
    if len(head) - len(head.translate(None, _CONTROL)) > len(head) // 100:
        raise UploadError("binary_file")
    try:
        return decode(data)
    except TableError as exc:
        raise UploadError("encoding", exc.line, detail="neither UTF-8 nor Windows-1252") from None


def _csv_records(data: bytes) -> tuple[Records, str]:
    text = _decode(data)
    first, _, rest = text.partition("\n")
    hint = _SEP_HINT.fullmatch(first.strip())
    if hint:  # Excel's "sep=;" line: it hides it, so row numbers start after it
        separator, text = hint.group(1), rest
    else:
        lines = text.splitlines()[:HEADER_SEARCH_ROWS]
        separator = sniff_separator(next((ln for ln in lines if _count_seps(ln)), first))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    records: Records = []
    try:
        for number, cells in enumerate(reader, start=1):
            if any(c.strip() for c in cells):
                records.append((number, cells))
                _check_row_count(len(records))
    except csv.Error as exc:
        raise UploadError("csv_malformed", reader.line_num, detail=str(exc)) from None
    return records, separator


def _count_seps(line: str) -> int:
    return sum(line.count(s) for s in _SEPARATORS)


def _check_row_count(n: int) -> None:
    if n > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise UploadError("too_many_rows", limit=MAX_ROWS)


# --------------------------------------------------------------------------- XLSX


def _xlsx_records(data: bytes, max_uncompressed: int) -> Records:
    if data.startswith(_OLE_MAGIC):
        raise UploadError("xls_not_supported")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            expanded = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadError("corrupt_xlsx") from None
    if expanded > max_uncompressed:
        raise UploadError("xlsx_too_large", limit_mb=_mb(max_uncompressed))
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return _sheet_records(wb)
        finally:
            wb.close()
    except UploadError:
        raise
    except Exception as exc:  # noqa: BLE001
        # An uploaded file is untrusted: openpyxl and the XML parser fail in many ways (KeyError,
        # ParseError, TypeError…) on damaged archives, and each means the same to the user.
        raise UploadError("corrupt_xlsx") from exc


def _sheet_records(wb: Any) -> Records:
    """Rows of the first sheet whose header we recognise best (instructions may come first).

    Formula cells give the value Excel saved with them (``data_only``): a formula is never kept.
    """
    best: tuple[int, Any] | None = None
    for ws in wb.worksheets:
        ws.reset_dimensions()  # some writers record a wrong size; read what is there
        top = ws.iter_rows(max_row=HEADER_SEARCH_ROWS, max_col=MAX_COLUMNS, values_only=True)
        score = max((_score(row) for row in top), default=0)
        if best is None or score > best[0]:
            best = (score, ws)
    if best is None:
        raise UploadError("corrupt_xlsx")
    records: Records = []
    rows = best[1].iter_rows(max_col=MAX_COLUMNS, values_only=True)
    for number, values in enumerate(rows, start=1):
        cells = list(values)
        if any(_cell_text(c).strip() for c in cells):
            records.append((number, cells))
            _check_row_count(len(records))
    return records


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # ADEME ids and counts typed as numbers
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# --------------------------------------------------------------------------- the frame


def _score(cells: Iterable[Any]) -> int:
    return len({k for c in cells if (k := header_key(_cell_text(c)))})


def _frame(records: Records, separator: str | None) -> pd.DataFrame:
    if not records:
        raise UploadError("empty_file")
    window = records[:HEADER_SEARCH_ROWS]
    pos = max(range(len(window)), key=lambda i: (_score(window[i][1]), -i))
    header_row, header_cells = records[pos]
    headers = [_cell_text(c).strip() for c in header_cells]
    warnings: list[ImportIssue] = []
    if pos:
        warnings.append(ImportIssue.make("rows_before_header", header_row - 1, last=header_row - 1))
    data = records[pos + 1 :]
    width = max([len(headers), *(len(cells) for _, cells in data)])
    rows = [n for n, _ in data]
    raw = pd.DataFrame([cells + [None] * (width - len(cells)) for _, cells in data], index=rows)
    text = raw.astype(object).map(_cell_text) if separator is None else raw.fillna("")

    mapping = _map_headers(headers, header_row, text, warnings)
    if separator is None and width > len(headers):  # CSV reports these rows as ragged instead
        beyond = text.loc[:, len(headers) :].apply(lambda s: s.str.strip() != "")
        if beyond.to_numpy().any():
            warnings.append(ImportIssue.make("unnamed_column", header_row))
    if not data:
        raise UploadError("no_data_rows")
    if len(data) > MAX_ROWS:
        raise UploadError("too_many_rows", limit=MAX_ROWS)
    out = pd.DataFrame({col: text[j].astype(str) for j, col in mapping.items()}, index=rows)
    if separator is None and "quantity" in out:
        q = raw[next(j for j, c in mapping.items() if c == "quantity")]
        out[QUANTITY_NUMBER] = q.map(lambda v: float(v) if _is_number(v) else np.nan)
    out.index.name = "row"
    out.attrs["headers"] = {col: headers[j] for j, col in mapping.items()}
    out.attrs["warnings"] = warnings
    out.attrs["row_issues"] = (
        _split_problems(text, len(headers), separator) if separator is not None else []
    )
    return out


def _map_headers(
    headers: list[str], header_row: int, text: pd.DataFrame, warnings: list[ImportIssue]
) -> dict[int, str]:
    mapping: dict[int, str] = {}
    seen: dict[str, str] = {}
    for j, name in enumerate(headers):
        key = header_key(name) if name else None
        if key is None:
            if name:
                warnings.append(ImportIssue.make("unknown_column", header_row, name, column=name))
            elif j in text and (text[j].astype(str).str.strip() != "").any():
                warnings.append(ImportIssue.make("unnamed_column", header_row))
            continue
        if key in seen:
            raise UploadError(
                "duplicate_column", header_row, name, first=seen[key], column=name, meaning=key
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


def _split_problems(text: pd.DataFrame, n_headers: int, separator: str) -> list[ImportIssue]:
    """CSV rows that were not split like the header: extra cells, or another separator."""
    issues: list[ImportIssue] = []
    filled = text.apply(lambda s: s.astype(str).str.strip() != "")
    extra = filled.loc[:, n_headers:].any(axis=1) if text.shape[1] > n_headers else None
    if extra is not None:
        for row in extra.index[extra]:
            cells = int(filled.loc[row].to_numpy().nonzero()[0].max()) + 1
            issues.append(
                ImportIssue.make(
                    "ragged_row", int(row), cells=cells, header_cells=n_headers, separator=separator
                )
            )
    if n_headers < 3:
        return issues
    # One filled cell holding the whole row: it was written with another separator.
    lone = filled.sum(axis=1).eq(1) & filled[0]
    for row in lone.index[lone]:
        cell = str(text.at[row, 0])
        for other in (s for s in _SEPARATORS if s != separator):
            pieces = cell.split(other)
            if len(pieces) >= 3 and parse_decimal(pd.Series(pieces)).notna().any():
                issues.append(
                    ImportIssue.make(
                        "mixed_separators", int(row), row_separator=other, separator=separator
                    )
                )
                break
    return issues
