"""Many documents in one go, each with its own result or its own problem: shared by HTTP and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marshmallow import ValidationError

from service.core.exceptions import CoreError
from service.core.pipeline import Document, Pipeline
from service.problems import core_problem, validation_problem
from service.schemas import AnalysisOut, AnalyzeRequest


def _item_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str) else None


def analyze_items(items: Sequence[Any], pipeline: Pipeline, max_chars: int) -> list[dict[str, Any]]:
    """Validate each item as an analyze request, analyze the valid ones together (shared engine calls),
    and return one JSON-ready object per item, in order: the analysis, or {id, index, error}."""
    schema = AnalyzeRequest(max_chars=max_chars)
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
    dump = AnalysisOut().dump
    for (index, doc), result in zip(documents, results, strict=True):
        if isinstance(result, CoreError):
            out[index] = {"id": doc.id, "index": index, "error": core_problem(result)}
        else:
            out[index] = dump(result)
    return [item for item in out if item is not None]
