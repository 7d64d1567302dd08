"""Italian e-invoices (FatturaPA 1.2): read safely, mapped to physical or spend lines.

The two invoices in ``tests/data/fatturapa/`` are written by hand: an electricity bill of
Energia Alpina (4,200 + 2,800 kWh, plus 170.30 € of system charges) and a consultancy invoice of
Studio Bianchi (2,400 € of advice, 180 € of travel expenses), both to an Italian company.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from carbon.imports.fatturapa import InvoiceError, read_invoices
from carbon.imports.invoice_mapping import KWH_PCS_PER_SMC, default_rules, parse_rules, propose

DATA = Path(__file__).parents[1] / "data" / "fatturapa"
ELECTRICITY = DATA / "IT06655971007_00001.xml"
SERVICES = DATA / "IT07643520567_00002.xml"


def zipped(*paths: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            archive.write(path, path.name)
    return buffer.getvalue()


def both_lines() -> list:
    return read_invoices(zipped(ELECTRICITY, SERVICES), "invoices.zip")


def test_the_lines_of_both_invoices_are_read_from_a_zip() -> None:
    lines = both_lines()
    assert [
        (line.supplier, line.line, line.quantity, line.unit, line.amount_eur) for line in lines
    ] == [
        ("Energia Alpina S.p.A.", 1, 4200.0, "kWh", 882.0),
        ("Energia Alpina S.p.A.", 2, 2800.0, "kWh", 476.0),
        ("Energia Alpina S.p.A.", 3, None, None, 170.3),
        ("Studio Bianchi Consulenza S.r.l.", 1, 1.0, "NR", 2400.0),
        ("Studio Bianchi Consulenza S.r.l.", 2, None, None, 180.0),
    ]
    assert {line.vat_rate for line in lines} == {22.0}
    assert lines[0].supplier_vat == "IT06655971007"


def test_kwh_become_one_physical_line_and_advice_a_spend_line() -> None:
    proposal = propose(both_lines(), default_rules(), "IT", "FPA test")
    rows = {row["unit"]: row for row in proposal.rows}
    # 4,200 + 2,800 = 7,000 kWh, measured, with the Italian grid factor of the activity.
    assert rows["kWh"]["quantity"] == 7000.0
    assert rows["kWh"]["activity_id"] == "electricity-buildings"
    assert rows["kWh"]["factor_id"] == "bundled:elec-it-2022"
    assert rows["kWh"]["data_quality"] == "measured"
    # 2,400 € of consultancy excluding IVA = 2.4 k€, on the intellectual-services ratio.
    assert rows["k€"]["quantity"] == 2.4
    assert (rows["k€"]["poste"], rows["k€"]["factor_id"]) == (
        "4.5", "bundled:money-services-intellectual",
    )  # fmt: skip
    # The system charges are part of the electricity already counted in kWh; the travel
    # expenses match no rule: listed, not dropped.
    assert [line.description for line in proposal.covered] == ["Oneri di sistema e trasporto"]
    assert [line.description for line in proposal.unmapped] == ["Rimborso spese di trasferta"]


def test_gas_in_smc_is_converted_at_the_conventional_calorific_value() -> None:
    xml = ELECTRICITY.read_bytes().replace(
        b"<UnitaMisura>kWh</UnitaMisura>", b"<UnitaMisura>Smc</UnitaMisura>"
    )
    proposal = propose(read_invoices(xml, "gas.xml"), default_rules(), "IT", "FPA test")
    gas = next(row for row in proposal.rows if row["activity_id"] == "natural-gas")
    # 0.03852 GJ/Smc × 1e9 J/GJ ÷ 3.6e6 J/kWh = 10.7 kWh PCS per Smc; 7,000 Smc × 10.7 = 74,900.
    assert pytest.approx(10.7) == KWH_PCS_PER_SMC
    assert gas["unit"] == "kWh PCS"
    assert gas["quantity"] == pytest.approx(74_900.0)


def test_a_credit_note_reduces_the_suppliers_spend() -> None:
    credit = SERVICES.read_bytes().replace(b"<TipoDocumento>TD01</TipoDocumento>",
                                           b"<TipoDocumento>TD04</TipoDocumento>")  # fmt: skip
    lines = read_invoices(zipped(SERVICES), "a.zip") + read_invoices(credit, "credit.xml")
    proposal = propose(lines, default_rules(), "IT", "FPA test")
    # 2,400 € invoiced − 2,400 € credited = 0: nothing to count, the line is listed instead.
    assert [row for row in proposal.rows if row["unit"] == "k€"] == []
    assert any(line.description.startswith("Consulenza") for line in proposal.unmapped)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"0\x82\x05\x00signed", "signed .p7m envelope"),
        (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", "not a readable XML"),
        (b"<root/>", "not a FatturaPA invoice"),
        (b"not xml at all", "not a readable XML"),
    ],
)
def test_unsafe_or_foreign_files_are_refused_by_name(data: bytes, message: str) -> None:
    with pytest.raises(InvoiceError, match=message) as caught:
        read_invoices(data, "fattura.xml")
    assert "fattura.xml" in str(caught.value)


def test_a_zip_that_expands_too_much_is_refused_before_it_is_read() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.xml", b"<" + b" " * 20_000_000 + b">")
    with pytest.raises(InvoiceError, match="expands too much"):
        read_invoices(buffer.getvalue(), "bomb.zip")


def test_a_rule_file_with_an_unknown_treatment_names_its_line() -> None:
    with pytest.raises(ValueError, match="line 2, treatment"):
        parse_rules("order,unit,keywords,treatment\n1,,x,maybe\n")
