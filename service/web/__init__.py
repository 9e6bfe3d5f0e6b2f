"""The HTTP layer: `create_app()` builds one Flask app (and one set of engines) per gunicorn worker."""

from __future__ import annotations

from typing import Any

from flask import Flask

from service.core.models import EngineFactory
from service.logs import configure_logging
from service.settings import Settings, load_settings


def create_app(settings: Settings | None = None, *, engine_factory: EngineFactory | None = None,
               **overrides: Any) -> Flask:
    """config -> logging -> error handlers -> request log, metrics, security -> engines -> blueprints."""
    from service.engines import build_engines
    from service.web import deadline, requestlog, resources, security, ui
    from service.web import metrics as metrics_module
    from service.web.api import analysis, catalogue, files, health
    from service.web.api import metrics as metrics_view
    from service.web.errors import register_error_handlers
    from service.web.observer import WebObserver

    settings = settings or load_settings(**overrides)
    configure_logging(settings.log_level, settings.log_format)
    # No app-wide static route: service/web/static belongs to the pages (ui.py), served only when enabled.
    app = Flask(__name__, static_folder=None)
    # Never debug (FLASK_DEBUG is ignored), never propagate: every error leaves through errors.py.
    app.config.from_mapping(MAX_CONTENT_LENGTH=settings.max_body_bytes, DEBUG=False,
                            PROPAGATE_EXCEPTIONS=False, TRAP_HTTP_EXCEPTIONS=False)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    register_error_handlers(app)
    metrics = metrics_module.Metrics(settings.metrics_dir)
    # first: every answer, 401 and 429 included, carries its request id
    requestlog.init_app(app, metrics, behind_proxy=settings.proxy_hops > 0)
    security.init_app(app, settings, public=ui.public_paths() if settings.ui else frozenset())
    deadline.init_app(app, settings.request_deadline)
    observer = WebObserver(metrics, log_text=settings.log_text)
    engines = build_engines(settings, engine_factory, observer=observer, on_model_change=metrics.model_changed)
    observer.models = engines.models
    resources.init_app(app, engines)
    metrics_module.init_app(app, metrics)
    for blueprint in (analysis.bp, files.bp, catalogue.bp, health.bp, metrics_view.bp):
        app.register_blueprint(blueprint)
    ui.init_app(app, enabled=settings.ui)
    return app
