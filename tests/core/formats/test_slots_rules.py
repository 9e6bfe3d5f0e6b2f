"""Where translated words go (formats/slots.py): the rules of its helpers on inputs worked out by hand."""

from __future__ import annotations

import pytest

from service.core.formats.slots import Placed, Slot, _find_outside, _find_word, _share, place
from tests.core.formats.helpers import render_with


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


@pytest.mark.parametrize(("target", "text", "cursor", "found"), [
    ("ab", "ab", 0, 0),              # at the very start
    ("ab ab", "ab", 0, 0),           # the first occurrence, not the last
    ("ab ab", "ab", 1, 3),           # none before the cursor
    ("xab ab", "ab", 0, 4),          # one that starts inside a word is passed over
    ("y xab ab", "ab", 0, 6),        # (the one character before it decides, not two)
    ("abx ab", "ab", 0, 4),          # one that ends inside a word too
    ("xab ab ab", "ab", 0, 4),       # after one passed over, the next one, not the last
    ("xa. a.", "a.", 0, 4),          # a text that starts with a letter may not follow a letter
    ("ab.x ab.", "ab.", 0, 0),       # a text that ends with a stop may be followed by a letter
    ("x.a", ".a", 0, 1),             # and one that starts with a stop may follow a letter
    ("ab", "x", 0, -1),              # none at all
    ("xab", "ab", 0, -1),            # only inside a word
])
def test_find_word_gives_the_first_occurrence_from_the_cursor_that_cuts_no_word(
        target: str, text: str, cursor: int, found: int) -> None:
    # A free slot's text anchors only as whole words: "Lisboa" must not be found inside "Lisboan".
    assert _find_word(target, text, cursor) == found


@pytest.mark.parametrize(("text", "offset", "spans", "visible", "parts"), [
    # equal lengths, equal shares; each part ends where its last word ends in the target (offset + index)
    ("ab ab", 10, [(0, 2), (3, 5)], "xx yy", [("ab", 12), ("ab", 15)]),
    # 4 words over lengths 2 and 2: 2 each; over lengths 1 and 3: 1 and 3
    ("one two three four", 0, [(0, 2), (3, 5)], "ab cd", [("one two", 7), ("three four", 18)]),
    ("one two three four", 0, [(0, 1), (2, 5)], "a bcd", [("one", 3), ("two three four", 18)]),
    # three spans of 4 (not at the start of the text): cuts after 6 * 4/12 = 2 and 6 * 8/12 = 4 words
    ("one two three four five six", 0, [(10, 14), (15, 19), (20, 24)], "0123456789aaaa bbbb cccc",
     [("one two", 7), ("three four", 18), ("five six", 27)]),
    # 4 words over three equal spans: cuts at round(1.33) = 1 and round(2.67) = 3
    ("one two three four", 0, [(0, 2), (3, 5), (6, 8)], "aa bb cc", [("one", 3), ("two three", 13), ("four", 18)]),
    # lengths 10, 1, 1 would give the first 2 of 3 words and the second none: every span that had text keeps one
    ("one two three", 0, [(0, 10), (11, 12), (13, 14)], "aaaaaaaaaa b c", [("one", 3), ("two", 7), ("three", 13)]),
    # fewer words than spans: a span may get none (its end is None)
    ("one", 0, [(0, 2), (3, 7)], "ab cdef", [("", None), ("one", 3)]),
    # the source text itself ("10<sup>6</sup>") goes back exactly where it came from, not by proportion
    (" 106", 5, [(0, 2), (2, 3)], "106", [("10", 8), ("6", 9)]),
])
def test_share_splits_at_words_in_proportion_to_the_source_lengths(
        text: str, offset: int, spans: list[tuple[int, int]], visible: str,
        parts: list[tuple[str, int | None]]) -> None:
    assert _share(text, offset, spans, visible) == parts


def test_a_slot_no_sentence_covers_keeps_its_text() -> None:
    # the second slot is outside the only sentence: it keeps its source text, with a space after it
    assert place("ab cd", [Slot(0, 2), Slot(3, 5)], "X", [(0, 2, 0, 1)]) == [Placed("X", True), Placed("cd", True)]


