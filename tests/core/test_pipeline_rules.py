"""The pipeline's small rules, each pinned by hand: the quality summary, the document cache's memory estimate,
the defaults of translate/tag/detect, tagging a language without a model, why an alternative was not chosen,
and which alternatives and scores a sentence reports."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from service.core.detect import Detection, LanguageDetector
from service.core.exceptions import DocumentTooLongError, LanguageNotDetectedError, UnsupportedLanguageError
from service.core.formats import parse
from service.core.lru import BoundedLru, str_bytes
from service.core.models import WARM_UP_TEXT, ModelRegistry
from service.core.pipeline import (
    Alternative,
    Analysis,
    Document,
    NoObserver,
    Pipeline,
    Quality,
    SentencePair,
    Timings,
    Translation,
    analysis_bytes,
)
from service.core.tagging import Evidence, Tag, Tagger, default_taxonomy_path, load_taxonomy
from service.core.terms import GlossaryEntry
from service.core.translate import SentenceResult
from tests.conftest import FakeTranslator
from tests.core.test_pipeline import make_pipeline

# The default taxonomy tags this as "markets", with "Banco Central" at 2..15 of the sentence.
MARKETS = "O Banco Central subiu a taxa de juros e a inflação caiu."
GERMAN = "Der Vertrag wurde gestern vom Parlament in Berlin unterzeichnet."


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(default_taxonomy_path()))


class Scripted:
    """An engine with scores: the sentences it knows give their scripted result, any other '[en] <sentence>'
    without score. Records how many alternatives each call asked for."""

    name, version = "scripted", "1"

    def __init__(self, script: dict[str, SentenceResult] | None = None) -> None:
        self.script = script or {}
        self.asked: list[tuple[list[str], int]] = []

    def translate(self, sentences: Sequence[str]) -> list[str]:
        return [r.text for r in self.translate_scored(sentences)]

    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[SentenceResult]:
        self.asked.append((list(sentences), alternatives))
        return [self.script.get(s, SentenceResult(f"[en] {s}")) for s in sentences]


def scripted_pipeline(packages_dir: Path, tagger: Tagger, engine: Scripted) -> Pipeline:
    registry = ModelRegistry(packages_dir, "en", lambda package: engine, required=("pt",))
    registry.load_all()
    return Pipeline(LanguageDetector(), registry, tagger)


class Recording(NoObserver):
    def __init__(self) -> None:
        self.tagged: list[tuple[str, str | None]] = []
        self.detections: list[str] = []

    def tagging(self, text: str, language: str | None) -> None:
        self.tagged.append((text, language))

    def detected(self, text: str, detection: Detection) -> None:
        self.detections.append(text)


# Quality.of


def test_quality_is_the_weakest_score_and_the_number_of_flagged_sentences() -> None:
    sentences = [SentencePair("a", "A", score=-0.4, flags=("repetition", "truncated")),
                 SentencePair("b", "B", score=-1.5),
                 SentencePair("c", "C", score=None, flags=("repaired",)),  # the repair worked: not flagged
                 SentencePair("d", "D", score=-0.1, flags=("repaired", "length_ratio"))]
    assert Quality.of(sentences) == Quality(-1.5, 2)
    assert Quality.of([SentencePair("a", "A", score=-0.7, flags=("untranslated",))]) == Quality(-0.7, 1)
    assert Quality.of([SentencePair("a", "A")]) == Quality(None, 0)


# analysis_bytes: its strings, ~100 bytes per sentence, 200 per tag and 1000 for the rest


def _analysis(fmt: str, tags: int) -> Analysis:
    pairs = (SentencePair("Olá, mundo.", "Hello, world."), SentencePair("Até já!", "See you soon! 🙂"))
    tag = Tag("markets", "Markets", 0.5, (Evidence("Banco Central", "source", 0, 13),))
    translation = Translation("pt", "en", True, "<p>Hello, world. See you soon! 🙂</p>", pairs, None, fmt,
                              visible_text="Hello, world. See you soon! 🙂",
                              source_visible_text="Olá, mundo. Até já! ç")
    detection = LanguageDetector().given("pt")
    return Analysis(None, detection, translation, (tag,) * tags, Timings(0.0, 0.0, 0.0, 0.0))


@pytest.mark.parametrize("tags", [0, 3])
def test_analysis_bytes_of_html_counts_both_visible_texts(tags: int) -> None:
    size = sys.getsizeof
    expected = (size("<p>Hello, world. See you soon! 🙂</p>")
                + size("Hello, world. See you soon! 🙂") + size("Olá, mundo. Até já! ç")
                + size("Olá, mundo.") + size("Hello, world.") + 100
                + size("Até já!") + size("See you soon! 🙂") + 100
                + 200 * tags + 1000)
    assert analysis_bytes(_analysis("html", tags)) == expected
    assert analysis_bytes(_analysis("markdown", tags)) == expected


@pytest.mark.parametrize("tags", [0, 2])
def test_analysis_bytes_of_plain_text_counts_its_visible_texts_once(tags: int) -> None:
    """For text the visible texts are the text itself: not counted twice (here they differ, to tell)."""
    size = sys.getsizeof
    expected = (size("<p>Hello, world. See you soon! 🙂</p>")
                + size("Olá, mundo.") + size("Hello, world.") + 100
                + size("Até já!") + size("See you soon! 🙂") + 100
                + 200 * tags + 1000)
    assert analysis_bytes(_analysis("text", tags)) == expected


def test_a_document_cache_of_one_analysis_keeps_exactly_that_one(packages_dir: Path, tagger: Tagger) -> None:
    html = "<p>O Banco Central subiu a taxa de juros.</p><p>A inflação caiu.</p>"
    document = Document(html, "pt", None, "html")
    measured, _ = make_pipeline(packages_dir, tagger)
    first = measured.analyze(document)
    assert first.tags and first.translation.visible_text != first.translation.text
    cost = analysis_bytes(first) + str_bytes(html)
    for capacity, cached in ((cost, True), (cost - 1, False)):
        pipeline, factory = make_pipeline(packages_dir, tagger)
        pipeline.documents = BoundedLru(capacity)
        pipeline.analyze(document)
        again = pipeline.analyze(document)
        assert len(factory.engines["pt"].calls) == (2 if cached else 3), capacity  # warm-up, first (, again)
        assert again.translation == first.translation


# the defaults of detect, translate, tag and tag_document


def test_detect_reads_plain_text_by_default(packages_dir: Path, tagger: Tagger) -> None:
    pipeline, _ = make_pipeline(packages_dir, tagger)
    observer = Recording()
    pipeline.observer = observer
    assert pipeline.detect("<p>O arquivo foi salvo no disco e a operação terminou.</p>").code == "pt"
    assert observer.detections == ["<p>O arquivo foi salvo no disco e a operação terminou.</p>"]


def test_translate_asks_for_no_alternatives_by_default(packages_dir: Path, tagger: Tagger) -> None:
    engine = Scripted({"A frase.": SentenceResult("The sentence.", -0.5, (), (("A sentence.", -0.7),))})
    pipeline = scripted_pipeline(packages_dir, tagger, engine)
    translation = pipeline.translate("A frase.", "pt")
    assert translation.sentences == (SentencePair("A frase.", "The sentence.", score=-0.5),)
    assert engine.asked[-1] == (["A frase."], 0)
    assert pipeline.translate("A frase.", "pt", alternatives=1).sentences[0].alternatives == (
        Alternative("A sentence.", -0.7),)


def test_translate_does_not_tag_and_is_cached_as_untagged(packages_dir: Path, tagger: Tagger,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline, factory = make_pipeline(packages_dir, tagger)
    pipeline.documents = BoundedLru(100_000)
    tagged_texts: list[str] = []
    real_tag = tagger.tag

    def counting_tag(source: str, source_language: str, translation: str | None = None) -> tuple[Tag, ...]:
        tagged_texts.append(source)
        return real_tag(source, source_language, translation)

    monkeypatch.setattr(tagger, "tag", counting_tag)
    translation = pipeline.translate(MARKETS, "pt")
    assert translation.text == f"[en] {MARKETS}"
    assert tagged_texts == []
    calls = factory.engines["pt"].calls
    # the same document without tags comes from the cache; with tags it is another document
    untagged = pipeline.analyze_many([Document(MARKETS, "pt")], tag=False)[0]
    assert isinstance(untagged, Analysis) and untagged.tags == () and untagged.translation == translation
    assert len(calls) == 2 and tagged_texts == []
    tagged = pipeline.analyze(Document(MARKETS, "pt"))
    assert [t.topic for t in tagged.tags] == ["markets"]
    assert len(calls) == 3 and tagged_texts == [MARKETS]


def test_tag_detects_the_language_of_plain_text_by_default(packages_dir: Path, tagger: Tagger) -> None:
    pipeline, _ = make_pipeline(packages_dir, tagger)
    tags = pipeline.tag(MARKETS)
    assert [t.topic for t in tags] == ["markets"]
    assert tags[0].evidence[0] == Evidence("Banco Central", "source", 2, 15)
    assert pipeline.tag(MARKETS, "pt") == tags
    assert pipeline.tag_document(MARKETS).tags == tags
    # the markup of plain text is text: the evidence indexes it as written
    assert pipeline.tag(f"<b>{MARKETS}</b>")[0].evidence[0] == Evidence("Banco Central", "source", 5, 18)
    assert pipeline.tag_document(f"<b>{MARKETS}</b>").source_visible_text == f"<b>{MARKETS}</b>"


def test_tag_passes_the_format_its_evidence_indexes_the_visible_text(packages_dir: Path,
                                                                     tagger: Tagger) -> None:
    pipeline, _ = make_pipeline(packages_dir, tagger)
    html = f"<p>{MARKETS}</p>"
    tags = pipeline.tag(html, "pt", "html")
    assert tags == pipeline.tag_document(html, "pt", "html").tags
    assert [t.topic for t in tags] == ["markets"]
    assert tags[0].evidence[0] == Evidence("Banco Central", "source", 2, 15)  # in MARKETS, not in the markup


def test_the_observer_is_told_the_given_language_or_none(packages_dir: Path, tagger: Tagger) -> None:
    pipeline, _ = make_pipeline(packages_dir, tagger)
    observer = Recording()
    pipeline.observer = observer
    pipeline.tag_document(f"<p>{MARKETS}</p>", "pt", "html")
    pipeline.tag_document(MARKETS)
    pipeline.tag(MARKETS, "pt-BR")
    assert observer.tagged == [(MARKETS, "pt"), (MARKETS, None), (MARKETS, "pt-BR")]


def test_a_language_without_a_model_can_be_tagged_not_translated(packages_dir: Path, tagger: Tagger) -> None:
    pipeline, _ = make_pipeline(packages_dir, tagger)
    tagged = pipeline.tag_document(GERMAN)
    assert tagged.source_visible_text == GERMAN
    assert pipeline.tag(GERMAN) == tagged.tags
    with pytest.raises(UnsupportedLanguageError):
        pipeline.translate(GERMAN)


# why an alternative above the chosen translation was not chosen (and only those above it)


def test_why_not_chosen_is_said_of_the_alternatives_that_score_above_the_chosen_one(
        packages_dir: Path, tagger: Tagger) -> None:
    engine = Scripted({
        "Frase um.": SentenceResult("Sentence one.", -0.5, (), (
            ("Phrase one.", -0.2), ("One sentence.", -0.5), ("Sentence 1.", -0.9))),
        "Frase dois.": SentenceResult("Sentence two.", -0.6, ("repaired",), (
            ("Phrase two.", -0.3), ("Two sentences.", -0.8))),
        "Frase três.": SentenceResult("Sentence three.", -0.4, ("length_ratio", "repaired"), (
            ("Phrase three.", -0.1),)),
    })
    pipeline = scripted_pipeline(packages_dir, tagger, engine)
    translation = pipeline.translate("Frase um. Frase dois. Frase três.", "pt", alternatives=3)
    one, two, three = translation.sentences
    assert engine.asked[-1][1] == 3
    assert (one.score, one.flags, one.fallback) == (-0.5, (), False)
    assert one.alternatives == (Alternative("Phrase one.", -0.2, "length_penalty"),
                                Alternative("One sentence.", -0.5),  # as good as the chosen one: nothing to explain
                                Alternative("Sentence 1.", -0.9))
    assert (two.score, two.flags) == (-0.6, ("repaired",))
    assert two.alternatives == (Alternative("Phrase two.", -0.3, "repaired"), Alternative("Two sentences.", -0.8))
    assert three.alternatives == (Alternative("Phrase three.", -0.1, "repaired"),)
    assert translation.quality == Quality(-0.6, 1)
    # fewer alternatives wanted: the first of the list
    fewer = pipeline.translate("Frase um.", "pt", alternatives=1).sentences[0]
    assert fewer.alternatives == (Alternative("Phrase one.", -0.2, "length_penalty"),)


# the signals of a sentence with terms


def test_a_sentence_whose_terms_survived_keeps_the_engines_score_and_flags(packages_dir: Path,
                                                                           tagger: Tagger) -> None:
    engine = Scripted({"O modelo %s chegou.": SentenceResult(
        "The model %s arrived.", -0.3, ("length_ratio",),
        (("The model %s came.", -0.2), ("The model arrived.", -0.25), ("The model %s came.", -0.6)))})
    pipeline = scripted_pipeline(packages_dir, tagger, engine)
    translation = pipeline.translate("O modelo Llama chegou.", "pt", glossary=[GlossaryEntry("Llama")],
                                     alternatives=3)
    pair = translation.sentences[0]
    assert (pair.target, pair.fallback, pair.score, pair.flags) == (
        "The model Llama arrived.", False, -0.3, ("length_ratio",))
    # the hypothesis that lost the placeholder is left out, and the repeated one given once
    assert pair.alternatives == (Alternative("The model Llama came.", -0.2, "length_penalty"),)
    assert translation.quality == Quality(-0.3, 1)


def test_an_alternative_that_is_only_the_term_is_kept_when_the_sentence_took_the_fallback(
        packages_dir: Path, tagger: Tagger) -> None:
    engine = Scripted({"O modelo %s chegou.": SentenceResult(
        "The model arrived.", -0.3, (), (("%s", -0.2), ("The model %s came.", -0.6)))})
    pipeline = scripted_pipeline(packages_dir, tagger, engine)
    translation = pipeline.translate("O modelo Llama chegou.", "pt", glossary=[GlossaryEntry("Llama", "XXXX")],
                                     alternatives=2)
    pair = translation.sentences[0]
    assert pair.fallback and pair.target == "[en] O modelo XXXX [en] chegou."
    assert pair.score is None  # the pieces have no score
    assert pair.alternatives == (Alternative("XXXX", -0.2), Alternative("The model XXXX came.", -0.6))


# an engine that breaks its promise of one result per sentence


class Miscounting(FakeTranslator):
    def __init__(self, extra: int) -> None:
        super().__init__()
        self.extra = extra

    def translate(self, sentences: Sequence[str]) -> list[str]:
        out = super().translate(sentences)
        if list(sentences) == [WARM_UP_TEXT]:
            return out
        return out + ["[en] more"] * self.extra if self.extra > 0 else out[:self.extra]


@pytest.mark.parametrize("extra", [1, -1])
def test_an_engine_giving_a_result_more_or_less_than_its_sentences_is_an_error(
        packages_dir: Path, tagger: Tagger, extra: int) -> None:
    registry = ModelRegistry(packages_dir, "en", lambda package: Miscounting(extra), required=("pt",))
    registry.load_all()
    pipeline = Pipeline(LanguageDetector(), registry, tagger)
    with pytest.raises(ValueError, match="zip"):
        pipeline.translate("Frase um. Frase dois.", "pt")


def test_a_sentence_of_terms_alone_has_no_engine_signals_even_when_another_text_is_its_masked_text(
        packages_dir: Path, tagger: Tagger) -> None:
    """'Llama.' (a term and a stop) never reaches the engine; masked it is '%s.', which another document of the
    batch may say: that document's score, flags and alternatives are not this sentence's."""
    engine = Scripted({"%s.": SentenceResult("%s.", -2.5, ("untranslated",), (("%s!", -3.0),))})
    pipeline = scripted_pipeline(packages_dir, tagger, engine)
    term_only = Document("Llama.", "pt", glossary=(GlossaryEntry("Llama"),), alternatives=2)
    alone = pipeline.analyze_many([term_only], tag=False)[0]
    placeholder, batched = pipeline.analyze_many([Document("%s.", "pt"), term_only], tag=False)
    assert engine.asked[-1] == (["%s."], 3)
    assert isinstance(alone, Analysis) and isinstance(batched, Analysis) and isinstance(placeholder, Analysis)
    assert placeholder.translation.sentences[0].flags == ("untranslated",)
    expected = SentencePair("Llama.", "Llama.", alone.translation.sentences[0].applied)
    assert alone.translation.sentences == batched.translation.sentences == (expected,)
    assert batched.translation.quality == Quality(None, 0)


def test_an_empty_hypothesis_is_no_alternative(packages_dir: Path, tagger: Tagger) -> None:
    """A beam hypothesis that ended at once translates nothing: not offered, whether the sentence was translated
    whole or in pieces around its terms."""
    engine = Scripted({
        "Frase um.": SentenceResult("Sentence one.", -0.5, (), (("", -0.4), (" ", -0.6), ("One sentence.", -0.7))),
        "O modelo %s chegou.": SentenceResult("The model arrived.", -0.3, (),
                                              (("", -0.2), ("The model %s came.", -0.6))),
    })
    pipeline = scripted_pipeline(packages_dir, tagger, engine)
    whole = pipeline.translate("Frase um.", "pt", alternatives=3).sentences[0]
    assert not whole.fallback and whole.alternatives == (Alternative("One sentence.", -0.7),)
    pieces = pipeline.translate("O modelo Llama chegou.", "pt", glossary=[GlossaryEntry("Llama")],
                                alternatives=3).sentences[0]
    assert pieces.fallback and pieces.alternatives == (Alternative("The model Llama came.", -0.6),)


# tags see the translation of a translated document only


def test_tags_see_the_translation_of_a_translated_document_only(packages_dir: Path, tagger: Tagger) -> None:
    engine = Scripted({"O Banco Central subiu a taxa de juros.": SentenceResult(
        "The Central Bank raised interest rates.")})
    pipeline = scripted_pipeline(packages_dir, tagger, engine)
    translated = pipeline.analyze(Document("O Banco Central subiu a taxa de juros.", "pt"))
    assert [(e.field, e.term) for e in translated.tags[0].evidence] == [
        ("source", "Banco Central"), ("source", "taxa de juros"),
        ("translation", "Central Bank"), ("translation", "interest rates")]
    english = pipeline.analyze(Document("<p>The Central Bank raised interest rates.</p>", "en", None, "html"))
    assert not english.translation.translated and english.translation.format == "html"
    assert [(e.field, e.term) for e in english.tags[0].evidence] == [
        ("source", "Central Bank"), ("source", "interest rates")]


# max_chars with glossary targets; documents parsed elsewhere are not cached; the undetected language's message


def test_glossary_targets_that_grow_the_text_past_max_chars_refuse_the_document(packages_dir: Path,
                                                                                tagger: Tagger) -> None:
    pipeline, factory = make_pipeline(packages_dir, tagger)
    html = '<p>O modelo Llama chegou.</p><img alt="Llama">'  # visible 22 characters, the alt 5
    glossary = (GlossaryEntry("Llama", "Llama Grande"),)  # 7 more characters, twice
    pipeline.max_chars = 40
    [result] = pipeline.analyze_many([Document(html, "pt", None, "html", glossary)])
    assert isinstance(result, DocumentTooLongError)
    assert (result.length, result.limit) == (41, 40)
    assert str(result) == "the text with its glossary targets has 41 characters; the limit is 40 (PONTE_MAX_CHARS)"
    assert factory.engines["pt"].calls == [[WARM_UP_TEXT]]  # nothing of it reached the engine
    pipeline.max_chars = 41  # exactly at the limit: translated, the alt text with its target too
    translated = pipeline.translate(html, "pt", "html", glossary)
    assert translated.text == '<p>[en] O modelo Llama Grande chegou.</p><img alt="Llama Grande">'
    exactly = "A" * 39 + " b."  # 42 characters, no glossary
    pipeline.max_chars = 42
    assert pipeline.translate(exactly, "pt").text == f"[en] {exactly}"
    assert isinstance(pipeline.analyze_many([Document(exactly + "c", "pt")])[0], DocumentTooLongError)


def test_the_extras_are_masked_with_the_documents_glossary(packages_dir: Path, tagger: Tagger) -> None:
    pipeline, factory = make_pipeline(packages_dir, tagger)
    html = '<p>Uma frase.</p><img alt="O modelo Llama">'
    translated = pipeline.translate(html, "pt", "html", [GlossaryEntry("Llama", "LLAMA")])
    assert translated.text == '<p>[en] Uma frase.</p><img alt="[en] O modelo LLAMA">'
    assert factory.engines["pt"].calls[-1] == ["Uma frase.", "O modelo %s"]


def test_a_document_parsed_elsewhere_is_not_cached(packages_dir: Path, tagger: Tagger) -> None:
    pipeline, factory = make_pipeline(packages_dir, tagger)
    pipeline.documents = BoundedLru(100_000)
    parsed = parse("<p>Outra frase daqui.</p>", "html")
    from_file = pipeline.analyze(Document("Uma frase.", "pt", None, "html", layout=parsed))
    assert from_file.translation.visible_text == "[en] Outra frase daqui."
    plain = pipeline.analyze(Document("Uma frase.", "pt", None, "html"))
    assert plain.translation.visible_text == "[en] Uma frase."
    assert len(factory.engines["pt"].calls) == 3


def test_an_undetected_language_says_what_to_do(packages_dir: Path, tagger: Tagger) -> None:
    pipeline, _ = make_pipeline(packages_dir, tagger)
    with pytest.raises(LanguageNotDetectedError) as raised:
        pipeline.translate("12345 !!!")
    assert str(raised.value) == "no language could be detected in this text; give source_language explicitly"


# timings, on a clock that only the engine (0.5 s a call) and the model look-ups (0.25 s) move


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def perf_counter(self) -> float:
        return self.now


class Slow(FakeTranslator):
    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock

    def translate(self, sentences: Sequence[str]) -> list[str]:
        self.clock.now += 0.5
        return super().translate(sentences)


def test_timings_share_the_engine_call_by_sentences(packages_dir: Path, tagger: Tagger,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    registry = ModelRegistry(packages_dir, "en", lambda package: Slow(clock), required=("pt",))
    registry.load_all()
    pipeline = Pipeline(LanguageDetector(), registry, tagger)
    monkeypatch.setattr("service.core.pipeline.time", clock)
    lookup = registry.engine

    def slow_lookup(language: str) -> object:
        clock.now += 0.25  # outside every stage: counts in a lone document's total only
        return lookup(language)

    monkeypatch.setattr(registry, "engine", slow_lookup)
    one, two = pipeline.analyze_many([Document("Primeira frase aqui.", "pt"),
                                      Document("Segunda frase aqui. Terceira frase aqui.", "pt")], tag=False)
    assert isinstance(one, Analysis) and isinstance(two, Analysis)
    assert one.timings_ms == Timings(0.0, 166.67, 0.0, 166.67)  # 500 ms, one sentence of three
    assert two.timings_ms == Timings(0.0, 333.33, 0.0, 333.33)
    alone = pipeline.analyze(Document("Quarta frase aqui.", "pt"))
    assert alone.timings_ms == Timings(0.0, 500.0, 0.0, 1000.0)  # the whole call: two look-ups and the engine


@pytest.mark.parametrize(("html", "sent", "applied"), [
    ("<p>Frase um.<code>&nbsp;Nome</code> frase dois.</p>", ["Frase um.", "%s frase dois."], [(), ("Nome",)]),
    ("<p><code>Nome.&nbsp;</code>Frase dois aqui.</p>", ["Frase dois aqui."], [("Nome.",), ()]),
], ids=["range-starts-at-a-sentence-end", "range-ends-at-a-sentence-start"])
def test_a_protected_range_flush_against_a_sentence_boundary_masks_only_the_sentence_it_overlaps(
        packages_dir: Path, tagger: Tagger, html: str, sent: list[str], applied: list[tuple[str, ...]]) -> None:
    """A no-break space is no HTML whitespace (it stays in the protected range) but ends a sentence: the range
    starts where the first sentence ends, or ends where the next one starts, and masks only the one it overlaps."""
    pipeline, factory = make_pipeline(packages_dir, tagger)
    translation = pipeline.translate(html, "pt", "html")
    assert factory.engines["pt"].calls[-1] == sent
    assert [tuple(a.text for a in s.applied) for s in translation.sentences] == applied
