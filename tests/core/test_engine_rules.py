"""The engine's own rules, each against numbers worked out by hand: the decoding bound's buckets, how an over-long
sentence is cut, which of two outputs self-repair keeps, and what a sentence's score is (the mean log-probability
per generated token, as CTranslate2 itself scores the output)."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.packages import check_package_dir
from service.core.translate import ArgosTranslator, DecodingOptions
from service.core.translate.engine import SPACE, _Hypothesis, _rank, bucket_length, chunk_pieces
from service.core.translate.results import LENGTH_RATIO, REPETITION, TRUNCATED


@pytest.mark.parametrize(("tokens", "buckets", "expected"), [
    (1, 4, 1), (8, 4, 8),  # 8 and below stay
    (9, 4, 10),  # within 16: steps of 16 / 8 = 2
    (9, 8, 9),  # steps of 16 / 16 = 1
    (12, 3, 12), (15, 3, 16), (16, 3, 16),  # steps of 16 // 6 = 2 (whole numbers), whatever the next length
    (17, 4, 20),  # within 32: steps of 4
    (16, 4, 16), (32, 4, 32),  # a power of two is its own bucket's top
    (100, 1, 128),  # one bucket: the power of two
    (100, 0, 100),  # no buckets: the length itself
])
def test_bucket_length(tokens: int, buckets: int, expected: int) -> None:
    result = bucket_length(tokens, buckets)
    assert result == expected and isinstance(result, int)


def words(*sizes: int) -> list[str]:
    """Pieces of words of the given sizes: each word a SPACE-marked piece and then plain pieces."""
    pieces: list[str] = []
    for number, size in enumerate(sizes):
        pieces += [f"{SPACE}w{number}"] + [f"p{number}.{i}" for i in range(1, size)]
    return pieces


@pytest.mark.parametrize(("sizes", "limit", "chunk_sizes"), [
    ((3, 3), 6, [6]),  # exactly the limit: one chunk
    ((3, 3, 1), 6, [6, 1]),  # one over: cut at the word start the limit falls on
    ((4, 4), 6, [4, 4]),  # the limit falls inside a word: back off to its start (4, past half the limit)
    ((3, 4), 6, [6, 1]),  # a word start at exactly half the limit (3) is not taken: cut at the limit
    ((2, 6), 6, [6, 2]),  # nor one before half
    ((8,), 6, [6, 2]),  # no word start at all: cut at the limit
])
def test_an_over_long_sentence_is_cut_at_word_starts(sizes: tuple[int, ...], limit: int,
                                                     chunk_sizes: list[int]) -> None:
    pieces = words(*sizes)
    chunks = chunk_pieces(pieces, limit)
    assert [len(c) for c in chunks] == chunk_sizes
    assert [p for c in chunks for p in c] == pieces


def assessed(score: float, *flags: str) -> tuple[_Hypothesis, tuple[str, ...], str]:
    return _Hypothesis(["\u2581x"], score, truncated=TRUNCATED in flags), flags, "x"


@pytest.mark.parametrize(("better", "worse"), [
    (assessed(-3.0), assessed(-1.0, REPETITION)),  # no loop beats a loop, whatever the scores
    (assessed(-3.0, LENGTH_RATIO), assessed(-1.0, TRUNCATED)),  # a mild flag beats truncation
    (assessed(-3.0, REPETITION), assessed(-1.0, REPETITION, TRUNCATED)),  # one severe flag beats two
    (assessed(-3.0), assessed(-1.0, LENGTH_RATIO)),  # no flag beats any flag
    (assessed(-1.0, LENGTH_RATIO), assessed(-2.0, LENGTH_RATIO)),  # the same flags: the higher score
])
def test_repair_keeps_the_better_of_two_outputs(better: tuple[_Hypothesis, tuple[str, ...], str],
                                                worse: tuple[_Hypothesis, tuple[str, ...], str]) -> None:
    assert _rank(better) < _rank(worse)
    assert _rank(worse) > _rank(better)


def test_the_score_is_the_mean_log_probability_of_the_output(packages_dir: Path) -> None:
    import ctranslate2

    package = check_package_dir(packages_dir / "translate-pt_en-ponte_test-1_0")
    engine = ArgosTranslator(package, DecodingOptions(repair=False))
    sentences = ["Não foi possível abrir o arquivo.", "Deseja salvar as alterações antes de sair?"]
    results = engine.translate_scored(sentences)
    scorer = ctranslate2.Translator(str(package.model_dir), device="cpu")
    sources = [list(p) for p in engine.tokenizer.pieces(sentences)]
    targets = [list(p) for p in engine.tokenizer.pieces([r.text for r in results])]  # the outputs, tokenized again
    for result, scored in zip(results, scorer.score_batch(sources, targets, max_batch_size=1), strict=True):
        assert not result.flags
        log_probs = list(scored.log_probs)  # every output piece and the end of sentence
        assert result.score == pytest.approx(sum(log_probs) / len(log_probs), abs=2e-3)
