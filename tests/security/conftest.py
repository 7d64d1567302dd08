"""The web personas and clients (tests/web/conftest.py), for the security tests."""

from tests.web.conftest import Client, World, app, as_user, client, test_settings, world

__all__ = ["Client", "World", "app", "as_user", "client", "test_settings", "world"]
