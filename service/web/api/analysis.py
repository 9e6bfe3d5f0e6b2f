"""POST /v1/analyze, /v1/detect, /v1/translate, /v1/tag."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from service.batch import analyze_items
from service.core.pipeline import Document
from service.schemas import (
    AnalysisOut,
    AnalyzeRequest,
    BatchRequest,
    DetectRequest,
    LanguageOut,
    TagListOut,
    TagRequest,
    TextRequest,
    TranslateRequest,
    TranslationOut,
    shared,
)
from service.web.body import json_body
from service.web.resources import engines

bp = Blueprint("analysis", __name__, url_prefix="/v1")


def _load(schema: type[TextRequest]) -> dict[str, Any]:
    loaded: dict[str, Any] = shared(schema, max_chars=engines().settings.max_chars).load(json_body())
    return loaded


@bp.post("/analyze")
def analyze() -> Any:
    """Detect, translate and tag one text."""
    req = _load(AnalyzeRequest)
    result = engines().pipeline.analyze(Document(req["text"], req["source_language"], req["id"], req["format"],
                                                 req["glossary"], req["alternatives"]))
    return shared(AnalysisOut).dump(result)


@bp.post("/analyze/batch")
def analyze_batch() -> Any:
    """Analyze many documents together; each gets its result or its own problem."""
    settings = engines().settings
    req = shared(BatchRequest, max_batch=settings.max_batch).load(json_body())
    return {"results": analyze_items(req["documents"], engines().pipeline, settings.max_chars)}


@bp.post("/detect")
def detect() -> Any:
    """Detect the language of a text."""
    req = _load(DetectRequest)
    return shared(LanguageOut).dump(engines().pipeline.detect(req["text"], req["format"]))


@bp.post("/translate")
def translate() -> Any:
    """Translate one text into English."""
    req = _load(TranslateRequest)
    return shared(TranslationOut).dump(engines().pipeline.translate(req["text"], req["source_language"], req["format"],
                                                              req["glossary"], req["alternatives"]))


@bp.post("/tag")
def tag() -> Any:
    """Tag a Portuguese or English text."""
    req = _load(TagRequest)
    return shared(TagListOut).dump(engines().pipeline.tag_document(req["text"], req["language"], req["format"]))
