"""A bounded LRU of sentence translations in front of an engine; a repeated sentence costs nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from service.core.lru import BoundedLru, str_bytes
from service.core.translate.results import SentenceResult, SentenceTranslator, check_alternatives, translate_scored


class CachingTranslator:
    """Keeps whole SentenceResults, keyed by sentence and number of alternatives asked for."""

    def __init__(self, inner: SentenceTranslator, size: int, *, max_bytes: int | None = None,
                 max_entry_chars: int | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.version = inner.version
        # Bounded by entries and, when given, by the bytes held; sentences longer than max_entry_chars
        # are not kept (hostile unique long sentences would fill it with entries of no reuse).
        self._bytes = max_bytes
        self._max_entry_chars = max_entry_chars
        self._cache: BoundedLru[tuple[str, int], SentenceResult] = (
            BoundedLru(size) if max_bytes is None else BoundedLru(max_bytes, max_entries=size))

    def _cost(self, sentence: str, result: SentenceResult) -> int:
        if self._bytes is None:
            return 1
        return str_bytes(sentence, result.text, *(text for text, _ in result.alternatives)) + 200  # + the objects

    @property
    def hits(self) -> int:
        """Distinct sentences of the calls so far that the cache answered."""
        return self._cache.hits

    @property
    def misses(self) -> int:
        """Distinct sentences of the calls so far that went to the engine."""
        return self._cache.misses

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Serve known sentences from the cache, translate the others once each (duplicates too)."""
        return [r.text for r in self.translate_scored(sentences)]

    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[SentenceResult]:
        """As translate(), with scores, flags and alternatives; the cached result is the engine's."""
        check_alternatives(alternatives)
        found: dict[str, SentenceResult] = {}
        missing: list[str] = []
        for sentence in dict.fromkeys(sentences):
            cached = self._cache.get((sentence, alternatives))
            if cached is None:
                missing.append(sentence)
            else:
                found[sentence] = cached
        if missing:
            results = translate_scored(self.inner, missing, alternatives)
            for sentence, result in zip(missing, results, strict=True):
                found[sentence] = result
                if self._max_entry_chars is None or len(sentence) <= self._max_entry_chars:
                    self._cache.put((sentence, alternatives), result, self._cost(sentence, result))
        return [found[s] for s in sentences]


@runtime_checkable
class Layer(Protocol):
    """An engine layer over another (cache, batching queue, work budget)."""

    inner: SentenceTranslator


def sentence_cache(engine: SentenceTranslator) -> CachingTranslator | None:
    """The sentence cache among an engine's layers, if it has one (for its counters)."""
    while not isinstance(engine, CachingTranslator):
        if not isinstance(engine, Layer):
            return None
        engine = engine.inner
    return engine
