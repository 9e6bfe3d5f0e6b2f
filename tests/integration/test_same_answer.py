"""The same answer every time: a document's language, translation (with its signals) and tags are identical alone,
in a batch, from the caches, and through the CLI with any --chunk-size, --threads, --workers and after --resume,
including the sentences the test package decodes into loops (tests/data/looping_pt.jsonl)."""

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
from tests.server import ROOT

DATA = ROOT / "tests" / "data"


def documents() -> list[dict[str, Any]]:
    looping = [json.loads(line) for line in (DATA / "looping_pt.jsonl").read_text(encoding="utf-8").splitlines()]
    workload = [json.loads(line) for line in (ROOT / "bench" / "workload_pt.jsonl").read_text().splitlines()][:20]
    docs = [{"id": d["id"], "text": " ".join(d["sentences"])} for d in looping]
    docs += [{"id": f"w{i}", "text": w["text"]} for i, w in enumerate(workload)]
    return docs


def stable(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k != "timings_ms"}


def run_cli(packages_dir: Path, source: Path, out: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PONTE_", "ARGOS_"))}
    env["PONTE_PACKAGES_DIR"] = str(packages_dir)
    result = subprocess.run([sys.executable, "-m", "service", "analyze", "-i", str(source), "-o", str(out),
                             "--no-progress", *args], cwd=ROOT, env=env, capture_output=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr.decode()[-3000:]


def read(path: Path) -> list[dict[str, Any]]:
    return [stable(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def reference(real_app: Flask) -> list[dict[str, Any]]:
    """Each document alone through POST /v1/analyze (the first time: no cache has it)."""
    client = ContractClient(real_app.test_client())
    return [stable(client.post("/v1/analyze", json=doc).get_json()) for doc in documents()]


def test_the_corpus_loops(reference: list[dict[str, Any]]) -> None:
    flags = [set(s["flags"]) for r in reference for s in r["translation"]["sentences"]]
    assert any("repaired" in f or "repetition" in f for f in flags)


def test_again_from_the_caches_and_in_a_batch(real_app: Flask, reference: list[dict[str, Any]]) -> None:
    client = ContractClient(real_app.test_client())
    again = [stable(client.post("/v1/analyze", json=doc).get_json()) for doc in documents()]
    assert again == reference
    batch = client.post("/v1/analyze/batch", json={"documents": documents()}).get_json()["results"]
    assert [stable(r) for r in batch] == reference


@pytest.mark.parametrize("args", [(), ("--chunk-size", "1", "--threads", "1"), ("--chunk-size", "7", "--threads", "2"),
                                  ("--workers", "2", "--chunk-size", "5")], ids=["default", "1x1", "7x2", "workers2"])
def test_cli_layouts(packages_dir: Path, tmp_path: Path, reference: list[dict[str, Any]],
                     args: tuple[str, ...]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents()), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run_cli(packages_dir, source, out, *args)
    assert read(out) == reference


def test_cli_resume_is_byte_identical(packages_dir: Path, tmp_path: Path) -> None:
    docs = documents()
    full, half = tmp_path / "full.jsonl", tmp_path / "half.jsonl"
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    first = tmp_path / "first.jsonl"
    first.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs[: len(docs) // 2]), "utf-8")
    run_cli(packages_dir, source, full, "--chunk-size", "4")
    run_cli(packages_dir, first, half, "--chunk-size", "3")
    run_cli(packages_dir, source, half, "--chunk-size", "6", "--resume")
    strip = [json.dumps(stable(json.loads(line)), ensure_ascii=False) for line in half.read_text().splitlines()]
    whole = [json.dumps(stable(json.loads(line)), ensure_ascii=False) for line in full.read_text().splitlines()]
    assert strip == whole
