"""The one way benchmarks time things: best wall time of a few runs, then peak memory of one more.

Memory is traced on a separate run because tracemalloc slows what it watches.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any


def measure(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, float, Any]:
    """``(best seconds, peak MiB, last result)`` of ``fn``."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return best, peak / 2**20, result
