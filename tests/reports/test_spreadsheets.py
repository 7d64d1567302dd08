"""CSV and XLSX exports: dialects, exact figures, and formula neutralisation (no database)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from carbon.i18n import gettext, use_locale
from carbon.reports import exports, labels
from carbon.reports.model import PeriodReport
from carbon.reports.spreadsheet import neutralise, plain_number, sheet_title, to_csv

from . import sample

EVIL = ('=HYPERLINK("http://x")', "+33 6 12", "-1+1", "@SUM(A1)", "\tx", "\rx")


@pytest.mark.parametrize("text", EVIL)
def test_formula_triggers_are_prefixed(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Électricité", "12", "a=b", " =1", "", "CO₂e"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text


def test_plain_numbers_have_no_grouping_nor_exponent() -> None:
    assert plain_number(3620.0, ",") == "3620"
    assert plain_number(0.052, ",") == "0,052"
    assert plain_number(1e-05, ".") == "0.00001"
    assert plain_number(-12.5, ",") == "-12,5"
    assert plain_number(7, ",") == "7"
    assert plain_number(0.1 + 0.2, ".") == "0.3"


def test_sheet_titles_are_what_excel_accepts() -> None:
    assert sheet_title("Lignes [2024] / a:b?") == "Lignes  2024    a b"
    assert len(sheet_title("x" * 40)) == 31


def fr(text: str) -> str:
    """A label as the French export writes it (the tests check structure, not wording)."""
    with use_locale("fr"):
        return gettext(text)


def _rows(data: bytes, delimiter: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_french_csv_uses_semicolons_and_decimal_commas() -> None:
    rows = _rows(exports.lines_csv(sample.period_a(), "fr"), ";")
    header, elec, diesel = rows
    assert header[0] == fr("Line") and len(header) == len(elec) == 24
    col = {name: i for i, name in enumerate(header)}
    # 10 MWh = 10,000 kWh × 0.052 = 520 kg; 1,000 L × 3.10 = 3,100 kg.
    assert elec[col[fr("Quantity in the factor's unit")]] == "10000"
    assert elec[col[fr("Factor, kg CO₂e per unit")]] == "0,052"
    assert elec[col[fr("Emissions, kg CO₂e")]] == "520"
    assert diesel[col[fr("Emissions, kg CO₂e")]] == "3100"
    assert elec[col[fr("Poste label")]] == "Consommation d'électricité"
    # sqrt(10² + 5²) = 11.18 %.
    assert elec[col[fr("Uncertainty, %")]].startswith("11,18")
    assert diesel[col[fr("Factor identifier")]] == sample.DIESEL


def test_english_csv_uses_commas_and_points() -> None:
    rows = _rows(exports.lines_csv(sample.period_a(), "en"), ",")
    col = {name: i for i, name in enumerate(rows[0])}
    assert rows[1][col["Factor, kg CO₂e per unit"]] == "0.052"
    assert rows[1][col["Poste label"]] == "Electricity consumption"


def test_csv_neutralises_user_text_but_not_numbers() -> None:
    base = sample.period_a()
    evil_line = replace(base.lines[0], comment="=cmd|' /C calc'!A0", activity="@SUM(1+1)",
                        site="-Vars", evidence="+facture", kgco2e=-5.0)  # fmt: skip
    assert _rows(to_csv(["=h"], [["=1+1", 2.5]], "fr"), ";") == [["'=h"], ["'=1+1", "2,5"]]
    rows = _rows(exports.lines_csv(sample.period_a(lines=(evil_line,)), "fr"), ";")
    col = {name: i for i, name in enumerate(rows[0])}
    row = rows[1]
    assert row[col[fr("Comment")]] == "'=cmd|' /C calc'!A0"
    assert row[col[fr("Activity")]] == "'@SUM(1+1)"
    assert row[col[fr("Site")]] == "'-Vars" and row[col[fr("Evidence")]] == "'+facture"
    assert row[col[fr("Emissions, kg CO₂e")]] == "-5"  # a number stays a number


def _sheet(data: bytes, title: str) -> Worksheet:
    ws = load_workbook(io.BytesIO(data))[title]
    assert isinstance(ws, Worksheet)
    return ws


def test_xlsx_lines_results_and_factors() -> None:
    data = exports.period_xlsx(sample.period_a(), "fr")
    assert load_workbook(io.BytesIO(data)).sheetnames == [fr("Lines"), fr("Results"), fr("Factors")]
    lines = list(_sheet(data, fr("Lines")).values)
    col = {name: i for i, name in enumerate(lines[0])}
    assert [r[col[fr("Emissions, kg CO₂e")]] for r in lines[1:]] == [520.0, 3100.0]
    results = list(_sheet(data, fr("Results")).values)
    by_label = {r[2]: r for r in results if r and r[2]}
    assert by_label["Consommation d'électricité"][4] == pytest.approx(520.0)
    assert by_label[fr("Total")][4] == pytest.approx(3620.0)
    assert by_label[fr("Uncertainty, kg CO₂e")][4] == pytest.approx(226.78, abs=0.01)
    factors = list(_sheet(data, fr("Factors")).values)
    assert {r[0] for r in factors[1:]} == {sample.ELEC, sample.DIESEL}


def test_xlsx_neutralises_formulas_on_read_back() -> None:
    company = replace(sample.period_a().company, name='=HYPERLINK("http://evil","x")')
    base = sample.period_a()
    line = replace(base.lines[0], comment="@cmd", activity="+1", evidence="\x07bell")
    data = exports.period_xlsx(sample.period_a(company=company, lines=(line,)), "fr")
    wb = load_workbook(io.BytesIO(data))
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    results = list(_sheet(data, fr("Results")).values)
    assert results[0][0] == '\'=HYPERLINK("http://evil","x")'
    lines = list(_sheet(data, fr("Lines")).values)
    col = {name: i for i, name in enumerate(lines[0])}
    assert lines[1][col[fr("Comment")]] == "'@cmd" and lines[1][col[fr("Activity")]] == "'+1"
    assert lines[1][col[fr("Evidence")]] == "bell"  # a control character would break the file


def _beges(data: bytes) -> tuple[list[tuple], dict[str, int], list[tuple]]:
    """(rows before the header, column index by French header, table rows) of a BEGES sheet."""
    rows = [r for r in _sheet(data, "BEGES").values if any(v is not None for v in r)]
    header_at = next(i for i, r in enumerate(rows) if r[0] == fr("Category"))
    col = {str(name): i for i, name in enumerate(rows[header_at])}
    return rows[:header_at], col, rows[header_at + 1 :]


def test_beges_xlsx_has_22_postes_in_tonnes() -> None:
    preamble, col, table = _beges(exports.beges_xlsx(sample.period_a(), "fr"))
    postes = {r[1]: r for r in table if r[1]}
    assert len(postes) == 22
    assert postes["2.1"][3] == pytest.approx(0.52)  # 520 kg
    assert postes["1.2"][3] == pytest.approx(3.1)  # 3,100 kg
    u = col[fr("Uncertainty, t CO₂e")]
    assert postes["1.2"][u] == pytest.approx(0.2192, abs=1e-4)  # 3,100 × 7.07 %
    total = table[-2]
    assert total[2] == fr("Total") and total[3] == pytest.approx(3.62)
    # Poste 1.5 counts in the total (no "reported apart" label); biogenic CO2 has its own line
    # after the total, outside it ("hors bilan"): 0 t here, the sample burns no biomass.
    assert fr("reported apart, not in the total") not in postes["1.5"][2]
    hors_bilan = table[-1]
    assert hors_bilan[2] == fr("Biogenic CO₂ (hors bilan), t") and hors_bilan[3] is None
    assert hors_bilan[col[fr("CO₂b, t")]] == pytest.approx(0.0)
    # Neither grid electricity nor diesel is broken down by gas in the bundled library: all of
    # the 3.62 t is in "not broken down", and the sheet says so.
    with use_locale("fr"):
        not_broken = col[labels.gas_column("not_broken_down")]
        co2 = col[labels.gas_column("co2_fossil")]
    assert total[not_broken] == pytest.approx(3.62) and total[co2] == 0.0
    assert any("3,620" in str(r[0]) for r in preamble)


def _with_refrigerant(gwp_set: str) -> PeriodReport:
    from carbon.accounting.engine import compute
    from carbon.accounting.gwp import restate
    from carbon.factors.gwp import load_gwp_table

    lines = pd.DataFrame(
        [(1, "2.1", sample.ELEC, 10.0, "MWh", "measured"),
         (2, "1.4", "bundled:refrigerant-r410a", 2.0, "kg", "measured")],
        columns=["id", "poste", "factor_id", "quantity", "unit", "data_quality"],
    )  # fmt: skip
    lib = restate(sample.library(), load_gwp_table(), gwp_set)
    result = compute(lines, lib, line_numbers=lines["id"].to_numpy())
    return replace(sample.period_a(), result=result, lines=())


def test_beges_columns_by_gas_and_the_gwp_set() -> None:
    # AR5: R410A 2 kg × 1924 = 3848 kg, all HFCs ("other gases"); electricity 520 kg, no breakdown
    preamble, col, table = _beges(exports.beges_xlsx(_with_refrigerant("AR5"), "fr"))
    with use_locale("fr"):
        other, rest = col[labels.gas_column("other")], col[labels.gas_column("not_broken_down")]
        ar5, ar6 = labels.gwp_set("AR5"), labels.gwp_set("AR6")
    postes = {r[1]: r for r in table if r[1]}
    assert postes["1.4"][other] == pytest.approx(3.848) and postes["1.4"][rest] == 0.0
    assert postes["2.1"][rest] == pytest.approx(0.52)
    cat1 = next(r for r in table if r[0] == 1 and r[1] is None)
    assert cat1[other] == pytest.approx(3.848)
    total = table[-2]
    assert total[3] == pytest.approx(3.848 + 0.52)
    assert [fr("Global warming potentials"), ar5] in [list(r[:2]) for r in preamble]
    # AR6: R410A 0.5 × 771 + 0.5 × 3740 = 2255.5 per kg -> 4.511 t; electricity stays AR5, named
    preamble, col, table = _beges(exports.beges_xlsx(_with_refrigerant("AR6"), "fr"))
    assert table[-2][3] == pytest.approx(4.511 + 0.52)
    assert [fr("Global warming potentials"), ar6] in [list(r[:2]) for r in preamble]
    assert any("bundled:elec-fr-2022" in str(r[0]) for r in preamble)


def test_cohort_xlsx() -> None:
    with use_locale("en"):
        anon = sample.cohort().anonymise("Company")
    data = exports.cohort_xlsx(anon, "en")
    kpis = dict(list(_sheet(data, "Indicators").values)[1:])
    assert kpis["Actions identified"] == 5 and kpis["Actions with a quantified target"] == 3
    assert kpis["Footprint of the cohort, latest years, t CO₂e"] == pytest.approx(12.0)
    assert kpis["Global warming potentials"] == "IPCC AR5, 100 years"  # cohort figures: AR5
    rows = list(_sheet(data, "Companies").values)
    col = {name: i for i, name in enumerate(rows[0])}
    assert [r[0] for r in rows[1:]] == ["Company 01", "Company 02", "Company 03"]
    assert rows[1][col["Change, %"]] == pytest.approx(-10.0)
    assert rows[2][col["t CO₂e per FTE"]] == pytest.approx(0.6)  # 3 t / 5 FTE
    assert rows[3][col["Base year"]] is None


def test_exports_state_the_gwp_set() -> None:
    # Every CO2e figure rests on AR5 100-year GWPs (methodology.md §10): the exports say so.
    for data, sheet in ((exports.beges_xlsx(sample.period_a(), "fr"), "BEGES"),
                        (exports.period_xlsx(sample.period_a(), "fr"), fr("Results"))):  # fmt: skip
        rows = list(_sheet(data, sheet).values)
        with use_locale("fr"):
            ar5 = labels.gwp_set("AR5")
        assert [fr("Global warming potentials"), ar5] in [list(r[:2]) for r in rows]
