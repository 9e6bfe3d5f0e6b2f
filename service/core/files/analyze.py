"""A file through the pipeline: its visible text detected, translated (and tagged), the file written back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from service.core.exceptions import CoreError
from service.core.files import open_file, output_name
from service.core.files.errors import FileError
from service.core.files.safezip import ZipLimits
from service.core.pipeline import Analysis, Document, Pipeline
from service.core.terms import GlossaryEntry


class FileTextTooLongError(FileError):
    """The file's text is longer than one document may be."""

    slug, title = "validation-error", "Invalid request"


@dataclass(frozen=True)
class TranslatedFile:
    """The translated file: its name, format (of the input), media type and bytes, and notes for the caller."""

    name: str
    format: str
    media_type: str
    content: bytes
    notes: tuple[str, ...]


@dataclass(frozen=True)
class FileAnalysis:
    """What ponte knows about a file, and the file in English."""

    analysis: Analysis
    file: TranslatedFile


def analyze_file(pipeline: Pipeline, data: bytes, filename: str | None, *, source_language: str = "auto",
                 glossary: Sequence[GlossaryEntry] = (), id: str | None = None, tag: bool = True,
                 limits: ZipLimits | None = None) -> FileAnalysis:
    """Detect, translate (and tag) a file; raises a CoreError (FileError for the file itself)."""
    fmt, layout = open_file(data, filename, target_language=pipeline.target, limits=limits)
    if pipeline.max_chars is not None and len(layout.visible_text) > pipeline.max_chars:
        raise FileTextTooLongError(f"the file's text has {len(layout.visible_text)} characters; the limit is "
                                   f"{pipeline.max_chars} (PONTE_MAX_CHARS)")
    document = Document(layout.visible_text, source_language, id, "text", tuple(glossary), 0, layout=layout)
    result = pipeline.analyze_many([document], tag=tag)[0]
    if isinstance(result, CoreError):
        raise result
    if result.translation.translated and layout.output is not None:
        content = layout.output
    elif layout.kind.format == fmt:
        content = data  # already in the target language: the file as it came
    else:
        content = (layout.visible_text + "\n").encode("utf-8")
    name = output_name(filename, layout, pipeline.target)
    return FileAnalysis(result, TranslatedFile(name, fmt, layout.kind.media_type, content, layout.notes))
