"""Reading an uploaded activity spreadsheet (CSV or XLSX) into a frame of text cells.

The web workspace lets a company upload the sheet it already keeps. Such files come from French,
Italian or English Excel or LibreOffice, with title rows, stray columns, the wrong extension or a
damaged download. This module only reads: it refuses a file that cannot be read at all
(:class:`UploadError`, with a code) and returns every non-blank row under its spreadsheet row
number (header = 1; blank rows are skipped but counted), leaving the meaning of the cells to
:mod:`spreadsheet_validate`.

The frame's ``attrs`` carry ``headers`` (our column -> the header as written), ``warnings``, and
``row_issues``: CSV rows not split like the header (extra cells, another separator), reported as
row errors rather than refusing the whole file, so that the user sees every problem at once.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import PureWindowsPath

import numpy as np
import pandas as pd

from carbon.imports.spreadsheet_headers import COLUMNS, map_headers
from carbon.imports.spreadsheet_issues import ImportIssue, UploadError
from carbon.imports.spreadsheet_xlsx import (
    HEADER_SEARCH_ROWS,
    MAX_ROWS,
    OLE_MAGIC,
    ZIP_MAGIC,
    Records,
    cell_text,
    check_row_count,
    header_score,
    xlsx_records,
)
from carbon.imports.tabular import TableError, decode, parse_decimal, sniff_separator

__all__ = ["COLUMNS", "MAX_ROWS", "QUANTITY_NUMBER", "read_upload"]

# Hidden column: XLSX numeric cells, kept as numbers (a text rendering would meet parse_decimal's
# column-wide guess, which reads "1234.5" as 12345 next to a "2,5").
QUANTITY_NUMBER = "quantity_number"
XLSX_EXPANSION = 40  # uncompressed XML may be this many times the upload limit (zip bombs)
CSV_EXTENSIONS = frozenset({".csv", ".tsv", ".txt"})
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 13))
_SEP_HINT = re.compile(r'"?sep=(.)"?')
_SEPARATORS = (";", ",", "\t")
# "é" saved as UTF-8, read as Windows-1252 and saved again as UTF-8 becomes "Ã©": "Ã" or "Â"
# followed by what a UTF-8 continuation byte (0x80-0xBF) shows as in Windows-1252.
_MOJIBAKE = re.compile(
    "[ÃÂ][" + re.escape(bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")) + "]"
)


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
        return _frame(xlsx_records(data, max_bytes * XLSX_EXPANSION), separator=None)
    if ext in CSV_EXTENSIONS:
        if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
            raise UploadError("workbook_as_csv")
        records, separator = _csv_records(data)
        return _frame(records, separator)
    if ext == ".xls":
        raise UploadError("xls_not_supported")
    raise UploadError("unsupported_format", extension=ext or filename)


def _mb(n: int) -> str:
    return f"{n / 1_048_576:.3g}"


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UploadError("encoding", detail="broken UTF-16") from None
    head = data[:4096]
    if b"\x00" in head:
        even, odd = head[0::2], head[1::2]
        # Text in UTF-16: the high byte of (mostly Latin) letters is 0, the low byte never.
        if min(even.count(0), odd.count(0)) < len(head) // 40 < max(even.count(0), odd.count(0)):
            raise UploadError("encoding", detail="UTF-16 without byte-order mark")
        raise UploadError("binary_file")
    if len(head) - len(head.translate(None, _CONTROL)) > len(head) // 100:
        raise UploadError("binary_file")
    try:
        text = decode(data)
    except TableError as exc:
        raise UploadError("encoding", exc.line, detail="neither UTF-8 nor Windows-1252") from None
    garbled = _MOJIBAKE.search(text)
    if garbled:
        line = text.count("\n", 0, garbled.start()) + 1
        raise UploadError("encoding", line, detail="UTF-8 text converted twice, 'é' shows as 'Ã©'")
    return text


def _csv_records(data: bytes) -> tuple[Records, str]:
    text = _decode(data)
    first, _, rest = text.partition("\n")
    hint = _SEP_HINT.fullmatch(first.strip())
    if hint:  # Excel's "sep=;" line; Excel hides it, so row numbers start after it
        separator, text = hint.group(1), rest
    else:
        lines = text.splitlines()[:HEADER_SEARCH_ROWS]
        has_sep = (ln for ln in lines if any(s in ln for s in _SEPARATORS))
        separator = sniff_separator(next(has_sep, first))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    records: Records = []
    try:
        for number, cells in enumerate(reader, start=1):
            if any(c.strip() for c in cells):
                records.append((number, list(cells)))
                check_row_count(len(records))
    except csv.Error as exc:
        raise UploadError("csv_malformed", reader.line_num, detail=str(exc)) from None
    return records, separator


def _frame(records: Records, separator: str | None) -> pd.DataFrame:
    """Our columns as text, index = row number; ``separator`` None for a workbook."""
    if not records:
        raise UploadError("empty_file")
    window = records[:HEADER_SEARCH_ROWS]
    pos = max(range(len(window)), key=lambda i: (header_score(window[i][1]), -i))
    header_row, header_cells = records[pos]
    headers = [cell_text(c).strip() for c in header_cells]
    warnings: list[ImportIssue] = []
    if pos:
        last = header_row - 1
        warnings.append(ImportIssue.make("rows_before_header", last, last=last))
    data = records[pos + 1 :]
    width = max([len(headers), *(len(cells) for _, cells in data)])
    rows = [n for n, _ in data]
    raw = pd.DataFrame([cells + [None] * (width - len(cells)) for _, cells in data], index=rows)
    raw = raw.reindex(columns=range(width))
    text = raw.astype(object).map(cell_text) if separator is None else raw.fillna("")

    mapping = map_headers(headers, header_row, text, warnings)
    if not data:
        raise UploadError("no_data_rows")
    if len(data) > MAX_ROWS:
        raise UploadError("too_many_rows", limit=MAX_ROWS)
    filled = text.apply(lambda s: s.astype(str).str.strip() != "")
    row_issues: list[ImportIssue] = []
    if separator is not None:
        row_issues = _split_problems(text, filled, len(headers), separator)
    elif filled.loc[:, len(headers) :].to_numpy().any():  # a CSV reports these as ragged rows
        warnings.append(ImportIssue.make("unnamed_column", header_row))

    out = pd.DataFrame({col: text[j].astype(str) for j, col in mapping.items()}, index=rows)
    if separator is None and "quantity" in out:
        q = raw[next(j for j, c in mapping.items() if c == "quantity")]
        numeric = q.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))
        out[QUANTITY_NUMBER] = pd.to_numeric(q.where(numeric.astype(bool)), errors="coerce")
    out.index.name = "row"
    out.attrs["headers"] = {col: headers[j] for j, col in mapping.items()}
    out.attrs["warnings"] = warnings
    out.attrs["row_issues"] = row_issues
    out.attrs["separator"] = separator  # decimal marks are read in its light
    return out


def _split_problems(
    text: pd.DataFrame, filled: pd.DataFrame, n_headers: int, separator: str
) -> list[ImportIssue]:
    """CSV rows not split like the header: extra cells, or another separator."""
    issues: list[ImportIssue] = []
    extra = filled.loc[:, n_headers:].any(axis=1)
    for row in extra.index[extra]:
        cells = int(np.flatnonzero(filled.loc[row].to_numpy()).max()) + 1
        issues.append(
            ImportIssue.make(
                "ragged_row", int(row), cells=cells, header_cells=n_headers, separator=separator
            )
        )
    if n_headers < 3:
        return issues
    # A single filled cell holding a whole row: that row was written with another separator.
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
