"""What an engine returns per sentence, and the protocols the pipeline, cache and batching rely on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

# The closed set of quality flags, in the order they are reported.
REPETITION = "repetition"
LENGTH_RATIO = "length_ratio"
TRUNCATED = "truncated"
UNTRANSLATED = "untranslated"
UNKNOWN_TOKENS = "unknown_tokens"
REPAIRED = "repaired"
FLAGS: tuple[str, ...] = (REPETITION, LENGTH_RATIO, TRUNCATED, UNTRANSLATED, UNKNOWN_TOKENS, REPAIRED)
MAX_ALTERNATIVES = 3


def ordered_flags(flags: set[str] | frozenset[str] | Sequence[str]) -> tuple[str, ...]:
    """The flags in their fixed reporting order; an unknown flag is a programming error."""
    unknown = set(flags) - set(FLAGS)
    if unknown:
        raise ValueError(f"unknown flags {sorted(unknown)}")
    return tuple(f for f in FLAGS if f in flags)


@dataclass(frozen=True)
class SentenceResult:
    """One sentence's translation with the model's confidence in it.

    score: mean log-probability per target token of the chosen hypothesis (None: the engine gives none);
    alternatives: other hypotheses of the same beam search as (text, score), best first.
    """

    text: str
    score: float | None = None
    flags: tuple[str, ...] = ()
    alternatives: tuple[tuple[str, float], ...] = ()


class SentenceTranslator(Protocol):
    """Translates sentences one-to-one; what the pipeline needs from an engine."""

    name: str
    version: str

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate each sentence; same length and order as the input."""
        ...


@runtime_checkable
class ScoredTranslator(Protocol):  # pragma: no mutate block (isinstance would ask engines for its mutants)
    """An engine that also says how sure it is of each sentence."""

    name: str
    version: str

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate each sentence; same length and order as the input."""
        ...

    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[SentenceResult]:
        """Translate each sentence with score, flags and up to `alternatives` other hypotheses."""
        ...


def check_alternatives(alternatives: int) -> int:
    """Refuse a number of alternatives outside 0..MAX_ALTERNATIVES."""
    if not 0 <= alternatives <= MAX_ALTERNATIVES:
        raise ValueError(f"alternatives must be between 0 and {MAX_ALTERNATIVES}, not {alternatives}")
    return alternatives


def translate_scored(engine: SentenceTranslator, sentences: Sequence[str],
                     alternatives: int = 0) -> list[SentenceResult]:
    """Scored results from any engine; one that only has translate() gives texts without score or flags."""
    check_alternatives(alternatives)
    if isinstance(engine, ScoredTranslator):
        return engine.translate_scored(sentences, alternatives)
    return [SentenceResult(text) for text in engine.translate(sentences)]
