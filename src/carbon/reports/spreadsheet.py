"""Writing tables as CSV and XLSX that a spreadsheet opens right and cannot be tricked by.

Formula injection: a company name, comment or action title that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return would be run as a formula by Excel or LibreOffice when the file
is opened (OWASP "CSV injection"). Every text cell is passed through :func:`neutralise`, which
prefixes such a value with ``'``; numbers are written as numbers and need no such care.

CSV dialects: French and Italian spreadsheets expect ``;`` between fields and a decimal comma,
English ones ``,`` and ``.``. The file starts with a UTF-8 byte-order mark, without which Excel
reads UTF-8 as Windows-1252 and mangles every accent and "₂".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from carbon.i18n import fmt_date

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
Cell = str | int | float | date | None


def neutralise(text: str) -> str:
    """``=1+1`` -> ``'=1+1``: text a spreadsheet would otherwise read as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    decimal: str


def csv_dialect(locale: str) -> CsvDialect:
    return CsvDialect(",", ".") if locale == "en" else CsvDialect(";", ",")


def plain_number(value: float | int, decimal: str = ".") -> str:
    """A number as a spreadsheet reads it: no grouping, all its digits, never ``1e-05``."""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return str(value)
    text = format(value, ".15g")
    if "e" in text or "E" in text:
        text = format(Decimal(repr(value)), "f")
    return text.replace(".", decimal)


def _csv_cell(value: Cell, dialect: CsvDialect) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return plain_number(value, dialect.decimal)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]], locale: str) -> bytes:
    """UTF-8 with a BOM, in the dialect of ``locale``; every text cell neutralised."""
    dialect = csv_dialect(locale)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v, dialect) for v in row])
    return (BOM + out.getvalue()).encode("utf-8")


# --- XLSX ------------------------------------------------------------------------------------

HEAD_FILL = PatternFill("solid", fgColor="E3E3FD")
BOLD = Font(bold=True)


def _xlsx_value(value: Cell) -> Cell:
    if isinstance(value, str):
        # Control characters make openpyxl refuse the whole file.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def sheet_title(text: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in text).strip()
    return cleaned[:31] or "Sheet"


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def add_table(
    wb: Workbook,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    formats: dict[int, str] | None = None,
    widths: dict[int, float] | None = None,
    preamble: Sequence[Sequence[Cell]] = (),
    bold_rows: Iterable[int] = (),
) -> Worksheet:
    """A sheet: ``preamble`` rows (title, company…), then a header row and ``rows``.

    ``formats`` maps a column index to a number format (``"#,##0.0"``): the spreadsheet shows
    the reader's own separators, the cell keeps the exact value.
    """
    ws = wb.create_sheet(sheet_title(title))
    for line in preamble:
        ws.append([_xlsx_value(v) for v in line])
    if preamble:
        ws.append([])
    header_row = ws.max_row + 1 if preamble else 1
    ws.append([_xlsx_value(h) for h in header])
    for cell in ws[header_row]:
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    bold = set(bold_rows)
    for i, row in enumerate(rows):
        ws.append([_xlsx_value(v) for v in row])
        if i in bold:
            for cell in ws[ws.max_row]:
                cell.font = BOLD
    for col, fmt in (formats or {}).items():
        for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=col + 1, max_col=col + 1):
            cell.number_format = fmt
    for i, name in enumerate(header):
        width = (widths or {}).get(i, min(max(10.0, len(name) * 1.1), 40.0))
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    return ws


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def date_cell(value: date | None) -> str:
    """Dates as the reader writes them, for preambles (cells of tables keep real dates)."""
    return fmt_date(value) if value else ""
