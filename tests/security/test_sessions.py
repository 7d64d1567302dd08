"""A session cookie stops working once its session is ended.

Cookies are signed, not stored: before the session generation, a copied cookie still opened
the account after its owner signed out, and after a password change.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from carbon.web.security import SESSION_COOKIE

from .conftest import Client, World

PASSWORD = "correct horse battery staple"


def copy_of(c: Client, app: FastAPI) -> Client:
    """Another client holding the same cookie (a stolen or forgotten copy of the session)."""
    thief = Client(app, base_url="http://testserver")
    thief.cookies.set(SESSION_COOKIE, c.cookies[SESSION_COOKIE])
    return thief


def signed_in(c: Client) -> bool:
    r = c.get("/companies", follow_redirects=False)
    assert r.status_code in (200, 303), r.status_code
    return r.status_code == 200


def test_a_copied_cookie_stops_working_after_sign_out(as_user: Any, app: FastAPI) -> None:
    alice = as_user("alice")
    thief = copy_of(alice, app)
    assert signed_in(thief)
    alice.form("/logout", follow_redirects=False)
    assert not signed_in(thief)


def test_a_password_change_ends_the_other_sessions_only(
    as_user: Any, app: FastAPI, world: World
) -> None:
    alice = as_user("alice")
    thief = copy_of(alice, app)
    new = "a new and longer passphrase"
    form = {"current_password": PASSWORD, "password": new, "password_confirm": new}
    r = alice.form("/account/password", form, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert not signed_in(thief)
    assert signed_in(alice)  # the session that changed it is renewed


def test_an_administrator_signs_a_user_out_everywhere(
    as_user: Any, app: FastAPI, world: World
) -> None:
    alice, admin = as_user("alice"), as_user("admin")
    assert signed_in(alice)
    r = admin.form(f"/admin/users/{world.alice.id}", {"end_sessions": "1"}, follow_redirects=False)
    assert r.status_code == 303
    assert not signed_in(alice)
    assert signed_in(admin)
    assert signed_in(as_user("alice"))  # she signs in again
