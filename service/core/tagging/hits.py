"""What matching hands to scoring: a term as a topic uses it, a located hit of it, and sorted spans to query."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import NamedTuple

from service.core.tagging.taxonomy import Near


@dataclass(frozen=True)
class Use:
    """A term as one topic uses it (its own, or borrowed through `include`)."""

    topic: int
    concept: str
    weight: float
    groups: frozenset[str]
    vetoed_by: frozenset[int]  # topics whose exclusions veto a match of this term
    near: Near | None = None


class Field(NamedTuple):
    """A text the tagger reads (the source or its translation) and the language it is written in."""

    text: str
    language: str


class Hit(NamedTuple):
    """One match of a term use in one field: `text[start:end]`."""

    field: str
    start: int
    end: int
    use: Use


class Spans:
    """Sorted spans of one kind in one text, for overlap and proximity questions."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.longest = 0
        self._sorted = True

    def add(self, span: tuple[int, int]) -> None:
        self._sorted = self._sorted and (not self.spans or self.spans[-1] <= span)
        self.spans.append(span)
        self.longest = max(self.longest, span[1] - span[0])

    def near(self, start: int, end: int, distance: int) -> bool:
        """Whether a span lies within `distance` characters of [start, end) (0: overlapping)."""
        if not self._sorted:
            self.spans.sort()
            self._sorted = True
        index = bisect.bisect_left(self.spans, (start - distance - self.longest, 0))
        while index < len(self.spans) and self.spans[index][0] <= end + distance:
            other_start, other_end = self.spans[index]
            if max(other_start, start) - min(other_end, end) <= distance:
                return True
            index += 1
        return False

    def overlaps(self, span: tuple[int, int]) -> bool:
        """Whether a span shares at least one character with [start, end)."""
        return self.near(span[0], span[1], -1)
