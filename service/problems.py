"""Problem documents (RFC 9457) as plain data: the errors a caller can act on, shared by the web layer and the CLI.

Nothing here knows about HTTP frameworks: a problem is a dict, an ApiError carries what its dict needs, and the
web layer (service/web/errors.py) only turns them into responses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError

from service.core.budget import DeadlineExceededError, WorkBudgetExceededError
from service.core.exceptions import (
    CoreError,
    DocumentTooComplexError,
    DocumentTooLongError,
    EmptyDocumentError,
    LanguageNotDetectedError,
    ModelNotReadyError,
    UnsupportedLanguageError,
)
from service.core.files.errors import FileError

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


class PayloadTooLarge(ApiError):
    status, slug, title = 413, "payload-too-large", "Payload too large"


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


class WorkTooLarge(ApiError):
    status, slug, title = 413, "work-budget-exceeded", "Work budget exceeded"


class DeadlineExceeded(ApiError):
    status, slug, title = 503, "deadline-exceeded", "Deadline exceeded"


class NotReady(ApiError):
    status, slug, title = 503, "not-ready", "Not ready"


class Unauthorized(ApiError):
    status, slug, title = 401, "unauthorized", "Unauthorized"


class TooManyRequests(ApiError):
    status, slug, title = 429, "too-many-requests", "Too many requests"


class FileProblem(ApiError):
    """A file that cannot be translated: its status, slug and title are the FileError's own."""

    def __init__(self, exc: FileError) -> None:
        errors = [{"pointer": "/file", "detail": str(exc)}] if exc.status == 422 else None
        super().__init__(str(exc), errors=errors)
        self.status, self.slug, self.title = exc.status, exc.slug, exc.title


def field_errors(messages: Any, prefix: str = "") -> list[dict[str, str]]:
    """Flatten marshmallow's nested messages into [{pointer, detail}] (RFC 6901 pointers), sorted by pointer so
    that the same input always lists its problems in the same order."""
    out: list[dict[str, str]] = []
    if isinstance(messages, Mapping):
        for key, value in sorted(messages.items(), key=lambda kv: str(kv[0])):
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


def from_api_error(exc: ApiError) -> dict[str, Any]:
    """The problem document of an ApiError."""
    return problem(exc.status, exc.slug, exc.title, exc.detail, **exc.extensions)


def from_core_error(exc: CoreError) -> ApiError:
    """The ApiError a domain error stands for."""
    if isinstance(exc, FileError):
        return FileProblem(exc)
    if isinstance(exc, UnsupportedLanguageError):
        installed = ", ".join(exc.available) or "none"
        return UnsupportedLanguage(
            exc.detail or f"language {exc.language!r} has no installed model into {exc.target!r} "
            f"(installed source languages: {installed})", language=exc.language)
    if isinstance(exc, LanguageNotDetectedError):
        return LanguageNotDetected(str(exc))
    if isinstance(exc, ModelNotReadyError):
        return ModelUnavailable(str(exc), headers={"Retry-After": "10"}, language=exc.language)
    if isinstance(exc, WorkBudgetExceededError):
        return WorkTooLarge(str(exc), limit=exc.limit)
    if isinstance(exc, DeadlineExceededError):
        return DeadlineExceeded(str(exc), headers={"Retry-After": "30"})
    if isinstance(exc, EmptyDocumentError | DocumentTooLongError | DocumentTooComplexError):
        return InvalidRequest(str(exc), errors=[{"pointer": "/text", "detail": str(exc)}])
    return ApiError(str(exc))


def core_problem(exc: CoreError) -> dict[str, Any]:
    """The problem document of a domain error."""
    return from_api_error(from_core_error(exc))


def validation_problem(exc: ValidationError) -> dict[str, Any]:
    """The 422 problem document of a marshmallow ValidationError, one entry per field."""
    errors = field_errors(exc.messages)
    detail = "; ".join(f"{e['pointer']}: {e['detail']}" for e in errors) or "invalid request"
    return problem(422, InvalidRequest.slug, InvalidRequest.title, detail, errors=errors)
