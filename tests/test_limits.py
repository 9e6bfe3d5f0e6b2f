"""Every limit at limit - 1, limit and limit + 1: the side each value falls on is written down here, not read
from the code, so an off-by-one (`<` for `<=`) in any of them fails a case."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, jsonify

from service.core.budget import WorkBudget, WorkBudgetExceededError
from service.core.detect import FALLBACK, Candidate, Detection, FallbackRule, LanguageDetector, choose_language
from service.core.lru import BoundedLru
from service.core.tagging import Tagger, load_taxonomy
from service.core.translate.cache import CachingTranslator
from service.core.translate.quality import QualityRules, assess
from service.core.translate.results import LENGTH_RATIO, REPETITION, UNTRANSLATED
from service.jsonin import MAX_NUMBER_DIGITS, JsonInputError, loads, parse
from service.problems import MalformedJson, problem
from service.web.body import json_body

INSTALLED, TARGET = ("pt",), "en"


def _detected(*candidates: tuple[str, float], reliable: bool) -> Detection:
    ranked = tuple(Candidate(code, p) for code, p in candidates)
    return Detection(ranked[0].code, ranked[0].probability, reliable, ranked, "detected")


# -- language detection ----------------------------------------------------------------------------

@pytest.mark.parametrize(("letters", "method"), [(44, FALLBACK), (45, "detected"), (46, "detected")])
def test_fallback_min_letters_45(letters: int, method: str) -> None:
    """A reliable foreign detection of fewer than 45 letters is too short to trust; at 45 it stands."""
    chosen = choose_language(_detected(("es", 0.95), ("pt", 0.05), reliable=True), INSTALLED, TARGET, letters=letters)
    assert chosen.method == method
    assert chosen.code == ("pt" if method == FALLBACK else "es")


@pytest.mark.parametrize(("probability", "code"), [(0.09, "es"), (0.1, "pt"), (0.11, "pt")])
def test_fallback_min_probability_0_1(probability: float, code: str) -> None:
    """An installed candidate is plausible from probability 0.1 on (long unreliable text)."""
    original = _detected(("es", 1 - probability), ("pt", probability), reliable=False)
    assert choose_language(original, INSTALLED, TARGET, letters=80).code == code


@pytest.mark.parametrize(("rank", "code"), [(2, "pt"), (3, "pt"), (4, "es")])
def test_fallback_top_3(rank: int, code: str) -> None:
    others = [("es", 0.4), ("it", 0.2), ("fr", 0.15), ("ca", 0.1)][: rank - 1]
    candidates = [*others, ("pt", 0.12)]
    original = _detected(*candidates, reliable=False)
    assert choose_language(original, INSTALLED, TARGET, letters=80, rule=FallbackRule(top=3)).code == code


# 58 letters: reliable with min_letters=58, not with 59
_CLEAR_PT = "O governo federal anunciou um pacote de investimentos em tecnologia."


@pytest.mark.parametrize(("min_letters", "reliable"), [(57, True), (58, True), (59, False)])
def test_reliable_needs_min_letters(min_letters: int, reliable: bool) -> None:
    assert sum(ch.isalpha() for ch in _CLEAR_PT) == 58
    result = LanguageDetector(min_letters=min_letters, min_confidence=0.5).detect(_CLEAR_PT)
    assert (result.code, result.reliable) == ("pt", reliable)


def test_reliable_needs_min_confidence_at_the_probability_itself() -> None:
    probability = LanguageDetector(min_letters=1, min_confidence=0.0).detect(_CLEAR_PT).confidence
    assert 0.5 < probability <= 1.0
    for threshold, reliable in [(probability - 0.0001, True), (probability, True), (probability + 0.0001, False)]:
        assert LanguageDetector(min_letters=1, min_confidence=threshold).detect(_CLEAR_PT).reliable is reliable


def test_default_reliable_letters_25() -> None:
    # the default is 25 letters: texts of 24, 25 and 26 letters with a clear Portuguese signal
    detector = LanguageDetector(min_confidence=0.0)
    for letters, reliable in [(24, False), (25, True), (26, True)]:
        text = "ção " * (letters // 3) + "ã" * (letters % 3)
        assert sum(ch.isalpha() for ch in text) == letters
        assert detector.detect(text).reliable is reliable, letters


# -- tagging ---------------------------------------------------------------------------------------

def _tagger(tmp_path: Path, threshold: float) -> Tagger:
    path = tmp_path / "taxonomy.yaml"
    path.write_text("scoring: {saturation: 1.0}\ntopics:\n  - id: sports\n    label: Sports\n"
                    f"    threshold: {threshold}\n    terms:\n      - {{id: goal, weight: 0.5, pt: [gol]}}\n",
                    encoding="utf-8")
    return Tagger(load_taxonomy(path))


@pytest.mark.parametrize(("threshold", "tagged"), [(0.392, True), (0.393, True), (0.394, False)])
def test_tag_threshold_is_inclusive(tmp_path: Path, threshold: float, tagged: bool) -> None:
    # one hit of weight 0.5 at saturation 1: 1 - e^-0.5 = 0.3935 -> 0.393 (docs/taxonomy.md's formula)
    assert round(1 - math.exp(-0.5), 3) == 0.393
    tags = _tagger(tmp_path, threshold).tag("Foi gol.", "pt")
    assert [(t.topic, t.score) for t in tags] == ([("sports", 0.393)] if tagged else [])


# -- work budget -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("tokens", "refused"), [(99, False), (100, False), (101, True)])
def test_max_source_tokens(tokens: int, refused: bool) -> None:
    budget = WorkBudget(max_source_tokens=100, max_output_tokens=10**6)
    if refused:
        with pytest.raises(WorkBudgetExceededError, match="101 model tokens; the limit is 100") as caught:
            budget.check([tokens - 1, 1])
        assert caught.value.limit == "max_source_tokens"
    else:
        budget.check([tokens - 1, 1])


@pytest.mark.parametrize(("limit", "refused"), [(229, True), (230, False), (231, False)])
def test_max_output_tokens(limit: int, refused: bool) -> None:
    # sentences of 10 and 95 tokens, ratio 2, 10 extra a chunk: (2*10 + 10) + (2*95 + 10) = 230 output tokens at most
    budget = WorkBudget(max_source_tokens=10**6, max_output_tokens=limit, chunk_tokens=200, length_ratio=2.0,
                        length_extra=10)
    counts = [10, 95]
    assert budget.output_bound(counts) == 230
    if refused:
        with pytest.raises(WorkBudgetExceededError, match="up to 230 output tokens; the limit is 229") as caught:
            budget.check(counts)
        assert caught.value.limit == "max_output_tokens"
    else:
        budget.check(counts)


@pytest.mark.parametrize(("count", "bound"), [
    (199, math.ceil(199 * 1.5) + 7),          # one short chunk
    (200, math.ceil(200 * 1.5) + 7),          # exactly one chunk, no rest
    (201, math.ceil(200 * 1.5) + 7 + math.ceil(1 * 1.5) + 7),  # one chunk and a rest of one token
    (0, 0),
])
def test_output_bound_at_the_chunk_length(count: int, bound: int) -> None:
    assert WorkBudget(chunk_tokens=200, length_ratio=1.5, length_extra=7).output_bound([count]) == bound


# -- LRU and the sentence cache --------------------------------------------------------------------

@pytest.mark.parametrize(("cost", "kept"), [(9, True), (10, True), (11, False)])
def test_lru_item_cost_against_capacity(cost: int, kept: bool) -> None:
    lru: BoundedLru[str, str] = BoundedLru(10)
    lru.put("old", "O", cost=1)
    lru.put("new", "N", cost=cost)
    assert (lru.get("new") == "N") is kept
    # the old entry stays when the new one fits beside it or is refused; it goes when the new one needs it all
    assert (lru.get("old") == "O") is (cost <= 9 or not kept)


@pytest.mark.parametrize(("entries", "held"), [(2, 2), (3, 3), (4, 3)])
def test_lru_max_entries(entries: int, held: int) -> None:
    lru: BoundedLru[int, int] = BoundedLru(1000, max_entries=3)
    for key in range(entries):
        lru.put(key, key, cost=1)
    assert len(lru) == held
    assert [key for key in range(entries) if lru.get(key) is not None] == list(range(entries - held, entries))


class _Echo:
    name, version = "echo", "1"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def translate(self, sentences: list[str]) -> list[str]:
        self.seen.extend(sentences)
        return [s.upper() for s in sentences]


@pytest.mark.parametrize(("length", "cached"), [(9, True), (10, True), (11, False)])
def test_cache_entry_length(length: int, cached: bool) -> None:
    inner = _Echo()
    cache = CachingTranslator(inner, 100, max_bytes=10**6, max_entry_chars=10)
    sentence = "a" * length
    cache.translate([sentence])
    cache.translate([sentence])
    assert inner.seen == ([sentence] if cached else [sentence, sentence])


# -- translation quality ---------------------------------------------------------------------------

@pytest.mark.parametrize(("output_chars", "flagged"), [
    (49, True), (50, False), (51, False),     # low end: 0.5 of 100 source characters
    (139, False), (140, False), (141, True),  # high end: 1.4
])
def test_length_ratio_band_is_inclusive(output_chars: int, flagged: bool) -> None:
    source, output = "s" * 100, "o" * output_chars
    flags = assess(source, output, ["o"], truncated=False, source_unknown=False, rules=QualityRules())
    assert (LENGTH_RATIO in flags) is flagged


@pytest.mark.parametrize(("source_chars", "flagged"), [(9, False), (10, True), (11, True)])
def test_length_ratio_min_chars(source_chars: int, flagged: bool) -> None:
    rules = QualityRules(length_min_chars=10)
    flags = assess("s" * source_chars, "o", ["o"], truncated=False, source_unknown=False, rules=rules)
    assert (LENGTH_RATIO in flags) is flagged


@pytest.mark.parametrize(("repeats", "flagged"), [(2, False), (3, True), (4, True)])
def test_repetition_min_count(repeats: int, flagged: bool) -> None:
    pieces = ["▁a", "▁b"] * repeats + ["▁c"]
    flags = assess("fonte", "x" * 5, pieces, truncated=False, source_unknown=False, rules=QualityRules())
    assert (REPETITION in flags) is flagged


@pytest.mark.parametrize(("size", "flagged"), [(4, True), (5, False)])
def test_repetition_max_ngram(size: int, flagged: bool) -> None:
    gram = [f"▁{n}" for n in range(size)]
    flags = assess("fonte", "x" * 5, gram * 3, truncated=False, source_unknown=False, rules=QualityRules())
    assert (REPETITION in flags) is flagged


@pytest.mark.parametrize(("words", "flagged"), [(2, False), (3, True), (4, True)])
def test_untranslated_min_words(words: int, flagged: bool) -> None:
    text = " ".join(["Linux"] * words)
    flags = assess(text, text, ["▁Linux"], truncated=False, source_unknown=False, rules=QualityRules())
    assert (UNTRANSLATED in flags) is flagged


# -- JSON in ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("digits", "refused"), [(MAX_NUMBER_DIGITS - 1, False), (MAX_NUMBER_DIGITS, False),
                                                 (MAX_NUMBER_DIGITS + 1, True)])
def test_integer_digits(digits: int, refused: bool) -> None:
    assert MAX_NUMBER_DIGITS == 100
    for sign in ("", "-"):
        text = sign + "9" * digits
        if refused:
            with pytest.raises(JsonInputError, match=f"a number has {digits} digits; the limit is 100"):
                loads(text)
            with pytest.raises(MalformedJson, match="line 3 is not JSON ponte reads"):
                parse(f"[{text}]", "line 3")
        else:
            assert loads(text) == int(text)


@pytest.mark.parametrize(("chars", "refused"), [(99, False), (100, False), (101, True)])
def test_float_characters(chars: int, refused: bool) -> None:
    text = "0." + "5" * (chars - 2)
    assert len(text) == chars
    if refused:
        with pytest.raises(JsonInputError, match=f"a number has {chars} characters; the limit is 100"):
            loads(text)
    else:
        assert loads(text) == float(text)


# -- request bodies --------------------------------------------------------------------------------

def _echo_app(limit: int) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = limit

    @app.post("/")
    def echo() -> Any:
        return jsonify(json_body())

    return app


@pytest.mark.parametrize("limit", [20, 64 * 1024, 64 * 1024 + 5, 3 * 64 * 1024])
@pytest.mark.parametrize(("over", "status"), [(-1, 200), (0, 200), (1, 413)])
def test_chunked_body_limit(limit: int, over: int, status: int) -> None:
    """A body without Content-Length is counted as it arrives: the limit itself passes, one byte more is a 413."""
    size = limit + over
    body = b'{"a":"' + b"x" * (size - 8) + b'"}'
    assert len(body) == size
    response = _echo_app(limit).test_client().post(
        "/", input_stream=io.BytesIO(body), content_type="application/json", headers={"Transfer-Encoding": "chunked"})
    assert response.status_code == status
    if status == 200:
        assert response.get_json() == {"a": "x" * (size - 8)}


# -- problems --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "redacted"), [(499, False), (500, True), (501, True)])
def test_paths_are_redacted_from_status_500(status: int, redacted: bool) -> None:
    detail = "cannot open /srv/ponte/packages/translate-pt_en/model/model.bin"
    body = problem(status, "x", "X", detail, reason="in /opt/models/a.bin")
    expected = ("cannot open .../model.bin", "in .../a.bin") if redacted else (detail, "in /opt/models/a.bin")
    assert (body["detail"], body["reason"]) == expected
