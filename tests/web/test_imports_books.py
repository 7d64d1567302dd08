"""Importing from the books through the web (issue 17): FEC and FatturaPA, preview then confirm."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from carbon.db.compute import compute_period, library_for
from carbon.db.models import ActivityLine, AuditLog, MappingRule, ReportingPeriod
from carbon.web.app import FORM_SLACK, request_size_limit
from tests import factories as f
from tests.imports.test_fatturapa import ELECTRICITY, SERVICES

from .conftest import World

HOTEL = Path(__file__).parents[1] / "data" / "123456782FEC20251231.txt"
NNBSP, NBSP = "\u202f", "\u00a0"


def soup(r: Any) -> BeautifulSoup:
    return BeautifulSoup(r.text, "html.parser")


@pytest.fixture(autouse=True)
def import_dir(app: FastAPI, tmp_path: Path) -> Path:
    app.state.import_dir = tmp_path
    return tmp_path


@pytest.fixture
def period_2025(world: World, db_session: Session) -> ReportingPeriod:
    """Company A's 2025, the year of the hotel's FEC (company A is French)."""
    period = f.make_period(db_session, world.company_a, world.library, year=2025)
    db_session.flush()
    return period


@pytest.fixture
def period_it(world: World, db_session: Session) -> ReportingPeriod:
    """Company B's 2025 (Italian), the year of the two FatturaPA invoices."""
    period = f.make_period(db_session, world.company_b, world.library, year=2025)
    db_session.flush()
    return period


def upload(c: Any, period_id: int, data: bytes, name: str, htmx: bool = False) -> Any:
    files = {"file": (name, data, "application/octet-stream")}
    url = f"/periods/{period_id}/import/books"
    if htmx:
        return c.htmx("POST", url, files=files)
    return c.post(url, data={"csrf_token": c.csrf}, files=files)


def token_of(r: Any) -> str:
    field = soup(r).select_one("form.import-confirm input[name=token]")
    assert field is not None, "no confirm form"
    return str(field["value"])


def confirm(c: Any, period_id: int, token: str) -> Any:
    url = f"/periods/{period_id}/import/books/confirm"
    return c.form(url, {"token": token}, follow_redirects=False)


def count_lines(db: Session, period_id: int) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).where(ActivityLine.period_id == period_id)) or 0


