"""The same answer every time: a document's language, translation (with its signals) and tags are identical alone,
in a batch, from the caches, and through the CLI in every layout (--chunk-size 1/7/32, --threads, --workers 2), after
--resume from any line (a torn last line included, and after a real SIGKILL), and as --shard K/N parts joined by
`merge` for N = 2, 3 and 7, bad lines keeping their error line in their place. The corpus holds the sentences the
test package decodes into loops (tests/data/looping_pt.jsonl), whose result once depended on the batch.

`make test-determinism` runs this module (and the engine's, tests/core/test_translate_determinism.py) on both of
CTranslate2's CPU backends: oneDNN capped at AVX2 (the backend whose results depended on padding) and Intel MKL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.contract import ContractClient
from tests.integration.test_cli_analyze import wait_for_lines
from tests.server import ROOT

pytestmark = pytest.mark.determinism

DATA = ROOT / "tests" / "data"
# lines that are not a document to analyze: each must give its error line, in its place, in every layout
BAD_LINES = [
    '{"id": "broken", "text": "O arquivo foi salvo',
    '{"id": "spanish", "text": "El gobierno aprobó ayer una nueva ley que regula el uso de la inteligencia '
    'artificial en las empresas."}',
    '{"id": "blank", "text": "   "}',
]


def documents() -> list[dict[str, Any]]:
    looping = [json.loads(line) for line in (DATA / "looping_pt.jsonl").read_text(encoding="utf-8").splitlines()]
    workload = [json.loads(line) for line in (ROOT / "bench" / "workload_pt.jsonl").read_text().splitlines()][:20]
    docs = [{"id": d["id"], "text": " ".join(d["sentences"])} for d in looping]
    docs += [{"id": f"w{i}", "text": w["text"]} for i, w in enumerate(workload)]
    return docs


def input_lines() -> list[str]:
    """The documents as JSON lines, with the bad lines spread among them."""
    lines = [json.dumps(d, ensure_ascii=False) for d in documents()]
    for n, bad in enumerate(BAD_LINES):
        lines.insert(3 + 11 * n, bad)
    return lines


def stable(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k != "timings_ms"}


def cli_env(packages_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PONTE_", "ARGOS_"))}
    env.update({"PONTE_PACKAGES_DIR": str(packages_dir), **extra})
    return env


def run_cli(packages_dir: Path, source: Path, out: Path, *args: str, codes: tuple[int, ...] = (1,)) -> None:
    """One analyze run; exit 1 is "finished, some lines are errors" (the bad lines), 0 a shard without them."""
    result = subprocess.run([sys.executable, "-m", "service", "analyze", "-i", str(source), "-o", str(out),
                             "--no-progress", *args], cwd=ROOT, env=cli_env(packages_dir), capture_output=True,
                            timeout=1800, check=False)
    assert result.returncode in codes, result.stderr.decode()[-3000:]


def read(path: Path) -> list[dict[str, Any]]:
    return [stable(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]


def stable_lines(path: Path) -> list[str]:
    """The output's bytes, line by line, timings aside."""
    return [json.dumps(stable(json.loads(line)), ensure_ascii=False) for line in path.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("same-answer") / "in.jsonl"
    path.write_text("".join(line + "\n" for line in input_lines()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(real_app: Flask) -> list[dict[str, Any]]:
    """Each document alone through POST /v1/analyze (the first time: no cache has it)."""
    client = ContractClient(real_app.test_client())
    return [stable(client.post("/v1/analyze", json=doc).get_json()) for doc in documents()]


@pytest.fixture(scope="module")
def default_run(packages_dir: Path, source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("default-run") / "out.jsonl"
    run_cli(packages_dir, source, out)
    return out


def test_the_corpus_loops(reference: list[dict[str, Any]]) -> None:
    flags = [set(s["flags"]) for r in reference for s in r["translation"]["sentences"]]
    assert any("repaired" in f or "repetition" in f for f in flags)


def test_again_from_the_caches_and_in_a_batch(real_app: Flask, reference: list[dict[str, Any]]) -> None:
    client = ContractClient(real_app.test_client())
    again = [stable(client.post("/v1/analyze", json=doc).get_json()) for doc in documents()]
    assert again == reference
    batch = client.post("/v1/analyze/batch", json={"documents": documents()}).get_json()["results"]
    assert [stable(r) for r in batch] == reference


def test_the_default_layout_equals_each_document_alone(default_run: Path, reference: list[dict[str, Any]]) -> None:
    results = read(default_run)
    errors = {r["id"]: r["error"]["type"].rsplit(":", 1)[1] for r in results if "error" in r}
    assert errors == {None: "malformed-json", "spanish": "unsupported-language", "blank": "validation-error"}
    assert [r for r in results if "error" not in r] == reference
    assert [i for i, r in enumerate(results) if "error" in r] == [3, 14, 25]  # in their place


@pytest.mark.parametrize("args", [("--chunk-size", "1", "--threads", "1"), ("--chunk-size", "7", "--threads", "2"),
                                  ("--chunk-size", "32", "--threads", "1"), ("--threads", "2"),
                                  ("--workers", "2", "--chunk-size", "5")],
                         ids=["chunk1", "chunk7x2", "chunk32", "threads2", "workers2"])
def test_cli_layouts(packages_dir: Path, source: Path, default_run: Path, tmp_path: Path,
                     args: tuple[str, ...]) -> None:
    out = tmp_path / "out.jsonl"
    run_cli(packages_dir, source, out, *args)
    assert stable_lines(out) == stable_lines(default_run)


@pytest.mark.parametrize("kept", [0, 1, 17, -1], ids=["none", "first", "middle", "all-but-last"])
def test_resume_from_any_line_is_byte_identical(packages_dir: Path, source: Path, default_run: Path,
                                                tmp_path: Path, kept: int) -> None:
    """As a SIGKILL leaves it: the first lines whole, then part of the next one; --resume completes the file with
    exactly the lines of an uninterrupted run (another chunk size: other engine calls)."""
    whole = default_run.read_text(encoding="utf-8").splitlines(keepends=True)
    keep = whole[:kept]
    torn = whole[len(keep)][: len(whole[len(keep)]) // 2]
    out = tmp_path / "out.jsonl"
    out.write_text("".join(keep) + torn, encoding="utf-8")
    run_cli(packages_dir, source, out, "--chunk-size", "6", "--resume")
    assert stable_lines(out) == stable_lines(default_run)


def test_resume_after_a_real_kill(packages_dir: Path, source: Path, default_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "service", "analyze", "-i", str(source), "-o", str(out),
                                "--no-progress", "--chunk-size", "2", "--threads", "1"], cwd=ROOT,
                               env=cli_env(packages_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_lines(out, 5, process, timeout=600)
    finally:
        process.kill()
        process.wait(30)
    run_cli(packages_dir, source, out, "--resume")
    assert stable_lines(out) == stable_lines(default_run)


@pytest.mark.parametrize("shards", [2, 3, 7])
def test_shards_merged_equal_the_unsharded_run(packages_dir: Path, source: Path, default_run: Path,
                                               tmp_path: Path, shards: int) -> None:
    parts = [tmp_path / f"part-{k}.jsonl" for k in range(shards)]
    for k, part in enumerate(parts):
        run_cli(packages_dir, source, part, "--shard", f"{k}/{shards}", "--chunk-size", "3", codes=(0, 1))
    merged = tmp_path / "merged.jsonl"
    done = subprocess.run([sys.executable, "-m", "service", "merge", "--expect-lines-of", str(source), "-o",
                           str(merged), *map(str, parts)], cwd=ROOT, env=cli_env(packages_dir),
                          capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert stable_lines(merged) == stable_lines(default_run)
