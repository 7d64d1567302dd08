"""The spreadsheet import of activity lines: a corpus of bad files, hand-checked good ones.

Every expected kgCO2e below is written out as quantity × factor; the factor values are asserted
against the bundled library first, so that a factor update fails here with a clear message
instead of as a mysterious arithmetic difference.
"""

from __future__ import annotations

import io
import json
import string
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carbon.accounting.factors import FactorLibrary
from carbon.factors.bundled import find_activity, load_bundled_library
from carbon.imports import spreadsheet_read, spreadsheet_xlsx
from carbon.imports.spreadsheet import (
    MESSAGES,
    TEMPLATE_HEADERS,
    ImportIssue,
    ImportPreview,
    UploadError,
    read_upload,
    template_csv,
    template_xlsx,
    validate_rows,
)
from carbon.imports.tabular import TableError

CORPUS = Path(__file__).parent / "corpus"
EXPECTED: list[dict[str, Any]] = json.loads((CORPUS / "expected.json").read_text("utf-8"))
MB = 1_048_576
FR_HEADER = "Activité;Poste;Facteur;Quantité;Unité;Site;Qualité;Commentaire;Référence"


@pytest.fixture(scope="module")
def library() -> FactorLibrary:
    lib = load_bundled_library()
    # The factor values the hand computations below rely on (kgCO2e per unit).
    values = lib.factors.set_index("factor_id")["total_kgco2e"]
    assert values["bundled:diesel-b7-fr"] == 3.1
    assert values["bundled:diesel-road-fr"] == 3.07
    assert values["bundled:petrol-e5-e10-fr"] == 2.7
    assert values["bundled:elec-fr-2022"] == 0.052
    assert values["bundled:elec-it-2022"] == 0.2655
    assert values["bundled:refrigerant-r410a"] == 1924.0
    assert values["bundled:hotel-night-fr"] == 6.93
    assert values["bundled:district-heating-fr-avg"] == 0.112
    return lib


def run(
    library: FactorLibrary,
    filename: str,
    data: bytes,
    *,
    max_bytes: int = MB,
    sites: dict[str, int] | None = None,
    locale: str = "fr",
    **kwargs: Any,
) -> tuple[list[ImportIssue], ImportPreview | None]:
    """Errors as the web layer sees them: a refused file, or the preview's errors."""
    try:
        df = read_upload(filename, data, max_bytes)
    except UploadError as exc:
        return [exc.issue], None
    preview = validate_rows(df, library, sites, locale, **kwargs)
    return preview.errors, preview


def fr_csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return "\r\n".join([FR_HEADER, *rows, ""]).encode(encoding)


def ok_preview(library: FactorLibrary, filename: str, data: bytes, **kw: Any) -> ImportPreview:
    errors, preview = run(library, filename, data, **kw)
    assert not errors, [str(e) for e in errors]
    assert preview is not None and preview.ok
    return preview


# --------------------------------------------------------------------------- the corpus


def test_corpus_is_complete() -> None:
    listed = {case["file"] for case in EXPECTED}
    on_disk = {p.name for p in CORPUS.iterdir()} - {"expected.json"}
    assert listed == on_disk
    assert len(listed) >= 30


@pytest.mark.parametrize("case", EXPECTED, ids=[case["file"] for case in EXPECTED])
def test_corpus_file_is_refused_with_located_message(
    case: dict[str, Any], library: FactorLibrary
) -> None:
    data = (CORPUS / case["file"]).read_bytes()
    errors, preview = run(
        library,
        case["file"],
        data,
        max_bytes=case.get("max_bytes", MB),
        sites=case.get("sites"),
    )
    assert errors, "the file was accepted"
    assert preview is None or not preview.ok
    # One mistake, one message: no cascade of consequences.
    assert [e.code for e in errors] == [case["code"]], [str(e) for e in errors]
    issue = errors[0]
    assert (issue.row, issue.column) == (case["row"], case["column"])
    text = str(issue)
    if case["row"] is not None:
        assert f"row {case['row']}" in text
    if case["column"] is not None:
        assert f"column {case['column']}" in text
    assert issue.message and "{" not in issue.message
    json.dumps([e.params for e in errors])  # the web layer may send them as they are


