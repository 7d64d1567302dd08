"""PDFs are rendered in a child process, and each document once for the same data."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

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
def in_thread() -> Iterator[None]:
    pool.configure(0)
    CALLS.clear()
    yield
    pool.configure(1)


def test_the_document_is_built_in_another_process() -> None:
    pool.configure(1)
    pid, data, locale = pool.render(pid_document, "report", "it").decode().split(":")
    assert int(pid) != os.getpid()
    assert (data, locale) == ("report", "it")


def test_an_error_in_the_child_reaches_the_request() -> None:
    pool.configure(1)
    with pytest.raises(FontsMissing, match="fonts-dejavu-core"):
        pool.render(no_fonts, "report", "fr")


def test_the_same_data_is_built_once(in_thread: None) -> None:
    assert pool.render(counted_document, "a", "fr") == b"a/fr"
    assert pool.render(counted_document, "a", "fr") == b"a/fr"
    assert CALLS == [("a", "fr")]
    # Other data or another language is another document.
    assert pool.render(counted_document, "b", "fr") == b"b/fr"
    assert pool.render(counted_document, "a", "it") == b"a/it"
    assert CALLS == [("a", "fr"), ("b", "fr"), ("a", "it")]


def test_the_cache_keeps_to_its_size(in_thread: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "CACHE_BYTES", 20)  # room for two 8-byte documents, not three
    for name in ("doc-1", "doc-2", "doc-3"):
        pool.render(counted_document, name, "fr")  # b"doc-n/fr": 8 bytes each
    pool.render(counted_document, "doc-3", "fr")  # still cached
    pool.render(counted_document, "doc-1", "fr")  # pushed out by doc-3: built again
    assert [d for d, _ in CALLS] == ["doc-1", "doc-2", "doc-3", "doc-1"]


def niceness(data: str, locale: str) -> bytes:
    return str(os.nice(0)).encode()


def test_renderers_yield_the_cpu_to_pages() -> None:
    pool.configure(1)
    assert int(pool.render(niceness, "x", "fr")) == os.nice(0) + pool.NICENESS
