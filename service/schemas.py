"""marshmallow schemas: request validation and response shaping, field names exactly as openapi.yaml."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

# \Z, not $: "$" also matches before a trailing newline ("pt\n" would pass).
LANGUAGE_CODE = validate.Regexp(r"^[a-z]{2,3}\Z", error="must be a lower-case ISO 639 code such as 'pt' or 'en'")
SOURCE_LANGUAGE = validate.Regexp(r"^(auto|[a-z]{2,3})\Z",
                                  error="must be 'auto' or a lower-case ISO 639 code such as 'pt'")


def _encodable(value: str) -> None:
    """JSON can escape a lone surrogate ("\\ud800"); no engine, log or output file can take it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError(f"is not valid Unicode: a lone surrogate at character {exc.start}") from None


class Utf8String(fields.String):
    """A string field that refuses lone surrogates, the same check on every string a client sends."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text: str = super()._deserialize(value, attr, data, **kwargs)
        _encodable(text)
        return text


class TextRequest(Schema):
    """A request body: unknown fields are refused; `text` is bounded by PONTE_MAX_CHARS."""

    class Meta:
        unknown = RAISE

    def __init__(self, *, max_chars: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_chars = max_chars

    text = Utf8String(required=True)

    @validates("text")
    def _check_text(self, value: str, **_: Any) -> None:
        if not value.strip():
            raise ValidationError("must not be empty or blank")
        if len(value) > self.max_chars:
            raise ValidationError(f"has {len(value)} characters; the limit is {self.max_chars}")


class DetectRequest(TextRequest):
    """POST /v1/detect."""


class TranslateRequest(TextRequest):
    """POST /v1/translate."""

    source_language = Utf8String(load_default="auto", validate=SOURCE_LANGUAGE)


class AnalyzeRequest(TranslateRequest):
    """POST /v1/analyze."""

    id = Utf8String(load_default=None, allow_none=True, validate=validate.Length(max=256))


class BatchRequest(Schema):
    """POST /v1/analyze/batch: the list is checked here, each document by analyze_items."""

    class Meta:
        unknown = RAISE

    def __init__(self, *, max_batch: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_batch = max_batch

    # null items too: each bad item gets its own problem from analyze_items, whatever its kind
    documents = fields.List(fields.Raw(allow_none=True), required=True)

    @validates("documents")
    def _check_documents(self, value: list[Any], **_: Any) -> None:
        if not value:
            raise ValidationError("must hold at least one document")
        if len(value) > self.max_batch:
            raise ValidationError(f"has {len(value)} documents; the limit is {self.max_batch}")


class TagRequest(TextRequest):
    """POST /v1/tag."""

    language = Utf8String(load_default="auto", validate=SOURCE_LANGUAGE)


class _Out(Schema):
    """Response schemas only dump."""


class CandidateOut(_Out):
    code = fields.String()
    probability = fields.Float()


class LanguageOut(_Out):
    code = fields.String()
    confidence = fields.Float()
    reliable = fields.Boolean()
    candidates = fields.List(fields.Nested(CandidateOut))
    method = fields.String()


class SentencePairOut(_Out):
    source = fields.String()
    target = fields.String()


class ModelRefOut(_Out):
    package = fields.String()
    version = fields.String()


class TranslationOut(_Out):
    source_language = fields.String()
    target_language = fields.String()
    translated = fields.Boolean()
    text = fields.String()
    sentences = fields.List(fields.Nested(SentencePairOut))
    model = fields.Nested(ModelRefOut, allow_none=True)


class EvidenceOut(_Out):
    term = fields.String()
    field = fields.String()
    start = fields.Integer()
    end = fields.Integer()


class TagOut(_Out):
    topic = fields.String()
    label = fields.String()
    score = fields.Float()
    evidence = fields.List(fields.Nested(EvidenceOut))


class TagListOut(_Out):
    tags = fields.List(fields.Nested(TagOut))


class TimingsOut(_Out):
    detect = fields.Float()
    translate = fields.Float()
    tag = fields.Float()
    total = fields.Float()


class AnalysisOut(_Out):
    id = fields.String(allow_none=True)
    language = fields.Nested(LanguageOut)
    translation = fields.Nested(TranslationOut)
    tags = fields.List(fields.Nested(TagOut))
    timings_ms = fields.Nested(TimingsOut)


class LanguagePairOut(_Out):
    source_language = fields.String()
    target_language = fields.String()
    package = fields.String()
    version = fields.String()
    status = fields.String()


class ModelStatusOut(_Out):
    package = fields.String()
    source_language = fields.String()
    target_language = fields.String()
    status = fields.String()
    detail = fields.String(allow_none=True)
