"""Rendering PDFs away from the web workers' threads, and never twice for the same data.

A company report takes 0.3–0.8 s of CPU in reportlab. Built in a web worker's thread it holds
that process's GIL the whole time, and every page the worker serves meanwhile waits behind it
(the load test's p95 was set by exactly that). Here the builder runs in a separate process
(``Settings.pdf_workers`` of them per web process, started on first use with ``spawn``: no
fork of a process holding threads and database connections); the request's thread only waits
for the bytes, without the GIL, and the renderers run at a lower CPU priority than pages.

Documents are also kept by a digest of what they are built from (builder, data, locale): the
same data gives the same document, so downloading an unchanged report again costs nothing, and
any change to a figure, a label or the date the report prints is a different key. The builders
are plain functions of plain data (carbon.reports.model), which is what makes both possible.

A :class:`Renderer` belongs to the application that builds it (``app.state.pdf``): its child
processes end with that application, and its kept documents with it.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
Builder = Callable[[T, str], bytes]

CACHE_BYTES = 64 * 1024 * 1024
NICENESS = 10


class Renderer:
    """Builds documents in ``workers`` child processes (0: in the calling thread), started on
    first use, and keeps up to ``cache_bytes`` of them."""

    def __init__(self, workers: int, cache_bytes: int = CACHE_BYTES) -> None:
        self.workers = workers
        self.cache_bytes = cache_bytes
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cached_bytes = 0

    def render(self, build: Builder[T], data: T, locale: str) -> bytes:
        """``build(data, locale)``, kept or from a child process; its exceptions propagate."""
        key = _digest(build, data, locale)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        pool = self._executor()
        pdf = build(data, locale) if pool is None else self._in_child(pool, build, data, locale)
        self._remember(key, pdf)
        return pdf

    def shutdown(self) -> None:
        """Stop the rendering processes (the application's shutdown); a later render starts anew."""
        self._stop(wait=True, cancel=True)

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._cached_bytes = 0

    def _executor(self) -> ProcessPoolExecutor | None:
        with self._lock:
            if self.workers > 0 and self._pool is None:
                self._pool = ProcessPoolExecutor(
                    self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                    initargs=(os.getpid(),),
                )
            return self._pool

    def _in_child(
        self, pool: ProcessPoolExecutor, build: Builder[T], data: T, locale: str
    ) -> bytes:
        """The build in a rendering process. A renderer that died (killed, out of memory)
        breaks its whole pool: that pool is dropped so the next render starts a new one, and
        this one is tried once more there."""
        for attempt in (1, 2):
            try:
                return pool.submit(build, data, locale).result()
            except BrokenProcessPool:
                self._stop(wait=False, cancel=True, only=pool)
                if attempt == 2:
                    raise
                pool = self._executor() or pool
        raise AssertionError("unreachable")

    def _stop(self, *, wait: bool, cancel: bool, only: ProcessPoolExecutor | None = None) -> None:
        """Take the current pool out of use (``only`` that one, if given) and shut it down; the
        next render starts a new one."""
        with self._lock:
            old = only or self._pool
            if self._pool is old:
                self._pool = None
        if old is not None:
            old.shutdown(wait=wait, cancel_futures=cancel)

    def _remember(self, key: str, pdf: bytes) -> None:
        if len(pdf) > self.cache_bytes // 2:
            return  # one huge cohort document must not push out every company report
        with self._lock:
            if key in self._cache:
                return
            self._cache[key] = pdf
            self._cached_bytes += len(pdf)
            while self._cached_bytes > self.cache_bytes:
                _, dropped = self._cache.popitem(last=False)
                self._cached_bytes -= len(dropped)


def _start_worker(parent: int) -> None:
    """In each rendering process: a lower CPU priority than the web workers' (a page waiting
    for the CPU is served before a PDF goes on; Linux gives a nice-10 process about a tenth of
    a contended core, and the PDF still has every idle cycle), and an end with its web process:
    a worker killed without a clean shutdown would otherwise leave its renderers behind."""
    os.nice(NICENESS)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _digest(build: Callable[..., Any], data: Any, locale: str) -> str:
    payload = pickle.dumps((build.__module__, build.__qualname__, data, locale), protocol=5)
    return hashlib.sha256(payload).hexdigest()
