"""marshmallow schemas: request validation and response shaping, field names exactly as openapi.yaml."""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar, cast

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_dump,
    pre_dump,
    validate,
    validates,
    validates_schema,
)

from service.core.formats import FORMATS
from service.core.languages import EXPECTED, standard_tag
from service.core.terms import GlossaryEntry, GlossaryError, entries_from_request
from service.core.translate.results import MAX_ALTERNATIVES


class GlossaryField(fields.Field[tuple[GlossaryEntry, ...]]):
    """A request's glossary: a list of entries, each checked; the pointer names the entry (/glossary/3)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> tuple[GlossaryEntry, ...]:
        try:
            return entries_from_request(value)
        except GlossaryError as exc:
            where = exc.where.removeprefix("glossary")
            if where.startswith("[") and where.endswith("]"):
                raise ValidationError({int(where[1:-1]): [exc.problem]}) from None
            raise ValidationError(exc.problem) from None


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


class LanguageTag(Utf8String):
    """A language field: 'auto' or a BCP 47 tag in any common spelling (pt-BR, pt_PT, PT), loaded as its standard
    form (pt-BR, pt-PT, pt); the pipeline works with its language (pt) and reports the tag it was given."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return standard_tag(text)
        except ValueError:
            raise ValidationError(f"must be 'auto' or {EXPECTED}; got {text!r}") from None


