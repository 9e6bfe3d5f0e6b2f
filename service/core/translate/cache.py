"""A bounded LRU of sentence translations in front of an engine; a repeated sentence costs nothing."""

from __future__ import annotations

from collections.abc import Sequence

from service.core.lru import BoundedLru
from service.core.translate.results import SentenceResult, SentenceTranslator, check_alternatives, translate_scored


class CachingTranslator:
    """Keeps whole SentenceResults, keyed by sentence and number of alternatives asked for."""

    def __init__(self, inner: SentenceTranslator, size: int) -> None:
        self.inner = inner
        self.name = inner.name
        self.version = inner.version
        self._cache: BoundedLru[tuple[str, int], SentenceResult] = BoundedLru(size)

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
                self._cache.put((sentence, alternatives), result)
        return [found[s] for s in sentences]
