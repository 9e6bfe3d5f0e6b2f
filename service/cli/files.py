"""`python -m service translate-file IN OUT`: a file in, the same file out in English.

IN is a DOCX, ODT, PPTX, ODP, EPUB, SRT, WebVTT, XLIFF, PO or PDF file (`-`: stdin); OUT the translated file
(`-`: stdout; a PDF's text comes out as UTF-8 text). `--analysis FILE` also writes the JSON that POST
/v1/analyze/file answers (without the file's bytes). Exit codes: 0 translated; 1 the file was refused (its
problem is logged: malformed, encrypted, unsafe, no text, too long...); 2 usage (unreadable input, unwritable
output, bad glossary); 3 no model for a required language.

In `python -m service analyze`, a JSON line `{"file": "in.docx", "output": "out.docx", "id", "source_language",
"glossary"}` analyzes that file: its output line is the /v1/analyze/file object (the file written to `output`,
or in `file.content_base64` when there is no `output`), or `{id, line, error}`.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from service.cli.exits import EXIT_FAILED, EXIT_USAGE
from service.core.exceptions import CoreError
from service.core.files import ZipLimits
from service.core.files.analyze import analyze_file
from service.core.pipeline import Pipeline
from service.problems import core_problem, problem, validation_problem
from service.schemas import FileAnalysisOut, GlossaryField
from service.settings import Settings, load_settings

log = logging.getLogger(__name__)
EXIT_NO_MODEL = 3
FILE_KEYS = frozenset({"file", "output", "id", "source_language", "glossary"})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of translate-file."""
    parser.add_argument("input", metavar="IN", help="the file to translate (- for stdin)")
    parser.add_argument("output", metavar="OUT", help="where to write the translated file (- for stdout)")
    parser.add_argument("--source-language", default="auto", help="the file's language (default: detected)")
    parser.add_argument("--glossary", type=Path, default=None, metavar="FILE.json",
                        help="a JSON list of glossary entries, as the `glossary` of POST /v1/translate")
    parser.add_argument("--analysis", type=Path, default=None, metavar="FILE.json",
                        help="also write the analysis (detection, sentences with scores and flags, tags)")


def _write(target: str, data: bytes) -> None:
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)  # a reader never sees half a file


def run(settings: Settings, args: argparse.Namespace) -> int:
    """The translate-file subcommand; returns the exit code."""
    from service.cli.analyze import model_problem
    from service.engines import build_engines

    try:
        data = sys.stdin.buffer.read() if args.input == "-" else Path(args.input).read_bytes()
        glossary = GlossaryField().deserialize(json.loads(args.glossary.read_text(encoding="utf-8"))) \
            if args.glossary else ()
    except (OSError, ValueError, ValidationError) as exc:
        log.error("translate-file: %s", exc)
        return EXIT_USAGE
    if args.output != "-" and not os.access(Path(args.output).resolve().parent, os.W_OK):
        log.error("translate-file: cannot write %s", args.output)
        return EXIT_USAGE
    engines = build_engines(replace(settings, model_loading="eager", batch_wait_ms=0.0))
    missing = model_problem(engines)
    if missing is not None:
        log.error("%s", missing)
        return EXIT_NO_MODEL
    name = None if args.input == "-" else Path(args.input).name
    try:
        result = analyze_file(engines.pipeline, data, name, source_language=args.source_language, glossary=glossary,
                              limits=ZipLimits(max_unpacked_bytes=settings.max_file_unpacked_bytes))
    except CoreError as exc:
        found = core_problem(exc)
        log.error("%s: %s (%s)", args.input, found["detail"], found["type"])
        return EXIT_FAILED
    _write(args.output, result.file.content)
    if args.analysis is not None:
        args.analysis.write_text(json.dumps(FileAnalysisOut(include_file=False).dump(result), ensure_ascii=False),
                                 encoding="utf-8")
    translation = result.analysis.translation
    log.info("%s -> %s: %s, %d sentences translated from %s, %d flagged", args.input, args.output,
             result.file.format, len(translation.sentences), translation.source_language,
             translation.quality.flagged_sentences)
    return 0


def is_file_item(item: Any) -> bool:
    """Whether an analyze input line points to a file."""
    return isinstance(item, dict) and "file" in item


@functools.cache
def _settings() -> Settings:
    return load_settings()


def file_item(item: dict[str, Any], number: int, pipeline: Pipeline) -> dict[str, Any]:
    """The output line of a JSON line that points to a file."""
    key = item.get("id") if isinstance(item.get("id"), str) else None
    unknown = sorted(set(item) - FILE_KEYS)
    bad = [name for name in ("file", "output") if name in item and not isinstance(item[name], str)]
    if unknown or bad:
        errors = [{"pointer": f"/{name}", "detail": "unknown field"} for name in unknown]
        errors += [{"pointer": f"/{name}", "detail": "must be a file path"} for name in bad]
        return {"id": key, "line": number, "error": problem(422, "validation-error", "Invalid request",
                                                           f"line {number}: invalid file line", errors=errors)}
    settings = _settings()
    try:
        glossary = GlossaryField().deserialize(item["glossary"]) if "glossary" in item else ()
        path = Path(item["file"])
        if path.stat().st_size > settings.max_file_bytes:
            return {"id": key, "line": number, "error": problem(
                413, "payload-too-large", "Payload too large",
                f"{path.name} is larger than {settings.max_file_bytes} bytes (PONTE_MAX_FILE_BYTES)")}
        result = analyze_file(pipeline, path.read_bytes(), path.name, glossary=glossary, id=key,
                              source_language=str(item.get("source_language", "auto")),
                              limits=ZipLimits(max_unpacked_bytes=settings.max_file_unpacked_bytes))
        if "output" in item:
            _write(item["output"], result.file.content)
    except ValidationError as exc:
        return {"id": key, "line": number, "error": validation_problem(ValidationError({"glossary": exc.messages}))}
    except OSError as exc:
        return {"id": key, "line": number, "error": problem(422, "validation-error", "Invalid request",
                                                           f"line {number}: {exc.strerror}: {exc.filename}")}
    except CoreError as exc:
        return {"id": key, "line": number, "error": core_problem(exc)}
    dumped: dict[str, Any] = FileAnalysisOut(include_file="output" not in item).dump(result)
    return dumped
