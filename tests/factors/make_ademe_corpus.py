"""Writes tests/factors/corpus/: malformed ADEME exports, each with the refusal it must get.

    python -m tests.factors.make_ademe_corpus

Every file is built from the exact 67-column layout (tests/factors/ademe_fixture.py) and then
broken in one way; ``expected.json`` maps each file to the line and column its error must name.
Re-running writes identical files.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.factors.ademe_fixture import ADEME_COLUMNS, element, poste, render

HERE = Path(__file__).parent / "corpus"
GOOD = [
    element(1001, total="0,227"),
    poste(1001, "Combustion", "0,2"),
    poste(1001, "Amont", "0,027"),
]


def cases() -> dict[str, tuple[bytes, dict[str, object]]]:
    cols = list(ADEME_COLUMNS)
    out: dict[str, tuple[bytes, dict[str, object]]] = {}

    def add(name: str, data: bytes, line: int | None, column: str | None, words: str) -> None:
        out[name] = (data, {"line": line, "column": column, "words": words})

    add("01_empty.csv", b"", None, None, "empty")
    add("02_header_only.csv", render([]), 1, None, "no data rows")
    add(
        "03_missing_column.csv",
        render([";".join(cols[:-1])], header=cols[:-1]),
        1,
        "CO2b",
        "is missing",
    )
    add("04_extra_column.csv", render([], header=[*cols, "Bonus"]), 1, None, "one too many")
    renamed = [*cols]
    renamed[5] = "Nom de la base"
    add(
        "05_renamed_column.csv",
        render(GOOD, header=renamed),
        1,
        "Nom base français",
        "Nom de la base",
    )
    add(
        "06_duplicated_header.csv",
        render(GOOD, header=[*cols[:-1], cols[0]]),
        1,
        "CO2b",
        "expected",
    )
    add("07_comma_separated.csv", render(GOOD).replace(b";", b","), 1, "Type Ligne", "column 1")
    add(
        "08_wrong_line_type.csv",
        render([element(1001, {"Type Ligne": "Facteur"}, total="1")]),
        2,
        "Type Ligne",
        "neither",
    )
    add(
        "09_total_not_a_number.csv",
        render([element(1001, total="beaucoup")]),
        2,
        "Total poste non décomposé",
        "not a number",
    )
    add(
        "10_poste_without_element.csv",
        render([poste(2002, "Combustion", "1")]),
        2,
        "Identifiant de l'élément",
        "no Elément row",
    )
    add(
        "11_duplicate_element.csv",
        render([element(1001, total="1"), element(1001, total="2")]),
        3,
        "Identifiant de l'élément",
        "already",
    )
    add("12_too_few_fields.csv", render([*GOOD, "Elément;1002;Elément"]), 5, None, "3 fields")
    add("13_too_many_fields.csv", render([*GOOD, ";".join(["x"] * 70)]), 5, None, "70 fields")
    add(
        "14_binary.csv",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4,
        None,
        None,
        "not the CSV export",
    )
    add("15_utf16.csv", render(GOOD, encoding="utf-8").decode().encode("utf-16"), 1, None, "UTF-16")
    add(
        "16_uncertainty_not_a_number.csv",
        render([element(1001, total="1", uncertainty="dix")]),
        2,
        "Incertitude",
        "not a number",
    )
    add(
        "17_co2b_not_a_number.csv",
        render([element(1001, total="1", co2b="n/a")]),
        2,
        "CO2b",
        "not a number",
    )
    add(
        "18_missing_total.csv",
        render([element(1001, total="")]),
        2,
        "Total poste non décomposé",
        "empty",
    )
    add(
        "19_unclosed_quote.csv",
        render([*GOOD, 'Elément;1003;"Elément' + ";" * 64]),
        5,
        None,
        "quote left open",
    )
    add(
        "20_activity_file_instead.csv",
        b"poste;factor_id;quantity;unit\n2.1;1001;12;kWh\n",
        1,
        "Type Ligne",
        "named 'poste'",
    )
    return out


def main() -> None:
    HERE.mkdir(exist_ok=True)
    expected = {}
    for name, (data, meta) in cases().items():
        (HERE / name).write_bytes(data)
        expected[name] = meta
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n")
    print(f"{len(expected)} files in {HERE}")


if __name__ == "__main__":
    main()
