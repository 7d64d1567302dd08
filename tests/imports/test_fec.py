"""Reading a FEC and mapping its accounts: the small hotel's ledger computed by hand.

The ledger is ``tests/data/123456782FEC20251231.txt``, written entry by entry by
``tests/data/make_fec_hotel.py``; every expected figure below is worked out from that script.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from carbon.imports.fec import FEC_COLUMNS, FecError, read_fec
from carbon.imports.fec_mapping import (
    AccountRule,
    book_account,
    default_rules,
    layered,
    parse_rules,
    propose,
    rule_for,
)

HOTEL = Path(__file__).parents[1] / "data" / "123456782FEC20251231.txt"
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def hotel_bytes() -> bytes:
    return HOTEL.read_bytes()


def fec(*rows: str, sep: str = "|") -> bytes:
    return (sep.join(FEC_COLUMNS) + "\n" + "\n".join(rows) + "\n").encode("utf-8")


def row(
    num: str, account: str, debit: str, credit: str, day: str = "20250105", aux: str = ""
) -> str:
    return "|".join(["AC", "Achats", num, day, account, "lib", aux, "", num, day, "x", debit,
                     credit, "", "", day, "", ""])  # fmt: skip


def test_the_hotel_ledger_is_read_whole() -> None:
    ledger = read_fec(hotel_bytes(), HOTEL.name)
    # Each month: Metro 3 + drinks 3 + electricity 3 + telecom 3 + bank 2 + salaries 3
    # + social charges 2 + sales 3 + payment 2 = 24 lines, so 12 × 24 = 288. With the opening
    # entry 4, the 2024 invoice 2, fees 4 × 3 = 12, insurance 2, maintenance 3, computers 3,
    # credit note 3, rebate 3, train 2, carriage 2, stock 2, CFE 2, depreciation 2:
    # 288 + 4 + 2 + 12 + 2 + 3 + 3 + 3 + 3 + 2 + 2 + 2 + 2 + 2 = 330.
    assert len(ledger.entries) == 330
    assert ledger.siren == "123456782"
    assert ledger.closing_date == date(2025, 12, 31)
    assert ledger.entries["amount"].sum() == pytest.approx(0.0)
    assert ledger.warnings == []


def test_the_hotel_purchases_by_account_and_supplier() -> None:
    proposal = propose(read_fec(hotel_bytes(), HOTEL.name), layered(default_rules()), *YEAR)
    got = {(line.account, line.supplier): line.amount_eur for line in proposal.lines}
    assert got == {
        # 12 × 2,400 − 300 (credit note of July) − 150 (year-end rebate on 6097) = 28,350;
        # the December 2024 invoice (500) is outside the period.
        ("607", "FMETRO"): 28_350.0,
        ("607", "FBOISS"): 12 * 600.0,  # 7,200
        ("626", "FORANGE"): 12 * 85.0,  # 1,020
        ("627", ""): 12 * 35.0,  # 420: bank fees have no supplier line
        ("6226", "FCOMPTA"): 4 * 900.0,  # 3,600
        ("616", "FASSUR"): 3_200.0,
        ("615", "FASCEN"): 1_800.0,
        # Bought with a 404 counterpart; the opening 2183 balance of 4,000 is not a purchase.
        ("2183", "FINFO"): 2_500.0,
    }
    factors = {line.account: (line.rule.poste, line.rule.factor_id) for line in proposal.lines}
    assert factors["607"] == ("4.1", "bundled:money-food")
    assert factors["6226"] == ("4.5", "bundled:money-services-intellectual")
    assert factors["2183"] == ("4.2", "bundled:money-it-equipment")
    # 28,350 + 7,200 + 1,020 + 420 + 3,600 + 3,200 + 1,800 + 2,500 = 48,090 € = 48.09 k€
    assert proposal.total_keur == pytest.approx(48.09)


def test_accounts_that_are_not_spend_lines_are_listed_never_dropped() -> None:
    proposal = propose(read_fec(hotel_bytes(), HOTEL.name), layered(default_rules()), *YEAR)
    physical = {t.account: t.amount_eur for t in proposal.physical}
    excluded = {t.account: t.amount_eur for t in proposal.excluded}
    unmapped = {t.account: t.amount_eur for t in proposal.unmapped}
    assert physical == {"6061": 12 * 1_100.0, "6251": 420.0}  # electricity 13,200; train
    assert excluded == {
        "6037": 1_200.0,  # stock variation: not a purchase
        "635": 2_100.0,  # CFE
        "641": 12 * 14_000.0,  # salaries 168,000
        "645": 12 * 5_600.0,  # social charges 67,200
        "6811": 9_000.0,  # depreciation
    }
    assert unmapped == {"6081": 80.0}  # no rule for 608: shown with its amount
    assert proposal.credits == []
    rule_6061 = next(t.rule for t in proposal.physical if t.account == "6061")
    assert rule_6061 is not None and "kWh" in rule_6061.physical_hint


def test_spend_already_measured_physically_is_left_out_with_its_reason() -> None:
    ledger = read_fec(hotel_bytes(), HOTEL.name)
    proposal = propose(
        ledger, layered(default_rules()), *YEAR, existing_activities=["meals-average"]
    )
    assert {line.account for line, _ in proposal.overlapping} == {"607"}
    assert {activity for _, activity in proposal.overlapping} == {"meals-average"}
    assert "607" not in {line.account for line in proposal.lines}
    # 48.09 k€ − 35.55 k€ of food (28,350 + 7,200) = 12.54 k€
    assert proposal.total_keur == pytest.approx(12.54)


def test_the_longest_prefix_wins_and_later_rule_sets_override() -> None:
    shipped = layered(default_rules())
    assert rule_for("62260000", shipped).prefix == "622"  # type: ignore[union-attr]
    assert rule_for("6063", shipped).prefix == "6063"  # type: ignore[union-attr]
    assert book_account("6097") == "607" and rule_for("6097", shipped).prefix == "607"  # type: ignore[union-attr]
    company = [AccountRule("607", "spend", "4.1", "bundled:money-metal-products")]
    assert rule_for("607", layered(default_rules(), company)).factor_id == (  # type: ignore[union-attr]
        "bundled:money-metal-products"
    )
    assert rule_for("999", shipped) is None


def test_a_bad_rule_file_names_its_line() -> None:
    with pytest.raises(ValueError, match="line 3, treatment"):
        parse_rules(
            "prefix,treatment,poste,factor_id\n607,spend,4.1,bundled:money-food\n62,maybe,,\n"
        )
    with pytest.raises(ValueError, match="line 2: a 'spend' rule needs"):
        parse_rules("prefix,treatment,poste,factor_id\n607,spend,,\n")


def test_tab_separated_and_montant_sens_layouts_are_read() -> None:
    tab = fec(row("A1", "607", "100,50", "0").replace("|", "\t"),
              row("A1", "401", "0", "100,50", aux="F1").replace("|", "\t"), sep="\t")  # fmt: skip
    assert read_fec(tab).entries["amount"].tolist() == [100.5, -100.5]
    header = "|".join([*FEC_COLUMNS[:11], "Montant", "Sens", *FEC_COLUMNS[13:]])
    lines = [
        "AC|Achats|A1|20250105|607|lib|||A1|20250105|x|100,50|D|||20250105||",
        "AC|Achats|A1|20250105|401|lib|F1||A1|20250105|x|100,50|C|||20250105||",
    ]
    ledger = read_fec(("\n".join([header, *lines]) + "\n").encode())
    assert ledger.entries["amount"].tolist() == [100.5, -100.5]


def test_iso_8859_15_labels_are_decoded() -> None:
    data = fec(row("A1", "607", "10", "0"), row("A1", "401", "0", "10")).replace(
        b"lib", "Écus €".encode("iso-8859-15")
    )
    assert read_fec(data).entries["account_label"].iloc[0] == "Écus €"


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"JournalCode;JournalLib\n", "line 1"),  # neither tab nor '|'
        (fec(row("A1", "607", "10", "0"), row("A1", "401", "0", "9")), "line 2, EcritureNum"),
        (fec(row("A1", "607", "1 000,00", "0"), row("A1", "401", "0", "1000")), "line 2, Debit"),
        (
            fec(row("A1", "607", "10", "0", day="2025-01-05"), row("A1", "401", "0", "10")),
            "line 2, EcritureDate",
        ),
        (fec(row("A1", "", "10", "0"), row("A1", "401", "0", "10")), "line 2, CompteNum"),
        (fec(row("A1", "607", "10", "0") + "|extra", row("A1", "401", "0", "10")), "line"),
    ],
)
def test_a_bad_file_is_refused_whole_with_the_place_of_each_problem(
    data: bytes, where: str
) -> None:
    with pytest.raises(FecError) as caught:
        read_fec(data, "x.txt")
    assert where in str(caught.value)


def test_a_header_that_is_not_the_fec_names_each_wrong_column() -> None:
    names = list(FEC_COLUMNS)
    names[4] = "Compte"
    with pytest.raises(FecError) as caught:
        read_fec(("|".join(names) + "\n" + row("A1", "607", "1", "0") + "\n").encode())
    assert [str(i) for i in caught.value.issues] == [
        "line 1, column 5: expected 'CompteNum', found 'Compte'"
    ]


def test_a_file_name_that_is_not_the_legal_one_is_a_warning() -> None:
    ledger = read_fec(
        fec(row("A1", "607", "10", "0"), row("A1", "401", "0", "10")), "grand-livre.txt"
    )
    assert ledger.siren is None
    assert "is not <SIREN>FEC<AAAAMMJJ>.txt" in str(ledger.warnings[0])


@pytest.mark.parametrize("amount", ["9" * 400, "2000000000000,00"])
def test_an_amount_no_ledger_line_can_hold_is_refused_where_it_is(amount: str) -> None:
    # 400 nines read as infinity: the balance check saw NaN and let it through (then the
    # engine refused the line without saying where); 2e12 € is past a thousand billion euros.
    data = fec(row("A1", "607", amount, "0"), row("A1", "401", "0", amount))
    with pytest.raises(FecError) as caught:
        read_fec(data, "x.txt")
    assert [str(i)[:21] for i in caught.value.issues] == [
        "line 2, Debit: '" + amount[:5],
        "line 3, Credit: '" + amount[:4],
    ]
