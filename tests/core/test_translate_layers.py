"""The engine layers without a model: the sentence cache (keys, bytes, where it sits), flags and their order."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import pytest

from service.core.lru import str_bytes
from service.core.translate.cache import CachingTranslator, sentence_cache
from service.core.translate.quality import QualityRules, assess, looping_ngram
from service.core.translate.results import (
    FLAGS,
    MAX_ALTERNATIVES,
    REPAIRED,
    TRUNCATED,
    UNKNOWN_TOKENS,
    SentenceResult,
    check_alternatives,
    ordered_flags,
)


class Scored:
    """An engine with scores and alternatives: 'EN(s)' scored -len(s)/10, alternatives 'ALTk(s)'."""

    name, version = "scored", "2"

    def __init__(self) -> None:
        self.asked: list[tuple[list[str], int]] = []

    def translate(self, sentences: Sequence[str]) -> list[str]:
        return [r.text for r in self.translate_scored(sentences)]

    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[SentenceResult]:
        self.asked.append((list(sentences), alternatives))
        return [SentenceResult(f"EN({s})", -len(s) / 10, (), tuple((f"ALT{k}({s})", -1.0 - k)
                                                                   for k in range(alternatives)))
                for s in sentences]


class Layer:
    def __init__(self, inner: object) -> None:
        self.inner = inner


def test_the_cache_keeps_whole_results_per_number_of_alternatives() -> None:
    inner = Scored()
    cache = CachingTranslator(inner, 10)
    assert (cache.name, cache.version) == ("scored", "2")
    first = cache.translate_scored(["um", "dois", "um"], alternatives=2)
    assert [r.text for r in first] == ["EN(um)", "EN(dois)", "EN(um)"]
    assert first[0].alternatives == (("ALT0(um)", -1.0), ("ALT1(um)", -2.0)) and first[0].score == -0.2
    assert inner.asked == [(["um", "dois"], 2)]
    assert cache.translate_scored(["dois"], alternatives=2) == [first[1]]  # the cached result, scores and all
    cache.translate_scored(["dois"], alternatives=0)  # another key: fewer alternatives is another answer
    assert inner.asked[-1] == (["dois"], 0)
    assert (cache.hits, cache.misses) == (1, 3)
    with pytest.raises(ValueError, match="alternatives must be between 0 and 3, not 4"):
        cache.translate_scored(["um"], alternatives=MAX_ALTERNATIVES + 1)


def test_a_cache_by_bytes_counts_what_it_holds() -> None:
    inner = Scored()
    sentence = "x" * 100
    cost = str_bytes(sentence, f"EN({sentence})") + 200
    cache = CachingTranslator(inner, 10, max_bytes=cost)  # room for exactly one such result
    cache.translate([sentence])
    cache.translate([sentence])
    assert len(inner.asked) == 1
    cache = CachingTranslator(inner, 10, max_bytes=cost - 1)  # one byte short: nothing is kept
    cache.translate([sentence])
    cache.translate([sentence])
    assert len(inner.asked) == 3


def test_str_bytes_is_what_python_holds() -> None:
    assert str_bytes() == 0
    assert str_bytes("abc", "é") == sys.getsizeof("abc") + sys.getsizeof("é")
    assert str_bytes("😀" * 10) > str_bytes("é" * 10) > str_bytes("e" * 10)  # 4, 2 and 1 bytes a character


def test_sentence_cache_is_found_through_the_layers() -> None:
    cache = CachingTranslator(Scored(), 10)
    assert sentence_cache(cache) is cache
    assert sentence_cache(Layer(Layer(cache))) is cache  # type: ignore[arg-type]
    assert sentence_cache(Layer(Scored())) is None  # type: ignore[arg-type]
    assert sentence_cache(Scored()) is None


def test_flags_come_in_their_fixed_order_and_unknown_ones_are_refused() -> None:
    assert ordered_flags({REPAIRED, TRUNCATED, UNKNOWN_TOKENS}) == (TRUNCATED, UNKNOWN_TOKENS, REPAIRED)
    assert ordered_flags(list(reversed(FLAGS))) == FLAGS
    assert ordered_flags(()) == ()
    with pytest.raises(ValueError, match=r"unknown flags \['bogus'\]"):
        ordered_flags({"bogus", TRUNCATED})
    assert check_alternatives(0) == 0 and check_alternatives(3) == 3
    with pytest.raises(ValueError, match="not -1"):
        check_alternatives(-1)


def test_looping_ngrams() -> None:
    assert looping_ngram(["a", "a", "a"], 1, 3)
    assert not looping_ngram(["a", "a", "b", "a"], 4, 3)
    assert looping_ngram(["x", "a", "b", "a", "b", "a", "b"], 2, 3)  # not at the start
    assert not looping_ngram(["a", "b", "a", "b", "a", "b"], 1, 3)  # a bigram, but only unigrams asked
    assert looping_ngram(["a", "b"] * 2, 2, 2)
    assert not looping_ngram([], 4, 2)
    with pytest.raises(ValueError, match=r"^min_count must be at least 2$"):
        looping_ngram(["a"], 1, 1)


def test_flags_of_one_output() -> None:
    rules = QualityRules()
    assert assess("Olá, mundo.", "Hello, world.", ["▁Hello"], truncated=True, source_unknown=False,
                  rules=rules) == (TRUNCATED,)
    assert assess("Olá, mundo.", "Hello, world.", ["▁Hello", "<unk>"], truncated=False, source_unknown=False,
                  rules=rules) == (UNKNOWN_TOKENS,)
    assert assess("Olá, mundo.", "Hello, world.", ["▁Hello"], truncated=False, source_unknown=True,
                  rules=rules) == (UNKNOWN_TOKENS,)
    # untranslated: compared without case and spacing; words are tokens with a letter
    assert assess("O  Linux É livre", "o linux é LIVRE", ["▁o"], truncated=False, source_unknown=False,
                  rules=rules) == ("untranslated",)
    assert assess("2024 10 20 Linux", "2024 10 20 Linux", ["▁2024"], truncated=False, source_unknown=False,
                  rules=rules) == ()


def test_a_cache_by_bytes_still_holds_at_most_size_entries() -> None:
    inner = Scored()
    cache = CachingTranslator(inner, 2, max_bytes=10**6)
    cache.translate(["a", "b", "c"])  # three entries asked for, two kept: "a" went
    cache.translate(["b", "c"])
    assert len(inner.asked) == 1
    cache.translate(["a"])
    assert inner.asked[-1] == (["a"], 0)


def test_alternatives_count_in_an_entrys_bytes() -> None:
    inner = Scored()
    sentence = "y" * 50
    plain = str_bytes(sentence, f"EN({sentence})") + 200
    cache = CachingTranslator(inner, 10, max_bytes=plain)  # room for the result without its alternatives only
    cache.translate_scored([sentence], alternatives=1)
    cache.translate_scored([sentence], alternatives=1)
    assert len(inner.asked) == 2  # with one alternative it costs more than the room: not kept


def test_results_without_asking_have_no_alternatives() -> None:
    from service.core.translate.results import translate_scored

    assert translate_scored(Scored(), ["um"])[0].alternatives == ()
    assert translate_scored(CountingPlain(), ["um"]) == [SentenceResult("UM")]


class CountingPlain:
    name, version = "plain", "1"

    def translate(self, sentences: Sequence[str]) -> list[str]:
        return [s.upper() for s in sentences]