def zipped(*paths: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            archive.write(path, path.name)
    return buffer.getvalue()


def in_french(c: Any) -> Any:
    c.form("/lang", {"lang": "fr", "next": "/companies"})
    c.refresh_csrf("/companies")
    return c


# --- The hotel's FEC -------------------------------------------------------------------------


def test_the_hotel_fec_previews_then_stores_the_hand_computed_footprint(
    as_user: Any, world: World, period_2025: ReportingPeriod, db_session: Session,
    import_dir: Path, app: FastAPI,
) -> None:  # fmt: skip
    c = as_user("alice")
    period_page = soup(c.get(f"/periods/{period_2025.id}"))
    assert period_page.select_one("#import-books-link")["href"] == (
        f"/periods/{period_2025.id}/import/books"
    )
    r = upload(c, period_2025.id, HOTEL.read_bytes(), HOTEL.name)
    assert r.status_code == 200, r.text
    page = soup(r)
    rows = page.select("#import-rows tbody tr")
    assert len(rows) == 8
    # Every line names its rule's layer; the poste carries its name on hover.
    assert {tr.select("td")[-1].get_text(strip=True) for tr in rows} == {"default rule"}
    assert all(tr.select_one("abbr[title]") for tr in rows)
    # The same hand computation as the CLI test (tests/db/test_fec_import.py), in kgCO2e per k€:
    # food (28.35 + 7.2) × 900 = 31,995; telecom 1.02 × 150 = 153; bank 0.42 × 100 = 42;
    # fees 3.6 × 110 = 396; insurance 3.2 × 100 = 320; maintenance 1.8 × 250 = 450;
    # IT equipment 2.5 × 600 = 1,500; total 34,856 kg, shown 34,856.0 kg.
    assert page.select_one("#import-total").get_text(strip=True) == f"34,856.0{NBSP}kg CO₂e"
    # Biggest first: food from Metro Grenoble, 28.35 k€ × 900 = 25,515 kg, is 25,515 / 34,856
    # = 73.2 % of the file; the bank's 0.42 k€ × 100 = 42 kg (0.1 %) comes last.
    first, last = (tr.select("td") for tr in (rows[0], rows[-1]))
    assert [first[1].get_text(strip=True), first[7].get_text(strip=True)] == [
        "Metro Grenoble",
        "73.2%",
    ]
    assert [last[0].get_text(strip=True)[:3], last[6].get_text(strip=True)] == [
        "627",
        f"42.0{NBSP}kg CO₂e",
    ]
    # 48.09 k€ HT, as the CLI's preview says ("8 spend line(s), 48.09 k€ HT").
    assert page.select_one("#import-total-eur").get_text(strip=True) == f"48,090.00{NBSP}€"
    # Taxes (635), salaries (641, 645), depreciation (6811) and the stock variation (6037) are
    # listed as excluded, with their amounts.
    excluded = {tr["data-account"] for tr in page.select("#import-excluded tbody tr")}
    assert {"6037", "635", "641", "645", "6811"} <= excluded
    assert "6081" in {tr["data-account"] for tr in page.select("#import-unmapped tbody tr")}
    assert page.select("#import-physical tbody tr")  # energy 6061: physical data wanted
    assert page.select_one("#import-errors") is None
    assert count_lines(db_session, period_2025.id) == 0  # a preview stores nothing
    assert len(list(import_dir.glob("*.upload"))) == 1

    r = confirm(c, period_2025.id, token_of(r))
    assert r.status_code == 303 and r.headers["location"] == f"/periods/{period_2025.id}"
    assert "8 lines imported from 123456782FEC20251231.txt." in c.get(r.headers["location"]).text
    assert count_lines(db_session, period_2025.id) == 8
    assert list(import_dir.glob("*.upload")) == []
    # The year's page names each spend line's factor; no bare identifier is shown.
    workspace = soup(c.get(f"/periods/{period_2025.id}")).select_one("#workspace")
    shown = workspace.get_text(" ", strip=True)
    assert "Food and beverages (monetary ratio)" in shown
    assert "bundled:money-" not in shown
    result = compute_period(db_session, period_2025)
    assert result.by_poste["4.1"] == pytest.approx(31_995)
    assert result.by_poste["4.5"] == pytest.approx(153 + 42 + 396 + 320 + 450)
    assert result.by_poste["4.2"] == pytest.approx(1_500)
    assert result.total_kgco2e == pytest.approx(34_856)
    stored = db_session.scalars(
        select(ActivityLine).where(ActivityLine.period_id == period_2025.id)
    ).all()
    assert {(ln.data_quality, ln.unit, ln.created_by_id) for ln in stored} == {
        ("estimated", "k€", world.alice.id)
    }
    audits = db_session.scalars(select(AuditLog).where(AuditLog.action == "import")).all()
    assert len(audits) == 8 and {a.actor_user_id for a in audits} == {world.alice.id}


def test_the_same_file_twice_changes_nothing_and_says_so(
    as_user: Any, world: World, period_2025: ReportingPeriod, db_session: Session
) -> None:
    c = as_user("alice")
    first = token_of(upload(c, period_2025.id, HOTEL.read_bytes(), HOTEL.name))
    second = token_of(upload(c, period_2025.id, HOTEL.read_bytes(), HOTEL.name))
    assert confirm(c, period_2025.id, first).status_code == 303
    r = confirm(c, period_2025.id, second)  # previewed before the first was stored
    assert r.status_code == 303
    assert (
        "already imported into this period: nothing changed"
        in c.get(f"/periods/{period_2025.id}").text
    )
    assert count_lines(db_session, period_2025.id) == 8
    # A third preview says so at once and offers nothing to confirm.
    page = soup(upload(c, period_2025.id, HOTEL.read_bytes(), HOTEL.name))
    assert page.select_one("#import-already") is not None
    assert page.select_one("form.import-confirm") is None
    # A preview's token is taken by its confirm: a double click stores nothing more.
    assert confirm(c, period_2025.id, first).status_code == 410
    assert count_lines(db_session, period_2025.id) == 8


def test_physical_data_keeps_the_overlapping_spend_out(
    as_user: Any, world: World, period_2025: ReportingPeriod, db_session: Session
) -> None:
    f.make_line(db_session, period_2025, activity_id="meals-average", poste="4.1",
                factor_id="bundled:meal-average", quantity=1000, unit="repas")  # fmt: skip
    db_session.flush()
    page = soup(upload(as_user("alice"), period_2025.id, HOTEL.read_bytes(), HOTEL.name))
    left_out = page.select("#import-overlapping tbody tr")
    assert {tr["data-account"] for tr in left_out} == {"607"}
    assert len(left_out) == 2  # the two food suppliers
    assert "same need" in left_out[0].get_text()
    assert len(page.select("#import-rows tbody tr")) == 6
    # 34,856 less the food's 31,995 = 2,861 kg.
    assert page.select_one("#import-total").get_text(strip=True) == f"2,861.0{NBSP}kg CO₂e"


def test_a_company_rule_maps_the_account_and_says_whose(
    as_user: Any, world: World, period_2025: ReportingPeriod, db_session: Session
) -> None:
    # The company maps 6081 (unmapped by default) to the fees' ratio.
    rule = MappingRule(company_id=world.company_a.id, prefix="6081", treatment="spend",
                       poste="4.5", factor_id="bundled:money-services-intellectual")  # fmt: skip
    db_session.add(rule)
    db_session.flush()
    page = soup(upload(as_user("alice"), period_2025.id, HOTEL.read_bytes(), HOTEL.name))
    rows = {tr["data-account"]: tr for tr in page.select("#import-rows tbody tr")}
    assert rows["6081"].select("td")[-1].get_text(strip=True) == "company rule"
    assert page.select_one("#import-unmapped") is None


def test_a_rule_whose_factor_is_not_in_the_years_library_refuses_the_file(
    as_user: Any, world: World, period_2025: ReportingPeriod, db_session: Session
) -> None:
    # Rules are checked against the default library when saved; the year may pin another one.
    rule = MappingRule(company_id=world.company_a.id, prefix="6081", treatment="spend",
                       poste="4.5", factor_id="bundled:no-such-ratio")  # fmt: skip
    db_session.add(rule)
    db_session.flush()
    r = upload(as_user("alice"), period_2025.id, HOTEL.read_bytes(), HOTEL.name)
    assert r.status_code == 422
    text = soup(r).select_one("#import-errors").get_text()
    assert "6081" in text and "not in this year's factor library: map the account" in text
    assert soup(r).select_one("form.import-confirm") is None


def test_the_preview_reads_in_french(
    as_user: Any, world: World, period_2025: ReportingPeriod
) -> None:
    c = in_french(as_user("alice"))
    page = soup(c.get(f"/periods/{period_2025.id}/import/books"))
    assert "32 Mo" in page.select_one("#books-file-hint").get_text()
    page = soup(upload(c, period_2025.id, HOTEL.read_bytes(), HOTEL.name))
    assert page.select_one("#import-total").get_text(strip=True) == (f"34{NNBSP}856,0{NBSP}kg CO₂e")
    assert "règle par défaut" in page.select_one("#import-rows tbody tr").get_text()
    # The shipped rules' hints are in French for a French reader (pcg_rules.csv), never English.
    travel = page.select_one('#import-physical tr[data-account="6251"]').get_text(" ", strip=True)
    assert "kilomètres par mode (voiture" in travel and "kilometres by mode" not in travel
    # Each price note once, with its count: the 8 spend lines' ratios state no price year.
    prices = page.select_one("#import-prices").get_text(" ", strip=True)
    assert "non déflatée" in prices and "(8 lignes)" in prices
    staff = page.select_one('#import-excluded tr[data-account="641"]').get_text(" ", strip=True)
    assert "Pas d'émissions propres (64, règle par défaut)" in staff
    # Company A's SIREN is not the file's: said, in French, and the import may go ahead.
    warning = page.select_one(".import-warning").get_text(strip=True)
    assert warning.startswith("Le fichier est nommé pour le SIREN 123456782")
    assert page.select_one("form.import-confirm") is not None


# --- Refused files ---------------------------------------------------------------------------


def test_a_broken_fec_lists_its_problems_by_line_and_column(
    as_user: Any, world: World, period_2025: ReportingPeriod, db_session: Session
) -> None:
    broken = HOTEL.read_bytes().replace(b"|2640,00|", b"|2640.00.0|", 1)
    line = broken[: broken.index(b"2640.00.0")].count(b"\n") + 1
    c = in_french(as_user("alice"))
    r = upload(c, period_2025.id, broken, HOTEL.name)
    assert r.status_code == 422
    page = soup(r)
    cells = [td.get_text(strip=True) for td in page.select("#import-errors tbody tr")[0]("td")]
    assert cells[:2] == [str(line), "Credit"]
    assert cells[2] == (
        "'2640.00.0' n'est pas un montant (virgule décimale, sans séparateur de milliers)"
    )
    assert page.select_one("form.import-confirm") is None
    assert count_lines(db_session, period_2025.id) == 0


def test_an_amount_past_any_ledger_line_is_refused_in_the_readers_language(
    as_user: Any, world: World, period_2025: ReportingPeriod
) -> None:
    data = HOTEL.read_bytes().replace(b"|2640,00|", b"|2640000000000000,00|", 1)
    page = soup(upload(in_french(as_user("alice")), period_2025.id, data, HOTEL.name))
    cells = [td.get_text(strip=True) for td in page.select("#import-errors tbody tr")[0]("td")]
    assert cells[1:] == [
        "Credit",
        "'2640000000000000,00' dépasse ce qu'une ligne d'écriture peut valoir "
        "(mille milliards d'euros)",
    ]


def test_a_wrong_header_names_the_column(
    as_user: Any, world: World, period_2025: ReportingPeriod
) -> None:
    data = HOTEL.read_bytes().replace(b"CompteNum", b"Compte", 1)
    page = soup(upload(as_user("alice"), period_2025.id, data, HOTEL.name))
    cells = [td.get_text(strip=True) for td in page.select("#import-errors tbody tr")[0]("td")]
    assert cells == ["1", "column 5", "Expected 'CompteNum', found 'Compte'"]


@pytest.mark.parametrize(("name", "data", "code"), [
    ("facture.xml.p7m", b"0\x82\x01", "p7m"),
    ("grand-livre.xlsx", b"PK\x03\x04", "unsupported_format"),
    ("grand-livre", b"x", "unsupported_format"),
])  # fmt: skip
def test_other_files_are_refused_clearly(
    as_user: Any, world: World, period_2025: ReportingPeriod, name: str, data: bytes, code: str
) -> None:
    r = upload(as_user("alice"), period_2025.id, data, name)
    assert r.status_code == 422
    refusal = soup(r).select_one("#import-refusal")
    assert refusal["data-code"] == code
    if code == "p7m":
        assert "extract the XML invoice" in refusal.get_text()


def test_a_p7m_inside_a_zip_is_refused_with_its_name(
    as_user: Any, world: World, period_it: ReportingPeriod
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("IT01234567890_00009.xml.p7m", b"0\x82\x01\x00")
    r = upload(as_user("bob"), period_it.id, buffer.getvalue(), "fatture.zip")
    assert r.status_code == 422
    text = soup(r).select_one("#import-errors").get_text()
    assert "fatture.zip/IT01234567890_00009.xml.p7m" in text and "p7m" in text


def test_a_file_over_the_limit_is_refused(
    app: FastAPI, as_user: Any, world: World, period_2025: ReportingPeriod
) -> None:
    app.state.settings.max_books_upload_bytes = 4096
    c = as_user("alice")
    r = upload(c, period_2025.id, HOTEL.read_bytes(), HOTEL.name)
    assert r.status_code == 413
    assert soup(r).select_one("#import-refusal")["data-code"] == "file_too_large"
    assert "MB limit" in r.text
    r = upload(c, period_2025.id, HOTEL.read_bytes(), HOTEL.name, htmx=True)
    assert r.status_code == 422  # htmx swaps the refusal in place


def test_a_ledger_over_the_forms_limit_reaches_the_reader(
    app: FastAPI, as_user: Any, world: World, period_2025: ReportingPeriod
) -> None:
    # Forms are bounded to 1 MiB before any route runs; the books' upload path has its own bound
    # (Settings.max_books_upload_bytes), so a 2 MiB ledger is read: here refused by the reader
    # for its content, not by its size.
    assert request_size_limit(app.state.settings, f"/periods/{period_2025.id}/import/books") == (
        app.state.settings.max_books_upload_bytes + FORM_SLACK
    )
    header = HOTEL.read_bytes().split(b"\n", 1)[0] + b"\n"
    data = header + b"x" * (2 * 1024 * 1024)
    r = upload(as_user("alice"), period_2025.id, data, HOTEL.name)
    assert r.status_code == 422
    assert soup(r).select_one("#import-errors") is not None


# --- FatturaPA -------------------------------------------------------------------------------


def test_two_invoices_in_a_zip_import_as_expected(
    as_user: Any, world: World, period_it: ReportingPeriod, db_session: Session
) -> None:
    c = as_user("bob")
    r = upload(c, period_it.id, zipped(ELECTRICITY, SERVICES), "fatture-2025.zip")
    assert r.status_code == 200, r.text
    page = soup(r)
    rows = page.select("#import-rows tbody tr")
    assert len(rows) == 2
    assert {tr.select("td")[-1].get_text(strip=True) for tr in rows} == {"invoice rule"}
    assert confirm(c, period_it.id, token_of(r)).status_code == 303
    assert count_lines(db_session, period_it.id) == 2
    factors = library_for(db_session, period_it.library_version_id).factors
    grid_it = float(factors.set_index("factor_id").loc["bundled:elec-it-2022", "total_kgco2e"])
    result = compute_period(db_session, period_it)
    # As tests/db/test_invoice_import.py: 7,000 kWh × the Italian grid factor in 2.1;
    # 2.4 k€ of services × 110 kgCO2e/k€ = 264 kg in 4.5.
    assert result.by_poste["2.1"] == pytest.approx(7000 * grid_it)
    assert result.by_poste["4.5"] == pytest.approx(264.0)
    stored = db_session.scalars(
        select(ActivityLine).where(
            ActivityLine.period_id == period_it.id, ActivityLine.unit == "kWh"
        )
    ).one()
    assert stored.quantity == pytest.approx(7000) and stored.data_quality == "measured"


def test_one_invoice_alone_is_read(as_user: Any, world: World, period_it: ReportingPeriod) -> None:
    r = upload(as_user("bob"), period_it.id, SERVICES.read_bytes(), SERVICES.name)
    assert r.status_code == 200, r.text
    rows = soup(r).select("#import-rows tbody tr")
    # 2,400.00 € excluding VAT on the services' ratio: 2.4 k€ × 110 = 264.0 kg.
    assert [tr.select("td")[2].get_text(strip=True) for tr in rows] == [f"2,400.00{NBSP}€"]
    assert [tr.select("td")[6].get_text(strip=True) for tr in rows] == [f"264.0{NBSP}kg CO₂e"]


def test_invoices_of_another_year_are_left_out_and_nothing_is_offered(
    as_user: Any, world: World, db_session: Session
) -> None:
    period = f.make_period(db_session, world.company_b, world.library, year=2026)
    db_session.flush()
    r = upload(as_user("bob"), period.id, SERVICES.read_bytes(), SERVICES.name)
    assert r.status_code == 200
    page = soup(r)
    # The services invoice is dated 2025 and has two lines.
    assert page.select_one("#import-outside").get_text(strip=True) == (
        "2 invoice lines are dated outside 2026: left out."
    )
    assert page.select_one("#import-nothing") is not None
    assert page.select_one("form.import-confirm") is None


def test_an_invoice_amount_past_what_a_line_can_hold_is_refused(
    as_user: Any, world: World, period_it: ReportingPeriod, db_session: Session
) -> None:
    # 2,400.00 € of services becomes 10^400 €: a float's infinity once read.
    data = SERVICES.read_bytes().replace(
        b"<PrezzoTotale>2400.00<", b"<PrezzoTotale>1" + b"0" * 400 + b".00<"
    )
    r = upload(as_user("bob"), period_it.id, data, SERVICES.name)
    assert r.status_code == 422
    assert "beyond what a line can hold" in soup(r).select_one("#import-errors").get_text()
    assert count_lines(db_session, period_it.id) == 0


def test_a_broken_invoice_is_refused_with_its_name(
    as_user: Any, world: World, period_it: ReportingPeriod
) -> None:
    r = upload(as_user("bob"), period_it.id, b"<FatturaElettronica><oops", "bad.xml")
    assert r.status_code == 422
    assert "bad.xml: not a readable XML invoice" in soup(r).select_one("#import-errors").get_text()


# --- Who may import --------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [
    ("alice", 200), ("bob", 404), ("carol", 403), ("dave", 404), ("admin", 200),
])  # fmt: skip
def test_who_may_upload(
    as_user: Any, world: World, period_2025: ReportingPeriod, db_session: Session,
    persona: str, status: int,
) -> None:  # fmt: skip
    c = as_user(persona)
    assert c.get(f"/periods/{period_2025.id}/import/books").status_code == status
    r = upload(c, period_2025.id, HOTEL.read_bytes(), HOTEL.name)
    assert r.status_code == status
    assert (soup(r).select_one("form.import-confirm") is not None) == (status == 200)
    if status != 200:
        assert "Alpha Remontées" not in r.text