class TextRequest(Schema):
    """A request body: unknown fields are refused; the visible text is bounded by PONTE_MAX_CHARS
    (checked here for plain text; the pipeline checks the visible text of HTML and Markdown)."""

    class Meta:
        unknown = RAISE

    def __init__(self, *, max_chars: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_chars = max_chars

    text = Utf8String(required=True)
    format = fields.String(load_default="text", validate=validate.OneOf(FORMATS))

    @validates("text")
    def _check_text(self, value: str, **_: Any) -> None:
        if not value.strip():
            raise ValidationError("must not be empty or blank")

    @validates_schema(skip_on_field_errors=True)
    def _check_length(self, data: dict[str, Any], **_: Any) -> None:
        # Markup does not count: an HTML or Markdown document is bounded by its visible text (the pipeline
        # checks it) and by the body limit.
        text = data["text"]
        if data.get("format", "text") == "text" and len(text) > self.max_chars:
            raise ValidationError(f"has {len(text)} characters; the limit is {self.max_chars}", "text")


class DetectRequest(TextRequest):
    """POST /v1/detect."""


class TranslateRequest(TextRequest):
    """POST /v1/translate."""

    source_language = LanguageTag(load_default="auto")
    glossary = GlossaryField(load_default=())
    # strict: true and 1.0 are not counts
    alternatives = fields.Integer(load_default=0, strict=True, validate=validate.Range(0, MAX_ALTERNATIVES))


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


class GlossaryJsonField(GlossaryField):
    """A form's glossary: the JSON text of the GlossaryRequest array."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> tuple[GlossaryEntry, ...]:
        if not isinstance(value, str):
            raise ValidationError("must be the JSON text of a list of glossary entries")
        try:
            loaded = json.loads(value)
        except ValueError as exc:
            raise ValidationError(f"is not valid JSON ({exc})") from None
        return super()._deserialize(loaded, attr, data, **kwargs)


class FileRequest(Schema):
    """The form fields of POST /v1/translate/file (the file itself is read by the web layer)."""

    class Meta:
        unknown = RAISE

    source_language = LanguageTag(load_default="auto")
    glossary = GlossaryJsonField(load_default=())


class FileAnalyzeRequest(FileRequest):
    """The form fields of POST /v1/analyze/file."""

    id = Utf8String(load_default=None, validate=validate.Length(max=256))
    include_file = fields.Boolean(load_default=True, truthy={"true"}, falsy={"false"})


class TagRequest(TextRequest):
    """POST /v1/tag."""

    language = LanguageTag(load_default="auto")


class _Out(Schema):
    """Response schemas only dump; the fields named in OPTIONAL are left out when they are None."""

    OPTIONAL: tuple[str, ...] = ()

    @post_dump
    def _drop_absent(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        for name in self.OPTIONAL:
            if data.get(name) is None:
                data.pop(name, None)
        return data


class CandidateOut(_Out):
    code = fields.String()
    probability = fields.Float()


class LanguageOut(_Out):
    code = fields.String()
    confidence = fields.Float()
    reliable = fields.Boolean()
    candidates = fields.List(fields.Nested(CandidateOut))
    method = fields.String()
    tag = fields.String()  # only a given language that says more than its code has one (pt-BR)
    OPTIONAL = ("tag",)


class GlossaryEntryRefOut(_Out):
    source = fields.String()
    target = fields.String(allow_none=True)


class AppliedOut(_Out):
    kind = fields.String()
    text = fields.String()
    replacement = fields.String()
    entry = fields.Nested(GlossaryEntryRefOut, allow_none=True)


class AlternativeOut(_Out):
    target = fields.String()
    score = fields.Float()
    why_not_chosen = fields.String()  # only when the alternative scores above the chosen translation
    OPTIONAL = ("why_not_chosen",)


class SentencePairOut(_Out):
    source = fields.String()
    target = fields.String()
    applied = fields.List(fields.Nested(AppliedOut))
    fallback = fields.Boolean()
    score = fields.Float(allow_none=True)
    flags = fields.List(fields.String())
    alternatives = fields.List(fields.Nested(AlternativeOut))


class QualityOut(_Out):
    min_score = fields.Float(allow_none=True)
    flagged_sentences = fields.Integer()


class ModelRefOut(_Out):
    package = fields.String()
    version = fields.String()


class TranslationOut(_Out):
    source_language = fields.String()
    target_language = fields.String()
    translated = fields.Boolean()
    format = fields.String()
    text = fields.String()
    visible_text = fields.String()
    source_visible_text = fields.String()
    sentences = fields.List(fields.Nested(SentencePairOut))
    model = fields.Nested(ModelRefOut, allow_none=True)
    quality = fields.Nested(QualityOut)


class EvidenceOut(_Out):
    term = fields.String()
    field = fields.String()
    start = fields.Integer()
    end = fields.Integer()


class IptcOut(_Out):
    code = fields.String()
    label = fields.String()
    relation = fields.String()


class TagOut(_Out):
    topic = fields.String()
    label = fields.String()
    score = fields.Float()
    evidence = fields.List(fields.Nested(EvidenceOut))
    iptc = fields.List(fields.Nested(IptcOut))


class TagListOut(_Out):
    tags = fields.List(fields.Nested(TagOut))
    source_visible_text = fields.String()


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


class FileAnalysisOut(AnalysisOut):
    """A FileAnalysis (service.core.files.analyze): the analysis of the file's text, and the file."""

    file = fields.Method("_file")

    def __init__(self, *, include_file: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.include_file = include_file

    @pre_dump
    def _flatten(self, result: Any, **_: Any) -> dict[str, Any]:
        analysis = result.analysis
        return {"id": analysis.id, "language": analysis.language, "translation": analysis.translation,
                "tags": analysis.tags, "timings_ms": analysis.timings_ms, "file": result.file}

    def _file(self, data: dict[str, Any]) -> dict[str, Any]:
        out = data["file"]
        return {"name": out.name, "format": out.format, "media_type": out.media_type, "size": len(out.content),
                "notes": list(out.notes),
                "content_base64": base64.b64encode(out.content).decode("ascii") if self.include_file else None}


_S = TypeVar("_S", bound=Schema)


def shared(schema: type[_S], **limits: int) -> _S:
    """One instance per schema class and limits, built once per process and reused by every request: a schema
    instance deep-copies its fields, and its nested schemas are built on first use (about 1 ms for an analysis
    when done per request). Loading and dumping keep no state on the instance."""
    return cast(_S, _shared(schema, tuple(sorted(limits.items()))))


@functools.cache
def _shared(schema: Callable[..., Schema], limits: tuple[tuple[str, int], ...]) -> Schema:
    return schema(**dict(limits))
