"""The HTTP layer: `create_app()` builds one Flask app (and one set of engines) per gunicorn worker."""

from __future__ import annotations

from typing import Any

from flask import Flask

from service.config import Settings, load_settings
from service.core.models import EngineFactory
from service.logs import configure_logging


def create_app(settings: Settings | None = None, *, engine_factory: EngineFactory | None = None,
               **overrides: Any) -> Flask:
    """config -> logging -> error handlers -> request log, metrics, security -> engines -> blueprints."""
    from service.engines import build_engines
    from service.web import deadline, requestlog, resources, security
    from service.web import metrics as metrics_module
    from service.web.api import analysis, catalogue, health
    from service.web.api import metrics as metrics_view
    from service.web.errors import register_error_handlers
    from service.web.observer import WebObserver

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
    deadline.init_app(app, settings.request_deadline)
    observer = WebObserver(metrics, log_text=settings.log_text)
    engines = build_engines(settings, engine_factory, observer=observer, on_model_change=metrics.model_changed)
    observer.models = engines.models
    resources.init_app(app, engines)
    metrics_module.init_app(app, metrics)
    for blueprint in (analysis.bp, catalogue.bp, health.bp, metrics_view.bp):
        app.register_blueprint(blueprint)
    return app
