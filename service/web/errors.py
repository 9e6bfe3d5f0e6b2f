"""The one path from an exception to an RFC 9457 application/problem+json response."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, has_request_context, json, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from service.core.exceptions import CoreError
from service.logs import current_request_id
from service.problems import (
    INSTANCE_PREFIX,
    PROBLEM_MEDIA_TYPE,
    ApiError,
    TooManyRequests,
    Unauthorized,
    from_api_error,
    from_core_error,
    problem,
    validation_problem,
)

log = logging.getLogger(__name__)

# Plain HTTP errors raised by Flask/werkzeug, by status.
_HTTP_SLUGS = {
    400: ("bad-request", "Bad request"),
    401: (Unauthorized.slug, Unauthorized.title),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    429: (TooManyRequests.slug, TooManyRequests.title),
}


def problem_response(body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> Response:
    """A Flask response carrying a problem document; `instance` names the request (its X-Request-ID)."""
    request_id = current_request_id() if has_request_context() else None
    if request_id is not None and "instance" not in body:
        body = {**body, "instance": f"{INSTANCE_PREFIX}{request_id}"}
    response = Response(json.dumps(body), status=int(body["status"]), mimetype=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _handle_api_error(exc: ApiError) -> Response:
    if exc.status >= 500:
        log.warning("%s %s -> %d %s: %s", request.method, request.path, exc.status, exc.slug, exc.detail)
    return problem_response(from_api_error(exc), exc.headers)


def _handle_core_error(exc: CoreError) -> Response:
    return _handle_api_error(from_core_error(exc))


def _handle_validation(exc: ValidationError) -> Response:
    return problem_response(validation_problem(exc))


def _handle_http(exc: HTTPException) -> Response:
    status = exc.code or 500
    slug, title = _HTTP_SLUGS.get(status, ("http-error", exc.name))
    detail = {
        404: f"There is no {request.path} here; see /openapi.yaml for the API.",
        405: f"{request.method} is not allowed on {request.path}.",
        413: f"The request body is larger than {current_app.config['MAX_CONTENT_LENGTH']} bytes, the limit of this "
             "service (PONTE_MAX_BODY_BYTES).",
    }.get(status, exc.description or title)
    headers = {name: value for name, value in exc.get_headers() if name.lower() in {"allow", "retry-after"}}
    return problem_response(problem(status, slug, title, detail), headers)


def _handle_unexpected(exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.path)
    return problem_response(problem(500, "internal-error", "Internal server error",
                                    "The server failed to handle this request; it has been logged."))


def register_error_handlers(app: Flask) -> None:
    """Route every error of the app through problem+json."""
    app.register_error_handler(ApiError, _handle_api_error)
    app.register_error_handler(CoreError, _handle_core_error)
    app.register_error_handler(ValidationError, _handle_validation)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _handle_unexpected)
