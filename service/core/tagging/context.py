"""Context rules: which hits keep their `near` context and their topic's `requires` co-occurrence.

`within: sentence` means the same sentence as core.segment.split_sentences cuts it for translation.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from typing import Literal

from service.core.segment import split_sentences
from service.core.tagging.hits import Field, Hit, Spans
from service.core.tagging.taxonomy import Requirement


def in_context(hits: list[Hit], requires: Requirement | None, fields: Mapping[str, Field]) -> list[Hit]:
    """The hits whose `near` context and whose topic's `requires` co-occurrence are satisfied."""
    if requires is None and not any(hit.use.near for hit in hits):
        return hits
    kept: list[Hit] = []
    for field in sorted({hit.field for hit in hits}):
        field_hits = [hit for hit in hits if hit.field == field]
        around = _Neighbourhood(field_hits, fields[field])
        for hit in field_hits:
            near = hit.use.near
            if near is not None and not any(around.has(group, hit, near.within) for group in near.groups):
                continue
            if requires is not None and not all(around.has(g, hit, requires.within) for g in requires.groups):
                continue
            kept.append(hit)
    return kept


class _Neighbourhood:
    """Where each group matched in one field: is there a match of group g near this hit?"""

    def __init__(self, hits: list[Hit], field: Field) -> None:
        self.field = field
        self.spans: dict[str, Spans] = {}
        for hit in sorted(hits, key=lambda hit: (hit.start, hit.end)):
            for group in hit.use.groups:
                self.spans.setdefault(group, Spans()).add((hit.start, hit.end))
        self._starts: list[int] | None = None
        self._sentences: dict[str, set[int]] = {}

    def has(self, group: str, hit: Hit, within: int | Literal["sentence"]) -> bool:
        if group in hit.use.groups:
            return True
        spans = self.spans.get(group)
        if spans is None:
            return False
        if isinstance(within, int):
            return spans.near(hit.start, hit.end, within)
        if group not in self._sentences:
            self._sentences[group] = {self.sentence(start) for start, _ in spans.spans}
        return self.sentence(hit.start) in self._sentences[group]

    def sentence(self, position: int) -> int:
        """The number of the sentence a position falls in, by the sentences translation uses (core.segment)."""
        if self._starts is None:
            segmentation = split_sentences(self.field.text, self.field.language)
            self._starts = [sentence.start for sentence in segmentation.sentences]
        return bisect.bisect_right(self._starts, position)
