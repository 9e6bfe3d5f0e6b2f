"""Analyze a Spark DataFrame column with ponte's pipeline: one model per Python worker, rows in chunks through the
shared engine call of POST /v1/analyze/batch, each row's Analysis (or its problem) as a struct or a JSON string.

An optional front end beside service/web and service/cli: it needs `requirements-spark.txt`, and nothing else in
ponte imports it. pyspark is imported inside the functions, so this module loads (and type-checks) without it.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from service.batch import analyze_items_isolated
from service.core.packages import install_archive
from service.engines import Engines, build_engines
from service.jsonin import parse
from service.problems import MalformedJson, from_api_error
from service.settings import Settings, load_settings

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

log = logging.getLogger(__name__)

# The Spark types of the results, declared once as plain data (so that a test checks them
# against openapi.yaml without pyspark): a dict is a struct (fields in the contract's order), a one-item list an
# array, a string a Spark simple type. Every field is nullable, as Spark's are.
Spec = str | list["Spec"] | dict[str, "Spec"]

ANALYSIS_SPEC: dict[str, Spec] = {
    "id": "string",
    "language": {
        "code": "string", "confidence": "double", "reliable": "boolean",
        "candidates": [{"code": "string", "probability": "double"}],
        "method": "string", "tag": "string",
    },
    "translation": {
        "source_language": "string", "target_language": "string", "translated": "boolean", "format": "string",
        "text": "string", "visible_text": "string", "source_visible_text": "string",
        "sentences": [{
            "source": "string", "target": "string",
            "applied": [{"kind": "string", "text": "string", "replacement": "string",
                         "entry": {"source": "string", "target": "string"}}],
            "fallback": "boolean", "score": "double", "flags": ["string"],
            "alternatives": [{"target": "string", "score": "double", "why_not_chosen": "string"}],
        }],
        "model": {"package": "string", "version": "string"},
        "quality": {"min_score": "double", "flagged_sentences": "long"},
    },
    "tags": [{
        "topic": "string", "label": "string", "score": "double",
        "evidence": [{"term": "string", "field": "string", "start": "long", "end": "long"}],
        "iptc": [{"code": "string", "label": "string", "relation": "string"}],
    }],
    "timings_ms": {"detect": "double", "translate": "double", "tag": "double", "total": "double"},
}

# The problem document's fields a row keeps (openapi.yaml Problem; `errors` lists the fields of a 422).
PROBLEM_SPEC: dict[str, Spec] = {
    "type": "string", "title": "string", "status": "long", "detail": "string",
    "errors": [{"pointer": "string", "detail": "string"}],
}

Output = Literal["struct", "json"]
Input = Literal["text", "json"]

# ---------------------------------------------------------------- one model per Python worker

_lock = threading.Lock()
_engines: dict[Settings, Engines] = {}
_loads = 0


def model_loads() -> int:
    """How many times this process has built its engines (1 in a healthy worker, however many rows it saw)."""
    return _loads


def worker_engines(settings: Settings) -> Engines:
    """This process's engines for `settings`, built on first use and kept for the process's life."""
    global _loads
    with _lock:
        engines = _engines.get(settings)
        if engines is None:
            log.info("loading ponte's engines in Python worker %d", os.getpid())
            engines = build_engines(settings)
            _engines[settings] = engines
            _loads += 1
        return engines


def install_shipped_model(archive: Path, packages_dir: Path) -> None:
    """Install an .argosmodel shipped to this executor (spark-submit --files) into packages_dir, once per
    executor: the Python workers of one executor share the folder, so they take turns under a file lock."""
    packages_dir.mkdir(parents=True, exist_ok=True)
    stat = archive.stat()
    marker = packages_dir / f".installed-{archive.name}-{stat.st_size}-{int(stat.st_mtime)}"
    with (packages_dir / ".ponte-install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            package = install_archive(archive, packages_dir)
            marker.touch()
            log.info("installed shipped model %s %s into %s", package.name, package.version, packages_dir)


def _worker_settings(settings: Settings | None, model_archive: str | None) -> Settings:
    """The settings a worker runs with: the driver's when given, else its own environment (spark.executorEnv)."""
    resolved = settings if settings is not None else load_settings()
    # one chunk at a time per worker: the HTTP request-merging wait only adds latency here
    resolved = replace(resolved, model_loading="eager", batch_wait_ms=0.0)
    if model_archive is not None:
        from pyspark import SparkFiles

        install_shipped_model(Path(SparkFiles.get(model_archive)), resolved.packages_dir)
    return resolved


# ---------------------------------------------------------------- rows to results


def _parse_json_row(value: Any) -> tuple[Any, dict[str, Any] | None]:
    """A JSON text row as `python -m service analyze` reads a line: the item, or its malformed-json problem."""
    if not isinstance(value, str):
        return None, from_api_error(MalformedJson(f"the row is not a JSON string but {type(value).__name__}"))
    try:
        return parse(value, "the row"), None
    except MalformedJson as exc:
        return None, from_api_error(exc)


