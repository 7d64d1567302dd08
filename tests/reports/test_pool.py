"""PDFs are rendered in a child process, and each document once for the same data (each
application's own carbon.reports.pool.Renderer)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from carbon.config import PROJECT_ROOT
from carbon.reports import pool
from carbon.reports.fonts import FontsMissing

CALLS: list[tuple[str, str]] = []


def pid_document(data: str, locale: str) -> bytes:
    """A stand-in builder that says which process ran it (module level: a child imports it)."""
    return f"{os.getpid()}:{data}:{locale}".encode()


def counted_document(data: str, locale: str) -> bytes:
    CALLS.append((data, locale))
    return f"{data}/{locale}".encode()


def no_fonts(data: str, locale: str) -> bytes:
    raise FontsMissing("install fonts-dejavu-core")


@pytest.fixture
def in_thread() -> Iterator[pool.Renderer]:
    CALLS.clear()
    yield pool.Renderer(0)


@pytest.fixture
def child() -> Iterator[pool.Renderer]:
    renderer = pool.Renderer(1)
    yield renderer
    renderer.shutdown()


def test_the_document_is_built_in_another_process(child: pool.Renderer) -> None:
    pid, data, locale = child.render(pid_document, "report", "it").decode().split(":")
    assert int(pid) != os.getpid()
    assert (data, locale) == ("report", "it")


def test_an_error_in_the_child_reaches_the_request(child: pool.Renderer) -> None:
    with pytest.raises(FontsMissing, match="fonts-dejavu-core"):
        child.render(no_fonts, "report", "fr")


def test_the_same_data_is_built_once(in_thread: pool.Renderer) -> None:
    assert in_thread.render(counted_document, "a", "fr") == b"a/fr"
    assert in_thread.render(counted_document, "a", "fr") == b"a/fr"
    assert CALLS == [("a", "fr")]
    # Other data or another language is another document.
    assert in_thread.render(counted_document, "b", "fr") == b"b/fr"
    assert in_thread.render(counted_document, "a", "it") == b"a/it"
    assert CALLS == [("a", "fr"), ("b", "fr"), ("a", "it")]
    # Another application keeps its own documents.
    assert pool.Renderer(0).render(counted_document, "a", "fr") == b"a/fr"
    assert len(CALLS) == 4


def test_the_cache_keeps_to_its_size() -> None:
    CALLS.clear()
    renderer = pool.Renderer(0, cache_bytes=20)  # room for two 8-byte documents, not three
    for name in ("doc-1", "doc-2", "doc-3"):
        renderer.render(counted_document, name, "fr")  # b"doc-n/fr": 8 bytes each
    renderer.render(counted_document, "doc-3", "fr")  # still cached
    renderer.render(counted_document, "doc-1", "fr")  # pushed out by doc-3: built again
    assert [d for d, _ in CALLS] == ["doc-1", "doc-2", "doc-3", "doc-1"]


def niceness(data: str, locale: str) -> bytes:
    return str(os.nice(0)).encode()


def test_renderers_yield_the_cpu_to_pages(child: pool.Renderer) -> None:
    assert int(child.render(niceness, "x", "fr")) == os.nice(0) + pool.NICENESS


def test_renderers_end_with_their_web_process(tmp_path: Path) -> None:
    # A web worker killed without a clean shutdown (no atexit: os._exit) must not leave its
    # rendering processes running forever.
    script = (
        "import os, sys\n"
        "from carbon.reports import pool\n"
        "from tests.reports.test_pool import pid_document\n"
        "renderer = pool.Renderer(1)\n"
        "print(renderer.render(pid_document, 'x', 'fr').decode().split(':')[0], flush=True)\n"
        "os._exit(0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
        cwd=PROJECT_ROOT,
    )  # fmt: skip
    child = int(done.stdout.strip())
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (ended, not yet reaped by init) counts as ended.
    status = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0]
    return status != "Z"


def dies(data: str, locale: str) -> bytes:
    os._exit(1)  # a renderer killed mid-document (the out-of-memory killer, say)


def test_a_dead_renderer_does_not_break_later_documents(child: pool.Renderer) -> None:
    with pytest.raises(BrokenProcessPool):
        child.render(dies, "x", "fr")  # tried twice, in two fresh processes: it dies both times
    pid, _, _ = child.render(pid_document, "after", "fr").decode().split(":")
    assert int(pid) != os.getpid()
