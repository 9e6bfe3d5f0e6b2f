"""Where translated words go (formats/slots.py): the rules of its helpers on inputs worked out by hand."""

from __future__ import annotations

import pytest

from service.core.formats.slots import _find_outside


@pytest.mark.parametrize(("target", "text", "taken", "found"), [
    ("ab ab", "ab", [], 0),                     # the first occurrence
    ("abc", "x", [], -1),
    ("a b a", "a", [(0, 1)], 4),                # the first one is taken: the next
    ("a b a", "a", [(0, 1), (4, 5)], -1),       # every one is taken
    ("ab ab ab", "ab", [(0, 2)], 3),            # the next free one, not the last
    ("aaa", "aa", [(0, 1)], 1),                 # occurrences may overlap each other
    ("xab", "ab", [(0, 1)], 1),                 # touching a taken range at its end is outside it
    ("abx", "ab", [(2, 3)], 0),                 # touching one at its start too
    ("xab", "ab", [(1, 3)], -1),                # exactly a taken range
    ("xab", "ab", [(2, 3)], -1),                # its end inside one
])
def test_find_outside_gives_the_first_occurrence_that_overlaps_no_taken_range(
        target: str, text: str, taken: list[tuple[int, int]], found: int) -> None:
    assert _find_outside(target, text, taken) == found
