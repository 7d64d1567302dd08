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

_lock = threading.Lock()
_workers = 0
_pool: ProcessPoolExecutor | None = None
_cache: OrderedDict[str, bytes] = OrderedDict()
_cached_bytes = 0


def configure(workers: int) -> None:
    """Render in ``workers`` child processes (0: in the calling thread). Applies to new work;
    a pool of another size is shut down after what it is rendering."""
    global _workers
    with _lock:
        if workers == _workers:
            return
        _workers = workers
    _stop(wait=False, cancel=False)  # documents already asked for are still rendered


def _executor() -> ProcessPoolExecutor | None:
    global _pool
    with _lock:
        if _workers > 0 and _pool is None:
            _pool = ProcessPoolExecutor(
                _workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
        return _pool


def shutdown() -> None:
    """Stop the rendering processes (the application's shutdown); a later render starts anew."""
    _stop(wait=True, cancel=True)


NICENESS = 10


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


def render(build: Builder[T], data: T, locale: str) -> bytes:
    """``build(data, locale)``, from the cache or a child process; its exceptions propagate."""
    key = _digest(build, data, locale)
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    pool = _executor()
    pdf = build(data, locale) if pool is None else _in_child(pool, build, data, locale)
    _remember(key, pdf)
    return pdf


def _in_child(pool: ProcessPoolExecutor, build: Builder[T], data: T, locale: str) -> bytes:
    """The build in a rendering process. A renderer that died (killed, out of memory) breaks
    its whole pool: that pool is dropped so the next render starts a new one, and this one is
    tried once more there."""
    for attempt in (1, 2):
        try:
            return pool.submit(build, data, locale).result()
        except BrokenProcessPool:
            _discard(pool)
            if attempt == 2:
                raise
            pool = _executor() or pool
    raise AssertionError("unreachable")


def _discard(pool: ProcessPoolExecutor) -> None:
    _stop(wait=False, cancel=True, only=pool)


def _stop(*, wait: bool, cancel: bool, only: ProcessPoolExecutor | None = None) -> None:
    """Take the current pool out of use (``only`` that one, if given) and shut it down; the next
    render starts a new one."""
    global _pool
    with _lock:
        old = only or _pool
        if _pool is old:
            _pool = None
    if old is not None:
        old.shutdown(wait=wait, cancel_futures=cancel)


def _digest(build: Callable[..., Any], data: Any, locale: str) -> str:
    payload = pickle.dumps((build.__module__, build.__qualname__, data, locale), protocol=5)
    return hashlib.sha256(payload).hexdigest()


def _remember(key: str, pdf: bytes) -> None:
    global _cached_bytes
    if len(pdf) > CACHE_BYTES // 2:
        return  # one huge cohort document must not push out every company report
    with _lock:
        if key in _cache:
            return
        _cache[key] = pdf
        _cached_bytes += len(pdf)
        while _cached_bytes > CACHE_BYTES:
            _, dropped = _cache.popitem(last=False)
            _cached_bytes -= len(dropped)


def clear_cache() -> None:
    global _cached_bytes
    with _lock:
        _cache.clear()
        _cached_bytes = 0