def test_another_persona_cannot_confirm_a_preview(
    as_user: Any, world: World, period_2025: ReportingPeriod, db_session: Session
) -> None:
    token = token_of(upload(as_user("alice"), period_2025.id, HOTEL.read_bytes(), HOTEL.name))
    assert confirm(as_user("carol"), period_2025.id, token).status_code == 403
    assert confirm(as_user("bob"), period_2025.id, token).status_code == 404
    assert confirm(as_user("admin"), period_2025.id, token).status_code == 410  # not its session
    assert count_lines(db_session, period_2025.id) == 0


def test_a_submitted_year_refuses_the_import(
    as_user: Any, world: World, period_2025: ReportingPeriod, db_session: Session
) -> None:
    c = as_user("alice")
    token = token_of(upload(c, period_2025.id, HOTEL.read_bytes(), HOTEL.name))
    period_2025.status = "submitted"
    db_session.flush()
    assert c.get(f"/periods/{period_2025.id}/import/books").status_code == 403
    assert upload(c, period_2025.id, HOTEL.read_bytes(), HOTEL.name).status_code == 403
    assert confirm(c, period_2025.id, token).status_code == 403
    assert count_lines(db_session, period_2025.id) == 0


def test_a_spreadsheet_preview_token_is_not_a_books_token(
    as_user: Any, world: World, period_2025: ReportingPeriod, db_session: Session
) -> None:
    c = as_user("alice")
    sheet = (
        "Activité;Quantité;Unité\r\n"
        "Électricité des bâtiments (bureaux, ateliers, hôtels);10;kWh\r\n"
    )
    r = c.post(f"/periods/{period_2025.id}/import", data={"csrf_token": c.csrf},
               files={"file": ("conso.csv", sheet.encode(), "text/csv")})  # fmt: skip
    assert confirm(c, period_2025.id, token_of(r)).status_code == 410
    assert count_lines(db_session, period_2025.id) == 0


def test_posts_without_csrf_token_are_refused(
    as_user: Any, world: World, period_2025: ReportingPeriod
) -> None:
    c = as_user("alice")
    files = {"file": (HOTEL.name, HOTEL.read_bytes(), "text/plain")}
    assert c.post(f"/periods/{period_2025.id}/import/books", files=files).status_code == 403
    r = c.post(f"/periods/{period_2025.id}/import/books/confirm", data={"token": "x" * 43})
    assert r.status_code == 403
