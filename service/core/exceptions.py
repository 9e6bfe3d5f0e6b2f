"""Domain errors raised by the core; errors.py turns each into a problem document."""

from __future__ import annotations


class CoreError(Exception):
    """Base of the errors the core raises on purpose."""


class UnsupportedLanguageError(CoreError):
    """No installed model translates this language into the target."""

    def __init__(self, language: str, target: str, available: tuple[str, ...], detail: str | None = None) -> None:
        super().__init__(f"no installed model translates {language!r} into {target!r}")
        self.language = language
        self.target = target
        self.available = available
        self.detail = detail  # what to tell the caller, when the detector's view adds to the plain message


class LanguageNotDetectedError(CoreError):
    """The text gives the detector nothing to go on."""


class ModelNotReadyError(CoreError):
    """The model for the pair is installed but not loaded (still loading, or failed)."""

    def __init__(self, language: str, target: str, status: str, detail: str | None) -> None:
        reason = f": {detail}" if detail else ""
        super().__init__(f"the {language}->{target} model is {status}{reason}")
        self.language = language
        self.target = target
        self.status = status
        self.detail = detail


class PackageError(CoreError):
    """An Argos package file or folder is not usable; the message says what is wrong."""


class EmptyDocumentError(CoreError):
    """The document has no visible text to work on (markup, code or whitespace only)."""


class DocumentTooComplexError(CoreError):
    """The document's markup is over a bound that keeps its parse linear (elements, attributes per element)."""


class DocumentTooLongError(CoreError):
    """The document's visible text is longer than the service takes."""

    def __init__(self, length: int, limit: int, what: str = "the visible text") -> None:
        super().__init__(f"{what} has {length} characters; the limit is {limit} (PONTE_MAX_CHARS)")
        self.length = length
        self.limit = limit
