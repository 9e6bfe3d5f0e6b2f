"""The work budget of one request: what the engine will really spend, checked before it starts, and a deadline.

Characters are a poor measure of cost: 100,000 characters of emoji with ZWJ are many times the SentencePiece
tokens of 100,000 characters of prose, and the decoder's work follows tokens. So the budget counts the model's
own source tokens per document, bounds the worst-case output (each chunk's decoding bound summed), and the
engine works in slices of `slice_tokens`, between which other requests' sentences join the shared engine
calls (batching.py) and the request's deadline is checked.
"""

from __future__ import annotations

import contextvars
import itertools
import math
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from service.core.deadline import DeadlineExceededError, check_deadline, deadline, remaining
from service.core.exceptions import CoreError
from service.core.translate import SentenceResult, SentenceTranslator, translate_scored
from service.core.translate.tokenizer import Tokenizer
from service.core.translate.windows import Window, join, windows

__all__ = ["DeadlineExceededError", "MeteredTranslator", "TokenCounting", "WorkBudget", "WorkBudgetExceededError",
           "check_deadline", "deadline"]


class WorkBudgetExceededError(CoreError):
    """A document would cost the engine more than one request may; the message names the limit."""

    def __init__(self, message: str, limit: str) -> None:
        super().__init__(message)
        self.limit = limit


@dataclass(frozen=True)
class WorkBudget:
    """Bounds of one document's engine work, in the model's tokens."""

    max_source_tokens: int = 60_000
    max_output_tokens: int = 100_000
    chunk_tokens: int = 200  # the engine cuts longer sentences into chunks of this many (translate.py)
    length_ratio: float = 2.0
    length_extra: int = 10

    def output_bound(self, token_counts: Sequence[int]) -> int:
        """The most output tokens the engine can write for sentences of these lengths."""
        total = 0
        for count in token_counts:
            chunks, rest = divmod(count, self.chunk_tokens)
            total += chunks * (math.ceil(self.chunk_tokens * self.length_ratio) + self.length_extra)
            if rest:
                total += math.ceil(rest * self.length_ratio) + self.length_extra
        return total

    def worst_output(self, tokenizer: Tokenizer) -> Callable[[Sequence[str]], int]:
        """The worst-case output tokens of some sentences (windows), counted with the package's tokenizer."""
        return lambda texts: self.output_bound(tokenizer.count(texts))

    def check_source(self, source: int) -> None:
        """Raise WorkBudgetExceededError when `source` tokens are over the source bound."""
        if source > self.max_source_tokens:
            raise WorkBudgetExceededError(
                f"the text is {source} model tokens; the limit is {self.max_source_tokens} per request "
                "(PONTE_MAX_SOURCE_TOKENS): split it", "max_source_tokens")

    def check(self, token_counts: Sequence[int]) -> None:
        """Raise WorkBudgetExceededError when the sentences' cost is over a bound."""
        self.check_source(sum(token_counts))
        output = self.output_bound(token_counts)
        if output > self.max_output_tokens:
            raise WorkBudgetExceededError(
                f"the text may cost up to {output} output tokens; the limit is {self.max_output_tokens} per "
                "request (PONTE_MAX_OUTPUT_TOKENS): split it or use fewer, longer sentences", "max_output_tokens")


@runtime_checkable
class TokenCounting(Protocol):
    """An engine that can say what sentences cost it."""

    def count_tokens(self, sentences: Sequence[str]) -> list[int]:
        """Source tokens of each sentence."""
        ...


