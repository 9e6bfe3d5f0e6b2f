"""service/spark.py on a real local Spark: 1,000+ rows with bad ones, equal to `python -m service analyze`,
one model load per Python worker, a killed task retried without losing or repeating a row."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed: run `make test-spark` "
                                      "(a virtualenv with requirements-spark.txt)")

from service import schemas
from service.spark import ANALYSIS_SPEC, PROBLEM_SPEC, _pick, analyze_column
from tests.conftest import make_settings
from tests.contract import schema_errors
from tests.integration.test_cli_analyze import cli_env, make_documents
from tests.server import ROOT

N_DOCS = 1_000
MAX_CHARS = 4_000
PT = "O governo anunciou hoje um novo programa de investimento em inteligência artificial para as escolas. "
# (raw JSON line, problem slug): bad rows on top of the CLI test's mix of pt/en/es and malformed lines
BAD: list[tuple[str, str]] = [
    (json.dumps({"id": "empty", "text": ""}), "validation-error"),
    (json.dumps({"id": "too-long", "text": PT * (MAX_CHARS // len(PT) + 1)}), "validation-error"),
    (json.dumps({"id": "number", "text": 12345}), "validation-error"),
    (json.dumps({"id": "null-text", "text": None}), "validation-error"),
    (json.dumps({"id": "list-text", "text": ["O arquivo", "foi salvo"]}), "validation-error"),
    (json.dumps({"id": 77, "text": PT}), "validation-error"),
    (json.dumps("just a string"), "validation-error"),
    ("not json at all", "malformed-json"),
    ("{'id': 'single quotes'}", "malformed-json"),
    (json.dumps({"id": "es", "text": "El gobierno aprobó ayer una nueva ley que regula el uso de la inteligencia "
                                     "artificial en las empresas del país."}), "unsupported-language"),
]


def lines_under_test() -> list[str]:
    lines, _ = make_documents(N_DOCS)
    for k, (raw, _) in enumerate(BAD):  # spread over the file, so that every partition meets bad rows
        lines[37 + k * 97] = raw
    return lines


def settings(packages_dir: Path) -> Any:
    return make_settings(packages_dir, beam_size=1, max_chars=MAX_CHARS, inter_threads=1)


def cli_results(packages_dir: Path, lines: list[str], tmp_path: Path) -> list[dict[str, Any]]:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    env = cli_env(packages_dir, PONTE_MAX_CHARS=str(MAX_CHARS), PONTE_INTER_THREADS="1")
    done = subprocess.run([sys.executable, "-m", "service", "analyze", "--input", str(source), "--output", str(out),
                           "--workers", "1", "--threads", "1"], cwd=ROOT, env=env, capture_output=True,
                          timeout=600, check=False)
    assert done.returncode in (0, 1), done.stderr.decode()[-2000:]
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _optional_names() -> set[str]:
    """The response fields the JSON answer leaves out when they are None (the OPTIONAL of service/schemas.py)."""
    return {name for value in vars(schemas).values() if isinstance(value, type)
            for name in getattr(value, "OPTIONAL", ())}


def as_json_answer(obj: Any, optional: frozenset[str] = frozenset(_optional_names())) -> Any:
    """A struct row as the JSON answer would be: a struct has every field, the answer leaves the optional ones out
    when they are None."""
    if isinstance(obj, dict):
        return {k: as_json_answer(v) for k, v in obj.items() if not (v is None and k in optional)}
    if isinstance(obj, list):
        return [as_json_answer(v) for v in obj]
    return obj


def comparable(obj: dict[str, Any]) -> dict[str, Any]:
    """A CLI or Spark result without what may differ: timings, and the CLI's line number."""
    if "error" in obj:
        error = dict(obj["error"])
        # the CLI names the file's line; a row has none
        error["detail"] = re.sub(r"^line \d+ is", "the row is", error["detail"])
        return {"id": obj["id"], "error": error}
    return {k: v for k, v in obj.items() if k != "timings_ms"}


def frame(spark: Any, lines: list[str], partitions: int = 4) -> Any:
    rows = spark.sparkContext.parallelize(list(enumerate(lines, start=1)), partitions)
    return spark.createDataFrame(rows, "line long, value string")


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return lines_under_test()


