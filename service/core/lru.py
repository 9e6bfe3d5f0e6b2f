"""A thread-safe LRU mapping bounded by a total cost (entries, or characters held)."""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def str_bytes(*texts: str) -> int:
    """Memory Python holds for these strings (4 bytes a character for emoji, 1 for ASCII, plus headers)."""
    return sum(sys.getsizeof(text) for text in texts)


class BoundedLru(Generic[K, V]):
    """Keeps the most recently used entries whose costs add up to at most `capacity`; 0 keeps nothing.
    `max_entries` bounds their number too (None: the cost alone)."""

    def __init__(self, capacity: int, max_entries: int | None = None) -> None:
        self.capacity = capacity
        self.max_entries = max_entries
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._used = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: K) -> V | None:
        """The value, marked as recently used, or None."""
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key: K, value: V, cost: int = 1) -> None:
        """Store a value; the least recently used entries go to make room. Too costly values are not kept."""
        if cost > self.capacity:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._used -= old[1]
            self._items[key] = (value, cost)
            self._used += cost
            while self._used > self.capacity or (self.max_entries is not None
                                                 and len(self._items) > self.max_entries):
                _, (_, evicted) = self._items.popitem(last=False)
                self._used -= evicted

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
