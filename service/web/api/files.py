"""POST /v1/translate/file and /v1/analyze/file: files in, the same files out in English."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response

from service.core.files import ZipLimits
from service.core.files.analyze import FileAnalysis, analyze_file
from service.schemas import FileAnalysisOut, FileAnalyzeRequest, FileRequest
from service.settings import Settings
from service.web.resources import engines
from service.web.upload import file_upload

bp = Blueprint("files", __name__, url_prefix="/v1")
_UNSAFE = re.compile(r'[^\x20-\x7e]|["\\]')


def content_disposition(name: str) -> str:
    """`attachment` with the name as ASCII (others replaced by _) and, when it is not, as RFC 8187 UTF-8."""
    shown = _UNSAFE.sub("_", name)
    value = f'attachment; filename="{shown}"'
    printable = "".join(c for c in name if c.isprintable())
    if shown != name:
        value += "; filename*=UTF-8''" + quote(printable, safe="")
    return value


def _analyze(schema: type[FileRequest], *, tag: bool) -> tuple[FileAnalysis, dict[str, Any]]:
    settings: Settings = engines().settings
    data, filename, form = file_upload(settings)
    req: dict[str, Any] = schema().load(form)
    result = analyze_file(engines().pipeline, data, filename, source_language=req["source_language"],
                          glossary=req["glossary"], id=req.get("id"), tag=tag,
                          limits=ZipLimits(max_unpacked_bytes=settings.max_file_unpacked_bytes))
    return result, req


@bp.post("/translate/file")
def translate_file() -> Any:
    """Translate a file; the answer is the translated file."""
    result, _ = _analyze(FileRequest, tag=False)
    translation = result.analysis.translation
    return Response(result.file.content, mimetype=result.file.media_type, headers={
        "Content-Disposition": content_disposition(result.file.name),
        "X-Ponte-Source-Language": translation.source_language,
        "X-Ponte-Translated": str(translation.translated).lower(),
        "X-Ponte-Sentences": str(len(translation.sentences)),
        "X-Ponte-Flagged-Sentences": str(translation.quality.flagged_sentences),
    })


@bp.post("/analyze/file")
def analyze_file_view() -> Any:
    """Detect, translate and tag a file; the translated file is in the answer (base64)."""
    result, req = _analyze(FileAnalyzeRequest, tag=True)
    return FileAnalysisOut(include_file=req["include_file"]).dump(result)
