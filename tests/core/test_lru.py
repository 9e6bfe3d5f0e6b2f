"""BoundedLru: a capacity counted in cost, least recently used out first, safe across threads."""

from __future__ import annotations

import threading
import time
from typing import Any

from service.core.lru import BoundedLru


def kept(lru: BoundedLru[str, Any], keys: str) -> str:
    """The keys (one letter each) still held; `get` refreshes them in this order, so list them oldest first."""
    return "".join(key for key in keys if lru.get(key) is not None)


def test_costs_add_up_to_the_capacity() -> None:
    lru: BoundedLru[str, str] = BoundedLru(10)
    for key in "abc":
        lru.put(key, key.upper(), cost=3)
    assert len(lru) == 3  # 9 of 10
    lru.put("d", "D", cost=2)  # 11: the oldest goes
    assert kept(lru, "abcd") == "bcd"
    lru.put("e", "E", cost=7)  # 15: two more go to get back under 10
    assert kept(lru, "abcde") == "de"
    assert lru.get("e") == "E"


def test_least_recently_put_goes_first() -> None:
    lru: BoundedLru[str, int] = BoundedLru(3)
    for number, key in enumerate("abcdef"):
        lru.put(key, number)
        assert len(lru) == min(number + 1, 3)
    assert kept(lru, "abcdef") == "def"
    assert lru.get("a") is None


def test_get_refreshes_recency() -> None:
    lru: BoundedLru[str, int] = BoundedLru(3)
    for key in "abc":
        lru.put(key, 1)
    assert lru.get("a") == 1
    lru.put("d", 1)
    assert kept(lru, "abcd") == "acd"  # b, not a, was the least recently used


def test_putting_a_key_again_replaces_its_value_and_cost() -> None:
    lru: BoundedLru[str, str] = BoundedLru(4)
    lru.put("a", "old", cost=3)
    lru.put("b", "B", cost=1)
    lru.put("a", "new", cost=1)  # 2 of 4 now, and a is the most recent
    lru.put("c", "C", cost=2)
    assert kept(lru, "bac") == "bac"  # from least to most recently used
    assert lru.get("a") == "new"
    lru.put("d", "D", cost=1)  # 5: b is now the least recently used
    assert kept(lru, "abcd") == "acd"


def test_an_item_costlier_than_the_capacity_is_not_kept_and_evicts_nothing() -> None:
    lru: BoundedLru[str, str] = BoundedLru(5)
    lru.put("a", "A", cost=2)
    lru.put("b", "B", cost=3)
    lru.put("huge", "H", cost=6)
    assert lru.get("huge") is None
    assert kept(lru, "ab") == "ab"
    lru.put("a", "A2", cost=6)  # too costly to replace either: the old value stays
    assert lru.get("a") == "A"


def test_zero_capacity_keeps_nothing() -> None:
    lru: BoundedLru[str, str] = BoundedLru(0)
    lru.put("a", "A")
    assert len(lru) == 0
    assert lru.get("a") is None


def test_hits_and_misses_are_counted() -> None:
    lru: BoundedLru[str, str] = BoundedLru(2)
    lru.put("a", "A")
    lru.get("a")
    lru.get("a")
    lru.get("b")
    assert (lru.hits, lru.misses) == (2, 1)


class Key:
    """A key that lets other threads run while it is hashed, so threads interleave inside every dict operation."""

    def __init__(self, number: int) -> None:
        self.number = number

    def __hash__(self) -> int:
        time.sleep(0)  # gives up the GIL
        return hash(self.number)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Key) and other.number == self.number


def test_concurrent_use_keeps_the_books_straight() -> None:
    capacity, threads, rounds = 50, 4, 300
    lru: BoundedLru[Key, int] = BoundedLru(capacity)
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def work(worker: int) -> None:
        start.wait()
        try:
            for i in range(rounds):  # every thread writes the same keys: the racy case
                lru.put(Key((worker + i) % 80), i, cost=1 + i % 3)
                lru.get(Key((worker * i) % 80))
        except BaseException as exc:
            errors.append(exc)

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    assert lru.hits + lru.misses == threads * rounds  # no lost counter updates
    # If the running cost had drifted, fresh entries of cost 1 would not fill the capacity exactly.
    for i in range(capacity):
        lru.put(Key(1000 + i), i)
    assert len(lru) == capacity
    assert all(lru.get(Key(1000 + i)) == i for i in range(capacity))
