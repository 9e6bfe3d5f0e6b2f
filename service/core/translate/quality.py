"""Quality flags of one translated sentence, from the output alone (no reference needed).

The thresholds are parameters: their defaults were measured on the held-out parallel set
(tests/data/heldout_pt_en.tsv, `python tools/eval_translation.py --measure`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from service.core.translate.results import (
    LENGTH_RATIO,
    REPETITION,
    TRUNCATED,
    UNKNOWN_TOKENS,
    UNTRANSLATED,
    ordered_flags,
)

UNK = "<unk>"


@dataclass(frozen=True)
class QualityRules:
    """When an output is flagged; part of the engine's options."""

    # repetition: an n-gram of at most `repeat_max_ngram` pieces repeated back to back
    # `repeat_min_count` times or more (the reference side of the held-out set never does it)
    repeat_max_ngram: int = 4
    repeat_min_count: int = 3
    # length_ratio: output/input characters outside [low, high], for inputs of at least `length_min_chars`
    # (the 0.5th and 99.5th percentiles of the held-out references' en/pt ratio, all lengths: 0.50 and 1.40)
    length_ratio_low: float = 0.5
    length_ratio_high: float = 1.4
    length_min_chars: int = 0
    # untranslated: output equal to a source of at least this many words (a name or "%s GB" stays as is)
    untranslated_min_words: int = 3


def looping_ngram(pieces: Sequence[str], max_ngram: int, min_count: int) -> bool:
    """Whether some n-gram (n <= max_ngram) occurs min_count or more times back to back."""
    if min_count < 2:
        raise ValueError("min_count must be at least 2")
    length = len(pieces)
    for n in range(1, max_ngram + 1):
        need = n * min_count
        for start in range(0, length - need + 1):
            gram = pieces[start:start + n]
            if all(pieces[start + k * n:start + (k + 1) * n] == gram for k in range(1, min_count)):
                return True
    return False


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def assess(source: str, output: str, output_pieces: Sequence[str], *, truncated: bool, source_unknown: bool,
           rules: QualityRules) -> tuple[str, ...]:
    """The flags of one translation (repaired excluded: only the engine knows it repaired)."""
    flags: set[str] = set()
    if looping_ngram(output_pieces, rules.repeat_max_ngram, rules.repeat_min_count):
        flags.add(REPETITION)
    source_chars = len(source.strip())
    if source_chars >= rules.length_min_chars:
        ratio = len(output.strip()) / source_chars
        if not rules.length_ratio_low <= ratio <= rules.length_ratio_high:
            flags.add(LENGTH_RATIO)
    if truncated:
        flags.add(TRUNCATED)
    words = sum(1 for word in source.split() if any(c.isalpha() for c in word))
    if words >= rules.untranslated_min_words and _normal(source) == _normal(output):
        flags.add(UNTRANSLATED)
    # replace_unknowns copies a source word over a generated <unk>, so the output rarely shows one:
    # a source piece outside the vocabulary is what made the model write it.
    if source_unknown or UNK in output_pieces:
        flags.add(UNKNOWN_TOKENS)
    return ordered_flags(flags)
