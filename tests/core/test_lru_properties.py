"""BoundedLru against a plain model of least-recently-used eviction: the same answers, never over capacity."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from service.core.lru import BoundedLru
from tests.properties import PROPERTIES

operations = st.lists(st.one_of(
    st.tuples(st.just("put"), st.integers(0, 9), st.integers(0, 40)),
    st.tuples(st.just("get"), st.integers(0, 9), st.just(0)),
), max_size=60)


class Model:
    """Least recently used first in a list of (key, value, cost); what the docstring of BoundedLru promises."""

    def __init__(self, capacity: int, max_entries: int | None) -> None:
        self.capacity, self.max_entries = capacity, max_entries
        self.items: list[tuple[int, int, int]] = []

    def get(self, key: int) -> int | None:
        for item in self.items:
            if item[0] == key:
                self.items.remove(item)
                self.items.append(item)
                return item[1]
        return None

    def put(self, key: int, value: int, cost: int) -> None:
        if cost > self.capacity:
            return
        self.items = [item for item in self.items if item[0] != key] + [(key, value, cost)]
        while self.used > self.capacity or (self.max_entries is not None and len(self.items) > self.max_entries):
            self.items.pop(0)

    @property
    def used(self) -> int:
        return sum(cost for _, _, cost in self.items)


@PROPERTIES
@given(capacity=st.integers(0, 60), max_entries=st.one_of(st.none(), st.integers(1, 6)), ops=operations)
def test_lru_never_exceeds_its_capacity_and_evicts_least_recent_first(capacity: int, max_entries: int | None,
                                                                     ops: list[tuple[str, int, int]]) -> None:
    lru: BoundedLru[int, int] = BoundedLru(capacity, max_entries=max_entries)
    model = Model(capacity, max_entries)
    for number, (op, key, cost) in enumerate(ops):
        if op == "put":
            lru.put(key, number, cost)
            model.put(key, number, cost)
        else:
            assert lru.get(key) == model.get(key)
        assert len(lru) == len(model.items)
        assert model.used <= capacity
    # the same entries in the same order of use: asking the model's order keeps both orders equal
    for key, value, _ in list(model.items):
        assert lru.get(key) == value
        model.get(key)
    assert lru.hits + lru.misses == sum(op == "get" for op, _, _ in ops) + len(model.items)
