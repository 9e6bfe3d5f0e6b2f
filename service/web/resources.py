"""The worker's engines, attached to the app once and reached from a request through `engines()`."""

from __future__ import annotations

from flask import Flask, current_app

from service.engines import Engines

EXTENSION = "ponte"


def init_app(app: Flask, engines: Engines) -> None:
    """Attach the engines to the app (one accessor, no module globals)."""
    app.extensions[EXTENSION] = engines


def engines() -> Engines:
    """The current worker's engines."""
    found: Engines = current_app.extensions[EXTENSION]
    return found
