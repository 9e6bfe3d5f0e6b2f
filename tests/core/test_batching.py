"""Concurrent callers share engine calls; each gets exactly its own translations; 0 disables merging."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest

from service.core.batching import Arrivals, BatchingTranslator
from service.core.deadline import DeadlineExceededError, deadline
from service.core.translate import SentenceResult


class SlowEngine:
    """Takes a while per call, like CTranslate2, and records every call."""

    name, version = "slow", "1"

    def __init__(self, delay: float = 0.05, fail_on: str | None = None) -> None:
        self.delay = delay
        self.fail_on = fail_on
        self.calls: list[list[str]] = []
        self._lock = threading.Lock()

    def translate(self, sentences: Sequence[str]) -> list[str]:
        with self._lock:
            self.calls.append(list(sentences))
        time.sleep(self.delay)
        if self.fail_on and self.fail_on in sentences:
            raise RuntimeError("engine failed")
        return [s.upper() for s in sentences]


def run_concurrently(batcher: BatchingTranslator, inputs: list[list[str]]) -> list[list[str] | BaseException]:
    results: list[list[str] | BaseException] = [[] for _ in inputs]
    start = threading.Barrier(len(inputs))

    def call(i: int) -> None:
        start.wait()
        try:
            results[i] = batcher.translate(inputs[i])
        except BaseException as exc:
            results[i] = exc

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(inputs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_requests_share_engine_calls() -> None:
    engine = SlowEngine()
    batcher = BatchingTranslator(engine, max_wait=0.02)
    inputs = [[f"s{i}a", f"s{i}b", "shared"] for i in range(16)]
    results = run_concurrently(batcher, inputs)
    assert results == [[s.upper() for s in sentences] for sentences in inputs]
    assert len(engine.calls) < 16  # merged, not one call per request
    assert sum(len(c) for c in engine.calls) < sum(len(i) for i in inputs)  # "shared" translated once per call
    assert batcher.merged_requests == 16


def test_lone_request_is_one_call() -> None:
    engine = SlowEngine(delay=0)
    batcher = BatchingTranslator(engine, max_wait=0.002)
    assert batcher.translate(["a", "b"]) == ["A", "B"]
    assert engine.calls == [["a", "b"]]


def test_zero_wait_disables_merging() -> None:
    engine = SlowEngine(delay=0.01)
    batcher = BatchingTranslator(engine, max_wait=0)
    inputs = [[f"s{i}"] for i in range(6)]
    results = run_concurrently(batcher, inputs)
    assert results == [[f"S{i}"] for i in range(6)]
    assert sorted(map(tuple, engine.calls)) == sorted((f"s{i}",) for i in range(6))
    assert batcher.engine_calls == 0


def test_engine_failure_reaches_every_caller_of_that_batch_and_the_next_work() -> None:
    engine = SlowEngine(fail_on="boom")
    arrivals = Arrivals()
    batcher = BatchingTranslator(engine, max_wait=5.0, max_sentences=3, arrivals=arrivals)
    with arrivals.coming():  # the leader waits until all three requests are queued: one shared engine call
        results = run_concurrently(batcher, [["boom"], ["fine"], ["also fine"]])
    assert len(engine.calls) == 1
    assert all(isinstance(r, RuntimeError) for r in results), results
    assert batcher.translate(["after"]) == ["AFTER"]  # the failure left the batcher usable


@pytest.mark.parametrize("max_sentences", [1, 4])
def test_a_full_batch_does_not_wait(max_sentences: int) -> None:
    engine = SlowEngine(delay=0)
    batcher = BatchingTranslator(engine, max_wait=5.0, max_sentences=max_sentences)
    started = time.monotonic()
    batcher.translate(["a", "b", "c", "d"])
    assert time.monotonic() - started < 4.0  # did not sit out the 5 s window


def test_lone_request_does_not_wait_when_nothing_else_is_coming() -> None:
    engine = SlowEngine(delay=0)
    batcher = BatchingTranslator(engine, max_wait=5.0, arrivals=Arrivals())
    started = time.monotonic()
    assert batcher.translate(["a"]) == ["A"]
    assert time.monotonic() - started < 4.0  # did not sit out the 5 s window


@pytest.mark.parametrize(("max_wait", "pause"), [(5.0, 0.1), (1.0, 0.05)],
                         ids=["window-5s", "window-under-a-second"])
def test_leader_waits_for_a_request_that_is_on_its_way(max_wait: float, pause: float) -> None:
    engine = SlowEngine(delay=0)
    arrivals = Arrivals()
    batcher = BatchingTranslator(engine, max_wait=max_wait, arrivals=arrivals)
    on_the_way = threading.Event()
    results: dict[str, list[str]] = {}

    def second() -> None:
        with arrivals.coming():  # detection and splitting happen here
            on_the_way.set()
            time.sleep(pause)
        results["second"] = batcher.translate(["b"])

    thread = threading.Thread(target=second)
    thread.start()
    on_the_way.wait()
    results["first"] = batcher.translate(["a"])
    thread.join()
    assert results == {"first": ["A"], "second": ["B"]}
    assert engine.calls == [["a", "b"]]  # the first request waited for the second: one engine call


def cost_in_name(sentences: Sequence[str]) -> int:
    """The worst-case output each test sentence declares before its colon ("1000:lead")."""
    return sum(int(sentence.split(":")[0]) for sentence in sentences)


def calls_after_queueing(sentences: list[str], max_cost: int | None = 1000) -> list[list[str]]:
    """The engine calls when each sentence is one request, sent in order 0.05 s apart (max_cost 1000; None: the
    default): all but the last while a request is on its way, so the first (the leader) waits for them; the last lets
    it take its call."""
    engine = SlowEngine(delay=0.01)
    arrivals = Arrivals()
    limits = {} if max_cost is None else {"max_cost": max_cost}
    batcher = BatchingTranslator(engine, max_wait=2.0, arrivals=arrivals, cost=cost_in_name, **limits)
    threads = []

    def send(sentence: str) -> None:
        threads.append(threading.Thread(target=batcher.translate, args=([sentence],)))
        threads[-1].start()
        time.sleep(0.05)

    with arrivals.coming():
        for sentence in sentences[:-1]:
            send(sentence)
    send(sentences[-1])
    for thread in threads:
        thread.join()
    return engine.calls


@pytest.mark.parametrize(("shorts", "riding"), [(5, 5), (7, 5)])
def test_short_requests_ride_along_in_a_full_call(shorts: int, riding: int) -> None:
    # the leader's own slice fills the call (1000 of max_cost 1000): a long request waits for the next call, short
    # ones (cost <= 1000 / 8) ride along, up to 1000 / 4 of them (5 of 50), in arrival order
    calls = calls_after_queueing(["1000:lead", "1000:long", *(f"50:s{i}" for i in range(shorts))])
    assert calls[0] == ["1000:lead", *(f"50:s{i}" for i in range(riding))]
    assert ["1000:long"] in calls[1:] or ["1000:long", *(f"50:s{i}" for i in range(riding, shorts))] in calls[1:]
    assert sorted(s for call in calls for s in call) == sorted(
        ["1000:lead", "1000:long", *(f"50:s{i}" for i in range(shorts))])


def test_a_request_over_an_eighth_of_the_bound_does_not_ride() -> None:
    calls = calls_after_queueing(["1000:lead", "126:medium", "125:small"])
    assert calls[0] == ["1000:lead", "125:small"]
    assert calls[1] == ["126:medium"]


class GatedEngine(SlowEngine):
    """A call holding "hold" runs until the test opens the gate (a sentence decoding to its bound, say)."""

    def __init__(self) -> None:
        super().__init__(delay=0)
        self.gate = threading.Event()
        self.holding = threading.Event()

    def translate(self, sentences: Sequence[str]) -> list[str]:
        if "hold" in sentences:
            self.holding.set()
            assert self.gate.wait(10)
        return super().translate(sentences)


@pytest.mark.parametrize(("max_calls", "second_done_while_first_runs"), [(1, False), (2, True)])
def test_a_second_call_starts_while_one_runs_only_when_allowed(max_calls: int,
                                                               second_done_while_first_runs: bool) -> None:
    engine = GatedEngine()
    batcher = BatchingTranslator(engine, max_wait=0.001, max_calls=max_calls)
    first = threading.Thread(target=batcher.translate, args=(["hold"],))
    first.start()
    assert engine.holding.wait(10)
    done = threading.Event()

    def send_second() -> None:
        batcher.translate(["next"])
        done.set()

    second = threading.Thread(target=send_second)
    second.start()
    # the gate stays shut: with one call at a time, "next" cannot be done, whatever the wait
    assert done.wait(10 if second_done_while_first_runs else 0.2) is second_done_while_first_runs
    engine.gate.set()
    first.join()
    second.join()
    assert done.is_set()
    assert engine.calls == ([["next"], ["hold"]] if second_done_while_first_runs else [["hold"], ["next"]])


@pytest.mark.parametrize("max_calls", [1, 2, 3])
def test_each_sentence_is_translated_once_whatever_the_calls_at_once(max_calls: int) -> None:
    # with several leaders at a time, a request is in exactly one engine call: its own leader's or another's
    engine = SlowEngine(delay=0.005)
    arrivals = Arrivals()
    batcher = BatchingTranslator(engine, max_wait=0.02, max_calls=max_calls, arrivals=arrivals)
    inputs = [[f"r{i}s{j}" for j in range(1 + i % 3)] for i in range(24)]
    with arrivals.coming():  # every leader waits out its window for stragglers, while others arrive and lead
        results = run_concurrently(batcher, inputs)
    assert results == [[s.upper() for s in sentences] for sentences in inputs]
    translated = sorted(s for call in engine.calls for s in call)
    assert translated == sorted(s for sentences in inputs for s in sentences)
    assert batcher.merged_requests == 24


def test_at_least_one_call_at_a_time() -> None:
    with pytest.raises(ValueError, match=r"^max_calls must be at least 1$"):
        BatchingTranslator(SlowEngine(), max_calls=0)


def test_a_call_takes_requests_while_their_costs_add_up_to_at_most_the_bound() -> None:
    # 400 + 300 + 300 is exactly the bound (1000): in; 200 more is over it, and 200 is too large to ride along
    calls = calls_after_queueing(["400:lead", "300:a", "300:b", "200:c"])
    assert calls == [["400:lead", "300:a", "300:b"], ["200:c"]]


def test_by_default_a_call_takes_no_cost_beyond_the_leaders_own() -> None:
    # max_cost 0 by default: the leader's own request (cost 0 here) and nothing that costs more, not even 1
    assert calls_after_queueing(["0:lead", "1:a"], max_cost=None) == [["0:lead"], ["1:a"]]


def test_by_default_the_leader_waits_5_ms_for_stragglers() -> None:
    engine = SlowEngine(delay=0)
    arrivals = Arrivals()
    batcher = BatchingTranslator(engine, arrivals=arrivals)
    started = time.monotonic()
    with arrivals.coming():  # another request on its way all along: the leader waits out its window
        assert batcher.translate(["a"]) == ["A"]
    assert time.monotonic() - started < 0.5  # 5 ms, not a second
    assert batcher.engine_calls == 1


def test_by_default_256_sentences_fill_a_call() -> None:
    engine = SlowEngine(delay=0)
    arrivals = Arrivals()
    batcher = BatchingTranslator(engine, max_wait=5.0, arrivals=arrivals)
    sentences = [f"s{i}" for i in range(256)]
    started = time.monotonic()
    with arrivals.coming():
        batcher.translate(sentences)
    assert time.monotonic() - started < 4.0  # did not sit out the 5 s window


def test_the_leaders_and_the_queued_sentences_together_fill_a_call() -> None:
    engine = SlowEngine(delay=0)
    arrivals = Arrivals()
    batcher = BatchingTranslator(engine, max_wait=5.0, max_sentences=3, arrivals=arrivals)
    started = time.monotonic()
    with arrivals.coming():  # still on its way: only a full call (2 + 2 >= 3) goes before the window ends
        results = run_concurrently(batcher, [["a", "b"], ["c", "d"]])
    assert time.monotonic() - started < 4.0
    assert results == [["A", "B"], ["C", "D"]]
    assert [sorted(call) for call in engine.calls] == [["a", "b", "c", "d"]]


def test_engine_calls_counts_every_call_and_merged_requests_every_request() -> None:
    batcher = BatchingTranslator(SlowEngine(delay=0), max_wait=0.001)
    batcher.translate(["a"])
    batcher.translate_scored(["b", "c"])
    assert (batcher.engine_calls, batcher.merged_requests) == (2, 2)


class BothWays:
    """An engine with translate() and translate_scored(), recording which one each call used."""

    name, version = "both", "1"

    def __init__(self) -> None:
        self.used: list[tuple[str, list[str], int]] = []

    def translate(self, sentences: Sequence[str]) -> list[str]:
        self.used.append(("translate", list(sentences), 0))
        return [s.upper() for s in sentences]

    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[SentenceResult]:
        self.used.append(("translate_scored", list(sentences), alternatives))
        return [SentenceResult(s.upper(), -0.5, (), tuple((f"{s}~{k}", -2.0 - k) for k in range(alternatives)))
                for s in sentences]


def test_zero_wait_hands_each_call_to_the_engine_as_it_is() -> None:
    engine = BothWays()
    batcher = BatchingTranslator(engine, max_wait=0)
    assert batcher.translate(["a"]) == ["A"]
    assert batcher.translate_scored(["b"], alternatives=1) == [SentenceResult("B", -0.5, (), (("b~0", -2.0),))]
    assert batcher.translate_scored(["c"]) == [SentenceResult("C", -0.5)]
    assert engine.used == [("translate", ["a"], 0), ("translate_scored", ["b"], 1), ("translate_scored", ["c"], 0)]
    assert batcher.engine_calls == 0


def test_scored_translation_asks_for_no_alternatives_unless_told() -> None:
    engine = BothWays()
    batcher = BatchingTranslator(engine, max_wait=0.001)
    assert batcher.translate_scored(["a"]) == [SentenceResult("A", -0.5)]
    assert engine.used == [("translate_scored", ["a"], 0)]


class HeldEngine(SlowEngine):
    """A call with a sentence starting "hold" runs until the test opens the gate; `held` counts such calls."""

    def __init__(self) -> None:
        super().__init__(delay=0)
        self.gate = threading.Event()
        self.held = threading.Semaphore(0)

    def translate(self, sentences: Sequence[str]) -> list[str]:
        if any(s.startswith("hold") for s in sentences):
            self.held.release()
            assert self.gate.wait(10)
        return super().translate(sentences)


def test_no_more_calls_at_once_than_allowed_after_calls_have_ended() -> None:
    engine = HeldEngine()
    batcher = BatchingTranslator(engine, max_wait=0.001, max_calls=2)
    assert batcher.translate(["a"]) == ["A"]  # a call that has ended frees its place, no more
    holders = [threading.Thread(target=batcher.translate, args=([f"hold{i}"],)) for i in range(2)]
    for holder in holders:
        holder.start()
        assert engine.held.acquire(timeout=10)
    done = threading.Event()

    def send_third() -> None:
        batcher.translate(["next"])
        done.set()

    third = threading.Thread(target=send_third)
    third.start()
    assert not done.wait(0.2)  # two calls run: the third waits, whatever the wait
    engine.gate.set()
    for thread in [*holders, third]:
        thread.join(10)
    assert done.is_set()
    assert engine.calls[-1] == ["next"]


def test_a_request_past_its_deadline_leaves_the_queue_and_only_it() -> None:
    engine = HeldEngine()
    batcher = BatchingTranslator(engine, max_wait=0.001)
    holder = threading.Thread(target=batcher.translate, args=(["hold"],))
    holder.start()
    assert engine.held.acquire(timeout=10)
    results: dict[str, list[str]] = {}
    waiting = threading.Thread(target=lambda: results.setdefault("b", batcher.translate(["b"])), daemon=True)
    waiting.start()
    for _ in range(1000):  # until "b" is queued behind the running call
        if batcher._pending:
            break
        time.sleep(0.001)
    with deadline(-1.0), pytest.raises(DeadlineExceededError):
        batcher.translate(["c"])
    engine.gate.set()
    holder.join(10)
    waiting.join(10)
    assert results == {"b": ["B"]}
    assert engine.calls == [["hold"], ["b"]]
