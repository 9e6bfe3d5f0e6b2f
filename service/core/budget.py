"""The work budget of one request: what the engine will really spend, checked before it starts, and a deadline.

Characters are a poor measure of cost: 100,000 characters of emoji with ZWJ are many times the SentencePiece
tokens of 100,000 characters of prose, and the decoder's work follows tokens. So the budget counts the model's
own source tokens per document, bounds the worst-case output (each chunk's decoding bound summed), and the
engine works in slices of `slice_tokens`, between which other requests' sentences join the shared engine
calls (batching.py) and the request's deadline is checked.
"""

from __future__ import annotations

import contextvars
import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from service.core.exceptions import CoreError
from service.core.translate import SentenceResult, SentenceTranslator, translate_scored
from service.core.translate.tokenizer import Tokenizer


class WorkBudgetExceededError(CoreError):
    """A document would cost the engine more than one request may; the message names the limit."""

    def __init__(self, message: str, limit: str) -> None:
        super().__init__(message)
        self.limit = limit


class DeadlineExceededError(CoreError):
    """The request's deadline passed before its translation was done."""


_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("ponte_deadline", default=None)


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Give the work done in this block (in this thread) `seconds` from now; None: no deadline."""
    token = _deadline.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def check_deadline() -> None:
    """Raise DeadlineExceededError when the current block's deadline has passed."""
    at = _deadline.get()
    if at is not None and time.monotonic() > at:
        raise DeadlineExceededError("the request ran out of time (PONTE_REQUEST_DEADLINE) before its translation "
                                    "was done; retry later or send a shorter text")


@dataclass(frozen=True)
class WorkBudget:
    """Bounds of one document's engine work, in the model's tokens."""

    max_source_tokens: int = 60_000
    max_output_tokens: int = 80_000
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

    def check(self, token_counts: Sequence[int]) -> None:
        """Raise WorkBudgetExceededError when the sentences' cost is over a bound."""
        source = sum(token_counts)
        if source > self.max_source_tokens:
            raise WorkBudgetExceededError(
                f"the text is {source} model tokens; the limit is {self.max_source_tokens} per request "
                "(PONTE_MAX_SOURCE_TOKENS): split it", "max_source_tokens")
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
    """The outermost engine layer: counts tokens with the package's SentencePiece model and feeds the inner
    engine in slices of at most `slice_tokens`, checking the deadline before each."""

    def __init__(self, inner: SentenceTranslator, tokenizer: Tokenizer, slice_tokens: int) -> None:
        self.inner = inner
        self.name = inner.name
        self.version = inner.version
        self.slice_tokens = slice_tokens
        # the package's tokenizer, shared with the engine: the pieces counted here are the engine's, kept for it
        self._tokenizer = tokenizer

    def count_tokens(self, sentences: Sequence[str]) -> list[int]:
        """Source tokens of each sentence, as the engine will see them."""
        return self._tokenizer.count(sentences)

    def _slices(self, sentences: Sequence[str]) -> Iterator[Sequence[str]]:
        """Consecutive runs of at most `slice_tokens` source tokens (one sentence at least), the deadline checked
        before each."""
        counts = self.count_tokens(sentences)
        start = 0
        while start < len(sentences):
            check_deadline()
            end, used = start, 0
            while end < len(sentences) and (end == start or used + counts[end] <= self.slice_tokens):
                used += counts[end]
                end += 1
            yield sentences[start:end]
            start = end

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate slice by slice, so that other requests get engine calls in between."""
        return [text for part in self._slices(sentences) for text in self.inner.translate(part)]

    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[SentenceResult]:
        """As translate(), with scores, flags and alternatives (service.core.translate.translate_scored)."""
        return [result for part in self._slices(sentences)
                for result in translate_scored(self.inner, part, alternatives)]
