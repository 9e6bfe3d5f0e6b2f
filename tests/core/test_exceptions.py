"""The core's domain errors: their messages and the fields errors.py and the pipeline read (each built inside its test:
tests/test_problems.py builds its errors while collecting, before a test runs)."""

from __future__ import annotations

from service.core.exceptions import DocumentTooLongError, ModelNotReadyError, UnsupportedLanguageError


def test_unsupported_language_says_the_pair_and_keeps_its_fields() -> None:
    exc = UnsupportedLanguageError("es", "en", ("pt", "fr"))
    assert str(exc) == "no installed model translates 'es' into 'en'"
    assert (exc.language, exc.target, exc.available, exc.detail) == ("es", "en", ("pt", "fr"), None)


def test_model_not_ready_says_the_pair_the_status_and_the_detail_when_there_is_one() -> None:
    loading = ModelNotReadyError("pt", "en", "loading", None)
    assert str(loading) == "the pt->en model is loading"
    assert (loading.language, loading.target, loading.status, loading.detail) == ("pt", "en", "loading", None)
    failed = ModelNotReadyError("pt", "en", "failed", "RuntimeError: model.bin is corrupt")
    assert str(failed) == "the pt->en model is failed: RuntimeError: model.bin is corrupt"
    assert (failed.language, failed.target, failed.status, failed.detail) == (
        "pt", "en", "failed", "RuntimeError: model.bin is corrupt")


def test_document_too_long_says_what_is_too_long_the_visible_text_unless_told() -> None:
    exc = DocumentTooLongError(12, 10)
    assert str(exc) == "the visible text has 12 characters; the limit is 10 (PONTE_MAX_CHARS)"
    assert (exc.length, exc.limit) == (12, 10)
    assert str(DocumentTooLongError(3, 2, "the file's text")) == (
        "the file's text has 3 characters; the limit is 2 (PONTE_MAX_CHARS)")
