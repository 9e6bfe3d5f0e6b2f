"""Windows, rule by rule: a sentence longer than `max_tokens` is cut between words into windows that fill up to
the limit exactly, a word longer than a window is cut into runs of characters shortened until they fit, nothing
is lost or repeated, and the windows' results are joined back into one result per sentence.

The tokenizers here are stand-ins whose counts can be worked out by hand: `Letters` counts the characters that are
not spaces (additive over words, as SentencePiece is: a sentence's tokens are its words' tokens), `Written` counts
every character, spaces too (a sentence then costs more than its words: the case the last check exists for), and
`Weighted` makes a capital cost 3 (a rare character that SentencePiece spells in several pieces)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.core.translate.results import SentenceResult
from service.core.translate.windows import Window, cut, join, windows


class Letters:
    def count(self, texts: Sequence[str]) -> list[int]:
        return [sum(not c.isspace() for c in text) for text in texts]


class Written:
    def count(self, texts: Sequence[str]) -> list[int]:
        return [len(text) for text in texts]


class Weighted:
    def count(self, texts: Sequence[str]) -> list[int]:
        return [sum(3 if c.isupper() else 0 if c.isspace() else 1 for c in text) for text in texts]


def test_a_sentence_at_the_limit_is_one_window_as_written() -> None:
    assert cut(" a b ", 2, 2, Letters()) == [(" a b ", 2)]
    assert cut("ab cd", 4, 4, Letters()) == [("ab cd", 4)]


def test_windows_fill_up_to_the_limit_exactly() -> None:
    # 2 + 2 = 4 fits a window of 4; the third word starts the next window, which counts from 0 again
    assert cut("aa bb cc dd", 8, 4, Letters()) == [("aa bb", 4), ("cc dd", 4)]
    assert cut("a b c d e f g", 7, 3, Letters()) == [("a b c", 3), ("d e f", 3), ("g", 1)]


def test_a_word_longer_than_a_window_is_cut_and_the_words_after_it_follow() -> None:
    assert cut("abcdefgh ij kl", 12, 4, Letters()) == [("abcd", 4), ("efgh", 4), ("ij kl", 4)]
    assert cut("xy abcdefgh ij", 12, 4, Letters()) == [("xy", 2), ("abcd", 4), ("efgh", 4), ("ij", 2)]


def test_a_run_at_the_limit_is_kept_and_a_run_over_it_shortened() -> None:
    # "aaaa": 4 tokens, windows of 2: runs start at 4 * 2 // 4 = 2 characters, and 2 tokens fit
    assert cut("aaaa", 4, 2, Letters()) == [("aa", 2), ("aa", 2)]
    # "aaaaCC": 4 + 3 + 3 = 10 tokens, windows of 4: runs start at 6 * 4 // 10 = 2 characters; "CC" is 6 tokens,
    # so it is shortened to max(1, 2 * 4 // 5) = 1 character
    assert cut("aaaaCC", 10, 4, Weighted()) == [("aa", 2), ("aa", 2), ("C", 3), ("C", 3)]


def test_runs_are_shortened_by_a_fifth_at_a_time() -> None:
    # 10 letters then a capital: 13 tokens, windows of 10: runs start at 11 * 10 // 13 = 8 characters
    # ("aaaaaaaa": 8 tokens, fits); then "aaB" (5 tokens) fits, the word's end
    assert cut("aaaaaaaaaaB", 13, 10, Weighted()) == [("aaaaaaaa", 8), ("aaB", 5)]
    # capitals only: 8 capitals, 24 tokens, windows of 8: runs start at 8 * 8 // 24 = 2 characters (6 tokens)
    assert cut("AAAAAAAA", 24, 8, Weighted()) == [("AA", 6), ("AA", 6), ("AA", 6), ("AA", 6)]
    # 25 capitals, 75 tokens, windows of 20: runs start at 25 * 20 // 75 = 6 (18 tokens): fits
    assert cut("A" * 25, 75, 20, Weighted()) == [("A" * 6, 18)] * 4 + [("A", 3)]
    # 25 capitals, 75 tokens, windows of 5: runs start at 25 * 5 // 75 = 1 (3 tokens)
    assert cut("A" * 25, 75, 5, Weighted()) == [("A", 3)] * 25


def test_a_long_run_shrinks_in_steps_of_a_fifth() -> None:
    # 30 lower-case letters then 30 capitals: 120 tokens; windows of 40: runs start at 60 * 40 // 120 = 20.
    # The first 20 letters fit (20 tokens); the next run of 20 (10 letters, 10 capitals: 40 tokens) fits; then
    # 20 capitals (60 tokens) shrink 20 -> 16 (48) -> 12 (36, fits); 8 capitals left (24 tokens) fit.
    text = "a" * 30 + "A" * 30
    assert cut(text, 120, 40, Weighted()) == [("a" * 20, 20), ("a" * 10 + "A" * 10, 40), ("A" * 12, 36),
                                              ("A" * 8, 24)]
    # a run of 25 capitals (75 tokens) against windows of 30: 25 -> 20 (60) -> 16 (48) -> 12 (36) -> 9 (27)
    assert cut("A" * 25 + "a" * 75, 150, 30, Weighted())[0] == ("A" * 9, 27)


def test_runs_start_at_the_proportional_length_even_when_it_is_one() -> None:
    # "AAaa": 8 tokens, windows of 3: runs start at 4 * 3 // 8 = 1 character, so "aa" (2 tokens) is not joined
    assert cut("AAaa", 8, 3, Weighted()) == [("A", 3), ("A", 3), ("a", 1), ("a", 1)]


def test_a_run_of_two_over_the_limit_is_shortened_and_the_next_run_starts_after_it() -> None:
    # "Caaaa": 7 tokens, windows of 3: runs of 5 * 3 // 7 = 2: "Ca" (4) is shortened to "C", then "aa", "aa"
    assert cut("Caaaa", 7, 3, Weighted()) == [("C", 3), ("aa", 2), ("aa", 2)]


def test_a_character_over_the_limit_is_a_window_of_its_own() -> None:
    # a capital is 3 tokens, windows of 2: nothing shorter exists, so it goes alone (the engine's bound still holds)
    assert cut("AB", 6, 2, Weighted()) == [("A", 3), ("B", 3)]


def test_a_window_that_counts_more_than_its_words_is_cut_again() -> None:
    # counting spaces, "ab cd ef" is 8 tokens although its words are 2 + 2 + 2 = 6: over a limit of 6, so it is
    # cut again with a limit of max(1, 6 * 6 // 8 - 1) = 3
    assert cut("ab cd ef", 8, 6, Written()) == [("ab", 2), ("cd", 2), ("ef", 2)]
    # "abc de fgh ij": words 3 + 2 + 3 + 2; limit 7 -> "abc de" (6) and "fgh ij" (6): both fit as written
    assert cut("abc de fgh ij", 13, 7, Written()) == [("abc de", 6), ("fgh ij", 6)]
    # "a b": words 1 + 1 fit a limit of 2, written 3: cut again at max(1, 4 // 3 - 1) = 1
    assert cut("a b", 3, 2, Written()) == [("a", 1), ("b", 1)]
    # "a abc": words 1 + 3 = 4 fit a limit of 4, written 5: cut again at max(1, 16 // 5 - 1) = 2, where "abc" is a
    # word longer than a window: runs of 3 * 2 // 3 = 2 characters
    assert cut("a abc", 5, 4, Written()) == [("a", 1), ("ab", 2), ("c", 1)]
    # limit 9 -> "abc de fgh" (8 of words, 10 written: cut again at max(1, 81 // 10 - 1) = 7: "abc de" and "fgh")
    # and "ij"
    assert cut("abc de fgh ij", 13, 9, Written()) == [("abc de", 6), ("fgh", 3), ("ij", 2)]


def test_a_limit_of_one_token_takes_windows_as_they_come() -> None:
    # nothing is shorter than a window of one word, so a word of two written tokens is not cut again
    assert cut("a b", 3, 1, Written()) == [("a", 1), ("b", 1)]


words = st.lists(st.text(alphabet="abcXYZé", min_size=1, max_size=12), min_size=1, max_size=12)


@given(words=words, max_tokens=st.integers(min_value=2, max_value=12), spaces=st.sampled_from([" ", "  ", "\t"]))
def test_windows_lose_nothing_repeat_nothing_and_stay_within_the_limit(words: list[str], max_tokens: int,
                                                                       spaces: str) -> None:
    text = spaces.join(words)
    for tokenizer in (Letters(), Written(), Weighted()):
        tokens = tokenizer.count([text])[0]
        out = cut(text, tokens, max_tokens, tokenizer)
        assert "".join(piece for piece, _ in out).replace(" ", "").replace("\t", "") == "".join(words)
        assert [count for _, count in out] == tokenizer.count([piece for piece, _ in out])
        if tokens > max_tokens:
            # a character over the limit goes alone; anything else fits
            assert all(count <= max_tokens or len(piece) == 1 for piece, count in out)
            assert all(piece == piece.strip() and piece for piece, _ in out)


def test_windows_name_their_sentence() -> None:
    assert windows(["aa bb cc", "dd"], 4, Letters()) == [Window(0, "aa bb", 4), Window(0, "cc", 2),
                                                         Window(1, "dd", 2)]
    assert windows([], 4, Letters()) == []


def letters(text: str) -> int:
    return len(text.replace(" ", ""))


def test_join_gives_one_result_per_sentence() -> None:
    parts = [Window(0, "a", 1), Window(1, "b", 1), Window(1, "c", 1), Window(1, "d", 1)]
    results = [SentenceResult("one", -0.5, ("repetition",)),
               SentenceResult("two", -1.0, ("truncated",)), SentenceResult("", -2.0),
               SentenceResult("three four", -0.25, ("repetition",))]
    joined = join(3, parts, results, letters)
    # sentence 0: its only window's result, untouched; sentence 1: texts joined (the empty one dropped), the score
    # the mean weighted by letters of output: (-1.0 * 3 + -2.0 * 1 + -0.25 * 9) / 13 = -0.5577 (4 places); every
    # window's flags; sentence 2 had no window: an empty result
    assert joined == [SentenceResult("one", -0.5, ("repetition",)),
                      SentenceResult("two three four", -0.5577, ("repetition", "truncated")),
                      SentenceResult("")]


def test_join_without_scores_has_no_score() -> None:
    parts = [Window(0, "a", 1), Window(0, "b", 1)]
    joined = join(1, parts, [SentenceResult("x"), SentenceResult("y")], letters)
    assert joined == [SentenceResult("x y", None, ())]


def test_join_weights_rounds_to_four_places() -> None:
    parts = [Window(0, "a", 1), Window(0, "b", 1)]
    results = [SentenceResult("abc", -0.123456), SentenceResult("d", -0.5)]
    # (-0.123456 * 3 + -0.5 * 1) / 4 = -0.217592
    assert join(1, parts, results, letters)[0].score == -0.2176


@pytest.mark.parametrize(("texts", "score"), [
    (("", ""), -1.5),  # no letters: each weighs 1, not 0 (no division by zero)
    (("abc", ""), -1.25),  # the empty output weighs 1: (-1.0 * 3 + -2.0 * 1) / 4
])
def test_join_weighs_an_output_at_least_one(texts: tuple[str, str], score: float) -> None:
    parts = [Window(0, "p", 1), Window(0, "q", 1)]
    results = [SentenceResult(texts[0], -1.0), SentenceResult(texts[1], -2.0)]
    assert join(1, parts, results, letters)[0].score == round(score, 4)


def test_a_sentence_without_windows_does_not_end_the_join() -> None:
    # an empty sentence has no window: its result is empty, and the sentences after it are still joined
    parts = [Window(1, "a", 1), Window(1, "b", 1), Window(2, "c", 1)]
    results = [SentenceResult("x", -1.0), SentenceResult("y", -1.0), SentenceResult("z", -2.0)]
    assert join(3, parts, results, letters) == [SentenceResult(""), SentenceResult("x y", -1.0),
                                                SentenceResult("z", -2.0)]
