"""Each domain error as the problem document a caller gets: status, slug, title, detail, headers, extensions."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import ValidationError

from service.core.budget import DeadlineExceededError, WorkBudgetExceededError
from service.core.exceptions import (
    CoreError,
    DocumentTooLongError,
    EmptyDocumentError,
    LanguageNotDetectedError,
    ModelNotReadyError,
    UnsupportedLanguageError,
)
from service.core.files.errors import FileTooLargeError, MalformedFileError, UnsupportedFileError
from service.problems import core_problem, field_errors, from_core_error, validation_problem

P = "urn:ponte:problem:"


@pytest.mark.parametrize(("exc", "headers", "document"), [
    (UnsupportedLanguageError("es", "en", ("pt", "fr")), {},
     {"type": P + "unsupported-language", "title": "Unsupported language", "status": 422, "language": "es",
      "detail": "language 'es' has no installed model into 'en' (installed source languages: pt, fr)"}),
    (UnsupportedLanguageError("es", "en", ()), {},
     {"type": P + "unsupported-language", "title": "Unsupported language", "status": 422, "language": "es",
      "detail": "language 'es' has no installed model into 'en' (installed source languages: none)"}),
    (UnsupportedLanguageError("es", "en", ("pt",), detail="detected as 'es'; pass source_language"), {},
     {"type": P + "unsupported-language", "title": "Unsupported language", "status": 422, "language": "es",
      "detail": "detected as 'es'; pass source_language"}),
    (LanguageNotDetectedError("no letters to go on"), {},
     {"type": P + "language-not-detected", "title": "Language not detected", "status": 422,
      "detail": "no letters to go on"}),
    (ModelNotReadyError("pt", "en", "loading", None), {"Retry-After": "10"},
     {"type": P + "model-unavailable", "title": "Model unavailable", "status": 503, "language": "pt",
      "detail": "the pt->en model is loading"}),
    (WorkBudgetExceededError("the text is 9 model tokens; the limit is 8", "max_source_tokens"), {},
     {"type": P + "work-budget-exceeded", "title": "Work budget exceeded", "status": 413, "limit": "max_source_tokens",
      "detail": "the text is 9 model tokens; the limit is 8"}),
    (DeadlineExceededError("the request ran out of time"), {"Retry-After": "30"},
     {"type": P + "deadline-exceeded", "title": "Deadline exceeded", "status": 503,
      "detail": "the request ran out of time"}),
    (EmptyDocumentError("the html document has no visible text"), {},
     {"type": P + "validation-error", "title": "Invalid request", "status": 422,
      "detail": "the html document has no visible text",
      "errors": [{"pointer": "/text", "detail": "the html document has no visible text"}]}),
    (DocumentTooLongError(12, 10), {},
     {"type": P + "validation-error", "title": "Invalid request", "status": 422,
      "detail": "the visible text has 12 characters; the limit is 10 (PONTE_MAX_CHARS)",
      "errors": [{"pointer": "/text",
                  "detail": "the visible text has 12 characters; the limit is 10 (PONTE_MAX_CHARS)"}]}),
    (MalformedFileError("word/document.xml is not XML"), {},
     {"type": P + "malformed-file", "title": "Malformed file", "status": 422, "detail": "word/document.xml is not XML",
      "errors": [{"pointer": "/file", "detail": "word/document.xml is not XML"}]}),
    (UnsupportedFileError("a .exe file"), {},
     {"type": P + "unsupported-file-type", "title": "Unsupported file type", "status": 415, "detail": "a .exe file"}),
    (FileTooLargeError("the file is 3 MB; the limit is 2 MB"), {},
     {"type": P + "payload-too-large", "title": "Payload too large", "status": 413,
      "detail": "the file is 3 MB; the limit is 2 MB"}),
    (CoreError("something else"), {},
     {"type": P + "internal-error", "title": "Internal server error", "status": 500, "detail": "something else"}),
])
def test_each_core_error_is_its_problem(exc: CoreError, headers: dict[str, str], document: dict[str, Any]) -> None:
    assert from_core_error(exc).headers == headers
    assert core_problem(exc) == document


def test_field_errors_are_flat_pointers_sorted_as_text() -> None:
    messages = {"documents": {10: {"text": ["too long"]}, 2: {"text": ["missing"], "id": ["not a string"]}},
                "_schema": ["the body is not an object"], "alternatives": ["must be at most 3"]}
    assert field_errors(messages) == [
        {"pointer": "/", "detail": "the body is not an object"},  # _schema: the body itself
        {"pointer": "/alternatives", "detail": "must be at most 3"},
        {"pointer": "/documents/10/text", "detail": "too long"},  # "10" before "2": sorted as text, every time
        {"pointer": "/documents/2/id", "detail": "not a string"},
        {"pointer": "/documents/2/text", "detail": "missing"},
    ]
    assert field_errors({"b": ["z"], "a": ["y"]}) == [{"pointer": "/a", "detail": "y"},
                                                     {"pointer": "/b", "detail": "z"}]


def test_validation_problem_lists_every_field() -> None:
    document = validation_problem(ValidationError({"text": ["missing"], "format": ["must be one of: text, html"]}))
    assert document == {"type": P + "validation-error", "title": "Invalid request", "status": 422,
                        "detail": "/format: must be one of: text, html; /text: missing",
                        "errors": [{"pointer": "/format", "detail": "must be one of: text, html"},
                                   {"pointer": "/text", "detail": "missing"}]}


def test_a_validation_error_without_fields_is_an_invalid_request() -> None:
    assert validation_problem(ValidationError({}))["detail"] == "invalid request"
