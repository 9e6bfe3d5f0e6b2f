"""The pipeline with formats and glossaries, through fake engines: what reaches the engine, and what comes back."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from service.core.detect import LanguageDetector
from service.core.models import ModelRegistry
from service.core.packages import InstalledPackage
from service.core.pipeline import Document, Pipeline
from service.core.segment import split_sentences
from service.core.tagging import Tagger, default_taxonomy_path, load_taxonomy
from service.core.terms import GlossaryEntry
from tests.conftest import FakeFactory, FakeTranslator


class DroppingTranslator(FakeTranslator):
    """Loses every placeholder (%s, %d...), as a weak model does: the fallback must take over."""

    def translate(self, sentences: Sequence[str]) -> list[str]:
        self.calls.append(list(sentences))
        return [" ".join(w for w in f"[en] {s}".split() if not w.startswith("%")) for s in sentences]


class DroppingFactory(FakeFactory):
    def __call__(self, package: InstalledPackage) -> FakeTranslator:
        engine = DroppingTranslator(package)
        self.engines[package.from_code] = engine
        return engine


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(default_taxonomy_path()))


def make_pipeline(packages_dir: Path, tagger: Tagger, factory: FakeFactory) -> Pipeline:
    registry = ModelRegistry(packages_dir, "en", factory, required=("pt",))
    registry.load_all()
    return Pipeline(LanguageDetector(), registry, tagger)


def test_plain_text_without_protected_spans_reaches_the_engine_as_today(packages_dir: Path, tagger: Tagger,
                                                                         seed_article: str) -> None:
    factory = FakeFactory()
    pipeline = make_pipeline(packages_dir, tagger, factory)
    text = "O arquivo foi salvo no disco. A operação terminou com sucesso.\nDeseja abrir o arquivo agora?"
    result = pipeline.analyze(Document(text, "pt"))
    sent = factory.engines["pt"].calls[-1]
    assert sent == [s.text for s in split_sentences(text, "pt").sentences]
    assert result.translation.text == "[en] O arquivo foi salvo no disco. [en] A operação terminou com sucesso.\n" \
                                      "[en] Deseja abrir o arquivo agora?"
    assert all(not s.applied and not s.fallback for s in result.translation.sentences)


def test_a_lost_placeholder_takes_the_fallback_and_keeps_every_term_once(packages_dir: Path, tagger: Tagger) -> None:
    factory = DroppingFactory()
    pipeline = make_pipeline(packages_dir, tagger, factory)
    html = ('<p>A Meta lançou o Llama 3 em https://ai.meta.com hoje, com <code>pip install x</code> pronto.</p>'
            '<p>O código aberto venceu.</p>')
    glossary = (GlossaryEntry("código aberto", "open source"),)
    before = len(factory.engines["pt"].calls)
    result = pipeline.analyze(Document(html, "pt", None, "html", glossary))
    assert len(factory.engines["pt"].calls) - before == 2  # all sentences, then all fallback pieces
    first, second = result.translation.sentences
    assert first.fallback and {a.kind for a in first.applied} == {"version", "url", "protected"}
    for term in ("Llama 3", "https://ai.meta.com", "pip install x"):
        assert result.translation.text.count(term) == 1, term
    assert second.fallback and second.applied[0].entry == glossary[0]
    assert "open source" in second.target and "código aberto" not in result.translation.text


def test_extras_share_the_engine_call_and_the_cache_key_has_the_format(packages_dir: Path, tagger: Tagger) -> None:
    from service.core.lru import BoundedLru

    factory = FakeFactory()
    registry = ModelRegistry(packages_dir, "en", factory, required=("pt",))
    registry.load_all()
    pipeline = Pipeline(LanguageDetector(), registry, tagger, documents=BoundedLru(100_000))
    text = '<p>O arquivo foi <b>salvo</b>.</p><img alt="Uma imagem do disco" src="d.png">'
    as_html = pipeline.analyze(Document(text, "pt", None, "html"))
    as_text = pipeline.analyze(Document(text, "pt", None, "text"))
    calls = factory.engines["pt"].calls[1:]
    assert len(calls) == 2  # one per analysis: the document cache kept them apart
    assert "Uma imagem do disco" in calls[0]
    assert 'alt="[en] Uma imagem do disco"' in as_html.translation.text
    assert as_text.translation.source_visible_text == text
