"""A small least-recently-used map: what an application keeps (libraries, results, cohort
tables, dashboards; docs/architecture.md, "What the application keeps") is held in these.

A web process's threads share them. Each operation is a few dictionary operations under the
GIL; another thread may evict a key between a look-up and its reordering, which is no error
here: the value found is still right, only its place in the order is lost.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import suppress
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Lru(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._data.get(key)
        if value is not None:
            with suppress(KeyError):
                self._data.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._data[key] = value
        with suppress(KeyError):
            self._data.move_to_end(key)
        while len(self._data) > self.size:
            with suppress(KeyError):
                self._data.popitem(last=False)

    def discard(self, key: K) -> None:
        self._data.pop(key, None)

    def clear(self) -> None:
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)

    def values(self) -> Iterator[V]:
        return iter(list(self._data.values()))
