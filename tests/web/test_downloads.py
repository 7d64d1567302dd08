"""Downloads: who may fetch which report or export, and what the files say.

World (tests/web/conftest.py): period_a, company A, 10 MWh × 0.052 = 520 kg in 2.1 and
1,000 L × 3.10 = 3,100 kg in 1.2, total 3.6 t; period_b, company B (IT), 20,000 kWh × 0.2655 =
5,310 kg = 5.3 t. carol coaches cohort A (company A), dave cohort B (company B).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from tests import factories as f
from tests.reports.pdf import follows, lines, text

from .conftest import World

PERIOD_FILES = (
    "report.pdf", "report.pdf?gwp=ar6", "export.xlsx", "export.csv", "beges.xlsx",
    "beges.xlsx?gwp=ar6",
)  # fmt: skip
COHORT_FILES = ("report.pdf", "report.pdf?anonymise=1", "export.xlsx", "certificates.pdf")
COMPANY_ACCESS = [("alice", 200), ("bob", 404), ("carol", 200), ("dave", 404), ("admin", 200)]
COHORT_ACCESS = [("alice", 404), ("bob", 404), ("carol", 200), ("dave", 404), ("admin", 200)]


def cohort_a(world: World) -> int:
    return world.company_a.enrolments[0].cohort_id


def cohort_b(world: World) -> int:
    return world.company_b.enrolments[0].cohort_id


@pytest.mark.parametrize(("persona", "status"), COMPANY_ACCESS)
def test_period_downloads_access(as_user: Any, world: World, persona: str, status: int) -> None:
    c = as_user(persona)
    for name in PERIOD_FILES:
        r = c.get(f"/periods/{world.period_a.id}/{name}")
        assert r.status_code == status, name
        if status == 404:
            assert b"Alpha" not in r.content


@pytest.mark.parametrize(("persona", "status"), COHORT_ACCESS)
def test_cohort_downloads_access(as_user: Any, world: World, persona: str, status: int) -> None:
    c = as_user(persona)
    for name in COHORT_FILES:
        assert c.get(f"/cohorts/{cohort_a(world)}/{name}").status_code == status, name
    r = c.get(f"/companies/{world.company_a.id}/certificate.pdf?cohort={cohort_a(world)}")
    assert r.status_code == status


def test_certificate_needs_the_company_in_that_cohort(as_user: Any, world: World) -> None:
    admin = as_user("admin")
    # Company A is not enrolled in cohort B, even for an administrator.
    url = f"/companies/{world.company_a.id}/certificate.pdf?cohort={cohort_b(world)}"
    assert admin.get(url).status_code == 404
    # dave coaches cohort B, not company A.
    assert as_user("dave").get(url).status_code == 404
    assert admin.get(f"/companies/{world.company_a.id}/certificate.pdf").status_code == 422
    assert admin.get("/cohorts/999999/report.pdf").status_code == 404
    assert admin.get("/periods/999999/report.pdf").status_code == 404


def test_anonymous_is_sent_to_login(client: Any, world: World) -> None:
    for url in (
        f"/periods/{world.period_a.id}/report.pdf",
        f"/cohorts/{cohort_a(world)}/export.xlsx",
    ):
        r = client.get(url, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_files_are_attachments_kept_out_of_caches(as_user: Any, world: World) -> None:
    c = as_user("alice")
    expected = {
        "report.pdf": ("application/pdf", "carbon-alpha-remontees-2024.pdf"),
        "export.csv": ("text/csv; charset=utf-8", "carbon-alpha-remontees-2024-lines.csv"),
        "beges.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       "beges-alpha-remontees-2024.xlsx"),
    }  # fmt: skip
    for name, (media, filename) in expected.items():
        r = c.get(f"/periods/{world.period_a.id}/{name}")
        assert r.headers["content-type"] == media
        assert r.headers["content-disposition"] == f'attachment; filename="{filename}"'
        assert r.headers["cache-control"] == "private, no-store"


def test_company_report_in_the_readers_language(
    as_user: Any, world: World, db_session: Session
) -> None:
    body = text(as_user("alice").get(f"/periods/{world.period_a.id}/report.pdf").content)
    assert "3.6 t CO₂e" in body and "Electricity consumption" in body  # alice reads English
    world.alice.locale = "fr"
    db_session.flush()
    seq = lines(as_user("alice").get(f"/periods/{world.period_a.id}/report.pdf").content)
    assert "3,6 t CO₂e" in seq
    # Poste 2.1: 520 kg = 0,5 t; total 3,6 t.
    assert follows(seq, "2.1", "Consommation d'électricité", "0,5")
    assert follows(seq, "Total", "3,6")
    world.bob.locale = "it"
    db_session.flush()
    body = text(as_user("bob").get(f"/periods/{world.period_b.id}/report.pdf").content)
    assert "5,3 t CO₂e" in body and "Consumo di energia elettrica" in body  # 5,310 kg


def test_csv_dialect_follows_the_locale(as_user: Any, world: World, db_session: Session) -> None:
    en = as_user("alice").get(f"/periods/{world.period_a.id}/export.csv").content
    assert en.startswith(b"\xef\xbb\xbfLine,Site,Poste")
    world.alice.locale = "fr"
    db_session.flush()
    fr = as_user("alice").get(f"/periods/{world.period_a.id}/export.csv").content
    rows = list(csv.reader(io.StringIO(fr.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Ligne", "Site", "Poste"]  # French headers
    col = {name: i for i, name in enumerate(rows[0])}
    assert [r[col["Émissions, kg CO₂e"]] for r in rows[1:]] == ["520", "3100"]
    assert rows[1][col["Facteur, kg CO₂e par unité"]] == "0,052"


def test_exports_neutralise_what_users_typed(
    as_user: Any, world: World, db_session: Session
) -> None:
    world.period_a.lines[0].comment = '=HYPERLINK("http://evil")'
    world.company_a.name = "@Alpha"
    db_session.flush()
    c = as_user("alice")
    data = c.get(f"/periods/{world.period_a.id}/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in data and ",=HYPERLINK" not in data
    wb = load_workbook(io.BytesIO(c.get(f"/periods/{world.period_a.id}/beges.xlsx").content))
    assert wb["BEGES"]["A1"].value == "'@Alpha"
    cohort = as_user("carol").get(f"/cohorts/{cohort_a(world)}/export.xlsx").content
    companies = load_workbook(io.BytesIO(cohort))["Companies"]
    assert companies["A2"].value == "'@Alpha" and companies["A2"].data_type == "s"


def test_cohort_report_names_or_anonymises(as_user: Any, world: World) -> None:
    c = as_user("carol")
    named = text(c.get(f"/cohorts/{cohort_a(world)}/report.pdf").content)
    assert "Alpha Remontées" in named and "3.6" in named
    anon = text(c.get(f"/cohorts/{cohort_a(world)}/report.pdf?anonymise=1").content)
    assert "Alpha Remontées" not in anon and "Company 01" in anon
    xlsx = c.get(f"/cohorts/{cohort_a(world)}/export.xlsx?anonymise=1").content
    assert load_workbook(io.BytesIO(xlsx))["Companies"]["A2"].value == "Company 01"


def test_certificates(as_user: Any, world: World) -> None:
    c = as_user("carol")
    body = " ".join(text(c.get(f"/cohorts/{cohort_a(world)}/certificates.pdf").content).split())
    assert "Certificate of participation" in body and "Alpha Remontées" in body
    # period_a is a draft: named without its figure, and not said to be validated.
    assert "Started measuring its carbon footprint for 2024 (a draft" in body
    assert "validated by its coach" not in body
    one = c.get(f"/companies/{world.company_a.id}/certificate.pdf?cohort={cohort_a(world)}")
    assert one.headers["content-disposition"].startswith('attachment; filename="certificate-alpha')


def test_a_period_that_cannot_be_computed_is_a_conflict(
    as_user: Any, world: World, db_session: Session
) -> None:
    f.make_line(db_session, world.period_a, factor_id="bundled:no-such-factor", quantity=1,
                unit="kWh")  # fmt: skip
    r = as_user("alice").get(f"/periods/{world.period_a.id}/report.pdf")
    assert r.status_code == 409
    assert "cannot be computed" in r.text


def _certificate_text(c: Any, world: World) -> str:
    r = c.get(f"/companies/{world.company_a.id}/certificate.pdf?cohort={cohort_a(world)}")
    assert r.status_code == 200
    return " ".join(text(r.content).split())


def test_a_certificate_says_validated_only_for_the_validated_year(
    as_user: Any, world: World, db_session: Session
) -> None:
    carol = as_user("carol")
    # An older validated year does not make the latest (2025, submitted) validated.
    world.period_a.status = "validated"
    later = f.make_period(db_session, world.company_a, world.library, year=2025)
    later.status = "submitted"
    f.make_line(db_session, later, poste="2.1", factor_id="bundled:elec-fr-2022", quantity=10,
                unit="MWh")  # fmt: skip
    db_session.flush()
    body = _certificate_text(carol, world)
    # 10 MWh × 0.052 kg/kWh = 520 kg = 0.5 t.
    assert "Measured its carbon footprint for 2025: 0.5 t CO₂e." in body
    assert "submitted to its coach, who is reviewing it" in body
    assert "validated by its coach" not in body
    later.status = "validated"
    db_session.flush()
    assert "reviewed and validated by its coach" in _certificate_text(carol, world)


def test_no_certificate_before_the_cohort_starts(
    as_user: Any, world: World, db_session: Session
) -> None:
    from datetime import date, timedelta

    cohort = world.company_a.enrolments[0].cohort
    cohort.start_date = date.today() + timedelta(days=30)
    db_session.flush()
    carol = as_user("carol")
    r = carol.get(f"/cohorts/{cohort.id}/certificates.pdf")
    assert r.status_code == 409
    assert "issued once the cohort has started" in r.text
    one = carol.get(f"/companies/{world.company_a.id}/certificate.pdf?cohort={cohort.id}")
    assert one.status_code == 409


def test_beges_export_under_ar6(as_user: Any, world: World, db_session: Session) -> None:
    f.make_line(db_session, world.period_a, poste="1.4", factor_id="bundled:refrigerant-r410a",
                quantity=2, unit="kg")  # fmt: skip
    db_session.flush()
    c = as_user("alice")

    def total_and_preamble(url: str) -> tuple[float, str]:
        r = c.get(url)
        assert r.status_code == 200
        rows = [r for r in load_workbook(io.BytesIO(r.content))["BEGES"].values if any(r)]
        total = next(r for r in rows if r[2] == "Total")
        return total[3], " ".join(str(v) for r in rows[:12] for v in r if v is not None)

    base = f"/periods/{world.period_a.id}/beges.xlsx"
    # AR5: 520 + 3,100 + 2 × 1,924 = 7,468 kg; AR6: R410A 2 × 2,255.5 = 4,511 -> 8,131 kg,
    # electricity and diesel stay AR5 (no breakdown by gas) and are named.
    t5, words5 = total_and_preamble(base)
    assert t5 == pytest.approx(7.468) and "IPCC AR5, 100" in words5
    t6, words6 = total_and_preamble(base + "?gwp=ar6")
    assert t6 == pytest.approx(8.131) and "IPCC AR6, 100" in words6
    assert "bundled:diesel-b7-fr" in words6
    assert c.get(base + "?gwp=ar4").status_code == 422


def test_company_report_under_ar6(as_user: Any, world: World, db_session: Session) -> None:
    """The results page offers the report under AR6 too; the PDF states the set it used."""
    f.make_line(db_session, world.period_a, poste="1.4", factor_id="bundled:refrigerant-r410a",
                quantity=2, unit="kg")  # fmt: skip
    db_session.flush()
    c = as_user("alice")
    page = c.get(f"/periods/{world.period_a.id}/results").text
    assert f'href="/periods/{world.period_a.id}/report.pdf?gwp=ar6"' in page
    r = c.get(f"/periods/{world.period_a.id}/report.pdf?gwp=ar6")
    assert r.status_code == 200 and r.headers["content-disposition"].endswith('-ar6.pdf"')
    body = " ".join(text(r.content).split())
    # 520 + 3,100 + R410A 2 × 2,255.5 (AR6) = 8,131 kg = 8.1 t, against 7.5 t under AR5.
    assert "IPCC AR6, 100 years" in body and "8.1 t CO₂e" in body
    assert c.get(f"/periods/{world.period_a.id}/report.pdf?gwp=ar4").status_code == 422
