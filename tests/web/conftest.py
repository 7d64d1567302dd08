"""Web fixtures: an app on the test transaction, signed-in clients, and named personas.

Personas (healthchecks-style): ``alice`` is a member of company A, ``bob`` of company B;
``carol`` coaches cohort A (company A), ``dave`` coaches cohort B (company B); ``admin`` is an
administrator. Company A has a draft period with two lines; company B a draft period with one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from carbon.auth import hash_password
from carbon.config import Settings
from carbon.db.factor_store import save_library
from carbon.db.models import Company, LibraryVersion, ReportingPeriod, User
from carbon.factors.bundled import load_bundled_library
from carbon.web.app import create_app
from tests import factories as f

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    library: LibraryVersion
    company_a: Company
    company_b: Company
    period_a: ReportingPeriod
    period_b: ReportingPeriod
    alice: User
    bob: User
    carol: User
    dave: User
    admin: User


@pytest.fixture
def test_settings(db_settings: Settings) -> Settings:
    return db_settings


@pytest.fixture
def world(db_session: Session, test_settings: Settings) -> World:
    s = db_session
    version = save_library(s, load_bundled_library(), source="bundled", make_default=True)
    pw = hash_password(PASSWORD, test_settings)
    cohort_a, cohort_b = f.make_cohort(s, name="Cohort A"), f.make_cohort(s, name="Cohort B")
    company_a = f.make_company(s, name="Alpha Remontées", country="FR")
    company_b = f.make_company(s, name="Beta Albergo", country="IT")
    f.make_site(s, company_a, name="Vars", country="FR")
    f.make_enrolment(s, company=company_a, cohort=cohort_a)
    f.make_enrolment(s, company=company_b, cohort=cohort_b)
    users = {
        name: f.make_user(s, email=f"{name}@example.org", password_hash=pw, locale="en")
        for name in ("alice", "bob", "carol", "dave", "admin")
    }
    users["admin"].is_admin = True
    f.make_membership(s, user=users["alice"], company=company_a)
    f.make_membership(s, user=users["bob"], company=company_b)
    f.make_cohort_coach(s, user=users["carol"], cohort=cohort_a)
    f.make_cohort_coach(s, user=users["dave"], cohort=cohort_b)
    period_a = f.make_period(s, company_a, version, year=2024, is_base_year=True)
    period_b = f.make_period(s, company_b, version, year=2024)
    # 10 MWh × 0.052 = 520 kg in 2.1; 1,000 L × 3.10 = 3,100 kg in 1.2.
    f.make_line(s, period_a, poste="2.1", factor_id="bundled:elec-fr-2022", quantity=10,
                unit="MWh", activity_id="electricity-buildings")  # fmt: skip
    f.make_line(s, period_a, poste="1.2", factor_id="bundled:diesel-b7-fr", quantity=1000,
                unit="litre", activity_id="groomer-diesel")  # fmt: skip
    # 20,000 kWh × 0.2655 (Italian mix, ISPRA 2022) = 5,310 kg.
    f.make_line(s, period_b, poste="2.1", factor_id="bundled:elec-it-2022", quantity=20000,
                unit="kWh", activity_id="electricity-buildings")  # fmt: skip
    s.flush()
    return World(version, company_a, company_b, period_a, period_b, **users)


@pytest.fixture
def app(db_session: Session, test_settings: Settings) -> FastAPI:
    application = create_app(test_settings)
    # Every request's session joins the test's transaction (savepoints), rolled back after.
    application.state.sessions = sessionmaker(
        bind=db_session.connection(),
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
    )
    return application


class Client(TestClient):
    """A test client that remembers its CSRF token and signs in.

    It asks for English, like the personas' own setting: pages seen before signing in (login,
    invitations) then read in English too, whatever the default language.
    """

    csrf: str = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers["Accept-Language"] = "en"

    def refresh_csrf(self, path: str = "/login") -> str:
        html = self.get(path).text
        m = re.search(r'name="csrf-token" content="([^"]+)"', html)
        assert m, f"no CSRF token on {path}"
        self.csrf = m.group(1)
        return self.csrf

    def login(self, user: User, password: str = PASSWORD) -> Client:
        self.refresh_csrf("/login")
        r = self.post(
            "/login",
            data={"email": user.email, "password": password, "csrf_token": self.csrf},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        self.refresh_csrf("/companies")
        return self

    def form(self, url: str, data: dict[str, str] | None = None, **kw: object) -> object:
        return self.post(url, data={"csrf_token": self.csrf, **(data or {})}, **kw)  # type: ignore[arg-type]

    def htmx(self, method: str, url: str, **kw: object) -> object:
        headers = {"HX-Request": "true", "X-CSRF-Token": self.csrf}
        return self.request(method, url, headers=headers, **kw)  # type: ignore[arg-type]


@pytest.fixture
def client(app: FastAPI) -> Iterator[Client]:
    with Client(app, base_url="http://testserver") as c:
        yield c


@pytest.fixture
def as_user(app: FastAPI, world: World) -> Iterator[object]:
    """``as_user("alice")`` gives a client signed in as that persona."""
    clients: list[Client] = []

    def make(name: str) -> Client:
        c = Client(app, base_url="http://testserver")
        c.__enter__()
        clients.append(c)
        return c.login(getattr(world, name))

    yield make
    for c in clients:
        c.__exit__(None, None, None)
