"""Writes the corpus of malformed activity spreadsheets under tests/imports/corpus/.

Why a corpus: the spreadsheet import faces files made by people and by a dozen programs. Each
file here is one way such a file goes wrong, with what the import must answer (``expected.json``:
code, row and column header of the first matching problem). The files are committed; run this
script again only to add cases (``.venv/bin/python tests/imports/make_corpus.py``). It builds the
files with openpyxl and plain bytes, not with the code under test.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

CORPUS = Path(__file__).parent / "corpus"
FR = "Activité;Poste;Facteur;Quantité;Unité;Site;Qualité;Commentaire;Référence"
IT = [
    "Attività",
    "Voce",
    "Fattore",
    "Quantità",
    "Unità",
    "Sito",
    "Qualità",
    "Commento",
    "Riferimento",
]
GOOD_FR = "Gazole des dameuses (GNR);;;1234,5;litre;;facture;Janvier;FAC-1"


def fr_csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return "\r\n".join([FR, *rows, ""]).encode(encoding)


def xlsx(rows: list[list[Any]], string_cells: tuple[tuple[int, int], ...] = ()) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    for r, c in string_cells:  # openpyxl would store "=…" as a formula; keep it a string
        ws.cell(r, c).data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return stable_zip(buf.getvalue())


def stable_zip(data: bytes) -> bytes:
    """The same archive with fixed dates, so that running this script again changes nothing."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            member = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                member = re.sub(
                    rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-01-01T00:00:00Z", member
                )
            out.writestr(zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0)), member,
                         compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
    return buf.getvalue()


GOOD_XLSX = xlsx([IT, ["Gasolio dei battipista", None, None, 800, "litri", None, "fattura"]])


