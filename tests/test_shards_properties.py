"""Sharding for any set of line numbers and any number of shards: every line in exactly one shard, balanced."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from service.shards import Shard, in_shard, parse_shard
from tests.properties import PROPERTIES


@PROPERTIES
@given(count=st.integers(1, 64), lines=st.sets(st.integers(1, 10**9), max_size=200))
def test_in_shard_partitions_any_set_of_lines(count: int, lines: set[int]) -> None:
    shards = [Shard(index, count) for index in range(count)]
    parts = [{line for line in lines if in_shard(line, shard)} for shard in shards]
    assert sum(len(part) for part in parts) == len(lines)  # no line twice
    assert set().union(*parts) == lines  # no line lost
    for line in lines:  # the same answer every time: a retry reads the same lines
        assert [in_shard(line, shard) for shard in shards].count(True) == 1


@PROPERTIES
@given(count=st.integers(1, 32), total=st.integers(0, 200))
def test_consecutive_lines_are_dealt_round_robin(count: int, total: int) -> None:
    sizes = [sum(in_shard(line, Shard(index, count)) for line in range(1, total + 1)) for index in range(count)]
    assert sum(sizes) == total
    assert max(sizes) - min(sizes) <= 1
    assert sizes == sorted(sizes, reverse=True)  # the first shards take the remainder
    assert in_shard(1, Shard(0, count))


@PROPERTIES
@given(count=st.integers(1, 10**6), data=st.data())
def test_a_shard_reads_back_from_its_text(count: int, data: st.DataObject) -> None:
    shard = Shard(data.draw(st.integers(0, count - 1)), count)
    assert parse_shard(str(shard)) == shard
