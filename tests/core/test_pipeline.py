"""The pipeline without HTTP: grouping, de-duplication, pass-through and per-document errors."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from service.core.detect import LanguageDetector
from service.core.exceptions import LanguageNotDetectedError, ModelNotReadyError, UnsupportedLanguageError
from service.core.lru import BoundedLru
from service.core.models import ModelRegistry
from service.core.pipeline import Analysis, Document, Pipeline
from service.core.tagging import Tagger, default_taxonomy_path, load_taxonomy
from service.core.translate import SentenceResult
from tests.conftest import FakeFactory

PT_1 = "O arquivo foi salvo no disco. A operação terminou com sucesso."
PT_2 = "A operação terminou com sucesso. Deseja abrir o arquivo agora?"


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(default_taxonomy_path()))


def make_pipeline(packages_dir: Path, tagger: Tagger,
                  factory: FakeFactory | None = None) -> tuple[Pipeline, FakeFactory]:
    factory = factory or FakeFactory()
    registry = ModelRegistry(packages_dir, "en", factory, required=("pt",))
    registry.load_all()
    return Pipeline(LanguageDetector(), registry, tagger), factory


def test_identical_sentences_are_translated_once_in_one_call(packages_dir: Path, tagger: Tagger) -> None:
    pipeline, factory = make_pipeline(packages_dir, tagger)
    results = pipeline.analyze_many([Document(PT_1, "pt", "a"), Document(PT_2, "pt", "b"), Document(PT_1, "pt", "c")])
    engine = factory.engines["pt"]
    assert len(engine.calls) == 2  # warm-up + one call for all three documents
    assert sorted(engine.calls[1]) == sorted({"O arquivo foi salvo no disco.", "A operação terminou com sucesso.",
                                              "Deseja abrir o arquivo agora?"})
    assert [r.id for r in results if isinstance(r, Analysis)] == ["a", "b", "c"]
    first = results[0]
    assert isinstance(first, Analysis)
    assert [p.target for p in first.translation.sentences] == ["[en] O arquivo foi salvo no disco.",
                                                               "[en] A operação terminou com sucesso."]


def test_same_output_alone_or_in_a_batch(packages_dir: Path, tagger: Tagger) -> None:
    pipeline, _ = make_pipeline(packages_dir, tagger)
    alone = pipeline.analyze(Document(PT_2, "pt", "b"))
    together = pipeline.analyze_many([Document(PT_1, "pt"), Document(PT_2, "pt", "b")])[1]
    assert isinstance(together, Analysis)
    assert (alone.translation, alone.tags, alone.language) == (together.translation, together.tags, together.language)


def test_document_errors_stay_with_their_document(packages_dir: Path, tagger: Tagger) -> None:
    pipeline, _ = make_pipeline(packages_dir, tagger)
    results = pipeline.analyze_many([
        Document(PT_1, "auto", "ok"),
        Document("12345 !!!", "auto", "digits"),
        Document("Der Vertrag wurde gestern vom Parlament in Berlin unterzeichnet.", "auto", "german"),
        Document("The file was saved to disk.", "en", "english"),
    ])
    assert isinstance(results[0], Analysis) and results[0].translation.translated
    assert isinstance(results[1], LanguageNotDetectedError)
    assert isinstance(results[2], UnsupportedLanguageError) and results[2].language == "de"
    assert isinstance(results[3], Analysis) and not results[3].translation.translated


def test_missing_required_model_is_not_ready(tmp_path: Path, tagger: Tagger) -> None:
    pipeline, _ = make_pipeline(tmp_path, tagger)
    with pytest.raises(ModelNotReadyError, match="pt->en model is not installed"):
        pipeline.translate(PT_1, "pt")
    assert pipeline.models.not_ready_reason() == f"no installed package for pt->en in {tmp_path.name}"


def test_any_installed_x_to_en_package_is_used(own_packages_dir: Path, tagger: Tagger) -> None:
    """A second package (the fixture relabelled es->en: routing, not quality) serves its language."""
    es = own_packages_dir / "translate-es_en-relabelled"
    shutil.copytree(own_packages_dir / "translate-pt_en-ponte_test-1_0", es)
    meta = json.loads((es / "metadata.json").read_text())
    meta.update(from_code="es", from_name="Spanish", package_version="0.1")
    (es / "metadata.json").write_text(json.dumps(meta))
    pipeline, factory = make_pipeline(own_packages_dir, tagger)
    assert pipeline.models.languages() == ("es", "pt")
    result = pipeline.analyze(Document("El Gobierno de España aprobó ayer el anteproyecto de ley sobre el clima."))
    assert result.language.code == "es"
    assert result.translation.model is not None
    assert result.translation.model.package == "translate-es_en-relabelled"
    assert len(factory.engines["es"].calls) == 2


def test_paragraph_breaks_are_kept(packages_dir: Path, tagger: Tagger) -> None:
    pipeline, _ = make_pipeline(packages_dir, tagger)
    text = "Primeiro parágrafo aqui.\n\nSegundo parágrafo. Com duas frases.\nTerceiro."
    translation = pipeline.translate(text, "pt")
    assert translation.text == ("[en] Primeiro parágrafo aqui.\n\n[en] Segundo parágrafo. [en] Com duas frases."
                                "\n[en] Terceiro.")


def test_repeated_document_comes_from_the_document_cache(packages_dir: Path, tagger: Tagger) -> None:
    factory = FakeFactory()
    registry = ModelRegistry(packages_dir, "en", factory, required=("pt",))
    registry.load_all()
    pipeline = Pipeline(LanguageDetector(), registry, tagger, documents=BoundedLru(10_000))
    first = pipeline.analyze(Document(PT_1, "auto", "first"))
    again = pipeline.analyze(Document(PT_1, "auto", "again"))
    assert len(factory.engines["pt"].calls) == 2  # warm-up + the first analysis only
    assert again.id == "again"
    assert (again.language, again.translation, again.tags) == (first.language, first.translation, first.tags)
    assert again.timings_ms.translate == 0.0
    # a different forced language is a different document
    pipeline.analyze(Document(PT_1, "pt", "forced"))
    assert len(factory.engines["pt"].calls) == 3


def test_document_cache_is_bounded_by_characters() -> None:
    cache: BoundedLru[str, str] = BoundedLru(10)
    cache.put("a", "x", cost=6)
    cache.put("b", "y", cost=4)
    cache.put("c", "z", cost=4)  # evicts a
    assert cache.get("a") is None
    assert cache.get("b") == "y" and cache.get("c") == "z"
    cache.put("huge", "w", cost=11)  # never kept
    assert cache.get("huge") is None
    off: BoundedLru[str, str] = BoundedLru(0)
    off.put("a", "x")
    assert off.get("a") is None


class _LosesThePlaceholder:
    """An engine whose best hypothesis drops the placeholder and whose second keeps it."""

    name, version = "lossy", "1"

    def translate(self, sentences: Sequence[str]) -> list[str]:
        return [r.text for r in self.translate_scored(sentences)]

    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[SentenceResult]:
        out = []
        for sentence in sentences:
            english = sentence.replace("O modelo", "The model").replace("chegou", "arrived")
            alts = ((english.replace("arrived", "has arrived"), -0.2), (english.replace("arrived", "came"), -0.3),
                    (english, -0.6)) if alternatives else ()
            out.append(SentenceResult(english.replace("%s ", ""), -0.5, (), alts))
        return out


def test_alternatives_are_restored_around_terms_even_when_the_sentence_took_the_fallback(
        packages_dir: Path, tagger: Tagger) -> None:
    registry = ModelRegistry(packages_dir, "en", lambda package: _LosesThePlaceholder(), required=("pt",))
    registry.load_all()
    pipeline = Pipeline(LanguageDetector(), registry, tagger)
    translation = pipeline.translate("O modelo Llama 3 chegou.", "pt", alternatives=2)
    sentence = translation.sentences[0]
    assert sentence.fallback  # the best hypothesis lost the term: pieces around it
    assert sentence.target == "The model Llama 3 arrived."
    # the hypotheses that kept the placeholder, the terms put back (the one equal to the chosen text left out)
    assert [a.target for a in sentence.alternatives] == ["The model Llama 3 has arrived.", "The model Llama 3 came."]
    # the chosen one scores as its weakest piece (-0.5): the alternatives above it say why
    assert [a.why_not_chosen for a in sentence.alternatives] == ["fallback", "fallback"]
