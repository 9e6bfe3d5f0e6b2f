"""The pipeline job in the image, offline (--network none), with the documented commands: the output equals the same
run outside the container; SIGTERM leaves whole lines and the same command resumes; the output belongs to the
mounted folder's owner; the sharded run merges into the same file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.integration.container.conftest import OFFLINE, doc_command, podman, shell, unique
from tests.integration.test_cli_analyze import make_documents, write_input
from tests.server import ROOT

N_LINES = 320
OWNER = (4321, 4321)  # the mounted folder's owner: neither root nor the image's user


def without_timings(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [{k: v for k, v in json.loads(line).items() if k != "timings_ms"} for line in lines]


@pytest.fixture(scope="module")
def corpus(packages_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """320 documents (Portuguese, English, Spanish, malformed and invalid lines) and the run outside the container:
    `python -m service analyze` with the default settings, over the same test package."""
    folder = tmp_path_factory.mktemp("corpus")
    lines, expect = make_documents(N_LINES)
    source = write_input(folder / "in.jsonl", lines)
    host = folder / "host.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PONTE_", "ARGOS_"))}
    result = subprocess.run([sys.executable, "-m", "service", "analyze", "--input", str(source), "--output", str(host),
                             "--no-progress"], cwd=ROOT, timeout=600,
                            env={**env, "PONTE_PACKAGES_DIR": str(packages_dir)}, capture_output=True, check=False)
    assert result.returncode == 1, result.stderr.decode()  # finished, with error lines
    errors = sum(1 for e in expect if e["slug"] is not None)
    assert errors >= 10 and len(without_timings(host)) == N_LINES
    return {"source": source, "host": without_timings(host), "errors": errors}


def data_folder(root: Path, corpus: dict[str, Any], owner: tuple[int, int] = OWNER) -> Path:
    """A workspace holding data/in.jsonl, the folder owned by `owner`."""
    data = root / "data"
    data.mkdir(parents=True)
    shutil.copy(corpus["source"], data / "in.jsonl")
    os.chown(data, *owner)
    os.chown(data / "in.jsonl", *owner)
    return data


def test_offline_job_equals_the_run_outside_and_belongs_to_the_folders_owner(
        image: str, corpus: dict[str, Any], tmp_path: Path) -> None:
    data = data_folder(tmp_path, corpus)
    started = time.monotonic()
    result = shell(doc_command("pipeline"), tmp_path, check=False)
    print(f"\n[container-check] pipeline job, {N_LINES} lines: {time.monotonic() - started:.1f} s")
    assert result.returncode == 1, result.stderr  # finished, some lines are error lines (as outside)
    out = data / "out.jsonl"
    assert without_timings(out) == corpus["host"]
    assert (out.stat().st_uid, out.stat().st_gid) == OWNER


def test_sigterm_leaves_whole_lines_and_the_same_command_resumes(
        image: str, corpus: dict[str, Any], tmp_path: Path) -> None:
    data = data_folder(tmp_path, corpus)
    out = data / "out.jsonl"
    name = unique("sigterm")
    command = doc_command("pipeline").replace("podman run ", f"podman run --name {name} ", 1)
    running = subprocess.Popen(["bash", "-euo", "pipefail", "-c", command], cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (out.exists() and out.read_bytes().count(b"\n") >= 40):
            assert running.poll() is None, running.stderr.read() if running.stderr else ""
            assert time.monotonic() < deadline, "no output within 120 s"
            time.sleep(0.1)
        podman("stop", "--time", "30", name)  # SIGTERM, as a pod is stopped
        assert running.wait(60) == 143  # terminated: rerun with --resume
    finally:
        if running.poll() is None:
            podman("rm", "--force", name, check=False)
            running.wait(30)
        if running.stderr:
            running.stderr.close()
    written = out.read_bytes()
    assert written.endswith(b"\n")
    partial = [json.loads(line) for line in written.decode().splitlines()]  # every line whole JSON
    assert 40 <= len(partial) < N_LINES
    print(f"\n[container-check] stopped after {len(partial)} of {N_LINES} lines")

    resumed = shell(doc_command("pipeline"), tmp_path, check=False)
    assert resumed.returncode == 1, resumed.stderr  # the whole file's verdict: it has error lines
    assert without_timings(out) == corpus["host"]


def test_a_folder_the_user_cannot_write_stops_the_job_clearly(
        image: str, corpus: dict[str, Any], tmp_path: Path) -> None:
    data = data_folder(tmp_path, corpus, owner=(0, 0))
    data.chmod(0o755)
    result = podman("run", "--rm", *OFFLINE, "--no-healthcheck", "--volume", f"{data}:/data", image,
                    "analyze", "--input", "/data/in.jsonl", "--output", "/data/out.jsonl", check=False)
    assert result.returncode == 2, result.stderr  # a usage error, before any work: as the docs say
    assert "/data/out.jsonl" in result.stderr
    assert not (data / "out.jsonl").exists()


def test_sharded_job_merges_into_the_unsharded_output(image: str, corpus: dict[str, Any], tmp_path: Path) -> None:
    data = data_folder(tmp_path, corpus)
    started = time.monotonic()
    result = shell(doc_command("shards"), tmp_path, check=False)
    print(f"\n[container-check] 4 shards and the merge: {time.monotonic() - started:.1f} s")
    assert result.returncode == 0, result.stderr
    assert without_timings(data / "out.jsonl") == corpus["host"]
    for k in range(4):
        part = data / f"part-{k}.jsonl"
        assert (part.stat().st_uid, part.stat().st_gid) == OWNER
        assert [obj["line"] for obj in map(json.loads, part.read_text().splitlines())] == list(
            range(k + 1, N_LINES + 1, 4))


def test_stream_form_equals_the_run_outside(image: str, corpus: dict[str, Any], tmp_path: Path) -> None:
    data = data_folder(tmp_path, corpus, owner=(0, 0))
    result = shell(doc_command("stream"), tmp_path, check=False)
    assert result.returncode == 1, result.stderr
    assert without_timings(data / "stream.jsonl") == corpus["host"]

