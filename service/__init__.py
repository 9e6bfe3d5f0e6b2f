"""ponte: Portuguese to English, offline — detect, translate with Argos models, tag topics."""

from __future__ import annotations

from typing import Any

from flask import Flask

from service.config import Settings, load_settings
from service.core.models import EngineFactory
from service.logs import configure_logging

__version__ = "0.1.0"


def create_app(settings: Settings | None = None, *, engine_factory: EngineFactory | None = None,
               **overrides: Any) -> Flask:
    """config -> logging -> error handlers -> engines -> blueprints."""
    from service import engines as engines_module
    from service.api import analysis, catalogue, health
    from service.errors import register_error_handlers

    settings = settings or load_settings(**overrides)
    configure_logging(settings.log_level)
    app = Flask(__name__)
    app.config.from_mapping(MAX_CONTENT_LENGTH=settings.max_body_bytes, JSON_SORT_KEYS=False)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    register_error_handlers(app)
    engines_module.init_app(app, engines_module.build_engines(settings, engine_factory))
    for blueprint in (analysis.bp, catalogue.bp, health.bp):
        app.register_blueprint(blueprint)
    return app
