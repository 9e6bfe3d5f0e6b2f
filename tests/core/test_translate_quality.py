"""Quality flags, length buckets, and scored results through the cache and the batching queue (fakes)."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from service.core.batching import BatchingTranslator
from service.core.translate import (
    CachingTranslator,
    QualityRules,
    SentenceResult,
    assess,
    bucket_length,
    looping_ngram,
    translate_scored,
)
from service.core.translate.results import ordered_flags

RULES = QualityRules()


def flags(source: str, output: str, *, truncated: bool = False, unknown: bool = False,
          rules: QualityRules = RULES) -> tuple[str, ...]:
    return assess(source, output, output.split(), truncated=truncated, source_unknown=unknown, rules=rules)


@pytest.mark.parametrize(("pieces", "expected"), [
    ("special special special", True),
    ("a b a b a b", True),
    ("x y z x y z x y z", True),
    ("w x y z w x y z w x y z", True),
    ("special special using", False),
    ("a b a b", False),
    ("a b c a b c d a b c", False),  # repeated, but not back to back
    ("v w x y z v w x y z v w x y z", False),  # a 5-gram: longer than the rule looks
])
def test_looping_ngram(pieces: str, expected: bool) -> None:
    assert looping_ngram(pieces.split(), max_ngram=4, min_count=3) is expected


def test_looping_ngram_needs_two_repeats_at_least() -> None:
    with pytest.raises(ValueError):
        looping_ngram(["a"], 1, 1)


def test_a_clean_translation_has_no_flags() -> None:
    assert flags("O arquivo não foi encontrado no disco.", "The file was not found on the disk.") == ()


def test_each_flag_for_its_own_reason() -> None:
    source = "O arquivo não foi encontrado no disco."
    assert flags(source, "The file file file was not found.") == ("repetition",)
    assert flags(source, "File.") == ("length_ratio",)
    assert flags(source, "The file was not found on the disk, nor anywhere else at all, ever.") == ("length_ratio",)
    assert flags(source, "The file was not found on the disk.", truncated=True) == ("truncated",)
    assert flags(source, source) == ("untranslated",)
    assert flags(source, "The file was not found on the <unk> .") == ("unknown_tokens",)
    assert flags(source, "The file was not found on the disk.", unknown=True) == ("unknown_tokens",)


def test_short_inputs_escape_the_length_band_and_names_may_stay_untranslated() -> None:
    assert flags("Arquivo", "File of the system") == ("length_ratio",)
    assert flags("Arquivo", "File of the system", rules=QualityRules(length_min_chars=20)) == ()
    assert flags("Firefox", "Firefox") == ()
    assert flags("%s GB", "%s GB") == ()


def test_thresholds_are_parameters() -> None:
    strict = QualityRules(length_ratio_low=0.95, length_ratio_high=1.05, repeat_min_count=2,
                          untranslated_min_words=1)
    assert flags("O arquivo não foi encontrado no disco.", "The file was not found.", rules=strict) == ("length_ratio",)
    assert flags("um dois tres", "the the ends", rules=strict) == ("repetition",)
    assert flags("Firefox", "Firefox", rules=strict) == ("untranslated",)


def test_flags_come_in_a_fixed_order_from_a_closed_set() -> None:
    assert ordered_flags({"repaired", "repetition", "truncated"}) == ("repetition", "truncated", "repaired")
    with pytest.raises(ValueError):
        ordered_flags({"strange"})


def test_bucket_length_rounds_up_to_few_values() -> None:
    lengths = range(1, 300)
    buckets = [bucket_length(n, 4) for n in lengths]
    assert all(b >= n for n, b in zip(lengths, buckets, strict=True))
    assert all(b <= max(8, n * 1.34) for n, b in zip(lengths, buckets, strict=True))
    assert buckets == sorted(buckets)
    assert len(set(buckets)) < 40  # far fewer distinct bounds than lengths
    assert bucket_length(37, 0) == 37


@pytest.mark.parametrize(("tokens", "buckets", "expected"), [
    (1, 4, 1), (8, 4, 8),  # 8 and below stay
    (9, 4, 10),  # within 16: steps of 16 / 8 = 2
    (9, 8, 9), (15, 8, 15),  # steps of 16 / 16 = 1
    (12, 3, 12), (15, 3, 16), (16, 3, 16),  # steps of 16 // 6 = 2 (whole numbers), whatever the next length
    (17, 4, 20),  # within 32: steps of 4
    (16, 4, 16), (32, 4, 32),  # a power of two is its own bucket's top
    (100, 1, 128),  # one bucket: the power of two
    (100, 0, 100),  # no buckets: the length itself
])
def test_bucket_length(tokens: int, buckets: int, expected: int) -> None:
    result = bucket_length(tokens, buckets)
    assert result == expected and isinstance(result, int)


class ScoredEngine:
    """A scored fake: the text upper-cased, score from the length; records every call."""

    name, version = "scored", "1"

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], int]] = []
        self._lock = threading.Lock()

    def translate(self, sentences: Sequence[str]) -> list[str]:
        return [r.text for r in self.translate_scored(sentences)]

    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[SentenceResult]:
        with self._lock:
            self.calls.append((list(sentences), alternatives))
        return [SentenceResult(s.upper(), -1.0 / (1 + len(s)), (),
                               tuple((f"{s}~{k}", -2.0 - k) for k in range(alternatives))) for s in sentences]


class PlainEngine:
    name, version = "plain", "1"

    def translate(self, sentences: Sequence[str]) -> list[str]:
        return [s[::-1] for s in sentences]


def test_an_engine_without_scores_still_answers_translate_scored() -> None:
    assert translate_scored(PlainEngine(), ["ab"]) == [SentenceResult("ba")]
    assert CachingTranslator(PlainEngine(), 10).translate_scored(["ab", "ab"]) == [SentenceResult("ba")] * 2
    with pytest.raises(ValueError):
        translate_scored(PlainEngine(), ["ab"], alternatives=4)


def test_cache_keeps_whole_results_per_number_of_alternatives() -> None:
    inner = ScoredEngine()
    cache = CachingTranslator(inner, size=100)
    first = cache.translate_scored(["a", "bb"], alternatives=2)
    assert first[0].alternatives == (("a~0", -2.0), ("a~1", -3.0))
    assert cache.translate_scored(["bb", "a"], alternatives=2) == [first[1], first[0]]
    assert cache.translate_scored(["a"])[0].alternatives == ()  # another question: not served from the cache
    assert inner.calls == [(["a", "bb"], 2), (["a"], 0)]
    assert cache.translate(["a"]) == ["A"]
    assert len(inner.calls) == 2


def test_batching_merges_callers_with_the_same_alternatives() -> None:
    inner = ScoredEngine()
    batcher = BatchingTranslator(inner, max_wait=0.2, max_sentences=3)
    results: dict[str, list[SentenceResult]] = {}
    start = threading.Barrier(3)

    def call(name: str, sentences: list[str], alternatives: int) -> None:
        start.wait()
        results[name] = batcher.translate_scored(sentences, alternatives)

    threads = [threading.Thread(target=call, args=args)
               for args in (("x", ["a"], 0), ("y", ["b"], 0), ("z", ["c"], 1))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["x"][0].text == "A" and results["y"][0].text == "B"
    assert results["z"][0].alternatives == (("c~0", -2.0),)
    assert all(n == 0 or sentences == ["c"] for sentences, n in inner.calls)  # never a mixed call
    assert batcher.translate(["d"]) == ["D"]