def test_file_too_large_names_the_limit_in_mb(library: FactorLibrary) -> None:
    with pytest.raises(UploadError) as info:
        read_upload("big.csv", b"x" * (3 * MB), 2 * MB)
    assert info.value.code == "file_too_large"
    assert "2 MB" in str(info.value)
    assert isinstance(info.value, TableError)


def test_too_many_rows(monkeypatch: pytest.MonkeyPatch, library: FactorLibrary) -> None:
    monkeypatch.setattr(spreadsheet_xlsx, "MAX_ROWS", 5)
    monkeypatch.setattr(spreadsheet_read, "MAX_ROWS", 5)
    data = fr_csv(*["groomer-diesel;;;1;litre;;;;"] * 6)
    with pytest.raises(UploadError) as info:
        read_upload("many.csv", data, MB)
    assert info.value.code == "too_many_rows"


def test_broken_csv_structure_is_located() -> None:
    data = fr_csv('groomer-diesel;;;1;litre;;;"unclosed' + "x" * 140_000)
    with pytest.raises(UploadError) as info:
        read_upload("broken.csv", data, MB)
    assert info.value.code == "csv_malformed"
    assert info.value.line is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600), ext=st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_arbitrary_bytes_never_crash_the_reader(data: bytes, ext: str) -> None:
    try:
        df = read_upload("upload" + ext, data, MB)
    except UploadError as exc:
        assert exc.code in MESSAGES
    else:
        assert isinstance(df, pd.DataFrame)


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_renders(code: str) -> None:
    fields = {f for _, f, _, _ in string.Formatter().parse(MESSAGES[code]) if f}
    issue = ImportIssue.make(code, 7, "Quantité", **{f: "X" for f in fields})
    assert "{" not in issue.message
    assert str(issue).startswith("row 7, column Quantité: ")


# --------------------------------------------------------------------------- happy paths


def test_french_csv_cp1252_semicolons_decimal_comma_thousands(library: FactorLibrary) -> None:
    data = fr_csv(
        "Gazole des dameuses (GNR);;;1 234,5;L;Station;facture;Cuves de janvier;FAC-0012",
        "Électricité des remontées mécaniques;;;48.250;kWh;station;compteur;;EDF-2025",
        "",
        "Recharge de fluide frigorigène R410A;1.4;;2,5;kg;SIÈGE;estimé;Fuite PAC;",
        "snowmobile-petrol;;;1.234,5;litres;;;;",
        encoding="cp1252",
    )
    preview = ok_preview(
        library, "bilan.csv", data, sites={"Station": 1, "Siège": 2}, site_countries={1: "FR"}
    )
    assert [r.row for r in preview.rows] == [2, 3, 5, 6]  # the blank line 4 is counted
    groomer, lifts, refrigerant, snowmobile = preview.rows

    # Groomers burn off-road diesel (GNR): 1 234,5 L × 3.17 kgCO2e/L = 3 913.365 kgCO2e
    assert groomer.activity_id == "groomer-diesel"
    assert groomer.activity_name == "Gazole des dameuses (GNR)"
    assert (groomer.poste, groomer.factor_id) == ("1.2", "bundled:diesel-offroad-fr")
    assert (groomer.quantity, groomer.unit) == (1234.5, "litre")  # "L" stored as the catalogue
    assert (groomer.site_id, groomer.data_quality) == (1, "measured")
    assert (groomer.comment, groomer.evidence_ref) == ("Cuves de janvier", "FAC-0012")
    assert groomer.kgco2e == pytest.approx(3913.365)
    # 48.250 kWh is 48 250 kWh in a decimal-comma column; × 0.052 kgCO2e/kWh = 2 509 kgCO2e
    assert (lifts.quantity, lifts.poste, lifts.site_id) == (48250.0, "2.1", 1)
    assert lifts.kgco2e == pytest.approx(2509.0)
    assert lifts.comment is None
    # 2,5 kg of R410A × 1 924 kgCO2e/kg = 4 810 kgCO2e
    assert (refrigerant.quantity, refrigerant.site_id) == (2.5, 2)
    assert refrigerant.data_quality == "estimated"
    assert refrigerant.kgco2e == pytest.approx(4810.0)
    # 1.234,5 L of petrol × 2.7 kgCO2e/L = 3 333.15 kgCO2e; no quality given: an estimate
    assert (snowmobile.quantity, snowmobile.unit) == (1234.5, "litre")
    assert snowmobile.data_quality == "estimated"
    assert snowmobile.kgco2e == pytest.approx(3333.15)
    # 3 913.365 + 2 509 + 4 810 + 3 333.15 = 14 565.515
    assert preview.total_kgco2e == pytest.approx(14565.515)
    assert preview.warnings == []
    assert preview.library_version == library.version


