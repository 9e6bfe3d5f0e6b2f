"""Every request's engine work runs under PONTE_REQUEST_DEADLINE (service/core/budget.py checks it)."""

from __future__ import annotations

from contextlib import ExitStack

from flask import Flask, g

from service.core.budget import deadline


def init_app(app: Flask, seconds: float) -> None:
    """Start the deadline when the request starts; end it with the request."""

    @app.before_request
    def _start() -> None:
        stack = ExitStack()
        stack.enter_context(deadline(seconds))
        g.ponte_deadline = stack

    @app.teardown_request
    def _end(_: BaseException | None) -> None:
        stack = g.pop("ponte_deadline", None)
        if stack is not None:
            stack.close()
