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
    assert out["factor_library"] == "carbon-bundled 2026.5"
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


def test_compute_json_names_the_uncertainty_rule_and_runs_monte_carlo_on_demand(
    tmp_path: Path,
) -> None:
    # 12 monthly bills of 1,000 kWh, measured: one source of 12,000 × 0.052 = 624 kg,
    # ± 624 × sqrt(0.10² + 0.05²) = 69.7653 kg (11.18 %) whatever the number of lines.
    rows = "".join("2.1;bundled:elec-fr-2022;1000;kWh;facture\n" for _ in range(12))
    path = write(tmp_path, "poste;factor_id;quantity;unit;data_quality\n" + rows)
    out = run_json(path)
    assert out["uncertainty_method"] == "ipcc-approach-1-per-source"
    assert out["uncertainty_kgco2e"] == pytest.approx(69.7653, abs=1e-3)
    assert out["uncertainty_by_scope"]["2"] == pytest.approx(69.7653, abs=1e-3)
    assert "monte_carlo" not in out  # never unless asked: it costs 10,000 draws a source
    mc = run_json(path, "--monte-carlo", "--draws", "20000", "--seed", "5")["monte_carlo"]
    assert mc["method"] == "ipcc-approach-2-monte-carlo-lognormal"
    assert (mc["draws"], mc["seed"], mc["sources"]) == (20000, 5, 1)
    assert mc["mean_kgco2e"] == pytest.approx(624, rel=0.01)
    assert mc["half_width_pct"] == pytest.approx(11.18, rel=0.05)
    bad = runner.invoke(app, ["compute", str(path), "--monte-carlo", "--draws", "5"])
    assert bad.exit_code != 0 and "--draws" in bad.output
    table = runner.invoke(app, ["compute", str(path), "--monte-carlo"])
    assert table.exit_code == 0 and "Monte Carlo (10,000 draws, seed 2006)" in table.stdout


def test_compute_json_lists_warnings_with_file_line_numbers(tmp_path: Path) -> None:
    csv = (
        "poste,factor_id,quantity,unit,pays,tva\n"
        # Line 2: 12 k€ TTC at 20 % = 10 k€ HT × 150 (IT services ratio) = 1,500 kg
        "4.5,bundled:money-services-it,12,k€ TTC,FR,\n"
        # Line 3: the French grid for an Italian site → the Italian (ISPRA 2022) factor:
        # 1,000 kWh × 0.2655 = 265.5 kg; market-based: AIB residual mix IT 2023,
        # 1,000 × 0.50057 = 500.57 kg (0.457 until December 2026: a documented correction).
        "2.1,bundled:elec-fr-2022,1000,kWh,IT,\n"
        # Line 4: French diesel at an Italian site, no Italian variant: 100 L × 3.10 = 310 kg.
        "1.1,bundled:diesel-b7-fr,100,litre,IT,\n"
    )
    out = run_json(write(tmp_path, csv), "--year", "2023")
    assert out["total_kgco2e"] == pytest.approx(1500 + 265.5 + 310)
    assert out["scope2_market_kgco2e"] == pytest.approx(500.57)
    lines = [w["line"] for w in out["warnings"]]
    # 2: VAT converted, ratio without price year; 3: variant used, residual mix; 4: no variant.
    assert lines == [2, 2, 3, 3, 4]
    assert all(isinstance(w["message"], str) and w["message"] for w in out["warnings"])
    assert out["warnings_omitted"] == 0


def test_compute_refuses_a_ttc_spend_whose_rate_is_unknown(tmp_path: Path) -> None:
    csv = "poste,factor_id,quantity,unit\n4.5,bundled:money-services-it,12,k€ TTC\n"
    result = runner.invoke(app, ["compute", str(write(tmp_path, csv)), "--json"])
    assert result.exit_code == 1
    assert "line 2, column unit" in result.output and "VAT" in result.output


# --- carbon admin / carbon period: an operator scripts a cohort's start of year ---------------


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'ops.db'}"
    monkeypatch.setenv("CARBON_DATABASE_URL", url)
    monkeypatch.setenv("CARBON_ENV", "test")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    return url