def zip_bomb() -> bytes:
    """A valid workbook plus 20 MB of zeros that compress to a few kilobytes."""
    buf = io.BytesIO(GOOD_XLSX)
    with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("xl/media/padding.bin", date_time=(2025, 1, 1, 0, 0, 0))
        zf.writestr(info, b"\x00" * 20_000_000, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def broken_sheet_xml() -> bytes:
    """Every member present, but the sheet's XML cut in the middle."""
    src = zipfile.ZipFile(io.BytesIO(GOOD_XLSX))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            out.writestr(info, data)
    return buf.getvalue()


def large_csv() -> bytes:
    return fr_csv(*[GOOD_FR.replace("FAC-1", f"FAC-{i}") for i in range(1000)])


# (file, content, expected code, row, column header, extra arguments)
Case = tuple[str, Callable[[], bytes], str, int | None, str | None, dict[str, Any]]
CASES: list[Case] = [
    # --- the file as a whole
    ("empty.csv", lambda: b"", "empty_file", None, None, {}),
    ("only_blank_lines.csv", lambda: b"\r\n   \r\n;;;\r\n", "empty_file", None, None, {}),
    ("header_only.csv", lambda: fr_csv(), "no_data_rows", None, None, {}),
    ("header_then_blank_rows.csv", lambda: fr_csv(";;;;;;;;", "", " "), "no_data_rows", None,
     None, {}),
    ("too_large.csv", large_csv, "file_too_large", None, None, {"max_bytes": 50_000}),
    ("spreadsheet.ods", lambda: b"PK\x03\x04mimetypeapplication/vnd.oasis", "unsupported_format",
     None, None, {}),
    ("old_excel.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
     "xls_not_supported", None, None, {}),
    ("password_protected.xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
     "xls_not_supported", None, None, {}),
    ("workbook_renamed.csv", lambda: GOOD_XLSX, "workbook_as_csv", None, None, {}),
    ("png_renamed.csv", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
     "binary_file", None, None, {}),
    ("control_characters.csv", lambda: bytes(range(1, 9)) * 40 + fr_csv(GOOD_FR), "binary_file",
     None, None, {}),
    ("truncated.xlsx", lambda: GOOD_XLSX[: len(GOOD_XLSX) // 2], "corrupt_xlsx", None, None, {}),
    ("csv_named_xlsx.xlsx", lambda: fr_csv(GOOD_FR), "corrupt_xlsx", None, None, {}),
    ("broken_sheet_xml.xlsx", broken_sheet_xml, "corrupt_xlsx", None, None, {}),
    ("zip_bomb.xlsx", zip_bomb, "xlsx_too_large", None, None, {"max_bytes": 100_000}),
    # --- encodings
    ("utf16_without_bom.csv", lambda: fr_csv(GOOD_FR, encoding="utf-16-le"), "encoding", None,
     None, {}),
    ("utf8_read_as_cp1252.csv",
     lambda: fr_csv(GOOD_FR).decode("utf-8").encode("utf-8").decode("cp1252").encode("utf-8"),
     "encoding", 1, None, {}),
    ("undecodable_byte_row3.csv",
     lambda: fr_csv(GOOD_FR, "x;;;1;kg", encoding="cp1252").replace(b"x;;;1", b"\x81;;;1"),
     "encoding", 3, None, {}),
    # --- header
    ("missing_quantity_column.csv", lambda: "Activité;Unité\r\ngroomer-diesel;L\r\n".encode(),
     "missing_column", 1, None, {}),
    ("missing_unit_column_it.csv", lambda: "Attività;Quantità\r\ngroomer-diesel;5\r\n".encode(),
     "missing_column", 1, None, {}),
    ("no_activity_nor_factor.csv", lambda: b"Quantity,Unit\r\n5,litre\r\n", "missing_column", 1,
     None, {}),
    ("duplicated_quantity_fr_en.csv",
     lambda: "Activité;Quantité;Quantity;Unité\r\ngroomer-diesel;1;1;L\r\n".encode(),
     "duplicate_column", 1, "Quantity", {}),
    ("duplicated_same_header.csv",
     lambda: "Activité;Activité;Quantité;Unité\r\ngroomer-diesel;x;1;L\r\n".encode(),
     "duplicate_column", 1, "Activité", {}),
    ("header_only.xlsx", lambda: xlsx([IT]), "no_data_rows", None, None, {}),
    ("missing_column.xlsx", lambda: xlsx([["Attività", "Quantità"], ["groomer-diesel", 3]]),
     "missing_column", 1, None, {}),
    # --- rows not split like the header
    ("extra_cells_row3.csv",
     lambda: fr_csv(GOOD_FR, "groomer-diesel;;;12;L;;;cuve; bis;FAC-2;en trop"), "ragged_row", 3,
     None, {}),
    ("comma_row_in_semicolon_file.csv", lambda: fr_csv(GOOD_FR, "groomer-diesel,,,12,litre,,,,"),
     "mixed_separators", 3, None, {}),
    # --- quantities
    ("negative_quantity.csv", lambda: fr_csv(GOOD_FR, "groomer-diesel;;;-5;litre;;;;"),
     "number_negative", 3, "Quantité", {}),
    ("text_quantity.csv", lambda: fr_csv("groomer-diesel;;;beaucoup;litre;;;;"),
     "number_invalid", 2, "Quantité", {}),
    ("nan_quantity.csv", lambda: fr_csv("groomer-diesel;;;NaN;litre;;;;"),
     "number_not_finite", 2, "Quantité", {}),
    ("infinite_quantity.csv", lambda: fr_csv("groomer-diesel;;;Infinity;litre;;;;"),
     "number_not_finite", 2, "Quantité", {}),
    ("overflowing_quantity.csv", lambda: fr_csv("groomer-diesel;;;1e400;litre;;;;"),
     "number_not_finite", 2, "Quantité", {}),
    ("huge_quantity.csv", lambda: fr_csv(GOOD_FR, "groomer-diesel;;;1e13;litre;;;;"),
     "number_too_large", 3, "Quantité", {}),
    ("huge_with_thousands.csv", lambda: fr_csv("groomer-diesel;;;5 000 000 000 000;litre;;;;"),
     "number_too_large", 2, "Quantité", {}),
    ("empty_quantity.csv", lambda: fr_csv(GOOD_FR, "", "groomer-diesel;;;;litre;;;;"),
     "quantity_missing", 4, "Quantité", {}),
    ("two_decimal_commas.csv", lambda: fr_csv("groomer-diesel;;;1,234,5;litre;;;;"),
     "number_invalid", 2, "Quantité", {}),
    ("mixed_decimal_marks.csv", lambda: fr_csv(GOOD_FR, "groomer-diesel;;;12.5;litre;;;;"),
     "quantity_ambiguous", 3, "Quantité", {}),
    ("thousands_comma_english.csv",
     lambda: b'Activity,Quantity,Unit\r\ngroomer-diesel,"1,234",litre\r\n', "quantity_ambiguous",
     2, "Quantity", {}),
    ("negative_number.xlsx", lambda: xlsx([IT, ["groomer-diesel", None, None, -5, "litri"]]),
     "number_negative", 2, "Quantità", {}),
    ("text_in_number_cell.xlsx", lambda: xlsx([IT, ["groomer-diesel", None, None, "dodici", "l"]]),
     "number_invalid", 2, "Quantità", {}),
    # --- units, activities, factors, postes
    ("unknown_unit.csv", lambda: fr_csv("groomer-diesel;;;12;barils;;;;"), "unit_unknown", 2,
     "Unité", {}),
    ("empty_unit.csv", lambda: fr_csv("groomer-diesel;;;12;;;;;"), "unit_missing", 2, "Unité", {}),
    ("diesel_in_kwh.csv", lambda: fr_csv(GOOD_FR, "groomer-diesel;;;12;kWh;;;;"),
     "unit_not_allowed", 3, "Unité", {}),
    ("factor_unit_mismatch.csv", lambda: fr_csv(";2.1;bundled:elec-fr-2022;12;litre;;;;"),
     "unit_incompatible", 2, "Unité", {}),
    ("unknown_activity.csv", lambda: fr_csv("Tartiflette;;;12;kg;;;;"), "activity_unknown", 2,
     "Activité", {}),
    ("ambiguous_activity.csv", lambda: fr_csv("Granulés de bois;;;12;kg;;;;"),
     "activity_ambiguous", 2, "Activité", {}),
    ("no_activity_nor_factor_row.csv", lambda: fr_csv(GOOD_FR, ";;;12;kg;;;;"),
     "activity_missing", 3, "Activité", {}),
    ("unknown_factor.csv", lambda: fr_csv("groomer-diesel;;bundled:does-not-exist;12;litre;;;;"),
     "factor_unknown", 2, "Facteur", {}),
    ("factor_without_poste.csv", lambda: fr_csv(";;bundled:elec-fr-2022;12;kWh;;;;"),
     "poste_missing", 2, "Poste", {}),
    ("unknown_poste.csv", lambda: fr_csv("groomer-diesel;9.9;;12;litre;;;;"), "poste_invalid", 2,
     "Poste", {}),
    ("poste_of_another_category.csv", lambda: fr_csv("groomer-diesel;4.3;;12;litre;;;;"),
     "poste_mismatch", 2, "Poste", {}),
    # --- quality, site, text
    ("unknown_quality.csv", lambda: fr_csv("groomer-diesel;;;12;litre;;au pif;;"),
     "quality_unknown", 2, "Qualité", {}),
    ("unknown_site.csv", lambda: fr_csv("groomer-diesel;;;12;litre;Chamonix;;;"), "site_unknown",
     2, "Site", {"sites": {"Station": 1, "Siège": 2}}),
    ("evidence_too_long.csv", lambda: fr_csv("groomer-diesel;;;12;litre;;;;" + "X" * 600),
     "text_too_long", 2, "Référence", {}),
    # --- formula injection
    ("formula_activity.csv",
     lambda: fr_csv('"=HYPERLINK(""http://evil.example"",""clic"")";;;12;litre;;;;'),
     "formula_text", 2, "Activité", {}),
    ("dde_comment.csv", lambda: fr_csv("groomer-diesel;;;12;litre;;;=cmd|' /C calc'!A0;"),
     "formula_text", 2, "Commentaire", {}),
    ("at_sign_evidence.csv", lambda: fr_csv("groomer-diesel;;;12;litre;;;;@SUM(1+9)*cmd|'/C'!A0"),
     "formula_text", 2, "Référence", {}),
    ("plus_site.csv", lambda: fr_csv("groomer-diesel;;;12;litre;+cmd|'/C calc'!A0;;;"),
     "formula_text", 2, "Site", {}),
    ("formula_quantity.csv", lambda: fr_csv("groomer-diesel;;;=2+5;litre;;;;"), "formula_text", 2,
     "Quantité", {}),
    ("formula_text_cell.xlsx",
     lambda: xlsx([IT, ["groomer-diesel", None, None, 5, "litri", None, None, "=HYPERLINK(1)"]],
                  string_cells=((2, 8),)),
     "formula_text", 2, "Commento", {}),
]  # fmt: skip


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    expected = []
    for name, build, code, row, column, extra in CASES:
        (CORPUS / name).write_bytes(build())
        expected.append({"file": name, "code": code, "row": row, "column": column, **extra})
    text = json.dumps(expected, ensure_ascii=False, indent=1)
    (CORPUS / "expected.json").write_text(text + "\n", encoding="utf-8")
    print(f"{len(CASES)} files in {CORPUS}")


if __name__ == "__main__":
    main()
