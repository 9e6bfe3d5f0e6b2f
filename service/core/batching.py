"""Requests that arrive together in one worker share engine calls.

While the engine is busy, the sentences of newly arrived requests wait in a queue; when it frees up,
one of the waiting callers (the leader) takes everything queued and sends it in one engine call.
Up to `max_calls` calls run at once (one per engine replica by default): a call's sub-batches are spread
over the replicas, and while the last of them runs on one replica (a sentence decoding to its bound), the
next call can start on the others instead of leaving them idle.
Before sending, the leader waits for stragglers, at most `max_wait`, and only while other requests
of this worker are still on their way to the engine (being read, detected, split: `Arrivals`), so a
lone request is never delayed. No background thread: a caller thread does the work, so nothing
outlives a request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from service.core.deadline import check_deadline
from service.core.deadline import remaining as time_left
from service.core.translate import SentenceResult, SentenceTranslator, translate_scored
from service.core.translate.results import check_alternatives


class Arrivals:
    """How many requests of this worker are on their way to the engine (before their translate call)."""

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()

    @contextmanager
    def coming(self) -> Iterator[None]:
        """Mark a request as heading for the engine for the duration of the block."""
        with self._lock:
            self._count += 1
        try:
            yield
        finally:
            with self._lock:
                self._count -= 1

    @property
    def count(self) -> int:
        """Requests currently on their way."""
        return self._count


@dataclass
class _Request:
    sentences: Sequence[str]
    alternatives: int = 0
    cost: int = 0
    result: list[SentenceResult] | None = None
    error: BaseException | None = None
    done: bool = False


class BatchingTranslator:
    """Merge concurrent translate() calls into shared engine calls, at most max_calls of them at once; max_wait 0
    turns merging off."""

    def __init__(self, inner: SentenceTranslator, max_wait: float = 0.005, max_sentences: int = 256,
                 arrivals: Arrivals | None = None, *, cost: Callable[[Sequence[str]], int] | None = None,
                 max_cost: int = 0, max_calls: int = 1) -> None:
        if max_calls < 1:
            raise ValueError("max_calls must be at least 1")
        self.inner = inner
        self._max_calls = max_calls
        # With a cost (worst-case output tokens of some sentences), an engine call takes the leader's request and
        # then others only while their costs add up to at most max_cost: a call's time stays bounded, and with
        # it how long a request can wait past its deadline for the call it is in.
        self._cost = cost
        self._max_cost = max_cost
        self._arrivals = arrivals
        self.name = inner.name
        self.version = inner.version
        self._max_wait = max_wait
        self._max_sentences = max_sentences
        self._cond = threading.Condition()
        self._pending: list[_Request] = []
        self._busy = 0  # engine calls running
        self.engine_calls = 0
        self.merged_requests = 0

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate, possibly together with other callers' sentences; same result as alone."""
        if self._max_wait <= 0:
            return self.inner.translate(sentences)
        return [r.text for r in self.translate_scored(sentences)]

    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[SentenceResult]:
        """As translate(), with scores and flags; callers asking for the same alternatives share a call."""
        check_alternatives(alternatives)
        if self._max_wait <= 0:
            return translate_scored(self.inner, sentences, alternatives)
        request = _Request(sentences, alternatives, cost=self._cost(sentences) if self._cost is not None else 0)
        with self._cond:
            self._pending.append(request)
            self._cond.notify_all()
            while not request.done:
                queued = any(r is request for r in self._pending)
                if queued and self._busy < self._max_calls:
                    break  # an engine call is free: this caller leads it
                left = time_left()
                if left is None or not queued:
                    self._cond.wait()  # no deadline, or already in a running engine call
                elif left > 0:
                    self._cond.wait(left)
                else:  # past the request's deadline before an engine call took it: leave the queue
                    self._pending = [r for r in self._pending if r is not request]
                    check_deadline()
            if request.done:
                return self._outcome(request)
            self._busy += 1  # this caller leads the next engine call, with its own request in it
            self._pending = [r for r in self._pending if r is not request]
            deadline = time.monotonic() + self._max_wait
            while (len(request.sentences) + sum(len(r.sentences) for r in self._pending) < self._max_sentences
                   and (self._arrivals is None or self._arrivals.count > 0)):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            batch = self._take(request)
        try:
            for alternatives in sorted({r.alternatives for r in batch}):
                group = [r for r in batch if r.alternatives == alternatives]
                unique = list(dict.fromkeys(s for r in group for s in r.sentences))
                translated = dict(zip(unique, translate_scored(self.inner, unique, alternatives), strict=True))
                for r in group:
                    r.result = [translated[s] for s in r.sentences]
        except BaseException as exc:  # every caller of the batch learns of the failure
            for r in batch:
                r.error = exc
        finally:
            with self._cond:
                self.engine_calls += 1
                self.merged_requests += len(batch)
                for r in batch:
                    r.done = True
                self._busy -= 1
                self._cond.notify_all()
        return self._outcome(request)

    def _take(self, own: _Request) -> list[_Request]:
        """The requests of the next engine call (under the lock): the leader's own (already out of the queue), then
        every pending one without a cost function; else the others in arrival order that fit in max_cost (the rest
        wait for the next).

        A small request (cost at most max_cost / 8: a short text) rides along even when the call is full, up to
        max_cost / 4 of riders a call: behind full slices of long documents it would otherwise wait for whichever
        waiting caller leads next, call after call. A call stays within 1.25 x max_cost."""
        if self._cost is None:
            batch, self._pending = [own, *self._pending], []
            return batch
        batch, used, rest = [own], own.cost, []
        small, riders = self._max_cost // 8, 0
        for pending in self._pending:
            if used + pending.cost <= self._max_cost:
                batch.append(pending)
                used += pending.cost
            elif pending.cost <= small and riders + pending.cost <= 2 * small:
                batch.append(pending)
                riders += pending.cost
            else:
                rest.append(pending)
        self._pending = rest
        return batch

    @staticmethod
    def _outcome(request: _Request) -> list[SentenceResult]:
        if request.error is not None:
            raise request.error
        assert request.result is not None
        return request.result