@pytest.mark.parametrize(("sentence_map", "translated", "placed"), [
    # the space between the two slots given to the first sentence, then to the second: either way each slot is in
    # one sentence only, as it shares no character with the other
    ([(0, 4, 0, 9), (4, 10, 10, 14)], "Hi there. Bye.", [Placed("Hi there.", True), Placed("Bye.", True)]),
    ([(0, 3, 0, 3), (3, 10, 3, 12)], "Hi. Bye now.", [Placed("Hi.", True), Placed("Bye now.", True)]),
    # a sentence of the space alone covers no slot: the sentences after it are still placed
    ([(0, 3, 0, 3), (3, 4, 3, 4), (4, 10, 4, 8)], "Hi. Bye.", [Placed("Hi.", True), Placed("Bye.", True)]),
])
def test_a_slot_is_in_the_sentences_it_shares_a_character_with(
        sentence_map: list[tuple[int, int, int, int]], translated: str, placed: list[Placed]) -> None:
    assert place("Oi. Tchau.", [Slot(0, 3), Slot(4, 10)], translated, sentence_map) == placed


def test_a_fixed_slot_is_given_none_of_the_translated_words() -> None:
    # inline code keeps its own text (the layouts never rewrite it): the translation's words go to the free slots,
    # none is lost into the fixed one, whether the sentence is all inside it or shared with a free slot
    assert place("ls", [Slot(0, 2, fixed=True)], "ls", [(0, 2, 0, 2)]) == [Placed("", True)]
    assert (place("Rode ls", [Slot(0, 4), Slot(5, 7, fixed=True)], "Run ls", [(0, 7, 0, 6)])
            == [Placed("Run", True), Placed("", True)])


def test_the_end_of_a_sentence_is_a_space_even_when_the_engine_glued_text_to_its_last_slot() -> None:
    # "Run ls.": the period is glued to the code that ends the sentence, yet the next sentence is a word apart
    placed = place("Use ls", [Slot(0, 3), Slot(4, 6, fixed=True)], "Run ls.", [(0, 6, 0, 7)])
    assert [p.space_after for p in placed] == [True, True]


@pytest.mark.parametrize(("source", "sentence", "expected"), [
    # a name at the very start of the translation anchors its slot: by proportion alone "Lisboa is" would be bold
    ("**Lisboa** é boa\n", "Lisboa is good", "**Lisboa** is good\n"),
    # the anchored name keeps its slot even though the proportion of its neighbour's words would cut elsewhere
    ("Instale **Python** e `pip`\n", "You should install Python and pip", "You should install **Python** and `pip`\n"),
    # a name that comes twice anchors each slot at its own occurrence, searched from after the previous anchor
    ("Lisboa `vs` **Lisboa** hoje\n", "Lisboa vs Lisboa today", "Lisboa `vs` **Lisboa** today\n"),
    # inline code found inside a word ("ints") still anchors there, and no space is put between it and the "s"
    ("Os `int`s são números\n", "The ints are numbers", "The `int`s are numbers\n"),
    # the engine moved the name first and left "Visitei" without words: as many words as slots, each gets one
    ("Visitei **Lisboa**\n", "Lisboa visited", "Lisboa **visited**\n"),
])
def test_a_source_text_that_reappears_verbatim_anchors_its_slot(source: str, sentence: str, expected: str) -> None:
    assert render_with(source, "markdown", [sentence]) == expected


def test_a_text_the_engine_left_as_it_was_goes_back_exactly_where_it_came_from() -> None:
    # "106" by proportion would all go to the first slot, leaving the superscript empty
    assert render_with("<p>10<sup>6</sup></p>", "html", ["106"]) == "<p>10<sup>6</sup></p>"


def test_text_after_a_fixed_slot_that_ends_a_sentence_is_its_tail_when_the_slot_can_take_one() -> None:
    # "Run ls." over "Use" and a code that can take text after it: the period is the code's, written after it
    placed = place("Use ls", [Slot(0, 3), Slot(4, 6, fixed=True, tail=True)], "Run ls.", [(0, 6, 0, 7)])
    assert placed == [Placed("Run", True), Placed(".", True)]
    placed = place("Use ls", [Slot(0, 3), Slot(4, 6, fixed=True, tail=True)], "Run ls now", [(0, 6, 0, 10)])
    assert placed == [Placed("Run", True), Placed(" now", True)]
    # one that cannot: the free slot before it takes the text, as before
    placed = place("Use ls", [Slot(0, 3), Slot(4, 6, fixed=True)], "Run ls.", [(0, 6, 0, 7)])
    assert placed == [Placed("Run .", True), Placed("", True)]
    # the free slot would be left without words: they go there, not after the code
    placed = place("Use ls", [Slot(0, 3), Slot(4, 6, fixed=True, tail=True)], "ls run", [(0, 6, 0, 6)])
    assert placed == [Placed("run", True), Placed("", True)]
