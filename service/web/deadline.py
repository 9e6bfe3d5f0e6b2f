"""Every request's engine work runs under PONTE_REQUEST_DEADLINE, counted from the request's first byte
(service/core/deadline.py; the engine layers check it)."""

from __future__ import annotations

import time
from contextlib import ExitStack

from flask import Flask, g

from service.core.deadline import deadline


def init_app(app: Flask, seconds: float) -> None:
    """Start the deadline when the request starts; end it with the request."""

    @app.before_request
    def _start() -> None:
        stack = ExitStack()
        # requestlog's start: the first byte as the proxy in front saw it, else now
        age = time.perf_counter() - g.get("ponte_started", time.perf_counter())
        stack.enter_context(deadline(seconds, started=time.monotonic() - age))
        g.ponte_deadline = stack

    @app.teardown_request
    def _end(_: BaseException | None) -> None:
        stack = g.pop("ponte_deadline", None)
        if stack is not None:
            stack.close()
