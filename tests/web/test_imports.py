"""Spreadsheet import pages: upload, preview, confirm; refusals; templates; who may import."""

from __future__ import annotations

import io
import json
import re
from base64 import b64decode
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from itsdangerous import TimestampSigner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from carbon.db.activity_lines import LineInputError, PeriodReadOnly, add_lines
from carbon.db.models import ActivityLine, AuditLog, Site
from carbon.i18n import use_locale
from carbon.imports.spreadsheet import MESSAGES as ENGLISH
from carbon.imports.spreadsheet import TEMPLATE_HEADERS, ImportIssue
from carbon.web.routes.imports import MESSAGES, decimals, issue_text
from carbon.web.security import SESSION_COOKIE

from .conftest import World

NNBSP, NBSP = "\u202f", "\u00a0"  # babel's French group separator; before a unit
# Row 2: 1,234.5 L of groomer diesel at the Vars site, from an invoice; row 3: 10,000 kWh of
# building electricity from the meter; the last column is not one of ours (a warning).
GOOD_FR = (
    "Activité;Quantité;Unité;Site;Qualité;Commentaire;Référence;Divers\r\n"
    "Gazole des dameuses (GNR);1 234,5;litre;Vars;facture;Cuves de janvier;FAC-1;x\r\n"
    "Électricité des bâtiments (bureaux, ateliers, hôtels);10 000;kWh;;compteur;Relevé;EDF-1;\r\n"
).encode()
# The same file with a quantity that is not a number on row 3.
BAD_FR = GOOD_FR.replace(b";10 000;", b";beaucoup;")


def soup(r: Any) -> BeautifulSoup:
    return BeautifulSoup(r.text, "html.parser")


@pytest.fixture(autouse=True)
def import_dir(app: FastAPI, tmp_path: Path) -> Path:
    """Kept uploads go to the test's own folder, not to data/imports."""
    app.state.import_dir = tmp_path
    return tmp_path


def upload(c: Any, period_id: int, data: bytes, name: str = "conso.csv", htmx: bool = False) -> Any:
    files = {"file": (name, data, "text/csv")}
    if htmx:
        return c.htmx("POST", f"/periods/{period_id}/import", files=files)
    return c.post(f"/periods/{period_id}/import", data={"csrf_token": c.csrf}, files=files)


def count_lines(db: Session, period_id: int) -> int:
    return db.scalar(select(func.count()).where(ActivityLine.period_id == period_id)) or 0


def in_french(c: Any) -> Any:
    c.form("/lang", {"lang": "fr", "next": "/companies"})
    c.refresh_csrf("/companies")
    return c


def session_of(c: Any, app: FastAPI) -> dict[str, Any]:
    """The signed session cookie's content, as Starlette's SessionMiddleware wrote it."""
    signer = TimestampSigner(app.state.settings.secret_key)
    return dict(json.loads(b64decode(signer.unsign(c.cookies[SESSION_COOKIE]))))


def token_of(r: Any) -> str:
    field = soup(r).select_one("form.import-confirm input[name=token]")
    assert field is not None, "no confirm form"
    return str(field["value"])


