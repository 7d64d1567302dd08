"""Invitations (create, accept once, expire) and changing one's password."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from carbon.db.models import AuditLog, Cohort, CohortCoach, Invitation, Membership, User
from carbon.web.routes.admin_invitations import hash_token
from tests import factories as f

from .conftest import PASSWORD, Client, World

NEW_PASSWORD = "a long enough new passphrase"


def soup(r: Any) -> BeautifulSoup:
    return BeautifulSoup(r.text, "html.parser")


def invite(c: Any, **data: str) -> str:
    """Create an invitation through the page; return the token from the link shown once."""
    r = c.form("/invitations", data)
    assert r.status_code == 200, r.text
    link = soup(r).select_one("#link")["value"]
    m = re.fullmatch(r"http://testserver/invite/([\w-]+)", link)
    assert m, link
    return m.group(1)


def anonymous(app: FastAPI) -> Client:
    c = Client(app, base_url="http://testserver")
    c.__enter__()
    c.refresh_csrf("/login")
    return c


def sign_in_works(app: FastAPI, email: str, password: str) -> bool:
    c = anonymous(app)
    r = c.post("/login", data={"email": email, "password": password, "csrf_token": c.csrf},
               follow_redirects=False)  # fmt: skip
    c.__exit__(None, None, None)
    return r.status_code == 303


# --- Who may invite ----------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [
    ("alice", 404), ("bob", 404), ("carol", 200), ("dave", 200), ("admin", 200),
])  # fmt: skip
def test_invitations_page_access(as_user: Any, world: World, persona: str, status: int) -> None:
    assert as_user(persona).get("/invitations").status_code == status


def test_coach_invites_only_to_companies_of_their_cohorts(
    as_user: Any, world: World, db_session: Session
) -> None:
    carol = as_user("carol")
    page = soup(carol.get("/invitations"))
    assert [o.get_text() for o in page.select("#f-company option[value!='']")] == [
        "Alpha Remontées"
    ]
    assert page.select_one("#f-cohort") is None  # coach invitations are for admins
    r = carol.form("/invitations", {"email": "x@example.org", "role": "member",
                                    "company_id": str(world.company_b.id)})  # fmt: skip
    assert r.status_code == 422 and soup(r).select_one("#company-error")
    cohort_a = db_session.scalars(select(Cohort).where(Cohort.name == "Cohort A")).one()
    r = carol.form("/invitations", {"email": "x@example.org", "role": "coach",
                                    "cohort_id": str(cohort_a.id)})  # fmt: skip
    assert r.status_code == 422
    assert db_session.scalars(select(Invitation)).all() == []
    for persona in ("alice", "bob"):
        data = {"email": "x@example.org", "role": "member", "company_id": str(world.company_a.id)}
        r = as_user(persona).form("/invitations", data)
        assert r.status_code == 404


def test_only_the_hash_is_stored_and_the_creation_is_audited(
    as_user: Any, world: World, db_session: Session
) -> None:
    token = invite(as_user("carol"), email="New@Example.org", role="member",
                   company_id=str(world.company_a.id))  # fmt: skip
    invitation = db_session.scalars(select(Invitation)).one()
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash
    assert invitation.email == "new@example.org"
    # 14 days, to the minute.
    delta = invitation.expires_at - datetime.now(UTC)
    assert timedelta(days=13, hours=23, minutes=59) < delta <= timedelta(days=14)
    entry = db_session.scalars(select(AuditLog).where(AuditLog.entity == "invitation")).one()
    assert entry.actor_user_id == world.carol.id and "token_hash" not in (entry.after or {})


def test_existing_member_is_not_invited_twice(as_user: Any, world: World) -> None:
    r = as_user("admin").form("/invitations", {"email": "alice@example.org", "role": "member",
                                               "company_id": str(world.company_a.id)})  # fmt: skip
    assert r.status_code == 422
    assert "already has this access" in soup(r).select_one("#f-email-error").get_text()


# --- Accepting ---------------------------------------------------------------------------------


def test_invitation_flow(as_user: Any, world: World, app: FastAPI, db_session: Session) -> None:
    token = invite(as_user("admin"), email="zoe@example.org", role="member",
                   company_id=str(world.company_a.id))  # fmt: skip
    c = anonymous(app)
    page = soup(c.get(f"/invite/{token}"))
    assert "Alpha Remontées" in page.select_one(".lead").get_text()
    r = c.form(f"/invite/{token}", {"password": "short", "password_confirm": "short"})
    assert r.status_code == 422 and "at least 10" in soup(r).select_one("#f-password-error").text
    r = c.form(f"/invite/{token}", {"password": NEW_PASSWORD, "password_confirm": "different!!"})
    assert r.status_code == 422 and soup(r).select_one("#f-password_confirm-error")
    assert db_session.scalar(select(User).where(User.email == "zoe@example.org")) is None

    data = {"display_name": "Zoé", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    r = c.form(f"/invite/{token}", data, follow_redirects=False)
    assert r.status_code == 303
    zoe = db_session.scalars(select(User).where(User.email == "zoe@example.org")).one()
    assert (
        zoe.display_name == "Zoé" and zoe.password_hash and zoe.password_hash.startswith("$argon2")
    )
    assert db_session.scalars(select(Membership).where(Membership.user_id == zoe.id)).one(
    ).company_id == world.company_a.id  # fmt: skip
    # Signed in at once, and the password works for the next sign-in.
    assert c.get(f"/companies/{world.company_a.id}").status_code == 200
    assert sign_in_works(app, "zoe@example.org", NEW_PASSWORD)

    # The link works once.
    other = anonymous(app)
    r = other.get(f"/invite/{token}")
    assert r.status_code == 410 and "already been used" in r.text
    r = other.form(f"/invite/{token}", {"password": "another password!", "password_confirm":
                                        "another password!"})  # fmt: skip
    assert r.status_code == 410
    assert sign_in_works(app, "zoe@example.org", NEW_PASSWORD)
    assert not sign_in_works(app, "zoe@example.org", "another password!")
    for client in (c, other):
        client.__exit__(None, None, None)


def test_expired_and_unknown_links_are_refused(
    world: World, app: FastAPI, db_session: Session
) -> None:
    f.make_invitation(db_session, token_hash=hash_token("old-token"), company=world.company_a,
                      expires_at=datetime.now(UTC) - timedelta(minutes=1))  # fmt: skip
    db_session.flush()
    c = anonymous(app)
    r = c.get("/invite/old-token")
    assert r.status_code == 410 and "expired" in soup(r).h1.get_text()
    assert soup(r).select_one("#invite-form") is None
    r = c.form("/invite/old-token", {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert r.status_code == 410
    r = c.get("/invite/no-such-token")
    assert r.status_code == 404 and "not valid" in soup(r).h1.get_text()
    c.__exit__(None, None, None)


def test_an_invitation_never_resets_an_existing_password(
    as_user: Any, world: World, app: FastAPI, db_session: Session
) -> None:
    token = invite(as_user("admin"), email="alice@example.org", role="member",
                   company_id=str(world.company_b.id))  # fmt: skip
    stranger = anonymous(app)
    page = soup(stranger.get(f"/invite/{token}"))
    assert page.select_one("#invite-form") is None and "already has an account" in page.text
    stranger.form(f"/invite/{token}", {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert sign_in_works(app, "alice@example.org", PASSWORD)
    stranger.__exit__(None, None, None)
    # Alice, signed in, accepts: she joins company B.
    alice = as_user("alice")
    r = alice.form(f"/invite/{token}", follow_redirects=False)
    assert r.status_code == 303
    assert alice.get(f"/companies/{world.company_b.id}").status_code == 200


def test_coach_invitation_makes_a_coach(
    as_user: Any, world: World, app: FastAPI, db_session: Session
) -> None:
    cohort_b = db_session.scalars(select(Cohort).where(Cohort.name == "Cohort B")).one()
    token = invite(as_user("admin"), email="erin@example.org", role="coach",
                   cohort_id=str(cohort_b.id))  # fmt: skip
    c = anonymous(app)
    c.form(f"/invite/{token}", {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    erin = db_session.scalars(select(User).where(User.email == "erin@example.org")).one()
    assert db_session.scalars(select(CohortCoach).where(CohortCoach.user_id == erin.id)).one(
    ).cohort_id == cohort_b.id  # fmt: skip
    assert c.get(f"/companies/{world.company_b.id}").status_code == 200
    assert c.get(f"/companies/{world.company_a.id}").status_code == 404
    c.__exit__(None, None, None)


def test_revoked_invitation_no_longer_works(
    as_user: Any, world: World, app: FastAPI, db_session: Session
) -> None:
    carol = as_user("carol")
    token = invite(carol, email="x@example.org", role="member", company_id=str(world.company_a.id))
    invitation = db_session.scalars(select(Invitation)).one()
    assert as_user("dave").form(f"/invitations/{invitation.id}/revoke").status_code == 404
    r = carol.form(f"/invitations/{invitation.id}/revoke", follow_redirects=False)
    assert r.status_code == 303
    c = anonymous(app)
    assert c.get(f"/invite/{token}").status_code == 404
    c.__exit__(None, None, None)


@pytest.mark.parametrize("url", ["/invite/some-token", "/invitations", "/invitations/1/revoke",
                                 "/account/password"])  # fmt: skip
def test_posts_need_the_csrf_token(as_user: Any, world: World, url: str) -> None:
    assert as_user("admin").post(url, data={"password": "x"}).status_code == 403


# --- Password change ---------------------------------------------------------------------------


def test_password_change(as_user: Any, world: World, app: FastAPI, db_session: Session) -> None:
    c = as_user("bob")
    assert c.get("/account/password").status_code == 200
    cases = [
        ({"current_password": "wrong", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
         "#f-current_password-error", "not your current password"),
        ({"current_password": PASSWORD, "password": "123456789", "password_confirm": "123456789"},
         "#f-password-error", "at least 10"),
        ({"current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": "typo"},
         "#f-password_confirm-error", "differ"),
    ]  # fmt: skip
    for data, selector, words in cases:
        r = c.form("/account/password", data)
        assert r.status_code == 422
        assert words in soup(r).select_one(selector).get_text()
    assert sign_in_works(app, "bob@example.org", PASSWORD)

    data = {
        "current_password": PASSWORD,
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
    }
    r = c.form("/account/password", data, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/account/password?changed=1"
    assert soup(c.get(r.headers["location"])).select_one("#password-changed") is not None
    assert sign_in_works(app, "bob@example.org", NEW_PASSWORD)
    assert not sign_in_works(app, "bob@example.org", PASSWORD)
    entry = db_session.scalars(select(AuditLog).where(AuditLog.action == "password_change")).one()
    assert entry.actor_user_id == world.bob.id and entry.after is None


def test_password_page_needs_sign_in(client: Any, world: World) -> None:
    r = client.get("/account/password", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
