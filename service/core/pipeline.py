"""detect -> translate -> tag, for one document or many (sentences of all documents share engine calls)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from service.core.batching import Arrivals
from service.core.budget import TokenCounting, WorkBudget
from service.core.detect import (
    UNDETERMINED,
    Detection,
    FallbackRule,
    LanguageDetector,
    choose_language,
    letter_count,
    refusal_detail,
)
from service.core.exceptions import CoreError, LanguageNotDetectedError, UnsupportedLanguageError
from service.core.lru import BoundedLru, str_bytes
from service.core.models import ModelRegistry
from service.core.segment import Segmentation, join_translation, split_sentences
from service.core.tagging import Tag, Tagger

AUTO = "auto"
DEFAULT_FALLBACK = FallbackRule()


@dataclass(frozen=True)
class SentencePair:
    """One source sentence and its translation."""

    source: str
    target: str


@dataclass(frozen=True)
class ModelRef:
    """The package that made a translation."""

    package: str
    version: str


@dataclass(frozen=True)
class Translation:
    """The English text of a document, sentence by sentence."""

    source_language: str
    target_language: str
    translated: bool
    text: str
    sentences: tuple[SentencePair, ...]
    model: ModelRef | None


@dataclass(frozen=True)
class Timings:
    """Milliseconds spent in each stage."""

    detect: float
    translate: float
    tag: float
    total: float


@dataclass(frozen=True)
class Analysis:
    """Everything ponte knows about one document."""

    id: str | None
    language: Detection
    translation: Translation
    tags: tuple[Tag, ...]
    timings_ms: Timings


@dataclass(frozen=True)
class Document:
    """One input document."""

    text: str
    source_language: str = AUTO
    id: str | None = None


def _ms(seconds: float) -> float:
    return round(seconds * 1000.0, 2)


def analysis_bytes(analysis: Analysis) -> int:
    """About what a cached analysis holds in memory: its strings (source, English, each sentence pair) plus
    ~100 bytes of objects per sentence and tag."""
    pairs = analysis.translation.sentences
    return (str_bytes(analysis.translation.text) + sum(str_bytes(p.source, p.target) + 100 for p in pairs)
            + 200 * len(analysis.tags) + 1000)


class PipelineObserver(Protocol):
    """What the pipeline tells whoever watches it (metrics, request logs); it never changes a result.

    The methods do nothing by default, so an observer implements only what it needs."""

    def detected(self, text: str, detection: Detection) -> None:
        """A text's language was detected on its own (POST /v1/detect)."""
        return None

    def tagging(self, text: str, language: str | None) -> None:
        """A text is about to be tagged in its own language; language None when it is to be detected."""
        return None

    def analyzing(self, documents: Sequence[Document]) -> None:
        """Documents are about to be analyzed (or translated): called even if the analysis then fails."""
        return None

    def analyzed(self, documents: Sequence[Document], results: Sequence[Analysis | CoreError]) -> None:
        """Documents were analyzed: one result or problem per document, in order."""
        return None


class NoObserver(PipelineObserver):
    """The default observer: watches nothing."""


