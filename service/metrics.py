"""Prometheus metrics of the service, correct under several gunicorn workers (prometheus_client multiprocess).

Under gunicorn, `gunicorn.conf.py` gives every server start a fresh PROMETHEUS_MULTIPROC_DIR: each worker
writes its samples there and `GET /metrics` (served by any worker) merges the files of all of them. Outside
gunicorn (tests, one process) the app's own registry is served. Every label is bounded: routes are URL rules
(unknown paths share one label), methods are a fixed set, languages and packages are the installed models.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector

from service.core.exceptions import CoreError
from service.core.models import FAILED, LOADING, READY, ModelRegistry
from service.core.pipeline import Analysis
from service.engines import engines

log = logging.getLogger(__name__)

EXTENSION = "ponte.metrics"
# The route label of a request no URL rule matched (404, and 405 from routing).
UNMATCHED = "<unmatched>"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Seconds: from a health check to a long article at beam 4 on a small CPU.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
MODEL_WATCH_INTERVAL = 0.5

bp = Blueprint("metrics", __name__)


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
        """Move the cache counters by what each engine's cache counted since the last sync."""
        with self._lock:
            for language in models.languages():
                try:
                    engine = models.engine(language)
                except CoreError:
                    continue
                hits, misses = getattr(engine, "hits", None), getattr(engine, "misses", None)
                if not isinstance(hits, int) or not isinstance(misses, int):
                    continue  # no cache in front of this engine
                seen_hits, seen_misses = self._cache_seen.get(language, (0, 0))
                if hits > seen_hits:
                    self.cache_hits.labels(language).inc(hits - seen_hits)
                if misses > seen_misses:
                    self.cache_misses.labels(language).inc(misses - seen_misses)
                self._cache_seen[language] = (max(hits, seen_hits), max(misses, seen_misses))

    def sync_models(self, models: ModelRegistry) -> bool:
        """Set the model gauges from this worker's model states; True while some model is still loading."""
        loading = False
        for state in models.states():
            labels = (state.package, state.source_language)
            self.model_ready.labels(*labels).set(1 if state.status == READY else 0)
            self.model_failed.labels(*labels).set(1 if state.status == FAILED else 0)
            loading = loading or state.status == LOADING
        return loading or not models.scanned

    def watch_models(self, models: ModelRegistry) -> threading.Thread:
        """Keep the model gauges current until no model is loading any more (a daemon thread)."""

        def watch() -> None:
            while self.sync_models(models):
                time.sleep(MODEL_WATCH_INTERVAL)

        thread = threading.Thread(target=watch, name="ponte-metrics-models", daemon=True)
        thread.start()
        return thread

    def exposition(self) -> bytes:
        """The text exposition: every worker's samples under gunicorn, this process's otherwise."""
        if self.multiprocess_dir is None:
            return generate_latest(self.registry)
        merged = CollectorRegistry()
        MultiProcessCollector(merged, path=str(self.multiprocess_dir))  # type: ignore[no-untyped-call]
        return generate_latest(merged)


def init_app(app: Flask, metrics: Metrics) -> None:
    """Attach the metrics to the app and serve them at /metrics."""
    app.extensions[EXTENSION] = metrics
    app.register_blueprint(bp)


def current_metrics() -> Metrics:
    """The current app's metrics."""
    found: Metrics = current_app.extensions[EXTENSION]
    return found


@bp.get("/metrics")
def metrics_view() -> Response:
    """Prometheus text exposition of every worker's metrics."""
    metrics = current_metrics()
    models = engines().models
    metrics.sync_models(models)
    metrics.sync_cache(models)
    return Response(metrics.exposition(), content_type=CONTENT_TYPE_PLAIN_0_0_4)