# --- Access ----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client: Any, world: World) -> None:
    r = client.get(f"/periods/{world.period_a.id}/import", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/login?next=/periods/{world.period_a.id}/import"


@pytest.mark.parametrize(("persona", "status"), [
    ("alice", 200), ("bob", 404), ("carol", 403), ("dave", 404), ("admin", 200),
])  # fmt: skip
def test_import_page_access(as_user: Any, world: World, persona: str, status: int) -> None:
    r = as_user(persona).get(f"/periods/{world.period_a.id}/import")
    assert r.status_code == status
    if status != 200:
        assert "Alpha Remontées" not in r.text
        assert soup(r).select_one("#import-form") is None


@pytest.mark.parametrize(("persona", "status"), [
    ("alice", 200), ("bob", 404), ("carol", 403), ("dave", 404), ("admin", 200),
])  # fmt: skip
def test_who_may_upload(
    as_user: Any, world: World, db_session: Session, persona: str, status: int
) -> None:
    r = upload(as_user(persona), world.period_a.id, GOOD_FR)
    assert r.status_code == status
    assert (soup(r).select_one("form.import-confirm") is not None) == (status == 200)
    assert count_lines(db_session, world.period_a.id) == 2  # a preview stores nothing


def test_coach_cannot_confirm(as_user: Any, world: World, db_session: Session) -> None:
    token = token_of(upload(as_user("alice"), world.period_a.id, GOOD_FR))
    r = as_user("carol").form(f"/periods/{world.period_a.id}/import/confirm", {"token": token})
    assert r.status_code == 403
    assert count_lines(db_session, world.period_a.id) == 2


def test_submitted_period_refuses_imports(as_user: Any, world: World, db_session: Session) -> None:
    c = as_user("alice")
    token = token_of(upload(c, world.period_a.id, GOOD_FR))
    c.form(f"/periods/{world.period_a.id}/submit", {"confirm": "yes"})
    assert c.get(f"/periods/{world.period_a.id}/import").status_code == 403
    r = upload(c, world.period_a.id, GOOD_FR)
    assert r.status_code == 403
    assert "read-only" in r.text
    r = c.form(f"/periods/{world.period_a.id}/import/confirm", {"token": token})
    assert r.status_code == 403
    assert count_lines(db_session, world.period_a.id) == 2


def test_posts_without_csrf_token_are_refused(as_user: Any, world: World) -> None:
    c = as_user("alice")
    files = {"file": ("conso.csv", GOOD_FR, "text/csv")}
    assert c.post(f"/periods/{world.period_a.id}/import", files=files).status_code == 403
    r = c.post(f"/periods/{world.period_a.id}/import/confirm", data={"token": "x" * 43})
    assert r.status_code == 403


# --- Preview and confirm ---------------------------------------------------------------------


def test_good_french_file_preview_then_confirm(
    as_user: Any, world: World, db_session: Session, import_dir: Path, app: FastAPI
) -> None:
    c = in_french(as_user("alice"))
    page = soup(c.get(f"/periods/{world.period_a.id}/import"))
    assert "5 Mo" in page.select_one("#import-file-hint").get_text()  # Settings' default, in French
    r = upload(c, world.period_a.id, GOOD_FR)
    assert r.status_code == 200, r.text
    page = soup(r)
    cells = [[td.get_text(strip=True) for td in tr.select("td")]
             for tr in page.select("#import-rows tbody tr")]  # fmt: skip
    # Groomers burn off-road diesel: 1 234,5 L × 3,17 kg/L (bundled:diesel-offroad-fr)
    # = 3 913,365 kg, shown 3 913,4;
    # 10 000 kWh × 0,052 kg/kWh (French grid, the company's country) = 520,0 kg.
    assert cells == [
        ["2", "Gazole des dameuses (GNR)", "1.2", f"1{NNBSP}234,5", "litre", "Vars",
         "mesurée (facture, compteur)", f"3{NNBSP}913,4{NBSP}kg CO₂e"],
        ["3", "Électricité des bâtiments (bureaux, ateliers, hôtels)", "2.1",
         f"10{NNBSP}000", "kWh", "—", "mesurée (facture, compteur)", f"520,0{NBSP}kg CO₂e"],
    ]  # fmt: skip
    # 3 913,365 + 520 = 4 433,365 kg, shown 4 433,4 kg and 4,43 t.
    assert page.select_one("#import-total").get_text(strip=True) == f"4{NNBSP}433,4{NBSP}kg CO₂e"
    assert f"4,43{NBSP}t CO₂e" in page.select_one("form.import-confirm").get_text()
    warning = page.select_one("#import-warnings tbody tr")
    assert warning["data-code"] == "unknown_column"
    assert [td.get_text(strip=True) for td in warning.select("td")][:2] == ["1", "Divers"]
    assert page.select_one("#import-errors") is None
    assert len(list(import_dir.glob("*.upload"))) == 1  # kept server-side for the confirm

    token = token_of(r)
    r = c.form(
        f"/periods/{world.period_a.id}/import/confirm", {"token": token}, follow_redirects=False
    )
    assert r.status_code == 303
    assert r.headers["location"] == f"/periods/{world.period_a.id}"
    assert session_of(c, app)["flash"] == "2 lignes importées."  # shown by the period page
    lines = db_session.scalars(
        select(ActivityLine)
        .where(ActivityLine.period_id == world.period_a.id, ActivityLine.evidence_ref.is_not(None))
        .order_by(ActivityLine.id)
    ).all()
    vars_site = db_session.scalars(select(Site).where(Site.name == "Vars")).one()
    assert [(ln.activity_id, ln.poste, ln.factor_id, ln.quantity, ln.unit, ln.site_id,
             ln.data_quality, ln.comment, ln.evidence_ref, ln.created_by_id) for ln in lines] == [
        ("groomer-diesel", "1.2", "bundled:diesel-offroad-fr", 1234.5, "litre", vars_site.id,
         "measured", "Cuves de janvier", "FAC-1", world.alice.id),
        ("electricity-buildings", "2.1", "bundled:elec-fr-2022", 10000.0, "kWh", None,
         "measured", "Relevé", "EDF-1", world.alice.id),
    ]  # fmt: skip
    audits = db_session.scalars(
        select(AuditLog).where(AuditLog.action == "import").order_by(AuditLog.id)
    ).all()
    assert [(a.entity, a.entity_id, a.actor_user_id, a.company_id) for a in audits] == [
        ("activity_line", str(ln.id), world.alice.id, world.company_a.id) for ln in lines
    ]
    assert audits[0].before is None and audits[0].after["quantity"] == 1234.5
    assert list(import_dir.glob("*.upload")) == []  # consumed
    # 520 + 3 100 (the two lines already there) + 4 433,365 = 8 053,365 kg = 8,1 t.
    period = soup(c.get(f"/periods/{world.period_a.id}"))
    assert period.select_one("#total-value").get_text(strip=True) == f"8,1{NBSP}t CO₂e"

    # The same preview cannot be confirmed twice.
    r = c.form(f"/periods/{world.period_a.id}/import/confirm", {"token": token})
    assert r.status_code == 410
    assert count_lines(db_session, world.period_a.id) == 4


def test_bad_row_is_located_and_nothing_can_be_confirmed(
    as_user: Any, world: World, db_session: Session, import_dir: Path
) -> None:
    c = as_user("alice")
    r = upload(c, world.period_a.id, BAD_FR)
    assert r.status_code == 422
    page = soup(r)
    rows = page.select("#import-errors tbody tr")
    assert len(rows) == 1
    assert rows[0]["data-code"] == "number_invalid"
    # Row 3 of the sheet, under the header as the user wrote it.
    row, column, message = (td.get_text(strip=True) for td in rows[0].select("td"))
    assert (row, column) == ("3", "Quantité")
    assert message == "Quantity: 'beaucoup' is not a number; write it like 1 234,5."
    assert "1 problem must be fixed" in page.select_one("#import-error-count").get_text()
    assert page.select_one("form.import-confirm") is None
    assert list(import_dir.glob("*.upload")) == []
    assert count_lines(db_session, world.period_a.id) == 2


def test_htmx_upload_answers_with_the_preview_block(as_user: Any, world: World) -> None:
    r = upload(as_user("alice"), world.period_a.id, GOOD_FR, htmx=True)
    assert r.status_code == 200
    assert "<html" not in r.text
    page = soup(r)
    assert page.select_one("#import-preview") is not None
    assert page.select_one("#import-form") is None
    assert len(page.select("#import-rows tbody tr")) == 2


def test_unreadable_file_is_refused_with_its_reason(as_user: Any, world: World) -> None:
    r = upload(as_user("alice"), world.period_a.id, b"%PDF-1.4 ...", name="facture.pdf")
    assert r.status_code == 422
    refusal = soup(r).select_one("#import-refusal")
    assert refusal["data-code"] == "unsupported_format"
    assert "'.pdf' cannot be imported" in refusal.get_text()


def test_oversized_upload_is_refused(as_user: Any, world: World, app: FastAPI) -> None:
    settings = app.state.settings
    app.state.settings = settings.model_copy(update={"max_upload_bytes": 1000})
    c = as_user("alice")
    big = GOOD_FR + b"Gazole des dameuses (GNR);1;litre;;facture;;;\r\n" * 30  # > 1000 bytes
    r = upload(c, world.period_a.id, big)
    assert r.status_code == 413
    text = soup(r).select_one("#import-refusal").get_text()
    assert "larger than the 0.000954 MB limit" in text
    assert "Traceback" not in r.text
    # htmx swaps only 422 fragments (base.html): the same message, in place.
    r = upload(c, world.period_a.id, big, htmx=True)
    assert r.status_code == 422
    assert "larger than" in soup(r).select_one("#import-refusal").get_text()
    # A body far over the limit is refused from its Content-Length, before it is parsed.
    r = c.htmx("POST", f"/periods/{world.period_a.id}/import",
               files={"file": ("huge.csv", b"x" * 40_000, "text/csv")})  # fmt: skip
    assert r.status_code == 422
    assert soup(r).select_one("#import-refusal")["data-code"] == "too_large"
    app.state.settings = settings


def test_confirm_needs_the_same_session(as_user: Any, world: World, db_session: Session) -> None:
    token = token_of(upload(as_user("alice"), world.period_a.id, GOOD_FR))
    for other in (as_user("alice"), as_user("admin")):  # another sign-in, another user
        r = other.form(f"/periods/{world.period_a.id}/import/confirm", {"token": token})
        assert r.status_code == 410
        assert soup(r).select_one("#import-refusal")["data-code"] == "expired"
    r = as_user("alice").form(
        f"/periods/{world.period_a.id}/import/confirm", {"token": "../../etc/passwd"}
    )
    assert r.status_code == 410
    assert count_lines(db_session, world.period_a.id) == 2


def test_htmx_confirm_redirects_and_cannot_be_repeated(
    as_user: Any, world: World, db_session: Session
) -> None:
    c = as_user("alice")
    token = token_of(upload(c, world.period_a.id, GOOD_FR, htmx=True))
    url = f"/periods/{world.period_a.id}/import/confirm"
    r = c.htmx("POST", url, data={"token": token})
    assert r.status_code == 204
    assert r.headers["HX-Redirect"] == f"/periods/{world.period_a.id}"
    # A double click: the second confirm finds the preview taken, swapped in place as a 422.
    r = c.htmx("POST", url, data={"token": token})
    assert r.status_code == 422
    assert soup(r).select_one("#import-refusal")["data-code"] == "expired"
    assert count_lines(db_session, world.period_a.id) == 4


def test_confirm_validates_again(as_user: Any, world: World, db_session: Session) -> None:
    c = as_user("alice")
    token = token_of(upload(c, world.period_a.id, GOOD_FR))
    site = db_session.scalars(select(Site).where(Site.name == "Vars")).one()
    site.name = "Vars 2000"  # renamed between the preview and the confirm
    db_session.flush()
    r = c.form(f"/periods/{world.period_a.id}/import/confirm", {"token": token})
    assert r.status_code == 422
    assert soup(r).select_one("#import-errors tbody tr")["data-code"] == "site_unknown"
    assert count_lines(db_session, world.period_a.id) == 2


# --- Templates -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "it", "en"])
def test_template_downloads(as_user: Any, world: World, lang: str) -> None:
    c = as_user("alice")
    r = c.get(f"/import/template.csv?lang={lang}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert f'filename="carbon-import-{lang}.csv"' in r.headers["content-disposition"]
    header = r.content.decode("utf-8-sig").splitlines()[0]
    separator = "," if lang == "en" else ";"  # as the user's own Excel writes CSV
    assert header == separator.join(TEMPLATE_HEADERS[lang].values())
    r = c.get(f"/import/template.xlsx?lang={lang}")
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True).worksheets[0]
    first = next(sheet.iter_rows(max_row=1, values_only=True))
    assert list(first) == list(TEMPLATE_HEADERS[lang].values())


def test_template_defaults_to_the_readers_language(as_user: Any, world: World) -> None:
    c = as_user("alice")  # alice reads English
    assert c.get("/import/template.csv").content.decode("utf-8-sig").startswith("Activity,")
    in_french(c)
    assert c.get("/import/template.csv").content.decode("utf-8-sig").startswith("Activité;")
    assert c.get("/import/template.ods").status_code == 404


# --- Messages and storage --------------------------------------------------------------------


def test_every_import_message_is_translatable_with_the_same_parameters() -> None:
    def params(text: str, pattern: str) -> set[str]:
        return set(re.findall(pattern, text))

    assert set(ENGLISH) - set(MESSAGES) == {"line_invalid"}  # its text comes from the engine
    for code, template in MESSAGES.items():
        assert params(template, r"%\((\w+)\)s") == params(ENGLISH[code], r"\{(\w+)\}"), code
        assert template.replace("%(", "{").replace(")s", "}") == ENGLISH[code], code


def test_issue_text_reads_like_the_english_message_with_suggestions() -> None:
    issue = ImportIssue.make(
        "activity_unknown", 2, "Activité", value="gazol", suggestions=["Gazole des dameuses (GNR)"]
    )
    with use_locale("en"):
        assert (
            issue_text(issue)
            == "Unknown activity 'gazol' (did you mean: Gazole des dameuses (GNR)?)"
        )
        assert issue_text(issue) == issue.message[:1].upper() + issue.message[1:]


def test_decimals_shows_quantities_as_typed() -> None:
    assert [decimals(v) for v in (48250.0, 1234.5, 2.25, 0.125, 1 / 3)] == [0, 1, 2, 3, 3]


def test_add_lines_is_all_or_nothing(world: World, db_session: Session) -> None:
    row = {"activity_id": "groomer-diesel", "poste": "1.2", "factor_id": "bundled:diesel-b7-fr",
           "quantity": 10.0, "unit": "litre", "data_quality": "measured", "row": 2}  # fmt: skip
    # The second row names a site that is not the company's: neither row is stored.
    with pytest.raises(LineInputError):
        add_lines(db_session, world.alice.id, world.period_a, [row, {**row, "site_id": -1}])
    assert count_lines(db_session, world.period_a.id) == 2
    world.period_a.status = "submitted"
    with pytest.raises(PeriodReadOnly):
        add_lines(db_session, world.alice.id, world.period_a, [row])
    assert count_lines(db_session, world.period_a.id) == 2
