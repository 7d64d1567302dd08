"""An error never breaks the connection: after a 500, the next request on it is answered.

Starlette's last-resort handler re-raises after its 500 and uvicorn then closes the connection,
so a browser's next request on that kept-alive connection was reset.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from carbon.config import Settings
from carbon.db.migrate import upgrade
from carbon.web.app import create_app


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    settings = Settings(env="test", database_url=f"sqlite:///{tmp_path / 'k.db'}", pdf_workers=0)
    upgrade(settings)
    app: FastAPI = create_app(settings)

    @app.get("/boom-for-test")
    def boom() -> None:
        raise RuntimeError("an unexpected bug")

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical")
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    for _ in range(100):
        if served.started:
            break
        time.sleep(0.05)
    yield port
    served.should_exit = True
    thread.join(timeout=10)


def test_the_connection_survives_a_500(server: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    connection.request("GET", "/boom-for-test")
    first = connection.getresponse()
    first.read()
    assert first.status == 500
    connection.request("GET", "/health")  # the same connection, kept alive
    second = connection.getresponse()
    assert second.status == 200
    connection.close()
