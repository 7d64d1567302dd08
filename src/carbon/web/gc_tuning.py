"""Garbage-collector settings for a long-running web process.

A web worker holds a quarter of a million objects that live as long as it does (modules,
classes, SQLAlchemy's mappers, compiled templates). CPython's full collection walks all of them:
150 ms on the standard machine, every few requests of the cohort page, which was the whole of
that page's p95 under load. At start-up they are moved out of the collector's sight
(``gc.freeze``: they are still freed by reference counting, only no longer walked), and the
young generation is collected after 20,000 allocations instead of 700, so that the pages' own
short-lived objects reach the old generations, and its full collections, far less often.
"""

from __future__ import annotations

import gc
import threading

GEN0_THRESHOLD = 20_000

_done = False
_lock = threading.Lock()


def settle() -> None:
    """Freeze what is alive now and raise the young generation's threshold, once per process
    (a test session starts many applications: only the first start freezes)."""
    global _done
    with _lock:
        if _done:
            return
        _done = True
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, older, oldest)