def ok(args: list[str], stdin: str | None = None) -> str:
    result = runner.invoke(app, args, input=stdin)
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def test_an_operator_scripts_the_start_of_a_cohort(empty_db: str) -> None:
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from carbon.db.models import (
        AuditLog,
        CohortCoach,
        Company,
        Invitation,
        Membership,
        ReportingPeriod,
        User,
    )
    from carbon.web.routes.admin_invitations import hash_token

    assert ok(["admin", "programme", "create", "--code", "PZCM", "--name", "Zéro carbone"]) == (
        "programme 1"
    )
    assert ok(["admin", "cohort", "create", "--programme", "PZCM", "--name", "Cohorte 3",
               "--start", "2026-01-15", "--end", "2026-12-15"]) == "cohort 1"  # fmt: skip
    assert ok(["admin", "company", "create", "--name", "Remontées du Col", "--country", "FR",
               "--sector", "lift", "--legal-id", "732 829 320",
               "--cohort", "1"]) == "company 1"  # fmt: skip
    secret = "a long enough password\n"
    assert ok(["admin", "user", "create", "--email", "root@example.org", "--admin"],
              stdin=secret * 2) == "user 1"  # fmt: skip
    assert ok(["admin", "user", "create", "--email", "Gerante@Example.org", "--company", "1"],
              stdin=secret * 2) == "user 2"  # fmt: skip
    link = ok(["admin", "user", "create", "--email", "coach@example.org", "--coach-of", "1",
               "--invite", "--base-url", "https://carbon.example.org"])  # fmt: skip
    assert link.startswith("invitation 1: https://carbon.example.org/invite/")
    assert ok(["period", "create", "--company", "1", "--year", "2026", "--base-year",
               "--fte", "12,5"]) == "period 1 (2026)"  # fmt: skip

    with Session(create_engine(empty_db)) as s:
        company = s.scalars(select(Company)).one()
        assert (company.legal_id, company.enrolments[0].cohort.name) == ("732829320", "Cohorte 3")
        root, user = s.scalars(select(User).order_by(User.id)).all()
        assert root.is_admin and not user.is_admin
        assert user.email == "gerante@example.org" and user.password_hash
        assert s.scalars(select(Membership)).one().company_id == company.id
        assert s.scalars(select(CohortCoach)).all() == []  # the coach is invited, not yet a user
        invitation = s.scalars(select(Invitation)).one()
        assert invitation.role == "coach"
        # The invitation page finds the link's token by the same hash.
        assert invitation.token_hash == hash_token(link.rsplit("/", 1)[1])
        period = s.scalars(select(ReportingPeriod)).one()
        assert (period.year, period.is_base_year, period.fte) == (2026, True, 12.5)
        assert period.library_version.is_default  # the bundled library, made default
        audited = {(a.entity, a.action) for a in s.scalars(select(AuditLog))}
        assert {("company", "create"), ("user_account", "create"), ("membership", "create"),
                ("reporting_period", "create"),
                ("reporting_period", "base_year")} <= audited  # fmt: skip
        assert all("password_hash" not in (a.after or {}) for a in s.scalars(select(AuditLog)))


@pytest.mark.parametrize(("args", "message"), [
    (["period", "create", "--company", "9", "--year", "2026"], "--company: no company 9"),
    (["period", "create", "--company", "1", "--year", "20x6"], "--year: Give a number."),
    (["period", "create", "--company", "1", "--year", "2026", "--fte", "inf"],
     "--fte: Give a number."),
    (["period", "create", "--company", "1", "--year", "2026", "--starts-on", "2025-10-01"],
     "--ends-on: A fiscal year needs both its first and its last day."),
    (["admin", "cohort", "create", "--programme", "NOPE", "--name", "x"],
     "--programme: no programme with code 'NOPE'"),
    (["admin", "company", "create", "--name", "X", "--legal-id", "123"], "--legal-id:"),
    (["admin", "user", "create", "--email", "a@b.org"],
     "give either --company (a member), --coach-of (a coach) or --admin"),
])  # fmt: skip
def test_admin_commands_name_what_is_wrong(empty_db: str, args: list[str], message: str) -> None:
    ok(["admin", "company", "create", "--name", "Remontées du Col"])
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.stderr


def test_a_second_period_for_the_same_year_is_refused(empty_db: str) -> None:
    ok(["admin", "company", "create", "--name", "Remontées du Col"])
    ok(["period", "create", "--company", "1", "--year", "2026"])
    result = runner.invoke(app, ["period", "create", "--company", "1", "--year", "2026"])
    assert result.exit_code == 1
    assert "--year: 2026 is already open for company 1" in result.stderr


