"""Prometheus metrics of the service, correct under several gunicorn workers (prometheus_client multiprocess).

Under gunicorn, `gunicorn.conf.py` gives every server start a fresh PROMETHEUS_MULTIPROC_DIR: each worker
writes its samples there and `GET /metrics` (served by any worker) merges the files of all of them. Outside
gunicorn (tests, one process) the app's own registry is served. Every label is bounded: routes are URL rules
(unknown paths share one label), methods are a fixed set, languages and packages are the installed models.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from flask import Flask, current_app
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from service.core.exceptions import CoreError
from service.core.models import FAILED, READY, ModelRegistry, ModelState
from service.core.pipeline import Analysis
from service.core.translate import sentence_cache

log = logging.getLogger(__name__)

EXTENSION = "ponte.metrics"
# The route label of a request no URL rule matched (404, and 405 from routing).
UNMATCHED = "<unmatched>"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Seconds: from a health check to a long article at beam 4 on a small CPU.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


class Metrics:
    """The metrics one worker records; `exposition()` answers for all workers."""

    def __init__(self, multiprocess_dir: Path | None = None) -> None:
        self.multiprocess_dir = multiprocess_dir
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("ponte_http_requests", "HTTP requests answered.",
                                ["method", "route", "status"], registry=r)
        self.latency = Histogram("ponte_http_request_duration_seconds", "Time to answer an HTTP request.",
                                 ["method", "route", "status"], buckets=LATENCY_BUCKETS, registry=r)
        self.documents = Counter("ponte_translated_documents", "Documents translated into English.",
                                 ["language"], registry=r)
        self.characters = Counter("ponte_translated_characters", "Characters of the documents translated.",
                                  ["language"], registry=r)
        self.sentences = Counter("ponte_translated_sentences", "Sentences of the documents translated.",
                                 ["language"], registry=r)
        self.cache_hits = Counter("ponte_translation_cache_hits", "Sentences answered from the translation cache.",
                                  ["language"], registry=r)
        self.cache_misses = Counter("ponte_translation_cache_misses", "Sentences the cache sent to the engine.",
                                    ["language"], registry=r)
        self.model_ready = Gauge("ponte_model_ready", "Workers with this model loaded and warmed up.",
                                 ["package", "language"], multiprocess_mode="livesum", registry=r)
        self.model_failed = Gauge("ponte_model_failed", "Workers in which this model failed to load.",
                                  ["package", "language"], multiprocess_mode="livesum", registry=r)
        self.workers = Gauge("ponte_workers", "Live worker processes.", multiprocess_mode="livesum", registry=r)
        self.workers.set(1)
        self._lock = threading.Lock()
        self._cache_seen: dict[str, tuple[int, int]] = {}

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request and its latency."""
        labels = (method if method in METHODS else "OTHER", route, str(status))
        self.requests.labels(*labels).inc()
        self.latency.labels(*labels).observe(seconds)

    def observe_translations(self, texts: Sequence[str], results: Sequence[Analysis | CoreError]) -> None:
        """Count the documents, characters and sentences that were translated."""
        for text, result in zip(texts, results, strict=True):
            if isinstance(result, Analysis) and result.translation.translated:
                language = result.translation.source_language
                self.documents.labels(language).inc()
                self.characters.labels(language).inc(len(text))
                self.sentences.labels(language).inc(len(result.translation.sentences))

    def sync_cache(self, models: ModelRegistry) -> None:
        """Move the cache counters by what each loaded engine's sentence cache counted since the last sync."""
        with self._lock:
            for language in models.languages():
                try:
                    engine = models.engine(language)
                except CoreError:
                    continue
                cache = sentence_cache(engine)
                if cache is None:
                    continue  # no cache in front of this engine
                hits, misses = cache.hits, cache.misses
                seen_hits, seen_misses = self._cache_seen.get(language, (0, 0))
                if hits > seen_hits:
                    self.cache_hits.labels(language).inc(hits - seen_hits)
                if misses > seen_misses:
                    self.cache_misses.labels(language).inc(misses - seen_misses)
                self._cache_seen[language] = (max(hits, seen_hits), max(misses, seen_misses))

    def model_changed(self, state: ModelState) -> None:
        """Set the model gauges of this worker from a model's new state (the registry calls this)."""
        labels = (state.package, state.source_language)
        self.model_ready.labels(*labels).set(1 if state.status == READY else 0)
        self.model_failed.labels(*labels).set(1 if state.status == FAILED else 0)

    def exposition(self) -> bytes:
        """The text exposition: every worker's samples under gunicorn, this process's otherwise."""
        if self.multiprocess_dir is None:
            return generate_latest(self.registry)
        merged = CollectorRegistry()
        MultiProcessCollector(merged, path=str(self.multiprocess_dir))  # type: ignore[no-untyped-call]
        return generate_latest(merged)


def init_app(app: Flask, metrics: Metrics) -> None:
    """Attach the metrics to the app."""
    app.extensions[EXTENSION] = metrics


def current_metrics() -> Metrics:
    """The current app's metrics."""
    found: Metrics = current_app.extensions[EXTENSION]
    return found
