"""The caches' least-recently-used map (carbon.lru)."""

from __future__ import annotations

from carbon.lru import Lru


def test_the_least_recently_used_key_goes_first() -> None:
    cache: Lru[str, int] = Lru(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent: "b" goes when "c" comes
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    cache.put("a", 10)  # replacing a key keeps one entry, the new value
    assert len(cache) == 2 and sorted(cache.values()) == [3, 10]
    cache.discard("a")
    cache.discard("a")  # already gone: no error
    assert cache.get("a") is None and len(cache) == 1
    cache.clear()
    assert len(cache) == 0 and cache.get("c") is None
