"""What a reader sees: every page a member, a coach and an administrator reach by following
links is scanned for the codes the database stores, and for method notes left in the way.

Sector codes (``lift``), unit codes (``skier-day``), stages and statuses (``under_way``,
``draft``) are the program's words, not the reader's; a poste is named, not only numbered.
Notes on the method, written for auditors, sit behind a "?" disclosure so pages stay short.
The crawl starts from each persona's landing page on the demo world and follows the app's own
links (GET, same site), so a new page is scanned as soon as something links to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from carbon.accounting.postes import POSTES_BY_CODE
from carbon.db.models import Sector
from carbon.demo.load import DEMO_PASSWORD
from carbon.web.app import create_app
from tests.conftest import demo_database

PERSONAS = ("company@example.org", "coach@example.org", "admin@example.org")
MAX_PAGES = 120
# Downloads and state-changing or heavy pages are not pages a reader reads.
_SKIP = re.compile(r"\.(pdf|xlsx|csv|png|svg|js|css|ico)(\?|$)|/logout|/api/|/static/|/template")

# Codes that may only appear inside markup (values, ids, classes), never in the text read.
_SECTORS = sorted(s.value for s in Sector if s.value not in ("other", "services", "digital"))
_CODES = [
    *_SECTORS,
    "skier-day", "overnight stay", "unit produced",
    "under_way", "follow_up", "to_validate", "in_progress",
    "draft", "submitted", "validated", "locked",
    "measured", "estimated", "extrapolated",
]  # fmt: skip
# In Italian, the units ADEME writes in French are French words.
_FRENCH_UNITS = ["passager.km", "véhicule.km", "nuitée", "litre", "repas", "unité", "k€ HT"]


def _pattern(codes: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(c) for c in codes) + r")(?![\w-])")


_RAW = {"fr": _pattern(_CODES), "it": _pattern(_CODES + _FRENCH_UNITS)}
_POSTE = re.compile(r"\d\.\d{1,2}")


def _bare_postes(html: str) -> list[str]:
    """Cells that show a poste's number alone: no name beside it, none on hover."""
    soup = BeautifulSoup(html, "html.parser")
    bare = []
    for cell in soup.select("td, th, li, .badge"):
        shown = cell.get_text(" ", strip=True)
        if not _POSTE.fullmatch(shown) or shown not in POSTES_BY_CODE:
            continue
        # Named on hover, or in its own row (a table with a code column and a name column).
        row = cell.find_parent("tr")
        names = POSTES_BY_CODE[shown].label_fr, POSTES_BY_CODE[shown].label_it
        named = cell.has_attr("title") or cell.select("[title]")
        if not named and not (row and any(n in row.get_text(" ") for n in names)):
            bare.append(shown)
    return bare


def _text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for node in soup(["script", "style", "code", "pre"]):
        node.decompose()
    # A factor's source, note and categories are quoted as published, in the source's language.
    for node in soup.select(".source-text"):
        node.decompose()
    return " ".join(soup.get_text(" ").split())


def _crawl(client: TestClient, start: str) -> Iterator[tuple[str, str]]:
    seen: set[str] = set()
    queue = [start]
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        r = client.get(path)
        if r.status_code != 200 or "text/html" not in r.headers.get("content-type", ""):
            continue
        yield path, r.text
        for a in BeautifulSoup(r.text, "html.parser").select("a[href]"):
            href = urljoin(path, str(a["href"]))
            url = urlparse(href)
            if url.netloc or url.scheme or _SKIP.search(href) or a.has_attr("download"):
                continue
            # One page of each kind: the same route with another id or filter adds nothing.
            link = url.path + (f"?{url.query}" if url.query and "sort" not in url.query else "")
            if link not in seen:
                queue.append(link)


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    app = create_app(demo_database(tmp_path_factory.mktemp("raw-codes")))
    yield app
    app.state.engine.dispose()


@pytest.mark.parametrize(
    ("email", "lang"), [(email, "fr") for email in PERSONAS] + [("company@example.org", "it")]
)
def test_pages_show_no_raw_code(demo_app: Any, email: str, lang: str) -> None:
    found: dict[str, set[str]] = {}
    pages = 0
    with TestClient(demo_app, headers={"Accept-Language": lang}) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token
        r = client.post(
            "/login",
            data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token.group(1)},
        )
        assert r.status_code == 200, r.text
        start = str(r.url.path)
        if lang != "fr":  # the demo's users chose French: switch as a reader would
            token = re.search(r'name="csrf_token" value="([^"]+)"', r.text)
            assert token
            data = {"lang": lang, "next": start, "csrf_token": token.group(1)}
            assert client.post("/lang", data=data).status_code == 200
        for path, html in _crawl(client, start):
            pages += 1
            where = re.sub(r"/\d+", "/N", path)
            for code in _RAW[lang].findall(_text(html)) + _bare_postes(html):
                found.setdefault(code, set()).add(where)
    assert pages >= 5
    assert found == {}


def _notes_in_the_way(html: str) -> list[str]:
    """Method notes shown open on the page rather than behind a disclosure (errors excepted)."""
    soup = BeautifulSoup(html, "html.parser")
    notes = soup.select(".results-note:not(.results-note--error), p.note")
    return [n.get_text(" ", strip=True)[:60] for n in notes if n.find_parent("details") is None]


def test_method_notes_are_behind_a_disclosure(demo_app: Any) -> None:
    with TestClient(demo_app, headers={"Accept-Language": "fr"}) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token
        data = {"email": PERSONAS[0], "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
        r = client.post("/login", data=data)
        found: dict[str, list[str]] = {}
        disclosed = 0
        for path, html in _crawl(client, str(r.url.path)):
            disclosed += html.count('class="method-notes"')
            if notes := _notes_in_the_way(html):
                found[re.sub(r"/\d+", "/N", path)] = notes
    assert found == {}
    assert disclosed >= 3  # the notes are still there, one click away