@pytest.fixture(scope="module")
def cli(packages_dir: Path, lines: list[str], tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    return cli_results(packages_dir, lines, tmp_path_factory.mktemp("spark-cli"))


@pytest.fixture(scope="module")
def struct_rows(spark: Any, packages_dir: Path, lines: list[str]) -> list[dict[str, Any]]:
    result = analyze_column(frame(spark, lines), "value", input="json", settings=settings(packages_dir),
                            worker_col="worker")
    return [row.asDict(recursive=True) for row in result.orderBy("line").collect()]


def test_struct_results_equal_the_cli_row_for_row(struct_rows: list[dict[str, Any]], cli: list[dict[str, Any]],
                                                  lines: list[str]) -> None:
    assert len(struct_rows) == len(cli) == len(lines) >= 1_000
    slugs = Counter()
    for number, (row, want) in enumerate(zip(struct_rows, cli, strict=True), start=1):
        assert row["line"] == number and row["value"] == lines[number - 1]
        if "error" in want:
            assert row["analysis"] is None, number
            expected = comparable(want)["error"]
            assert row["error"] == _pick(expected, PROBLEM_SPEC), (number, row["error"], expected)
            assert schema_errors({k: v for k, v in row["error"].items() if v is not None},
                                 "#/components/schemas/Problem") == []
            slugs[expected["type"].rsplit(":", 1)[1]] += 1
        else:
            assert row["error"] is None, (number, row["error"])
            analysis = row["analysis"]
            assert schema_errors(as_json_answer(analysis), "#/components/schemas/Analysis") == [], number
            assert comparable(analysis) == comparable(_pick(want, ANALYSIS_SPEC)), number
    # every kind of bad row was there and came back as its problem, not as a failed task
    for _, slug in BAD:
        assert slugs[slug] >= 1
    assert sum(slugs.values()) >= len(BAD)
    assert sum(row["error"] is None for row in struct_rows) > 800


def test_model_loaded_once_per_python_worker(struct_rows: list[dict[str, Any]]) -> None:
    workers = Counter(row["worker"]["pid"] for row in struct_rows)
    assert {row["worker"]["model_loads"] for row in struct_rows} == {1}
    # four partitions of 250 rows in Arrow batches of 64: each worker served many batches with its one model
    assert sum(workers.values()) == len(struct_rows)
    assert all(count >= 64 for count in workers.values()), workers


def test_json_output_is_the_cli_line(spark: Any, packages_dir: Path, lines: list[str],
                                     cli: list[dict[str, Any]]) -> None:
    picked = list(range(0, len(lines), 7))  # a sample with pt, en, es and bad rows
    assert {"error" in cli[i] for i in picked} == {True, False}
    sample = [lines[i] for i in picked]
    result = analyze_column(frame(spark, sample, 2), "value", input="json", output="json",
                            settings=settings(packages_dir), result_col="result", chunk_size=8)
    assert result.columns == ["line", "value", "result"]
    got = [json.loads(row["result"]) for row in result.orderBy("line").collect()]
    assert [comparable(g) for g in got] == [comparable(cli[i]) for i in picked]


def test_text_column_with_ids(spark: Any, packages_dir: Path) -> None:
    texts = [PT, "", None, "The central bank kept interest rates unchanged, citing persistent inflation."]
    df = spark.createDataFrame([(f"d{i}", t) for i, t in enumerate(texts)], "doc string, body string")
    rows = analyze_column(df, "body", "doc", settings=settings(packages_dir)).orderBy("doc").collect()
    assert [r["doc"] for r in rows] == ["d0", "d1", "d2", "d3"]
    assert rows[0]["analysis"]["id"] == "d0" and rows[0]["analysis"]["translation"]["translated"] is True
    assert rows[0]["analysis"]["language"]["code"] == "pt"
    assert [r["error"]["status"] for r in rows[1:3]] == [422, 422]
    assert rows[1]["error"]["errors"][0]["pointer"] == "/text"
    assert rows[3]["analysis"]["language"]["code"] == "en" and rows[3]["error"] is None


def _kill_first_attempt(marker: str) -> Any:
    """A mapInPandas step that kills its Python worker mid-partition on the first attempt of partition 0."""

    def step(batches: Iterator[Any]) -> Iterator[Any]:
        from pyspark import TaskContext

        context = TaskContext.get()
        doomed = context is not None and context.partitionId() == 0 and context.attemptNumber() == 0
        for number, batch in enumerate(batches):
            if doomed and number == 1:  # after a batch has gone through: a real mid-task death
                Path(marker).write_text(str(os.getpid()), encoding="utf-8")
                os._exit(1)
            yield batch

    return step


def test_a_killed_task_is_retried_and_every_row_comes_once(spark: Any, packages_dir: Path, tmp_path: Path) -> None:
    lines, _ = make_documents(400)
    marker = tmp_path / "killed"
    analyzed = analyze_column(frame(spark, lines, 2), "value", input="json", settings=settings(packages_dir),
                              worker_col="worker")
    result = analyzed.mapInPandas(_kill_first_attempt(str(marker)), analyzed.schema)
    rows = result.select("line", "analysis.id", "error.type", "worker").collect()
    assert marker.exists(), "the first attempt of partition 0 was not killed"
    assert Counter(row["line"] for row in rows) == Counter(range(1, len(lines) + 1))
    assert {row["worker"]["model_loads"] for row in rows} == {1}
