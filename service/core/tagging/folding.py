"""Accent, case and typography folding for matching, with a map back to the offsets of the original text.

Terms and texts are folded the same way so that a term written once ("regulação") matches its variants
("regulacao", "REGULAÇÃO", "regulação" in decomposed Unicode); `Folded.original` turns a span found in the
folded text back into the span of the original text that evidence must point at.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from service.core.tagging.taxonomy import CASE_INSENSITIVE

# Typographic variants folded to their ASCII form so that terms need to be written only once.
_PUNCTUATION = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u2033", '"'),
}


@lru_cache(maxsize=8192)
def fold_char(char: str) -> tuple[str, str]:
    """(case-and-accent folded, accent folded) forms of one character."""
    special = _PUNCTUATION.get(char)
    if special is not None:
        return special, special
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    lower = base.lower()
    if len(lower) != len(base):
        lower = base
    return lower, base


@lru_cache(maxsize=16384)
def fold(text: str, case: str) -> str:
    """Fold a term the way texts are folded for its case rule."""
    folded = Folded.of(text)
    return folded.insensitive if case == CASE_INSENSITIVE else folded.sensitive


@dataclass(frozen=True)
class Folded:
    """A text folded for matching, with the way back to the original offsets."""

    insensitive: str
    sensitive: str
    starts: tuple[int, ...] | None = None  # folded index -> original start; None: same offsets
    ends: tuple[int, ...] | None = None  # folded index -> original end of that character

    @classmethod
    def of(cls, text: str) -> Folded:
        """Fold a text for both case rules; offsets are mapped only where folding changes lengths."""
        if text.isascii():
            return cls(text.lower(), text)
        table: dict[int, str] = {}
        for char in set(text):
            sensitive = fold_char(char)[1]
            if len(sensitive) != 1:
                # Letters that fold to several characters (ligatures) or to none (combining marks
                # of decomposed text) change the length: map offsets one character at a time.
                if not sensitive or unicodedata.category(char).startswith("L"):
                    return cls._slow(text)
                continue  # symbols such as "…" or "½" stay as they are
            if sensitive != char:
                table[ord(char)] = sensitive
        sensitive_text = text.translate(table)
        insensitive_text = sensitive_text.lower()
        if len(insensitive_text) != len(text):
            return cls._slow(text)
        return cls(insensitive_text, sensitive_text)

    @classmethod
    def _slow(cls, text: str) -> Folded:
        insensitive: list[str] = []
        sensitive: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for index, char in enumerate(text):
            lower, base = fold_char(char)
            if not base:
                # A combining mark belongs to the characters produced just before it.
                back = len(ends) - 1
                while back >= 0 and ends[back] == index:
                    ends[back] = index + 1
                    back -= 1
                continue
            insensitive.append(lower)
            sensitive.append(base)
            starts.extend([index] * len(base))
            ends.extend([index + 1] * len(base))
        return cls("".join(insensitive), "".join(sensitive), tuple(starts), tuple(ends))

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the folded span [start, end)."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]
