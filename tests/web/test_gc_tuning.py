"""The web process's garbage-collector settings (carbon.web.gc_tuning), applied at start-up."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from carbon.config import Settings
from carbon.web import gc_tuning
from carbon.web.app import create_app


def test_starting_the_application_freezes_what_is_alive_and_raises_the_threshold(
    test_settings: Settings,
) -> None:
    with TestClient(create_app(test_settings)) as client:
        assert client.get("/health").status_code == 200
        # Modules, classes and the application itself: far more than a handful of objects.
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold()[0] == gc_tuning.GEN0_THRESHOLD
        before = gc.get_freeze_count()
        gc_tuning.settle()  # once per process: a second start freezes nothing more
        assert gc.get_freeze_count() == before