def italian_workbook(rows: list[list[Any]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Consumi"
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_italian_xlsx_with_site_countries(library: FactorLibrary) -> None:
    data = italian_workbook(
        [
            ["Attività", "Voce", "Fattore", "Quantità", "Unità", "Sito", "Qualità", "Commento",
             "Riferimento"],
            ["Gasolio dei battipista", None, None, 800, "litri", "Sede Cuneo", "fattura",
             "Serbatoio", "FT-12"],
            ["Energia elettrica degli edifici (uffici, officine, alberghi)", None, None, 12000,
             "kWh", "sede cuneo", "contatore", None, 20682],
            [None, None, None, None, None, None, None, None, None],
            ["fleet-diesel", "1.2", None, "1.234,5", "l", None, "stima", None, None],
            ["Energia elettrica degli impianti di risalita", None, "bundled:elec-fr-2022", 2.5,
             "MWh", "Sede Chambéry", "misurato", None, None],
        ]
    )  # fmt: skip
    preview = ok_preview(
        library,
        "consumi.xlsx",
        data,
        locale="it",
        sites={"Sede Cuneo": 10, "Sede Chambéry": 11},
        site_countries={10: "IT", 11: "FR"},
        company_country="IT",
    )
    assert [r.row for r in preview.rows] == [2, 3, 5, 6]
    battipista, building, fleet, lifts = preview.rows
    # Off-road diesel (GNR): 800 L × 3.17 kgCO2e/L = 2 536 kgCO2e
    assert (battipista.unit, battipista.activity_name) == ("litre", "Gasolio dei battipista")
    assert battipista.kgco2e == pytest.approx(2536.0)
    # An Italian site uses the Italian grid (ISPRA 2022): 12 000 kWh × 0.2655 kgCO2/kWh = 3 186 kg
    assert building.factor_id == "bundled:elec-it-2022"
    assert building.evidence_ref == "20682"  # a number typed in a text column, kept as text
    assert building.kgco2e == pytest.approx(3186.0)
    # A text cell "1.234,5" next to numeric cells: 1 234,5 L × 3.07 kgCO2e/L = 3 789.915
    assert (fleet.quantity, fleet.data_quality, fleet.site_id) == (1234.5, "estimated", None)
    assert fleet.kgco2e == pytest.approx(3789.915)
    # Factor given: the unit is converted by the engine, 2.5 MWh = 2 500 kWh × 0.052 = 130
    assert (lifts.factor_id, lifts.unit, lifts.quantity) == ("bundled:elec-fr-2022", "MWh", 2.5)
    assert lifts.kgco2e == pytest.approx(130.0)
    # 2 536 + 3 186 + 3 789.915 + 130 = 9 641.915
    assert preview.total_kgco2e == pytest.approx(9641.915)


def test_english_csv_with_bom_and_thousands_commas(library: FactorLibrary) -> None:
    data = (
        "\ufeffActivity,Poste,Factor,Quantity,Unit,Site,Quality,Comment,Evidence\r\n"
        'Snow groomer diesel,,,"1,234.5",litre,,invoice,January,INV-1\r\n'
        "Hotel nights (business travel),,,12,nights,,estimate,Trade fair,\r\n"
        "Refrigerant top-up R410A,,,500,g,,measured,,\r\n"
    ).encode()
    preview = ok_preview(library, "footprint.csv", data, locale="en")
    groomer, hotel, refrigerant = preview.rows
    assert groomer.activity_name == "Snow groomer diesel"
    # 1,234.5 L GNR × 3.17 = 3 913.365; 12 nights × 6.93 = 83.16; 500 g = 0.5 kg × 1 924 = 962
    assert groomer.kgco2e == pytest.approx(3913.365)
    assert (hotel.unit, hotel.kgco2e) == ("nuitée", pytest.approx(83.16))
    assert (refrigerant.unit, refrigerant.kgco2e) == ("g", pytest.approx(962.0))
    assert preview.total_kgco2e == pytest.approx(3913.365 + 83.16 + 962.0)


def test_utf16_tab_separated_text_export(library: FactorLibrary) -> None:
    text = "Attività\tQuantità\tUnità\r\nGasolio dei battipista\t10\tlitri\r\n"
    preview = ok_preview(library, "export.txt", text.encode("utf-16"), locale="it")
    assert preview.rows[0].kgco2e == pytest.approx(31.7)  # 10 L GNR × 3.17


# --------------------------------------------------------------------------- templates


@pytest.mark.parametrize("locale", ["fr", "it", "en"])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_template_imports_cleanly(locale: str, kind: str, library: FactorLibrary) -> None:
    data = template_csv(locale) if kind == "csv" else template_xlsx(locale)
    df = read_upload(f"template.{kind}", data, MB)
    assert df.attrs["headers"] == TEMPLATE_HEADERS[locale]
    preview = validate_rows(df, library, None, locale)
    assert preview.ok and preview.warnings == []
    assert [r.activity_id for r in preview.rows] == [
        "groomer-diesel", "electricity-lifts", "refrigerant-r410a",
    ]  # fmt: skip
    # 1 234,5 L GNR × 3.17 = 3 913.365; 48 250 kWh × 0.052 = 2 509; 2,5 kg × 1 924 = 4 810
    assert [r.kgco2e for r in preview.rows] == pytest.approx([3913.365, 2509.0, 4810.0])
    assert [r.data_quality for r in preview.rows] == ["measured", "measured", "estimated"]
    groomer = find_activity("groomer-diesel")
    assert groomer is not None and preview.rows[0].activity_name == groomer.name(locale)


@pytest.mark.parametrize(
    ("locale", "row"),
    [
        ("fr", ["Réseau de chaleur", "", "", "12 500", "kWh", "", "facture", "Hiver", "RC-1"]),
        ("it", ["Teleriscaldamento", "", "", "12.500", "kWh", "", "fattura", "Inverno", "RC-1"]),
        ("en", ["District heating", "", "", "12,500", "kWh", "", "invoice", "Winter", "RC-1"]),
    ],
)
def test_filled_template_imports_cleanly(
    locale: str, row: list[str], library: FactorLibrary
) -> None:
    """A user adds a line in the template's language and style; 12 500 kWh × 0.112 = 1 400."""
    sep = ";" if locale in ("fr", "it") else ","
    if locale == "en":
        row[3] = '"12,500.0"'  # English Excel quotes a number holding the separator
    csv_data = template_csv(locale) + (sep.join(row) + "\r\n").encode()
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(locale)))
    wb.worksheets[0].append([12500 if i == 3 else (v or None) for i, v in enumerate(row)])
    buf = io.BytesIO()
    wb.save(buf)
    for name, data in (("filled.csv", csv_data), ("filled.xlsx", buf.getvalue())):
        preview = ok_preview(library, name, data, locale=locale)
        added = preview.rows[-1]
        assert (added.row, added.activity_id) == (5, "district-heating"), name
        assert added.kgco2e == pytest.approx(1400.0), name