def analyze_rows(values: Sequence[Any], ids: Sequence[Any] | None, engines: Engines, *, input: Input = "text",
                 source_language: str = "auto", chunk_size: int = 32) -> list[dict[str, Any]]:
    """One object per row, in order: the Analysis as POST /v1/analyze answers it, or {id, error}."""
    items: list[Any] = []
    out: list[dict[str, Any] | None] = []
    for position, value in enumerate(values):
        if input == "json":
            item, bad = _parse_json_row(value)
            if bad is not None:
                out.append({"id": None, "error": bad})
                continue
        else:
            item = {"text": value}
            if source_language != "auto":
                item["source_language"] = source_language
        if ids is not None and isinstance(item, dict):
            item["id"] = ids[position]
        items.append(item)
        out.append(None)
    results: list[dict[str, Any]] = []
    for start in range(0, len(items), chunk_size):
        results.extend(analyze_items_isolated(items[start:start + chunk_size], engines.pipeline,
                                              engines.settings.max_chars))
    done = iter(results)
    return [obj if obj is not None else _without_index(next(done)) for obj in out]


def _without_index(obj: dict[str, Any]) -> dict[str, Any]:
    return {"id": obj["id"], "error": obj["error"]} if "error" in obj and "index" in obj else obj


def _pick(value: Any, spec: Spec) -> Any:
    """The value cut to the spec's fields (a problem's extensions beyond PROBLEM_SPEC are left out)."""
    if value is None:
        return None
    if isinstance(spec, dict):
        return {name: _pick(value.get(name), sub) for name, sub in spec.items()}
    if isinstance(spec, list):
        return [_pick(item, spec[0]) for item in value]
    return value


def _plain(value: Any) -> Any:
    """A pandas cell as a Python value: missing values (None, NaN, NaT) are None, numpy scalars plain."""
    import pandas as pd

    if value is None or (not isinstance(value, list | tuple | dict) and bool(pd.isna(value))):
        return None
    return value.item() if hasattr(value, "item") and not isinstance(value, str | bytes) else value


def _encode(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------- the Spark side


def spark_type(spec: Spec) -> Any:
    """The pyspark DataType of a spec."""
    from pyspark.sql import types as T

    if isinstance(spec, dict):
        return T.StructType([T.StructField(name, spark_type(sub), nullable=True) for name, sub in spec.items()])
    if isinstance(spec, list):
        return T.ArrayType(spark_type(spec[0]), containsNull=True)
    simple: Mapping[str, Any] = {"string": T.StringType(), "double": T.DoubleType(), "boolean": T.BooleanType(),
                                 "long": T.LongType()}
    return simple[spec]


def analyze_column(df: DataFrame, text_col: str = "text", id_col: str | None = None, *,
                   output: Output = "struct", chunk_size: int = 32, input: Input = "text",
                   source_language: str = "auto", settings: Settings | None = None,
                   model_archive: str | None = None, result_col: str = "analysis",
                   error_col: str = "error", worker_col: str | None = None) -> DataFrame:
    """The DataFrame with its columns plus the analysis of `text_col` per row.

    output="struct": `result_col` (openapi.yaml's Analysis) and `error_col` (the problem: type, title, status,
    detail, errors); exactly one of them is null. output="json": `result_col` holds the JSON of the Analysis or
    of {id, error}, as `python -m service analyze` writes it. input="json": `text_col` holds one JSON object per
    row, as that command reads a line ({id, text, source_language}); then `id_col` is not used.
    `settings` default to the workers' PONTE_* environment; `model_archive` names an .argosmodel shipped with
    --files / SparkContext.addFile, installed into the packages folder on first use per executor.
    `worker_col` adds {pid, model_loads} of the Python worker that analyzed the row: the model loads once per
    worker, so model_loads is 1 on every row of a healthy run.
    """
    from pyspark.sql import types as T

    if output not in ("struct", "json"):
        raise ValueError(f"output must be 'struct' or 'json', got {output!r}")
    if input not in ("text", "json"):
        raise ValueError(f"input must be 'text' or 'json', got {input!r}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    names = [result_col, error_col] if output == "struct" else [result_col]
    names += [worker_col] if worker_col is not None else []
    clash = set(names) & set(df.columns)
    if clash:
        raise ValueError(f"the DataFrame already has column(s) {sorted(clash)}")
    if input == "json":
        id_col = None
    added = ([T.StructField(result_col, spark_type(ANALYSIS_SPEC)), T.StructField(error_col, spark_type(PROBLEM_SPEC))]
             if output == "struct" else [T.StructField(result_col, T.StringType())])
    if worker_col is not None:
        added.append(T.StructField(worker_col, spark_type({"pid": "long", "model_loads": "long"})))
    schema = T.StructType([*df.schema.fields, *added])

    def analyze_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        engines = worker_engines(_worker_settings(settings, model_archive))
        for batch in batches:
            values = [_plain(v) for v in batch[text_col].tolist()]
            ids = [_plain(v) for v in batch[id_col].tolist()] if id_col is not None else None
            objs = analyze_rows(values, ids, engines, input=input, source_language=source_language,
                                chunk_size=chunk_size)
            if output == "struct":
                batch[result_col] = [None if "error" in o else _pick(o, ANALYSIS_SPEC) for o in objs]
                batch[error_col] = [_pick(o["error"], PROBLEM_SPEC) if "error" in o else None for o in objs]
            else:
                batch[result_col] = [_encode(o) for o in objs]
            if worker_col is not None:
                batch[worker_col] = [{"pid": os.getpid(), "model_loads": model_loads()}] * len(objs)
            yield batch

    return df.mapInPandas(analyze_batches, schema)