class MeteredTranslator:
    """The outermost engine layer: cuts every sentence into windows (translate/windows.py), feeds the inner engine
    in slices of windows whose worst-case output (their decoding bounds summed) is at most `slice_tokens`, and
    checks the request's deadline before each slice, so that no sentence, however long or degenerate, keeps the
    engine past a slice: other requests' slices get in between, and the deadline holds to one slice."""

    def __init__(self, inner: SentenceTranslator, tokenizer: Tokenizer, slice_tokens: int,
                 budget: WorkBudget | None = None, *, in_flight: int = 2) -> None:
        self.inner = inner
        self.name = inner.name
        self.version = inner.version
        self.slice_tokens = slice_tokens
        self.budget = budget or WorkBudget()
        # slices of one request given to the engine at once: with 2, the next slice is decoded while the last
        # sentences of the previous one finish (a slice's tail and its repair leave replicas idle: measured on the
        # bench workload's 185 sentences in one call, 3.9 s in slices of 1,000 tokens one at a time, 2.1 s unsliced)
        self.in_flight = max(1, in_flight)
        # the package's tokenizer, shared with the engine: the pieces counted here are the engine's, kept for it
        self.tokenizer = tokenizer

    def count_tokens(self, sentences: Sequence[str]) -> list[int]:
        """Source tokens of each sentence, as the engine will see them."""
        return self.tokenizer.count(sentences)

    def windows(self, sentences: Sequence[str]) -> list[Window]:
        """The sentences cut into the windows the engine is given."""
        return windows(sentences, self.budget.chunk_tokens, self.tokenizer)

    def _slices(self, parts: Sequence[Window]) -> Iterator[Sequence[Window]]:
        """Consecutive windows whose decoding bounds add up to at most `slice_tokens` (one window at least), the
        deadline checked before each. Near the deadline a slice holds only what the time left can pay for, at the
        rate the request's own slices have cost so far (seconds per worst-case output token), so that the last one
        ends close to the deadline rather than a whole slice after it."""
        start = 0
        rate: float | None = None
        while start < len(parts):
            check_deadline()
            left = remaining()
            limit = self.slice_tokens
            if left is not None and rate:
                limit = max(1, min(limit, int(left / rate)))
            end, cost = start, 0
            while end < len(parts):
                bound = self.budget.output_bound([parts[end].tokens])
                if end > start and cost + bound > limit:
                    break
                cost += bound
                end += 1
            began = time.monotonic()
            yield parts[start:end]
            spent = (time.monotonic() - began) / max(1, cost)
            rate = spent if rate is None else max(spent, (rate + spent) / 2)
            start = end

    def _weight(self, text: str) -> int:
        return self.tokenizer.count([text])[0]

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate window by window, slice by slice, so that other requests get engine calls in between."""
        return [result.text for result in self.translate_scored(sentences)]

    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[SentenceResult]:
        """As translate(), with scores, flags and alternatives (service.core.translate.translate_scored); a sentence
        of several windows gets their texts joined, their scores weighted by output length, and no alternatives."""
        parts = self.windows(sentences)
        results = [result for done in self._pipelined(self._slices(parts), alternatives) for result in done]
        return join(len(sentences), parts, results, self._weight)

    def _pipelined(self, slices: Iterator[Sequence[Window]], alternatives: int) -> Iterator[list[SentenceResult]]:
        """Each slice's results, in order, with up to `in_flight` slices at the engine at once while the deadline is
        far (more than three of the longest slice so far away), one at a time near it, so that a request still
        ends within about one slice of its deadline. The deadline is checked (by `slices`) before each slice is
        handed over; the slices run in threads that carry this thread's context (its deadline)."""
        def run(part: Sequence[Window]) -> list[SentenceResult]:
            return translate_scored(self.inner, [window.text for window in part], alternatives)

        if self.in_flight == 1:
            for part in slices:
                yield run(part)
            return
        first = next(slices, None)
        if first is None:
            return
        second = next(slices, None)
        if second is None:  # one slice (most requests): no thread
            yield run(first)
            return
        longest = 0.0
        pending: deque[tuple[float, Future[list[SentenceResult]]]] = deque()

        def done() -> list[SentenceResult]:
            nonlocal longest
            submitted, future = pending.popleft()
            result = future.result()
            longest = max(longest, time.monotonic() - submitted)
            return result

        with ThreadPoolExecutor(max_workers=self.in_flight, thread_name_prefix="ponte-slice") as pool:
            try:
                for part in itertools.chain((first, second), slices):
                    pending.append((time.monotonic(), pool.submit(contextvars.copy_context().run, run, part)))
                    left = remaining()
                    room = 1 if left is not None and left < 3 * longest else self.in_flight
                    while len(pending) >= room:
                        yield done()
                while pending:
                    yield done()
            finally:
                for _, future in pending:
                    future.cancel()
