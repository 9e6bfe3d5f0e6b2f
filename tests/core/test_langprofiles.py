"""The sparse profiles give langdetect's own answers: same languages, same probabilities."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from service.core.langprofiles import SparseProfiles

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def reference() -> DetectorFactory:
    factory = DetectorFactory()
    factory.seed = 0
    factory.load_profile(PROFILES_DIRECTORY)
    return factory


@pytest.fixture(scope="module")
def sparse() -> SparseProfiles:
    return SparseProfiles(seed=0)


def samples() -> list[str]:
    texts = [json.loads(line)["text"] for line in (DATA / "tagging_eval.jsonl").read_text().splitlines()[:40]]
    others = [
        "The European Commission presented its proposal on general-purpose AI models today.",
        "El Gobierno de España aprobó ayer el anteproyecto de ley sobre inteligencia artificial.",
        "Le gouvernement français a présenté sa stratégie pour l'intelligence artificielle.",
        "Der Vertrag wurde gestern vom Parlament in Berlin unterzeichnet.",
        "Bom dia", "chip", "Meta", "OK", "ação", "日本語のテキストです", "Это русский текст.",
        # words in capitals (skipped by langdetect), runs of spaces, URLs and e-mail addresses (removed),
        # a text mostly in another script (its Latin letters dropped), Vietnamese marks (normalised)
        "A NVIDIA LANÇOU UM NOVO CHIP DE INTELIGÊNCIA ARTIFICIAL HOJE", "O  governo   aprovou\ta  lei.",
        "Veja https://example.com/a?b=c e escreva para imprensa@example.com hoje.",
        "这是一个关于人工智能的新闻报道，提到了 AI 模型和 GPU 芯片。", "Tiếng Việt có dấu thanh",
    ]
    return [*texts, *others]


def answers_agree(ours: Any, theirs: Any, text: str) -> list[str]:
    """Both detectors given the text give the same languages in the same order with the same probabilities; those
    languages."""
    ours.append(text)
    theirs.append(text)
    got = [(lang.lang, lang.prob) for lang in ours.get_probabilities()]
    want = [(lang.lang, lang.prob) for lang in theirs.get_probabilities()]
    assert [code for code, _ in got] == [code for code, _ in want]
    for (_, p), (_, q) in zip(got, want, strict=True):
        assert p == pytest.approx(q, abs=1e-9)
    return [code for code, _ in got]


@pytest.mark.parametrize("text", samples())
def test_same_answers_as_langdetect(reference: DetectorFactory, sparse: SparseProfiles, text: str) -> None:
    answers_agree(sparse.create(), reference.create(), text)


def test_same_profiles(reference: DetectorFactory, sparse: SparseProfiles) -> None:
    assert sorted(sparse.langlist) == sorted(reference.langlist)
    assert set(sparse.word_lang_prob_map) == set(reference.word_lang_prob_map)


def test_nothing_to_detect_raises_like_langdetect(sparse: SparseProfiles) -> None:
    detector = sparse.create()
    detector.append("12345 !!!")
    with pytest.raises(LangDetectException):
        detector.get_probabilities()


@pytest.mark.parametrize("prior", [{"pt": 1.0, "es": 1.0}, {"pt": 0.2, "es": 0.7, "gl": 5.0, "it": 0.1}, {"es": 3.0}])
@pytest.mark.parametrize("text", ["O governo aprovou ontem a nova lei.", "chip", "El gobierno aprobó la ley."])
def test_same_answers_as_langdetect_with_a_prior(reference: DetectorFactory, sparse: SparseProfiles, text: str,
                                                 prior: dict[str, float]) -> None:
    ours, theirs = sparse.create(), reference.create()
    ours.set_prior_map(prior)
    theirs.set_prior_map(prior)
    assert set(answers_agree(ours, theirs, text)) <= {code for code, p in prior.items() if p > 0}


@pytest.mark.parametrize("prior", [{"pt": -0.1, "es": 1.0}, {"pt": 0.0}, {}, {"xx": 1.0}])
def test_a_prior_langdetect_refuses_is_refused(reference: DetectorFactory, sparse: SparseProfiles,
                                               prior: dict[str, float]) -> None:
    with pytest.raises(LangDetectException) as theirs:
        reference.create().set_prior_map(prior)
    with pytest.raises(LangDetectException) as ours:
        sparse.create().set_prior_map(prior)
    assert ours.value.code == theirs.value.code and str(ours.value) == str(theirs.value)


def test_dense_rows_are_langdetect_s_probabilities_first_and_last_n_gram_too(reference: DetectorFactory,
                                                                             sparse: SparseProfiles) -> None:
    ngrams = list(sparse.word_lang_prob_map)
    chosen = [ngrams[0], ngrams[len(ngrams) // 2], "de", "ção", ngrams[-1]]
    matrix = sparse.dense([sparse.word_lang_prob_map[g] for g in chosen])
    for ngram, row in zip(chosen, matrix, strict=True):
        theirs = dict(zip(reference.langlist, reference.word_lang_prob_map[ngram], strict=True))
        assert dict(zip(sparse.langlist, row.tolist(), strict=True)) == pytest.approx(theirs, abs=1e-12)