def test_template_csv_matches_the_users_excel() -> None:
    fr, en = template_csv("fr"), template_csv("en")
    assert fr.startswith(b"\xef\xbb\xbf") and en.startswith(b"\xef\xbb\xbf")
    fr_lines = fr.decode("utf-8-sig").splitlines()
    assert fr_lines[0] == FR_HEADER
    assert ";1234,5;litre;" in fr_lines[1]
    assert en.decode("utf-8-sig").splitlines()[0].startswith("Activity,Poste,Factor,Quantity")
    assert ",1234.5,litre," in en.decode("utf-8-sig")
    assert template_csv("fr_FR") == fr and template_csv("de") == fr  # French by default


def test_template_xlsx_lists_the_catalogue() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx("it")))
    data, catalogue = wb.worksheets
    assert [c.value for c in data[1]] == list(TEMPLATE_HEADERS["it"].values())
    assert data["D2"].value == 1234.5  # a number, not text
    names = [row[0] for row in catalogue.iter_rows(min_row=2, values_only=True)]
    assert "Gasolio dei battipista" in names


# --------------------------------------------------------------------------- behaviours


def test_several_errors_reported_at_once_in_row_order(library: FactorLibrary) -> None:
    data = fr_csv(
        "groomer-diesel;;;abc;barils;;;;",
        "Gazole des dameuses (GNR);;;1234,5;litre;;facture;;",
        "Tartiflette;;;-3;kg;;au pif;;",
    )
    errors, preview = run(library, "errors.csv", data)
    assert [(e.row, e.code) for e in errors] == [
        (2, "number_invalid"), (2, "unit_unknown"),
        (4, "activity_unknown"), (4, "number_negative"), (4, "quality_unknown"),
    ]  # fmt: skip
    assert preview is not None and not preview.ok
    assert [r.row for r in preview.rows] == [3]  # the good row is previewed, not stored


