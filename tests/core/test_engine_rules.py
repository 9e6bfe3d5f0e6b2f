"""The engine's own rules, each against values worked out by hand: which of two outputs self-repair keeps, and what
a sentence's score is (the mean log-probability per generated token, as CTranslate2 itself scores the output).
The bound's buckets and where a long sentence is cut are tested beside their other tests (test_translate_quality.py,
test_translate.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.packages import check_package_dir
from service.core.translate import ArgosTranslator, DecodingOptions
from service.core.translate.engine import _Hypothesis, _rank
from service.core.translate.results import LENGTH_RATIO, REPETITION, TRUNCATED


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