class Pipeline:
    """The service's whole job, free of HTTP: the web layer and the CLI both call this."""

    def __init__(self, detector: LanguageDetector, models: ModelRegistry, tagger: Tagger, *,
                 documents: BoundedLru[tuple[str, str, bool], Analysis] | None = None,
                 arrivals: Arrivals | None = None, observer: PipelineObserver | None = None,
                 fallback: FallbackRule | None = DEFAULT_FALLBACK, budget: WorkBudget | None = None) -> None:
        # Each document's engine cost, checked before the engine is busy (engines that can count tokens).
        self.budget = budget
        self.detector = detector
        # When detection is unsure (or the text too short to judge) and an installed language is plausible,
        # translate with it (method "fallback"); None refuses whatever is not detected as installed.
        self.fallback = fallback
        self.models = models
        self.tagger = tagger
        self.observer: PipelineObserver = observer if observer is not None else NoObserver()
        self.target = models.target
        self.arrivals = arrivals if arrivals is not None else Arrivals()
        # Whole results of recent documents (bounded by characters held): a repeated document
        # costs neither detection, nor the engine, nor tagging.
        self.documents: BoundedLru[tuple[str, str, bool], Analysis] = (
            documents if documents is not None else BoundedLru(0))

    def detect(self, text: str) -> Detection:
        """Detect the language of a text."""
        detection = self.detector.detect(text)
        self.observer.detected(text, detection)
        return detection

    def _language(self, text: str, source_language: str, *, translating: bool = True) -> Detection:
        if source_language != AUTO:
            return self.detector.given(source_language)
        detection = self.detector.detect(text)
        if detection.code == UNDETERMINED:
            raise LanguageNotDetectedError(
                "no language could be detected in this text; give source_language explicitly")
        # the required languages count as installed: a missing model is a 503 to fix, not a language to refuse
        installed = tuple(dict.fromkeys((*self.models.languages(), *self.models.required)))
        if self.fallback is not None:
            detection = choose_language(detection, installed, self.target, letters=letter_count(text),
                                        rule=self.fallback)
        if translating and detection.code != self.target and detection.code not in installed:
            raise UnsupportedLanguageError(detection.code, self.target, installed,
                                           detail=refusal_detail(detection, installed, self.target))
        return detection

    def translate(self, text: str, source_language: str = AUTO) -> Translation:
        """Translate one text into the target language."""
        result = self.analyze_many([Document(text, source_language)], tag=False)[0]
        if isinstance(result, CoreError):
            raise result
        return result.translation

    def tag(self, text: str, language: str = AUTO) -> tuple[Tag, ...]:
        """Tag a text in its own language (no translation)."""
        self.observer.tagging(text, None if language == AUTO else language)
        code = self._language(text, language, translating=False).code
        return self.tagger.tag(text, code, None)

    def analyze(self, document: Document) -> Analysis:
        """Detect, translate and tag one document; raises CoreError on a document-level problem."""
        result = self.analyze_many([document])[0]
        if isinstance(result, CoreError):
            raise result
        return result

    def analyze_many(self, documents: Sequence[Document], *, tag: bool = True) -> list[Analysis | CoreError]:
        """Analyze documents together: sentences of all documents in one language share one engine call,
        identical sentences are translated once; a document's problem is returned in its place."""
        self.observer.analyzing(documents)
        results = self._analyze_many(documents, tag=tag)
        self.observer.analyzed(documents, results)
        return results

    def _analyze_many(self, documents: Sequence[Document], *, tag: bool) -> list[Analysis | CoreError]:
        started = time.perf_counter()
        results: list[Analysis | CoreError | None] = [None] * len(documents)
        detections: dict[int, Detection] = {}
        detect_ms: dict[int, float] = {}
        segmentations: dict[int, Segmentation] = {}
        by_language: dict[str, list[int]] = {}
        # Until its sentences reach the engine, a request is "on its way": a batching engine waits
        # for such requests (briefly) instead of starting a call without them.
        with self.arrivals.coming():
            for i, doc in enumerate(documents):
                t0 = time.perf_counter()
                if self.documents.capacity:
                    cached = self.documents.get((doc.text, doc.source_language, tag))
                    if cached is not None:
                        results[i] = replace(cached, id=doc.id, timings_ms=Timings(0.0, 0.0, 0.0,
                                                                                   _ms(time.perf_counter() - t0)))
                        continue
                try:
                    detections[i] = self._language(doc.text, doc.source_language)
                except CoreError as exc:
                    results[i] = exc
                detect_ms[i] = _ms(time.perf_counter() - t0)

            # group the documents to translate by language; English (the target) passes through
            for i, detection in detections.items():
                if detection.code == self.target:
                    continue
                try:
                    self.models.engine(detection.code)
                except CoreError as exc:
                    results[i] = exc
                    continue
                segmentations[i] = split_sentences(documents[i].text, detection.code)
                if self.budget is not None and isinstance(engine := self.models.engine(detection.code),
                                                          TokenCounting):
                    try:
                        self.budget.check(engine.count_tokens([s.text for s in segmentations[i].sentences]))
                    except CoreError as exc:
                        results[i] = exc
                        continue
                by_language.setdefault(detection.code, []).append(i)

        translations: dict[int, Translation] = {}
        translate_ms: dict[int, float] = {}
        for code, indices in by_language.items():
            engine = self.models.engine(code)
            t0 = time.perf_counter()
            unique = list(dict.fromkeys(s.text for i in indices for s in segmentations[i].sentences))
            targets = dict(zip(unique, engine.translate(unique), strict=True))
            elapsed = _ms(time.perf_counter() - t0)
            total_sentences = sum(len(segmentations[i].sentences) for i in indices) or 1
            for i in indices:
                seg = segmentations[i]
                outs = [targets[s.text] for s in seg.sentences]
                translations[i] = Translation(
                    source_language=code, target_language=self.target, translated=True,
                    text=join_translation(seg, outs),
                    sentences=tuple(SentencePair(s.text, t) for s, t in zip(seg.sentences, outs, strict=True)),
                    model=ModelRef(engine.name, engine.version),
                )
                # a shared engine call is charged to each document by its share of the sentences
                translate_ms[i] = round(elapsed * len(seg.sentences) / total_sentences, 2)

        for i, detection in detections.items():
            if results[i] is not None:
                continue
            translation = translations.get(i) or Translation(
                source_language=detection.code, target_language=self.target, translated=False,
                text=documents[i].text, sentences=(), model=None)
            t0 = time.perf_counter()
            tags: tuple[Tag, ...] = ()
            if tag:
                tags = self.tagger.tag(documents[i].text, detection.code,
                                       translation.text if translation.translated else None)
            tag_ms = _ms(time.perf_counter() - t0)
            d_ms, tr_ms = detect_ms[i], translate_ms.get(i, 0.0)
            total = _ms(time.perf_counter() - started) if len(documents) == 1 else round(d_ms + tr_ms + tag_ms, 2)
            analysis = Analysis(documents[i].id, detection, translation, tags, Timings(d_ms, tr_ms, tag_ms, total))
            results[i] = analysis
            if self.documents.capacity:
                self.documents.put((documents[i].text, documents[i].source_language, tag), analysis,
                                   cost=analysis_bytes(analysis) + str_bytes(documents[i].text))
        assert all(r is not None for r in results)
        return [r for r in results if r is not None]