def test_warnings_do_not_block(library: FactorLibrary) -> None:
    data = (
        "Bilan carbone 2025\r\n"
        "\r\n"
        "Activité;Quantité;Unité;Site;Divers\r\n"
        "groomer-diesel;10;litre;Station;x\r\n"
        "groomer-diesel;10;litre;Station;y\r\n"
        "groomer-diesel;0;litre;;\r\n"
    ).encode()
    errors, preview = run(library, "warn.csv", data)
    assert not errors and preview is not None
    assert [(w.code, w.row) for w in preview.warnings] == [
        ("site_ignored", None), ("rows_before_header", 2), ("unknown_column", 3),
        ("duplicate_row", 5), ("quantity_zero", 6),
    ]  # fmt: skip
    assert preview.warnings[0].column == "Site"
    assert preview.warnings[2].column == "Divers"
    assert preview.warnings[3].params == {"first_row": 4}
    assert [r.row for r in preview.rows] == [4, 5, 6]


def test_activity_by_id_by_any_language_and_without_its_bracket(library: FactorLibrary) -> None:
    data = fr_csv(
        "GROOMER-DIESEL;;;1;litre;;;;",
        "Gasolio dei battipista;;;1;litre;;;;",
        "snow groomer diesel;;;1;litre;;;;",
        "gazole des dameuses;;;1;litre;;;;",
    )
    preview = ok_preview(library, "names.csv", data)
    assert {r.activity_id for r in preview.rows} == {"groomer-diesel"}
    assert {r.activity_name for r in preview.rows} == {"Gazole des dameuses (GNR)"}


