"""Many documents in one go, each with its own result or its own problem: shared by HTTP and the CLI."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from marshmallow import ValidationError

from service.core.exceptions import CoreError
from service.core.pipeline import Document, Pipeline
from service.problems import core_problem, problem, validation_problem
from service.schemas import AnalysisOut, AnalyzeRequest, shared

log = logging.getLogger(__name__)


def _item_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str) else None


def analyze_items(items: Sequence[Any], pipeline: Pipeline, max_chars: int) -> list[dict[str, Any]]:
    """Validate each item as an analyze request, analyze the valid ones together (shared engine calls),
    and return one JSON-ready object per item, in order: the analysis, or {id, index, error}."""
    schema = shared(AnalyzeRequest, max_chars=max_chars)
    out: list[dict[str, Any] | None] = [None] * len(items)
    documents: list[tuple[int, Document]] = []
    for index, item in enumerate(items):
        try:
            request = schema.load(item)
        except ValidationError as exc:
            out[index] = {"id": _item_id(item), "index": index, "error": validation_problem(exc)}
            continue
        documents.append((index, Document(request["text"], request["source_language"], request["id"],
                                          request["format"], request["glossary"], request["alternatives"])))
    results = pipeline.analyze_many([doc for _, doc in documents])
    dump = shared(AnalysisOut).dump
    for (index, doc), result in zip(documents, results, strict=True):
        if isinstance(result, CoreError):
            out[index] = {"id": doc.id, "index": index, "error": core_problem(result)}
        else:
            out[index] = dump(result)
    return [item for item in out if item is not None]


def analyze_items_isolated(items: Sequence[Any], pipeline: Pipeline, max_chars: int) -> list[dict[str, Any]]:
    """analyze_items; when the shared call fails unexpectedly, each item alone, so that one document that breaks
    the engine gets an internal-error problem (as HTTP answers 500) instead of stopping a whole run. When every
    one of several items fails alone too, the fault is not in them (a broken model): the error is raised."""
    try:
        return analyze_items(items, pipeline, max_chars)
    except Exception:
        log.warning("a chunk of %d documents failed; analyzing them one by one", len(items), exc_info=True)
    out: list[dict[str, Any]] = []
    failures = 0
    for index, item in enumerate(items):
        try:
            out.extend(analyze_items([item], pipeline, max_chars))
        except Exception:
            failures += 1
            if failures == len(items) > 1:
                raise
            log.exception("document %d of a chunk failed unexpectedly", index + 1)
            out.append({"id": _item_id(item), "index": index,
                        "error": problem(500, "internal-error", "Internal server error",
                                         "Analyzing this document failed unexpectedly; it has been logged.")})
    return out
