"""Per request: the X-Request-ID, one structured log line, and the request metrics."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from flask import Flask, Response, g, has_request_context, request

from service.logs import FIELDS, request_id_var
from service.web.metrics import UNMATCHED, Metrics

log = logging.getLogger("service.request")

REQUEST_ID_HEADER = "X-Request-ID"
# What a caller's request id may look like; anything else is replaced by a fresh one.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,128}\Z")  # \Z: "$" lets a trailing newline in
# A debug log of the text keeps at most this much of it.
MAX_LOGGED_TEXT = 10_000


def note(**fields: Any) -> None:
    """Add fields to the current request's log line (no-op outside a request)."""
    if has_request_context():
        g.setdefault("ponte_log", {}).update(fields)


def request_id() -> str:
    """The current request's id: the caller's when valid, else a fresh uuid4 hex."""
    found: str | None = g.get("request_id")
    if found is None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        found = incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        g.request_id = found
    return found


def route() -> str:
    """The URL rule that matched (a bounded label), or UNMATCHED."""
    rule = request.url_rule
    return rule.rule if rule is not None else UNMATCHED


# Set by nginx in front (service/data/nginx.conf.template): "t=<when it called the app> elapsed=<seconds since it
# read the request's first byte>", both in seconds with milliseconds.
REQUEST_START_HEADER = "X-Request-Start"
_REQUEST_START = re.compile(r"^t=(\d{1,12}(?:\.\d{1,6})?) elapsed=(\d{1,9}(?:\.\d{1,6})?)\Z")


def waited(header: str | None, now: float) -> tuple[float, float] | None:
    """From a proxy's X-Request-Start and the wall clock `now`: (seconds since the request's first byte, of which
    seconds since the proxy called the app: the queue for a thread); None without a well-formed header. A start
    in the future counts as now: a header can never give a request more time than it had."""
    match = _REQUEST_START.match(header or "")
    if match is None:
        return None
    called, elapsed = float(match.group(1)), float(match.group(2))
    queued = max(0.0, now - called)
    return queued + elapsed, queued


def init_app(app: Flask, metrics: Metrics, *, behind_proxy: bool = False) -> None:
    """Register the hooks; call before any other before_request hook so every answer carries the id. Behind a
    proxy (PONTE_PROXY_HOPS), durations count from the request's first byte as the proxy saw it."""

    @app.before_request
    def _start() -> None:
        now = time.perf_counter()
        seen = waited(request.headers.get(REQUEST_START_HEADER), time.time()) if behind_proxy else None
        # from the first byte, when the proxy says when that was: reading the body and waiting for a thread count
        g.ponte_started = now - (seen[0] if seen else 0.0)
        if seen:
            note(read_ms=round((seen[0] - seen[1]) * 1000.0, 2), queue_ms=round(seen[1] * 1000.0, 2))
        g.ponte_token = request_id_var.set(request_id())
        # the answer's line comes at the end; at DEBUG, a line says when the work starts (hanging requests)
        log.debug("%s %s started", request.method, request.path[:256])

    @app.after_request
    def _finish(response: Response) -> Response:
        rid = request_id()
        response.headers[REQUEST_ID_HEADER] = rid
        seconds = time.perf_counter() - g.get("ponte_started", time.perf_counter())
        matched = route()
        metrics.observe_request(request.method, matched, response.status_code, seconds)
        fields: dict[str, Any] = {
            "method": request.method, "route": matched, "path": request.path[:256],
            "status": response.status_code, "duration_ms": round(seconds * 1000.0, 2),
            "body_bytes": request.content_length, "remote_addr": request.remote_addr,
            "text_length": None, "language": None,
        }
        fields.update(g.get("ponte_log", {}))
        level = logging.WARNING if response.status_code >= 500 else logging.INFO
        log.log(level, "%s %s %d", request.method, matched, response.status_code,
                extra={FIELDS: fields, "request_id": rid})
        return response

    @app.teardown_request
    def _reset(_: BaseException | None) -> None:
        token = g.pop("ponte_token", None)
        if token is not None:
            try:
                request_id_var.reset(token)
            except ValueError:  # set in another context: just clear it
                request_id_var.set(None)