def test_unknown_activity_suggests_close_ones(library: FactorLibrary) -> None:
    errors, _ = run(library, "typo.csv", fr_csv("Gazole des damueses;;;1;litre;;;;"))
    assert errors[0].code == "activity_unknown"
    assert "Gazole des dameuses (GNR)" in errors[0].params["suggestions"]
    assert "did you mean" in errors[0].message


def test_poste_may_move_within_its_category(library: FactorLibrary) -> None:
    data = fr_csv(
        "generator-diesel;1.2;;10;litre;;;;",
        "generator-diesel;1,2 Émissions directes des sources mobiles;;10;litre;;;;",
        "generator-diesel;;;10;litre;;;;",
    )
    preview = ok_preview(library, "postes.csv", data)
    assert [r.poste for r in preview.rows] == ["1.2", "1.2", "1.1"]


def test_factor_column_overrides_and_is_matched_case_insensitively(
    library: FactorLibrary,
) -> None:
    data = fr_csv("electricity-buildings;;BUNDLED:ELEC-IT-2022;1000;kWh;;;;")
    (row,) = ok_preview(library, "factor.csv", data).rows
    assert (row.factor_id, row.poste, row.activity_id) == ("bundled:elec-it-2022", "2.1",
                                                          "electricity-buildings")  # fmt: skip
    assert row.kgco2e == pytest.approx(265.5)  # 1 000 kWh × 0.2655 (ISPRA 2022)


def test_company_country_picks_the_grid_factor(library: FactorLibrary) -> None:
    data = fr_csv("electricity-buildings;;;1000;kWh;;;;")
    (row,) = ok_preview(library, "it.csv", data, company_country="it").rows
    assert row.factor_id == "bundled:elec-it-2022"


def test_dash_placeholders_mean_empty(library: FactorLibrary) -> None:
    (row,) = ok_preview(library, "dash.csv", fr_csv("groomer-diesel;-;—;5;litre;-;-;-;--")).rows
    assert (row.poste, row.factor_id, row.comment, row.evidence_ref) == (
        "1.2", "bundled:diesel-offroad-fr", None, None,
    )  # fmt: skip


def test_numbers_starting_with_a_sign_are_not_formulas(library: FactorLibrary) -> None:
    (row,) = ok_preview(library, "sign.csv", fr_csv("groomer-diesel;;;+5;litre;;;-12;+33 6")).rows
    assert (row.quantity, row.comment, row.evidence_ref) == (5.0, "-12", "+33 6")


def test_excel_sep_hint_line_and_windows_path(library: FactorLibrary) -> None:
    data = b'sep=,\r\nActivity,Quantity,Unit\r\ngroomer-diesel,"2,5",litre\r\n'
    # With "sep=," the file is comma-separated: "2,5" with three digits missing is a decimal.
    (row,) = ok_preview(library, "C:\\Users\\marie\\Bureau\\bilan.CSV", data).rows
    assert (row.row, row.quantity) == (2, 2.5)


def test_formula_cells_of_a_workbook_give_their_saved_value(library: FactorLibrary) -> None:
    data = italian_workbook([["Attività", "Quantità", "Unità"], ["groomer-diesel", "=2*3", "l"]])
    errors, _ = run(library, "formula.xlsx", data)
    # openpyxl saves no computed value, so the cell reads as empty: never as a formula.
    assert [(e.code, e.row) for e in errors] == [("quantity_missing", 2)]


def test_large_file_is_checked_as_whole_columns(library: FactorLibrary) -> None:
    rows = [f"groomer-diesel;;;{i},5;litre;;facture;;F-{i}" for i in range(5000)]
    preview = ok_preview(library, "big.csv", fr_csv(*rows))
    assert len(preview.rows) == 5000
    # Σ (i + 0.5) for i < 5000 = 4999 × 5000 / 2 + 5000 × 0.5 = 12 500 000 L; GNR × 3.17
    # = 39 625 000
    assert preview.total_kgco2e == pytest.approx(39_625_000.0)
