"""detect -> translate -> tag, for one document or many (sentences of all documents share engine calls).

A document is text, HTML or Markdown: detection, sentence splitting and tagging see its visible text
(formats.parse), protected spans and glossary terms are masked per sentence (terms.protect), all masked
sentences and the layouts' extras of one language go to the engine in one call (terms.translate_protected
adds at most one more for fallbacks), and the layout puts the translation back into the markup.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
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
    script_of,
)
from service.core.exceptions import (
    CoreError,
    DocumentTooLongError,
    EmptyDocumentError,
    LanguageNotDetectedError,
    UnsupportedLanguageError,
)
from service.core.formats import Format, Layout, join_mapped, parse
from service.core.lru import BoundedLru, str_bytes
from service.core.models import ModelRegistry
from service.core.segment import Segmentation, split_sentences
from service.core.tagging import Tag, Tagger
from service.core.terms import (
    Glossary,
    GlossaryEntry,
    Masked,
    Restored,
    fallback_units,
    merge,
    protect,
    restore,
    sent_whole,
    translate_protected,
)
from service.core.terms.spans import EXTRA
from service.core.translate import SentenceResult, SentenceTranslator, translate_scored
from service.core.translate.results import MAX_ALTERNATIVES, REPAIRED, ordered_flags

AUTO = "auto"
DEFAULT_FALLBACK = FallbackRule()


# The kind a span marked by the document itself (inline code, translate="no") is reported as.
PROTECTED = "protected"


@dataclass(frozen=True)
class Applied:
    """A protected span or glossary match of a sentence, as written in the source and in the output."""

    kind: str
    text: str
    replacement: str
    entry: GlossaryEntry | None = None


@dataclass(frozen=True)
class Alternative:
    """Another hypothesis of the same beam search, with its score (on the chosen translation's scale); when it
    scores higher than the chosen one, why it was not chosen (WHY_NOT_CHOSEN)."""

    target: str
    score: float
    why_not_chosen: str | None = None


# Why an alternative with a higher score than the chosen translation was not chosen: the beam search ranks with a
# length penalty (a longer hypothesis can rank first with a lower mean per token), the chosen one is the repaired
# decoding, or the chosen one was translated in pieces around its terms (fallback) and scores as its weakest piece.
LENGTH_PENALTY, REPAIR, PIECES = "length_penalty", "repaired", "fallback"
WHY_NOT_CHOSEN = (LENGTH_PENALTY, REPAIR, PIECES)


@dataclass(frozen=True)
class SentencePair:
    """One source sentence and its translation, with what was protected or looked up in it, and how far the
    translation can be trusted: the model's score and the quality flags (service.core.translate.FLAGS)."""

    source: str
    target: str
    applied: tuple[Applied, ...] = ()
    fallback: bool = False
    score: float | None = None
    flags: tuple[str, ...] = ()
    alternatives: tuple[Alternative, ...] = ()


@dataclass(frozen=True)
class Quality:
    """A document's translation at a glance: its weakest sentence and how many sentences were flagged."""

    min_score: float | None
    flagged_sentences: int

    @classmethod
    def of(cls, sentences: Sequence[SentencePair]) -> Quality:
        """The summary of these sentences (flag `repaired` alone does not count: the repair worked)."""
        scores = [s.score for s in sentences if s.score is not None]
        flagged = sum(1 for s in sentences if set(s.flags) - {REPAIRED})
        return cls(min(scores) if scores else None, flagged)


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
    text: str  # the output document, in the input's format
    sentences: tuple[SentencePair, ...]
    model: ModelRef | None
    format: str = "text"
    visible_text: str = ""  # the output's visible text: what evidence with field "translation" indexes
    source_visible_text: str = ""  # the input's visible text: what evidence with field "source" indexes
    quality: Quality = Quality(None, 0)


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
class Tagged:
    """The tags of a document (no translation) and the visible text their evidence indexes."""

    tags: tuple[Tag, ...]
    source_visible_text: str


@dataclass(frozen=True)
class Document:
    """One input document."""

    text: str
    source_language: str = AUTO
    id: str | None = None
    format: Format = "text"
    glossary: tuple[GlossaryEntry, ...] = ()  # the request's entries, before the server's
    alternatives: int = 0  # other hypotheses wanted per sentence (0..MAX_ALTERNATIVES)
    # A document parsed elsewhere (a file: service.core.files), used instead of parsing `text`; not cached.
    layout: Layout | None = field(default=None, compare=False)


def _ms(seconds: float) -> float:
    return round(seconds * 1000.0, 2)


def analysis_bytes(analysis: Analysis) -> int:
    """About what a cached analysis holds in memory: its strings (source, English, each sentence pair, and the
    visible texts of HTML or Markdown) plus ~100 bytes of objects per sentence, 200 per tag and 1,000 for the rest."""
    pairs = analysis.translation.sentences
    translation = analysis.translation
    # for plain text the visible texts are the text itself (the same objects), for HTML and Markdown more strings
    visible = 0
    if translation.format != "text":
        visible = str_bytes(translation.visible_text, translation.source_visible_text)
    return (str_bytes(translation.text) + visible + sum(str_bytes(p.source, p.target) + 100 for p in pairs)
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


# A cached analysis is keyed by everything that shapes it (the server glossary is fixed per pipeline).
_CacheKey = tuple[str, str, bool, str, tuple[GlossaryEntry, ...], int]


class Pipeline:
    """The service's whole job, free of HTTP: the web layer and the CLI both call this."""

    def __init__(self, detector: LanguageDetector, models: ModelRegistry, tagger: Tagger, *,
                 documents: BoundedLru[_CacheKey, Analysis] | None = None,
                 arrivals: Arrivals | None = None, observer: PipelineObserver | None = None,
                 fallback: FallbackRule | None = DEFAULT_FALLBACK, budget: WorkBudget | None = None,
                 glossary: Glossary | None = None, max_chars: int | None = None) -> None:
        # Each document's engine cost, checked before the engine is busy (engines that can count tokens).
        self.budget = budget
        self.detector = detector
        # The server's glossary, applied to every document after the request's own entries.
        self.glossary = glossary if glossary is not None else Glossary()
        # Bound on a document's visible text (the markup of HTML and Markdown does not count); None: none.
        self.max_chars = max_chars
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
        self.documents: BoundedLru[_CacheKey, Analysis] = documents if documents is not None else BoundedLru(0)

    def layout(self, text: str, fmt: Format = "text", parsed: Layout | None = None) -> Layout:
        """The document's layout (`parsed`, when given); raises EmptyDocumentError, or DocumentTooLongError when the
        text the engine would see (the visible text and the extras: alt and title values, image descriptions) is
        over max_chars."""
        layout = parsed if parsed is not None else parse(text, fmt)
        if self.max_chars is not None:
            seen = len(layout.visible_text) + sum(len(extra) for extra in layout.extras)
            if seen > self.max_chars:
                what = "the visible text" if not layout.extras else "the visible text with its alt/title texts"
                raise DocumentTooLongError(seen, self.max_chars, what)
        return layout

    def detect(self, text: str, fmt: Format = "text") -> Detection:
        """Detect the language of a text (of its visible text, for HTML and Markdown)."""
        visible = self.layout(text, fmt).visible_text
        detection = self.detector.detect(visible)
        self.observer.detected(visible, detection)
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
                                        rule=self.fallback, script=script_of(text))
        if translating and detection.code != self.target and detection.code not in installed:
            raise UnsupportedLanguageError(detection.code, self.target, installed,
                                           detail=refusal_detail(detection, installed, self.target))
        return detection

    def translate(self, text: str, source_language: str = AUTO, fmt: Format = "text",
                  glossary: Sequence[GlossaryEntry] = (), alternatives: int = 0) -> Translation:
        """Translate one document into the target language."""
        document = Document(text, source_language, None, fmt, tuple(glossary), alternatives)
        result = self.analyze_many([document], tag=False)[0]
        if isinstance(result, CoreError):
            raise result
        return result.translation

    def tag(self, text: str, language: str = AUTO, fmt: Format = "text") -> tuple[Tag, ...]:
        """Tag a document in its own language (no translation); evidence indexes its visible text."""
        return self.tag_document(text, language, fmt).tags

    def tag_document(self, text: str, language: str = AUTO, fmt: Format = "text") -> Tagged:
        """Tag a document in its own language, with the visible text its evidence indexes."""
        visible = self.layout(text, fmt).visible_text
        self.observer.tagging(visible, None if language == AUTO else language)
        code = self._language(visible, language, translating=False).code
        return Tagged(self.tagger.tag(visible, code, None), visible)

    def _glossary(self, entries: tuple[GlossaryEntry, ...],
                  merged: dict[tuple[GlossaryEntry, ...], Glossary]) -> Glossary:
        """The request's entries, then the server's; compiled once per distinct request glossary."""
        if not entries:
            return self.glossary  # compiled once
        if entries not in merged:
            merged[entries] = merge(self.glossary, entries)
        return merged[entries]

    def _amplified(self, work: _Work, masked: Sequence[Masked]) -> bool:
        """Whether glossary targets would grow the text past max_chars (then that is the document's problem): a
        short term with a long target, matched thousands of times, would make an answer of megabytes."""
        if self.max_chars is None or work.layout is None:
            return False
        growth = sum(len(slot.replacement) - len(slot.text) for item in masked for slot in item.slots)
        seen = len(work.layout.visible_text) + sum(len(extra) for extra in work.layout.extras) + max(0, growth)
        if seen <= self.max_chars:
            return False
        work.outcome = DocumentTooLongError(seen, self.max_chars, "the text with its glossary targets")
        return True

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
        works = [_Work(doc) for doc in documents]
        # Until its sentences reach the engine, a request is "on its way": a batching engine waits
        # for such requests (briefly) instead of starting a call without them.
        with self.arrivals.coming():
            for work in works:
                self._read(work, tag)
            by_language = self._plan(works)
        merged: dict[tuple[GlossaryEntry, ...], Glossary] = {}
        for code, group in by_language.items():
            self._translate(code, group, merged)
        for work in works:
            if work.outcome is None:
                self._finish(work, tag, started if len(works) == 1 else None)
        return [work.done() for work in works]

    def _read(self, work: _Work, tag: bool) -> None:
        """Stage 1: the document from the cache, or its layout and language (or its problem)."""
        t0 = time.perf_counter()
        doc = work.document
        if self.documents.capacity and doc.layout is None:
            cached = self.documents.get(_cache_key(doc, tag))
            if cached is not None:
                work.outcome = replace(cached, id=doc.id,
                                       timings_ms=Timings(0.0, 0.0, 0.0, _ms(time.perf_counter() - t0)))
                return
        try:
            work.layout = self.layout(doc.text, doc.format, doc.layout)
            work.detection = self._language(work.layout.visible_text, doc.source_language)
        except CoreError as exc:
            work.outcome = exc
        work.detect_ms = _ms(time.perf_counter() - t0)

    def _plan(self, works: Sequence[_Work]) -> dict[str, list[_Work]]:
        """Stage 2: the documents to translate, split into sentences, within the budget, grouped by language;
        English (the target) passes through."""
        by_language: dict[str, list[_Work]] = {}
        for work in works:
            if work.outcome is not None or work.detection is None or work.detection.code == self.target:
                continue
            assert work.layout is not None
            code = work.detection.code
            layout = work.layout
            try:
                engine = self.models.engine(code)
                if not any(char.isalnum() for char in layout.visible_text):
                    raise EmptyDocumentError("the text has no letters or digits (only invisible, control or symbol "
                                             "characters): there is nothing to translate")
                counting = self.budget is not None and isinstance(engine, TokenCounting)
                if counting:  # the whole text at once first (~50 ms for 100,000 characters, no sentence splitting)
                    assert self.budget is not None and isinstance(engine, TokenCounting)
                    self.budget.check_source(sum(engine.count_tokens([layout.visible_text, *layout.extras])))
                work.segmentation = split_sentences(layout.visible_text, code)
                if counting:  # every text the engine will see: the sentences and the extras
                    assert self.budget is not None and isinstance(engine, TokenCounting)
                    self.budget.check(engine.count_tokens([*(s.text for s in work.segmentation.sentences),
                                                           *layout.extras]))
            except CoreError as exc:
                work.outcome = exc
                continue
            by_language.setdefault(code, []).append(work)
        return by_language

    def _translate(self, code: str, group: Sequence[_Work], merged: dict[tuple[GlossaryEntry, ...], Glossary]) -> None:
        """Stage 3: every sentence and extra of the group's documents, masked, in one engine call (and at most one
        more for the sentences that need the fallback); each document's translation put back together."""
        engine = self.models.engine(code)
        t0 = time.perf_counter()
        per_document: list[list[Masked]] = []
        for work in group:
            assert work.segmentation is not None and work.layout is not None
            glossary = self._glossary(work.document.glossary, merged)
            per_document.append([*_masked_sentences(work.segmentation, work.layout, glossary),
                                 *(protect(extra, glossary) for extra in work.layout.extras)])
        kept = [(work, items) for work, items in zip(group, per_document, strict=True)
                if not self._amplified(work, items)]
        if not kept:
            return
        group = [work for work, _ in kept]
        glossaries = [self._glossary(work.document.glossary, merged) for work in group]
        masked = [item for _, items in kept for item in items]
        scored = _ScoredCall(engine, max(work.document.alternatives for work in group))
        restored = iter(translate_protected(masked, scored))
        signals = iter([scored.signals(m) for m in masked])
        elapsed = _ms(time.perf_counter() - t0)
        total_sentences = sum(len(work.segmentation.sentences) for work in group if work.segmentation) or 1
        for work, glossary in zip(group, glossaries, strict=True):
            seg, layout, doc = work.segmentation, work.layout, work.document
            assert seg is not None and layout is not None
            outs = [next(restored) for _ in seg.sentences]
            sentence_signals = [next(signals) for _ in seg.sentences]
            extras = [next(restored).text for _ in layout.extras]
            for _ in layout.extras:
                next(signals)
            visible, spans = join_mapped(seg, [r.text for r in outs])
            pairs = tuple(_pair(glossary, s.text, r, signal, doc.alternatives)
                          for s, r, signal in zip(seg.sentences, outs, sentence_signals, strict=True))
            work.translation = Translation(
                source_language=code, target_language=self.target, translated=True,
                text=layout.render(visible, spans, extras),
                sentences=pairs, model=ModelRef(engine.name, engine.version), format=doc.format,
                visible_text=visible, source_visible_text=layout.visible_text, quality=Quality.of(pairs),
            )
            # a shared engine call is charged to each document by its share of the sentences
            work.translate_ms = round(elapsed * len(seg.sentences) / total_sentences, 2)

    def _finish(self, work: _Work, tag: bool, started: float | None) -> None:
        """Stage 4: tags, timings (the whole call's when the document was alone), and the document cache."""
        doc, detection, layout = work.document, work.detection, work.layout
        assert detection is not None and layout is not None
        visible_source = layout.visible_text
        translation = work.translation or Translation(
            source_language=detection.code, target_language=self.target, translated=False,
            text=doc.text, sentences=(), model=None, format=doc.format,
            visible_text=visible_source, source_visible_text=visible_source)
        t0 = time.perf_counter()
        tags: tuple[Tag, ...] = ()
        if tag:
            tags = self.tagger.tag(visible_source, detection.code,
                                   translation.visible_text if translation.translated else None)
        tag_ms = _ms(time.perf_counter() - t0)
        total = (_ms(time.perf_counter() - started) if started is not None
                 else round(work.detect_ms + work.translate_ms + tag_ms, 2))
        analysis = Analysis(doc.id, detection, translation, tags,
                            Timings(work.detect_ms, work.translate_ms, tag_ms, total))
        work.outcome = analysis
        if self.documents.capacity and doc.layout is None:
            self.documents.put(_cache_key(doc, tag), analysis, cost=analysis_bytes(analysis) + str_bytes(doc.text))


@dataclass
class _Work:
    """One document carried through the stages of analyze_many; `outcome` is set once it is done: its analysis
    (from the cache or after the last stage) or its problem (at whichever stage it arose)."""

    document: Document
    layout: Layout | None = None
    detection: Detection | None = None
    segmentation: Segmentation | None = None
    translation: Translation | None = None
    detect_ms: float = 0.0
    translate_ms: float = 0.0
    outcome: Analysis | CoreError | None = None

    def done(self) -> Analysis | CoreError:
        """The outcome of a document that went through every stage."""
        assert self.outcome is not None
        return self.outcome


def _cache_key(doc: Document, tag: bool) -> _CacheKey:
    return doc.text, doc.source_language, tag, doc.format, doc.glossary, doc.alternatives


def _masked_sentences(seg: Segmentation, layout: Layout, glossary: Glossary) -> list[Masked]:
    """Each sentence masked: the layout's protected ranges (made relative to it), rule spans, glossary."""
    out = []
    for sentence in seg.sentences:
        extra = [(max(a, sentence.start) - sentence.start, min(b, sentence.end) - sentence.start)
                 for a, b in layout.protected if a < sentence.end and b > sentence.start]
        out.append(protect(sentence.text, glossary, extra))
    return out


@dataclass(frozen=True)
class _Signals:
    """What the engine said of a masked sentence: score and flags, and its alternatives put back together."""

    score: float | None
    flags: tuple[str, ...]
    alternatives: tuple[Alternative, ...]


def _pair(glossary: Glossary, source: str, restored: Restored, signals: _Signals, alternatives: int) -> SentencePair:
    applied = tuple(
        Applied(PROTECTED if slot.kind == EXTRA else slot.kind, slot.text, slot.replacement,
                glossary.entries[slot.entry] if slot.entry is not None else None)
        for slot in restored.slots)
    others = [a for a in signals.alternatives if a.target != restored.text][:alternatives]
    if signals.score is not None:
        why = PIECES if restored.fallback else REPAIR if REPAIRED in signals.flags else LENGTH_PENALTY
        others = [replace(a, why_not_chosen=why) if a.score > signals.score else a for a in others]
    return SentencePair(source, restored.text, applied, restored.fallback, signals.score, signals.flags,
                        tuple(others))


class _ScoredCall:
    """The engine call translate_protected makes (texts in, texts out), each distinct text sent once (documents
    of a batch often share sentences), keeping every text's SentenceResult for the signals.

    Whenever alternatives are wanted, the engine is asked for all MAX_ALTERNATIVES: the n-best list of a beam
    search depends on how many hypotheses it keeps, so `alternatives: 1` is the first of `alternatives: 3`, and a
    document's alternatives do not depend on what the others of its batch asked."""

    def __init__(self, engine: SentenceTranslator, alternatives: int) -> None:
        self.engine = engine
        self.alternatives = MAX_ALTERNATIVES if alternatives else 0
        self.results: dict[str, SentenceResult] = {}

    def __call__(self, texts: Sequence[str]) -> list[str]:
        unique = [text for text in dict.fromkeys(texts) if text not in self.results]
        self.results.update(zip(unique, translate_scored(self.engine, unique, self.alternatives), strict=True))
        return [self.results[text].text for text in texts]

    def signals(self, masked: Masked) -> _Signals:
        """A sentence's signals: the engine's for it, its alternatives with the terms put back (those that kept
        every placeholder and are not blank); when it was translated in pieces around its terms (the fallback), the
        weakest piece's score and every piece's flags, and the whole sentence's alternatives that kept every
        placeholder."""
        # only a sentence sent whole has a result of its own: another document's text may be the same string
        whole = self.results.get(masked.text) if sent_whole(masked) else None
        best = restore(masked, whole.text) if whole is not None else None
        alternatives: list[Alternative] = []
        for text, score in whole.alternatives if whole is not None else ():
            back = restore(masked, text)
            if back is None or not back.text.strip():
                continue  # a placeholder lost, or a hypothesis that ended at once: it translates nothing
            if back.text not in {best.text if best else "", *(a.target for a in alternatives)}:
                alternatives.append(Alternative(back.text, score))
        if whole is not None and best is not None:
            return _Signals(whole.score, whole.flags, tuple(alternatives))
        pieces = [self.results[unit] for unit in fallback_units(masked) if unit in self.results]
        scores = [piece.score for piece in pieces if piece.score is not None]
        flags = ordered_flags({flag for piece in pieces for flag in piece.flags})
        return _Signals(min(scores) if scores else None, flags, tuple(alternatives))
