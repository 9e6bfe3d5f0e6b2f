"""What counts as text in capitals, at each of its bounds: 8 cased letters, a tenth of them in lower case (and a
tenth of all characters), two words in capitals, and placeholders (`%s`) that are neither letters nor words."""

from __future__ import annotations

import pytest

from service.core.casing import in_capitals, shouting


@pytest.mark.parametrize(("text", "loud"), [
    ("ABCD EFGH", True),  # 8 cased letters, two words in capitals: at both bounds
    ("ABC DEFG", False),  # 7 cased letters
    ("ABCDEFGH 123", False),  # one word in capitals
    ("ABCDEFGH IJ", True),  # a second one of two letters
    ("A B C D E F G H", False),  # 8 capitals, but no word of two letters
    ("ABCD EFGH Ij", True),  # 1 lower-case letter of 10 cased: exactly a tenth
    ("ABCD EFGH Ijk", False),  # 2 of 11: over a tenth
    # 1 lower-case letter in 10 characters, all cased (a circled letter is lower case but no word character, so
    # it parts two words): exactly a tenth of all characters is not over it
    ("ABCD\u24d0EFGHI", True),
    ("NVIDIANOVO %s %s", False),  # placeholders are not words in capitals
    ("%s %s %s %s ABCDEFGH", False),  # ... nor cased letters: one word in capitals
])
def test_shouting_at_its_bounds(text: str, loud: bool) -> None:
    assert shouting(text) is loud


def test_placeholders_stay_as_written_in_capitals() -> None:
    assert in_capitals("%s costs %1$d, %lu more") == "%s COSTS %1$d, %lu MORE"
    assert in_capitals("%s") == "%s"
