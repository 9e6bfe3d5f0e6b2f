"""ponte: Portuguese to English, offline — detect, translate with Argos models, tag topics."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import Flask

from service.core.models import EngineFactory
from service.logs import configure_logging
from service.settings import Settings, load_settings

__version__ = "0.1.0"


def create_app(settings: Settings | None = None, *, engine_factory: EngineFactory | None = None,
               **overrides: Any) -> Flask:
    """config -> logging -> error handlers -> request log, metrics, security -> engines -> blueprints."""
    from service import engines as engines_module
    from service import metrics as metrics_module
    from service import requestlog, security
    from service.api import analysis, catalogue, health
    from service.errors import register_error_handlers
    from service.observe import ObservedPipeline

    settings = settings or load_settings(**overrides)
    configure_logging(settings.log_level, settings.log_format)
    app = Flask(__name__)
    # Never debug (FLASK_DEBUG is ignored), never propagate: every error leaves through errors.py.
    app.config.from_mapping(MAX_CONTENT_LENGTH=settings.max_body_bytes, DEBUG=False,
                            PROPAGATE_EXCEPTIONS=False, TRAP_HTTP_EXCEPTIONS=False)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    register_error_handlers(app)
    metrics = metrics_module.Metrics(settings.metrics_dir)
    requestlog.init_app(app, metrics)  # first: every answer, 401 and 429 included, carries its request id
    security.init_app(app, settings)
    engines = engines_module.build_engines(settings, engine_factory)
    observed = ObservedPipeline(engines.pipeline, metrics, log_text=settings.log_text)
    engines_module.init_app(app, dataclasses.replace(engines, pipeline=observed))
    if settings.model_loading != "off":
        metrics.watch_models(engines.models)
    metrics_module.init_app(app, metrics)
    for blueprint in (analysis.bp, catalogue.bp, health.bp):
        app.register_blueprint(blueprint)
    return app
