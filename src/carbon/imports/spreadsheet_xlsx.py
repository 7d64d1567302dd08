"""Reading the cells of an uploaded Excel workbook, defensively.

An upload is untrusted: it may be an old ``.xls``, a password-protected workbook, a truncated
download or a zip bomb. Each is refused with its own :class:`UploadError` before or while
openpyxl reads it (read-only, streaming). Formula cells give the value Excel saved with them
(``data_only``), so no formula is ever carried into the stored data.
"""

from __future__ import annotations

import io
import math
import zipfile
from typing import Any

import openpyxl

from carbon.imports.spreadsheet_headers import header_key
from carbon.imports.spreadsheet_issues import UploadError

MAX_ROWS = 10_000  # a small firm's year is a few hundred lines; more is a wrong file
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 10  # a title or a blank line may sit above the header
# A zip bomb is refused before openpyxl reads a byte of it: openpyxl keeps every shared string
# in memory, and 200 MB of them took 146 s and 2 GB. A part is the XML of a sheet, of the shared
# strings or of the styles: a small firm's sheet is a few MB, and spreadsheet XML compresses
# about 5 to 30 times (a sheet of identical rows, up to about 100).
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_PART_RATIO = 200
RATIO_CHECKED_FROM = 1024 * 1024  # tiny parts (an empty sheet) may compress more
MAX_SHEETS = 50
MAX_ROWS_SCANNED = 5 * MAX_ROWS  # blank rows included: a sheet of a million empty rows
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"

Records = list[tuple[int, list[Any]]]  # (spreadsheet row number, cells) of non-blank rows


def cell_text(value: Any) -> str:
    """A cell as the user sees it: ``20682`` not ``20682.0``, dates in ISO form."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # ADEME ids and counts typed as numbers
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def header_score(cells: list[Any]) -> int:
    """How many of our columns a row names: the header is the row that names most."""
    return len({k for c in cells if (k := header_key(cell_text(c)))})


def check_row_count(n: int) -> None:
    if n > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise UploadError("too_many_rows", limit=MAX_ROWS)


def xlsx_records(data: bytes, max_uncompressed: int) -> Records:
    """Non-blank rows of the sheet holding the import, with their row numbers."""
    if data.startswith(OLE_MAGIC):
        raise UploadError("xls_not_supported")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadError("corrupt_xlsx") from None
    # The declared sizes can be trusted: zipfile stops reading a part at its declared size
    # (and fails its CRC check if there was more).
    if sum(info.file_size for info in parts) > max_uncompressed:
        raise UploadError("xlsx_too_large", limit_mb=f"{max_uncompressed / 1_048_576:.0f}")
    for info in parts:
        ratio = info.file_size / max(info.compress_size, 1)
        too_big = info.file_size > MAX_PART_BYTES
        if too_big or (info.file_size > RATIO_CHECKED_FROM and ratio > MAX_PART_RATIO):
            raise UploadError(
                "xlsx_bomb", part=info.filename, size_mb=f"{info.file_size / 1_048_576:.0f}",
                ratio=f"{ratio:.0f}",
            )  # fmt: skip
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return _sheet_records(wb)
        finally:
            wb.close()
    except UploadError:
        raise
    except Exception as exc:
        # openpyxl and the XML parser fail in many ways on a damaged archive (KeyError,
        # ParseError, TypeError…); to the user each means the same thing.
        raise UploadError("corrupt_xlsx") from exc


def _sheet_records(wb: Any) -> Records:
    """Rows of the sheet whose header we recognise best (instructions may come first)."""
    best: tuple[int, Any] | None = None
    if len(wb.worksheets) > MAX_SHEETS:
        raise UploadError("too_many_sheets", limit=MAX_SHEETS)
    for ws in wb.worksheets:
        ws.reset_dimensions()  # some writers record a wrong size: read what is there
        top = ws.iter_rows(max_row=HEADER_SEARCH_ROWS, max_col=MAX_COLUMNS, values_only=True)
        score = max((header_score(list(row)) for row in top), default=0)
        if best is None or score > best[0]:
            best = (score, ws)
    if best is None:
        raise UploadError("corrupt_xlsx")
    records: Records = []
    rows = best[1].iter_rows(max_row=MAX_ROWS_SCANNED + 1, max_col=MAX_COLUMNS, values_only=True)
    for number, values in enumerate(rows, start=1):
        if number > MAX_ROWS_SCANNED:
            raise UploadError("too_many_rows", limit=MAX_ROWS)
        cells = list(values)
        if any(cell_text(c).strip() for c in cells):
            records.append((number, cells))
            check_row_count(len(records))
    return records
