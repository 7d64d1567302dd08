"""No request holds up the others: database work, argon2 and imports run in worker threads.

FastAPI runs a plain ``def`` route (and a plain dependency) in a worker thread, and an ``async
def`` one on the event loop, where it blocks every other request of the process until it
returns: a member's 5,000-line import, or a password change's two argon2 hashes, would freeze
everyone's pages (and /health) meanwhile. Routes are plain ``def``; the only code on the loop
awaits the request's body (carbon.web.deps.RawFormDep and the upload forms).
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from carbon.web.routes import ROUTERS, account, imports

from .conftest import PASSWORD, World
from .test_imports import GOOD_FR, token_of, upload

# Dependencies allowed on the event loop: each only awaits the request body or reads headers.
# (upload_form builds the spreadsheet's and the books' upload dependency, one per size limit.)
ON_THE_LOOP = {
    "raw_form", "read_form", "upload_form.<locals>._upload_form", "confirm_form", "_export_form",
}  # fmt: skip


def _on_loop(call: Callable[..., Any]) -> bool:
    target = call if inspect.isroutine(call) else type(call).__call__
    return inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)


def _dependencies(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for dep in dependant.dependencies:
        if dep.call is not None:
            yield dep.call
        yield from _dependencies(dep)


def test_routes_and_their_dependencies_run_in_worker_threads() -> None:
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    assert len(routes) > 50  # every route of the application, pages and API
    async_routes = sorted(r.path for r in routes if _on_loop(r.endpoint))
    assert async_routes == [], "make these routes plain def (read the form with RawFormDep)"
    on_loop = {
        call.__qualname__ for r in routes for call in _dependencies(r.dependant) if _on_loop(call)
    }
    assert on_loop <= ON_THE_LOOP, (
        f"async dependencies doing more than reading the body: {on_loop - ON_THE_LOOP}"
    )


def _answers_meanwhile(client: Any, start_slow: Callable[[], Any], entered: threading.Event,
                       release: threading.Event) -> tuple[bool, Any]:  # fmt: skip
    """Starts the slow request, waits until it is inside its slow part, then asks for /health
    from the same client (the same event loop) while the slow part waits for ``release``.
    Returns whether /health answered meanwhile, and the slow request's response."""
    done: dict[str, Any] = {}
    slow = threading.Thread(target=lambda: done.update(slow=start_slow()))
    slow.start()
    try:
        assert entered.wait(10), "the slow request never reached its slow part"
        probe = threading.Thread(target=lambda: done.update(health=client.get("/health")))
        probe.start()
        probe.join(5)
        answered = not probe.is_alive() and done["health"].status_code == 200
    finally:
        release.set()
        slow.join(20)
    probe.join(20)
    return answered, done.get("slow")


def _gate(real: Callable[..., Any]) -> tuple[Callable[..., Any], threading.Event, threading.Event]:
    """``real`` made to wait for ``release`` once it is called (``entered`` says it was)."""
    entered, release = threading.Event(), threading.Event()

    def gated(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        release.wait(10)
        return real(*args, **kwargs)

    return gated, entered, release


def test_a_password_change_does_not_hold_up_other_requests(
    as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = as_user("alice")
    gated, entered, release = _gate(account.hash_password)
    monkeypatch.setattr(account, "hash_password", gated)
    new = "another horse battery staple"
    form = {"current_password": PASSWORD, "password": new, "password_confirm": new}
    answered, response = _answers_meanwhile(
        alice, lambda: alice.form("/account/password", form, follow_redirects=False),
        entered, release,
    )  # fmt: skip
    assert answered, "/health waited for the password change's argon2 hash"
    assert response.status_code == 303


def test_an_import_does_not_hold_up_other_requests(
    as_user: Any, world: World, app: FastAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.state.import_dir = tmp_path
    alice = as_user("alice")
    token = token_of(upload(alice, world.period_a.id, GOOD_FR))
    gated, entered, release = _gate(imports.add_lines)
    monkeypatch.setattr(imports, "add_lines", gated)
    url = f"/periods/{world.period_a.id}/import/confirm"
    answered, response = _answers_meanwhile(
        alice, lambda: alice.form(url, {"token": token}, follow_redirects=False),
        entered, release,
    )  # fmt: skip
    assert answered, "/health waited for the import's lines to be stored"
    assert response.status_code == 303