def test_compute_json_lists_the_spend_lines_to_replace(tmp_path: Path) -> None:
    csv = (
        "poste;factor_id;quantity;unit;data_quality\n"
        "2.1;bundled:elec-fr-2022;12,5;MWh;facture\n"  # 12,500 kWh × 0.052 = 650 kg, u² 0.0125
        "4.5;bundled:money-services-intellectual;10;k€;estimation\n"  # 10 × 110 = 1,100, u² 0.34
    )
    out = run_json(write(tmp_path, csv))
    # Only the k€ line, named by its line in the file (3). Share of the total 1,100 / 1,750 =
    # 62.857 %; of the variance 0.34 × 1,100² = 411,400 over 411,400 + 0.0125 × 650² (5,281.25)
    # = 98.733 %.
    (spend,) = out["spend_to_replace"]
    assert spend["line"] == 3 and spend["poste"] == "4.5"
    assert spend["kgco2e"] == pytest.approx(1_100.0)
    assert spend["share_total_pct"] == pytest.approx(62.857143)
    assert spend["share_uncertainty_pct"] == pytest.approx(98.732544)


def test_compute_chooses_the_gwp_set(tmp_path: Path) -> None:
    csv = (
        "poste;factor_id;quantity;unit\n"
        "1.4;bundled:refrigerant-r410a;2;kg\n"  # AR5 2 × 1924 = 3848; AR6 2 × 2255.5 = 4511
        "2.1;bundled:elec-fr-2022;1000;kWh\n"  # no breakdown: 52 under both
    )
    path = write(tmp_path, csv)
    ar5 = run_json(path)
    assert ar5["gwp_set"] == "AR5"
    assert ar5["total_kgco2e"] == pytest.approx(3848 + 52)
    # R410A: 0.5 kg HFC-32 × 677 + 0.5 kg HFC-125 × 3170 = 1923.5, scaled to the total 1924
    assert ar5["by_gas"]["other"] == pytest.approx(3848)
    assert ar5["by_gas"]["not_broken_down"] == pytest.approx(52)
    ar6 = run_json(path, "--gwp", "ar6")
    # AR6: 0.5 × 771 + 0.5 × 3740 = 2255.5 per kg
    assert ar6["gwp_set"] == "AR6"
    assert ar6["total_kgco2e"] == pytest.approx(4511 + 52)
    assert ar6["gwp_kept_ar5_lines"] == 1
    assert ar6["gwp_kept_ar5_factors"] == ["bundled:elec-fr-2022"]
    table = runner.invoke(app, ["compute", str(path), "--gwp", "AR6"])
    assert table.exit_code == 0, table.output
    assert "IPCC AR6, 100 years" in table.output
    assert "1 line(s) stay AR5" in table.output
    bad = runner.invoke(app, ["compute", str(path), "--gwp", "ar4"])
    assert bad.exit_code != 0


def test_sf6_and_an_hfo_blend_are_restated_under_ar6(tmp_path: Path) -> None:
    """Every bundled leak factor has its composition (gases.csv, from refrigerants.csv), so AR6
    restates them all: SF6 of a lift station's switchgear and an R448A cold room."""
    csv = (
        "poste;factor_id;quantity;unit\n"
        "1.4;bundled:sf6;0,3;kg\n"  # AR5 0.3 × 23,500 = 7,050; AR6 0.3 × 25,200 = 7,560
        "1.4;bundled:refrigerant-r448a;2;kg\n"  # AR5 2 × 1,273 = 2,546
    )
    path = write(tmp_path, csv)
    ar5 = run_json(path)
    assert ar5["total_kgco2e"] == pytest.approx(7_050 + 2_546)
    assert ar5["by_gas"]["not_broken_down"] == pytest.approx(0.0)
    ar6 = run_json(path, "--gwp", "ar6")
    # R448A per kg under AR6: 0.26 × 771 (HFC-32) + 0.26 × 3,740 (HFC-125) + 0.20 × 0.501
    # (HFO-1234yf) + 0.21 × 1,530 (HFC-134a) + 0.07 × 1.37 (HFO-1234ze(E))
    # = 200.46 + 972.4 + 0.1002 + 321.3 + 0.0959 = 1,494.3561; × 2 kg = 2,988.7122.
    assert ar6["total_kgco2e"] == pytest.approx(7_560 + 2_988.7122, rel=1e-6)
    assert ar6["gwp_kept_ar5_lines"] == 0
