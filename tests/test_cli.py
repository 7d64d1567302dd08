"""The ``carbon`` command: stateless computation, its error messages, demo idempotence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from carbon.cli import app
from tests.factors.ademe_fixture import element, poste, write_rows

runner = CliRunner()


def write(tmp_path: Path, text: str, name: str = "activities.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run_json(path: Path, *extra: str) -> dict:
    result = runner.invoke(app, ["compute", str(path), "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_compute_with_the_bundled_library(tmp_path: Path) -> None:
    # French file: ';', decimal commas, cp1252, thousands separators.
    csv = (
        "poste;factor_id;quantity;unit;data_quality\n"
        "2.1;bundled:elec-fr-2022;12,5;MWh;facture\n"  # 12,500 kWh × 0.052 = 650
        "1.2;bundled:diesel-b7-fr;1 000;litre;mesure\n"  # 1,000 L × 3.10 = 3,100
        "3.5;bundled:train-tgv-fr-2022;2 000;passager.km;estimation\n"  # 2,000 × 0.00293 = 5.86
    )
    out = run_json(write(tmp_path, csv, encoding="cp1252"))
    assert out["total_kgco2e"] == pytest.approx(650 + 3100 + 5.86)
    assert out["by_poste"]["2.1"] == pytest.approx(650)
    assert out["by_poste"]["1.2"] == pytest.approx(3100)
    assert out["by_scope"] == pytest.approx({"1": 3100, "2": 650, "3": 5.86})
    assert out["biogenic_co2_kg"] == 0
    assert out["factor_library"] == "carbon-bundled 2026.1"
    assert set(out["by_poste"]) >= {"1.1", "4.1", "6.1"}
    assert out["uncertainty_kgco2e"] > 0


def test_compute_with_an_ademe_export(tmp_path: Path) -> None:
    export = write_rows(
        tmp_path / "Base_Carbone.csv",
        [
            element(20001, unit="kgCO2e/litre", total="3,1", uncertainty="5"),
            poste(20001, "Combustion", "2,5"),
            poste(20001, "Amont", "0,6"),
        ],
    )
    csv = "poste,factor_id,quantity,unit\n1.2,20001,100,L\n"
    out = run_json(write(tmp_path, csv), "--factors", str(export))
    # 100 L: combustion 100 × 2.5 = 250 in 1.2, upstream 100 × 0.6 = 60 in 4.1.
    assert out["by_poste"]["1.2"] == pytest.approx(250)
    assert out["by_poste"]["4.1"] == pytest.approx(60)
    assert out["total_kgco2e"] == pytest.approx(310)
    assert out["factor_library"] == "ADEME export Base_Carbone.csv"


def test_readable_table_without_json(tmp_path: Path) -> None:
    path = write(tmp_path, "poste,factor_id,quantity,unit\n2.1,bundled:elec-fr-2022,1000,kWh\n")
    result = runner.invoke(app, ["compute", str(path)])
    assert result.exit_code == 0
    assert "Total" in result.stdout and "52.0" in result.stdout  # 1,000 × 0.052


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("2.1;nope;1;kWh", "line 3, column factor_id: unknown factor 'nope'"),
        (
            "2.1;bundled:elec-fr-2022;1;litre",
            "line 3, column unit: cannot convert 'litre' to 'kWh'",
        ),
        ("2.1;bundled:elec-fr-2022;-4;kWh", "line 3, column quantity: negative quantity"),
        ("2.1;bundled:elec-fr-2022;abc;kWh", "line 3, column quantity: not a number"),
        ("7.7;bundled:elec-fr-2022;1;kWh", "line 3, column poste: unknown BEGES poste '7.7'"),
    ],
)
def test_bad_lines_are_named(tmp_path: Path, row: str, expected: str) -> None:
    csv = f"poste;factor_id;quantity;unit\n2.1;bundled:elec-fr-2022;1;kWh\n{row}\n"
    result = runner.invoke(app, ["compute", str(write(tmp_path, csv))])
    assert result.exit_code == 1
    assert expected in " ".join(result.stderr.split())


def test_missing_column_and_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compute", str(write(tmp_path, "poste;quantity\n2.1;3\n"))])
    assert result.exit_code == 1
    assert "missing column(s): factor_id, unit" in result.stderr
    result = runner.invoke(app, ["compute", str(tmp_path / "absent.csv")])
    assert result.exit_code == 1
    assert "No such file" in result.stderr


def test_malformed_ademe_export_is_refused(tmp_path: Path) -> None:
    bad = write(tmp_path, "not;an;ademe;file\n1;2;3;4\n", name="bad.csv")
    acts = write(tmp_path, "poste,factor_id,quantity,unit\n2.1,1,1,kWh\n")
    result = runner.invoke(app, ["compute", str(acts), "--factors", str(bad)])
    assert result.exit_code == 1
    assert "bad.csv" in result.stderr and "line 1" in result.stderr


def test_demo_twice_duplicates_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARBON_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.setenv("CARBON_ENV", "test")
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["demo"])
    assert second.exit_code == 0, second.output
    counts = first.stdout.splitlines()[0]
    assert counts == second.stdout.splitlines()[0]
    # 14 PZCM + 8 MC0 companies; their years by journey (carbon.demo.world.JOURNEYS):
    # 3 new x 0 + (3 started + 3 partial + 2 submitted + 1 validated + 2 validated_plan) x 1
    # + 2 under_way x 2 + (1 + 1 + 2 follow_up + 2 locked) x 3 = 0 + 11 + 4 + 18 = 33.
    assert counts.startswith("22 companies, 3 users, 33 periods")


def test_first_imported_library_becomes_the_default_and_search_follows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.factors.ademe_fixture import element, write_rows

    monkeypatch.setenv("CARBON_DATABASE_URL", f"sqlite:///{tmp_path / 'lib.db'}")
    monkeypatch.setenv("CARBON_ENV", "test")
    monkeypatch.setenv("COLUMNS", "200")  # rich would cut the table's names at 80 columns
    assert runner.invoke(app, ["demo"]).exit_code == 0  # the bundled library is the default
    export = write_rows(tmp_path / "base.csv", [
        element(30001, name_fr="Électricité des Alpes", unit="kgCO2e/kWh", total=0.06),
        element(30002, name_fr="Gazole routier", unit="kgCO2e/litre", total="3,16"),
    ])  # fmt: skip
    r = runner.invoke(app, ["factors", "import", str(export), "--label", "ADEME 23.6"])
    assert r.exit_code == 0, r.output
    assert "now the default library" in r.stdout
    # The search uses it: its title names the version, and only its factors are found.
    r = runner.invoke(app, ["factors", "search", "électricité"])
    assert r.exit_code == 0, r.output
    assert "ADEME 23.6: 1 result(s)" in r.stdout and "Électricité des Alpes" in r.stdout
    # --library reads another stored version; an unknown label is an error naming the stored.
    from carbon.factors.bundled import load_bundled_library

    bundled = load_bundled_library().version
    r = runner.invoke(app, ["factors", "search", "électricité", "--library", bundled])
    assert r.exit_code == 0 and f"{bundled}:" in r.stdout and "des Alpes" not in r.stdout
    r = runner.invoke(app, ["factors", "search", "gazole", "--library", "nope"])
    assert r.exit_code == 1 and "ADEME 23.6" in r.stderr
    # A second import is not made the default unless asked.
    second = write_rows(tmp_path / "b2.csv", [element(30003, name_fr="Fioul", total=3.2)])
    r = runner.invoke(app, ["factors", "import", str(second), "--label", "ADEME 23.7"])
    assert r.exit_code == 0 and "now the default" not in r.stdout
    r = runner.invoke(app, ["factors", "search", "fioul"])
    assert "ADEME 23.6: 0 result(s)" in r.stdout
    r = runner.invoke(app, ["factors", "search", "fioul", "--library", "ADEME 23.7"])
    assert "ADEME 23.7: 1 result(s)" in r.stdout
