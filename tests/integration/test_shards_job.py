"""A Kubernetes Indexed Job, simulated: N shard processes (each with its own JOB_COMPLETION_INDEX) over one input,
one of them killed with SIGKILL half-way and re-run with --resume, then `python -m service merge`: every input line
exactly once, in input order, identical to one unsharded run (timings aside)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_cli_analyze import analyze, cli_env, make_documents, wait_for_lines, write_input
from tests.server import ROOT

SHARDS = 3
N_LINES = 1500


def without_timings(path: Path) -> list[dict[str, Any]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        obj.pop("timings_ms", None)
        out.append(obj)
    return out


def merge(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "service", "merge", *args], cwd=ROOT, capture_output=True,
                          timeout=120, check=False, env=cli_env(Path("/nonexistent")))


@pytest.fixture(scope="module")
def job(packages_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("indexed-job")
    lines, _ = make_documents(N_LINES)
    source = write_input(folder / "in.jsonl", lines)
    single = folder / "single.jsonl"
    assert analyze(packages_dir, "--input", str(source), "--output", str(single)).returncode == 1  # error lines

    parts = [folder / f"part-{k}.jsonl" for k in range(SHARDS)]
    args = ["--input", str(source), "--shards", str(SHARDS), "--chunk-size", "8", "--no-progress"]
    # shard 1 is killed half-way through, as a node failure would kill its pod
    killed = subprocess.Popen([sys.executable, "-m", "service", "analyze", *args, "--output", str(parts[1])],
                              cwd=ROOT, env=cli_env(packages_dir, JOB_COMPLETION_INDEX="1"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        written = wait_for_lines(parts[1], N_LINES // SHARDS // 2, killed)
        killed.kill()
        killed.wait(10)
    finally:
        if killed.poll() is None:
            killed.kill()
        assert killed.stderr is not None
        killed.stderr.close()
    for k in range(SHARDS):  # the Job runs every index; the failed one again, with --resume as its args say
        done = analyze(packages_dir, *args, "--output", str(parts[k]), "--resume", JOB_COMPLETION_INDEX=str(k))
        assert done.returncode in (0, 1), done.stderr.decode()
    return {"source": source, "single": single, "parts": parts, "folder": folder, "killed_after": written}


def test_the_kill_happened_half_way(job: dict[str, Any]) -> None:
    assert 0 < job["killed_after"] < N_LINES // SHARDS


def test_each_part_holds_only_its_share(job: dict[str, Any]) -> None:
    for k, part in enumerate(job["parts"]):
        numbers = [obj["line"] for obj in without_timings(part)]
        assert numbers == list(range(k + 1, N_LINES + 1, SHARDS))


def test_merged_equals_the_unsharded_run(job: dict[str, Any]) -> None:
    merged = job["folder"] / "merged.jsonl"
    result = merge("--output", str(merged), "--expect-lines-of", str(job["source"]), *map(str, reversed(job["parts"])))
    assert result.returncode == 0, result.stderr.decode()
    assert without_timings(merged) == without_timings(job["single"])
    assert len(without_timings(merged)) == N_LINES


def test_merge_to_stdout(job: dict[str, Any]) -> None:
    result = merge(*map(str, job["parts"]))
    assert result.returncode == 0
    assert result.stdout.count(b"\n") == N_LINES


def test_a_missing_part_is_refused(job: dict[str, Any]) -> None:
    out = job["folder"] / "never.jsonl"
    result = merge("--output", str(out), *map(str, job["parts"][:2]))
    assert result.returncode == 2
    assert b"missing" in result.stderr and b"Traceback" not in result.stderr
    assert not out.exists()


def test_a_duplicated_line_is_refused(job: dict[str, Any]) -> None:
    copy = job["folder"] / "dup.jsonl"
    lines = job["parts"][2].read_text(encoding="utf-8").splitlines(keepends=True)
    copy.write_text("".join(lines[:5] + lines[4:]), encoding="utf-8")  # line 5 of the part twice
    result = merge(*map(str, [job["parts"][0], job["parts"][1], copy]))
    assert result.returncode == 2
    assert b"twice" in result.stderr or b"order" in result.stderr
