"""The one path from an exception to an RFC 9457 application/problem+json response."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, has_request_context, json, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from service.core.exceptions import (
    CoreError,
    LanguageNotDetectedError,
    ModelNotReadyError,
    UnsupportedLanguageError,
)
from service.logs import current_request_id

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:ponte:problem:"
INSTANCE_PREFIX = "urn:ponte:request:"


class ApiError(Exception):
    """An error the caller can act on; carries everything the problem document needs."""

    status = 500
    slug = "internal-error"
    title = "Internal server error"

    def __init__(self, detail: str, *, headers: Mapping[str, str] | None = None, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = dict(headers or {})
        self.extensions = extensions


class MalformedJson(ApiError):
    status, slug, title = 400, "malformed-json", "Malformed JSON"


class UnsupportedMediaType(ApiError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class InvalidRequest(ApiError):
    status, slug, title = 422, "validation-error", "Invalid request"


class UnsupportedLanguage(ApiError):
    status, slug, title = 422, "unsupported-language", "Unsupported language"


class LanguageNotDetected(ApiError):
    status, slug, title = 422, "language-not-detected", "Language not detected"


class ModelUnavailable(ApiError):
    status, slug, title = 503, "model-unavailable", "Model unavailable"


class NotReady(ApiError):
    status, slug, title = 503, "not-ready", "Not ready"


class Unauthorized(ApiError):
    status, slug, title = 401, "unauthorized", "Unauthorized"


class TooManyRequests(ApiError):
    status, slug, title = 429, "too-many-requests", "Too many requests"


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


def field_errors(messages: Any, prefix: str = "") -> list[dict[str, str]]:
    """Flatten marshmallow's nested messages into [{pointer, detail}] (RFC 6901 pointers)."""
    out: list[dict[str, str]] = []
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            pointer = prefix if key == "_schema" else f"{prefix}/{key}"
            out.extend(field_errors(value, pointer))
    elif isinstance(messages, list | tuple):
        for item in messages:
            out.extend(field_errors(item, prefix))
    else:
        out.append({"pointer": prefix or "/", "detail": str(messages)})
    return out


# An absolute file path inside a message (not a URL, not a request path after "no such path").
_FILE_PATH = re.compile(r"(?<![\w/.:~-])/(?:[\w.@+~-]+/)+([\w.@+~-]+)")


def redact_paths(value: Any) -> Any:
    """The value with every absolute file path cut to its last component: server errors quote library
    messages (a model that failed to load), and the server's layout is nobody else's business."""
    if isinstance(value, str):
        return _FILE_PATH.sub(r".../\1", value)
    if isinstance(value, Mapping):
        return {k: redact_paths(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_paths(v) for v in value]
    return value


def problem(status: int, slug: str, title: str, detail: str, **extensions: Any) -> dict[str, Any]:
    """The problem document as a dict; a server error's texts carry no file path."""
    body: dict[str, Any] = {"type": TYPE_PREFIX + slug, "title": title, "status": status, "detail": detail}
    body.update({k: v for k, v in extensions.items() if v is not None})
    if status >= 500:
        body = redact_paths(body)
    return body


def problem_response(body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> Response:
    """A Flask response carrying a problem document; `instance` names the request (its X-Request-ID)."""
    request_id = current_request_id() if has_request_context() else None
    if request_id is not None and "instance" not in body:
        body = {**body, "instance": f"{INSTANCE_PREFIX}{request_id}"}
    response = Response(json.dumps(body), status=int(body["status"]), mimetype=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_api_error(exc: ApiError) -> dict[str, Any]:
    """The problem document of an ApiError."""
    return problem(exc.status, exc.slug, exc.title, exc.detail, **exc.extensions)


def _handle_api_error(exc: ApiError) -> Response:
    if exc.status >= 500:
        log.warning("%s %s -> %d %s: %s", request.method, request.path, exc.status, exc.slug, exc.detail)
    return problem_response(from_api_error(exc), exc.headers)


def from_core_error(exc: CoreError) -> ApiError:
    """The ApiError a domain error stands for."""
    if isinstance(exc, UnsupportedLanguageError):
        installed = ", ".join(exc.available) or "none"
        return UnsupportedLanguage(
            f"language {exc.language!r} has no installed model into {exc.target!r} "
            f"(installed source languages: {installed})", language=exc.language)
    if isinstance(exc, LanguageNotDetectedError):
        return LanguageNotDetected(str(exc))
    if isinstance(exc, ModelNotReadyError):
        return ModelUnavailable(str(exc), headers={"Retry-After": "10"}, language=exc.language)
    return ApiError(str(exc))


def _handle_core_error(exc: CoreError) -> Response:
    return _handle_api_error(from_core_error(exc))


def validation_problem(exc: ValidationError) -> dict[str, Any]:
    """The 422 problem document of a marshmallow ValidationError, one entry per field."""
    errors = field_errors(exc.messages)
    detail = "; ".join(f"{e['pointer']}: {e['detail']}" for e in errors) or "invalid request"
    return problem(422, InvalidRequest.slug, InvalidRequest.title, detail, errors=errors)


def _handle_validation(exc: ValidationError) -> Response:
    return problem_response(validation_problem(exc))


def _handle_http(exc: HTTPException) -> Response:
    status = exc.code or 500
    slug, title = _HTTP_SLUGS.get(status, ("http-error", exc.name))
    detail = {
        404: f"There is no {request.path} here; see /openapi.yaml for the API.",
        405: f"{request.method} is not allowed on {request.path}.",
        413: "The request body is larger than the limit of this service.",
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
