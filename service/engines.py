"""The heavy resources of one process (detector, models, tagger), built once: for a web worker and for the CLI."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from service.core.batching import Arrivals, BatchingTranslator
from service.core.budget import MeteredTranslator, WorkBudget
from service.core.detect import LanguageDetector
from service.core.lru import BoundedLru
from service.core.models import EngineFactory, ModelRegistry, StateListener
from service.core.packages import InstalledPackage
from service.core.pipeline import Pipeline, PipelineObserver
from service.core.tagging import Tagger, Taxonomy, default_taxonomy_path, load_taxonomy
from service.core.terms import Glossary, load_glossary
from service.core.translate import (
    ArgosTranslator,
    CachingTranslator,
    DecodingOptions,
    QualityRules,
    SentenceTranslator,
)
from service.core.translate.capitals import CapitalsTranslator
from service.core.translate.tokenizer import Tokenizer
from service.settings import Settings

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Engines:
    """What a request needs besides its body."""

    settings: Settings
    pipeline: Pipeline
    models: ModelRegistry
    taxonomy: Taxonomy


def decoding_options(settings: Settings) -> DecodingOptions:
    """The decoding options the settings ask for."""
    return DecodingOptions(
        beam_size=settings.beam_size, max_batch_size=settings.max_batch_size,
        length_ratio=settings.decoding_length_ratio, length_extra=settings.decoding_length_extra,
        max_input_tokens=settings.max_input_tokens, repair=settings.repair,
        repair_repetition_penalty=settings.repair_repetition_penalty,
        repair_no_repeat_ngram_size=settings.repair_no_repeat_ngram_size,
        quality=QualityRules(repeat_min_count=settings.flag_repeat_min_count,
                             length_ratio_low=settings.flag_length_ratio_low,
                             length_ratio_high=settings.flag_length_ratio_high),
    )


def work_budget(settings: Settings) -> WorkBudget:
    """The per-request engine budget the settings ask for."""
    return WorkBudget(max_source_tokens=settings.max_source_tokens, max_output_tokens=settings.max_output_tokens,
                      chunk_tokens=settings.max_input_tokens, length_ratio=settings.decoding_length_ratio,
                      length_extra=settings.decoding_length_extra)


def argos_engine_factory(settings: Settings, arrivals: Arrivals | None = None) -> EngineFactory:
    """Build CTranslate2 engines for packages (sentences in capitals sent sentence-cased), with the batching queue
    and the sentence cache in front when enabled."""
    options = decoding_options(settings)
    budget = work_budget(settings)

    def build(package: InstalledPackage) -> SentenceTranslator:
        tokenizer = Tokenizer(package.sentencepiece_model)  # one per package: the budget's and the engine's
        engine: SentenceTranslator = CapitalsTranslator(ArgosTranslator(
            package, options, intra_threads=settings.intra_threads,
            inter_threads=settings.inter_threads, compute_type=settings.compute_type, tokenizer=tokenizer,
            nice=settings.engine_nice))
        if settings.batch_wait_ms > 0:
            engine = BatchingTranslator(engine, settings.batch_wait_ms / 1000.0, settings.batch_max_sentences,
                                        arrivals, cost=budget.worst_output(tokenizer),
                                        max_cost=settings.slice_tokens,
                                        max_calls=settings.batch_calls or settings.inter_threads)
        if settings.cache_size > 0:
            engine = CachingTranslator(engine, settings.cache_size, max_bytes=settings.cache_bytes,
                                       max_entry_chars=settings.cache_max_entry_chars)
        return MeteredTranslator(engine, tokenizer, settings.slice_tokens, budget)

    return build


@functools.lru_cache(maxsize=4)
def compiled_tagger(taxonomy: Taxonomy) -> Tagger:
    """The tagger of a taxonomy, compiled once per process (its matchers take ~0.15 s to build and never change):
    apps built again in one process, as tests do, share it."""
    return Tagger(taxonomy)


def build_engines(settings: Settings, factory: EngineFactory | None = None, *,
                  observer: PipelineObserver | None = None, on_model_change: StateListener | None = None) -> Engines:
    """Create the process's engines; models load as PONTE_MODEL_LOADING says. The observer hears what the
    pipeline does, `on_model_change` every model state change."""
    taxonomy = load_taxonomy(settings.taxonomy or default_taxonomy_path())
    detector = LanguageDetector(min_letters=settings.detect_min_chars,
                                min_confidence=settings.detect_min_confidence,
                                languages=settings.detect_languages or None)
    arrivals = Arrivals()
    models = ModelRegistry(settings.packages_dir, settings.target_language,
                           factory or argos_engine_factory(settings, arrivals), settings.required_languages,
                           on_change=on_model_change)
    glossary = load_glossary(settings.glossary) if settings.glossary is not None else Glossary()
    pipeline = Pipeline(detector, models, compiled_tagger(taxonomy), documents=BoundedLru(
        settings.document_cache_bytes if settings.document_cache_chars else 0),
                        arrivals=arrivals, observer=observer, budget=work_budget(settings), glossary=glossary,
                        max_chars=settings.max_chars)
    if settings.model_loading == "eager":
        detector.load()
        models.load_all()
    elif settings.model_loading == "background":
        models.scan()
        models.load_in_background()
        detector.load()
    else:
        models.scan()
        models.loading_off = True
    return Engines(settings, pipeline, models, taxonomy)
