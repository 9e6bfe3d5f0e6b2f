"""An engine layer for sentences written in capitals: the engine gets them sentence-cased, the caller gets its
output back in capitals.

A SentencePiece vocabulary learnt from ordinary text cuts `A NVIDIA LANÇOU UM NOVO CHIP` into single letters, and
the model writes garbage. Measured on 100 headlines in capitals (tools/eval_capitals.py, bench/CAPITALS.md):
sentence-cased input gave the same translation as the headline in ordinary case for 79 of them, lower-cased input
3, capitals as they are none. The output is put back in capitals so that the document keeps its style.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from service.core.casing import in_capitals, sentence_case, shouting
from service.core.translate.results import SentenceResult, SentenceTranslator, translate_scored


class CapitalsTranslator:
    """Sentences in capitals (service.core.casing.shouting) go to the inner engine sentence-cased."""

    def __init__(self, inner: SentenceTranslator) -> None:
        self.inner = inner
        self.name = inner.name
        self.version = inner.version

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate each sentence; same length and order as the input."""
        return [result.text for result in self.translate_scored(sentences)]

    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[SentenceResult]:
        """As the inner engine, with sentences in capitals sent sentence-cased and their outputs (alternatives
        too) given back in capitals."""
        loud = [shouting(sentence) for sentence in sentences]
        if not any(loud):
            return translate_scored(self.inner, sentences, alternatives)
        sent = [sentence_case(s) if shout else s for s, shout in zip(sentences, loud, strict=True)]
        results = translate_scored(self.inner, sent, alternatives)
        return [_in_capitals(result) if shout else result for result, shout in zip(results, loud, strict=True)]


def _in_capitals(result: SentenceResult) -> SentenceResult:
    return replace(result, text=in_capitals(result.text),
                   alternatives=tuple((in_capitals(text), score) for text, score in result.alternatives))
