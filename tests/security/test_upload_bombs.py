"""A workbook that expands hugely is refused before openpyxl parses it.

A sharedStrings part of a few hundred MB (a few hundred kB zipped) took 146 s and 2 GB of
memory before it was refused. The checks below run on the zip directory alone.
"""

from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pytest

from carbon.imports.spreadsheet_issues import UploadError
from carbon.imports.spreadsheet_read import read_upload
from carbon.imports.spreadsheet_xlsx import MAX_ROWS_SCANNED

LIMIT = 5 * 1024 * 1024  # the default CARBON_MAX_UPLOAD_BYTES


def workbook(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """``data`` (an .xlsx) with its part ``name`` replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info, src.read(info))
        dst.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


HEADER = ["poste", "factor_id", "quantity", "unit"]


def test_a_shared_strings_bomb_is_refused_before_parsing() -> None:
    # 60 MB of one repeated string, well under the old 200 MB total allowance.
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    bomb = with_part(workbook([HEADER]), "xl/sharedStrings.xml",
                     strings + b"A" * 60_000_000 + b"</t></si></sst>")  # fmt: skip
    assert len(bomb) < 200_000
    started = time.perf_counter()
    with pytest.raises(UploadError) as refused:
        read_upload("bomb.xlsx", bomb, LIMIT)
    assert refused.value.code == "xlsx_bomb"
    assert refused.value.params["part"] == "xl/sharedStrings.xml"
    assert time.perf_counter() - started < 2.0


def test_a_sheet_of_endless_blank_rows_is_refused() -> None:
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + b"".join(b'<row r="%d"/>' % i for i in range(1, MAX_ROWS_SCANNED + 100))
        + b'<row r="%d"><c t="inlineStr"><is><t>x</t></is></c></row>' % (MAX_ROWS_SCANNED + 100)
        + b"</sheetData></worksheet>"
    )
    data = with_part(workbook([HEADER]), "xl/worksheets/sheet1.xml", sheet)
    with pytest.raises(UploadError) as refused:
        read_upload("blank.xlsx", data, LIMIT)
    assert refused.value.code == "too_many_rows"


def test_an_ordinary_workbook_still_reads() -> None:
    rows = [HEADER] + [["1.2", "bundled:diesel-b7-fr", 1000 + i, "litre"] for i in range(2000)]
    frame = read_upload("ok.xlsx", workbook(rows), LIMIT)
    assert len(frame) == 2000
