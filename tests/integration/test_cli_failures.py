"""The pipeline CLI fails early and stops cleanly: an unwritable output before any model loads, SIGTERM as
Kubernetes sends it, and worker processes that end with their parent however it ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.test_cli_analyze import analyze, cli_env, make_documents, wait_for_lines, write_input
from tests.server import ROOT


@pytest.mark.parametrize("where", ["/proc/nope/x.jsonl", "a-directory"])
def test_an_unwritable_output_is_exit_2_in_one_line_before_the_model(tmp_path: Path, where: str) -> None:
    target = tmp_path / where if not where.startswith("/") else Path(where)
    if where == "a-directory":
        target.mkdir()
    # no packages at all: had the model been loaded first, this would be exit 3 ("no usable model")
    result = analyze(tmp_path / "no-packages", "--output", str(target), stdin=b'{"text": "Ol\\u00e1."}\n')
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "cannot write --output" in stderr and "Traceback" not in stderr
    assert len([line for line in stderr.splitlines() if line.strip()]) == 1


def _start(packages_dir: Path, tmp_path: Path, *args: str) -> tuple[subprocess.Popen[bytes], Path]:
    lines, _ = make_documents(400)
    source = write_input(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "service", "analyze", "-i", str(source), "-o", str(out),
                                "--chunk-size", "4", "--no-progress", *args], cwd=ROOT,
                               env=cli_env(packages_dir, PONTE_DOCUMENT_CACHE_CHARS="0", PONTE_CACHE_SIZE="0"),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return process, out


def test_sigterm_stops_like_ctrl_c_with_the_resume_hint(packages_dir: Path, tmp_path: Path) -> None:
    process, out = _start(packages_dir, tmp_path)
    try:
        wait_for_lines(out, 20, process)
        process.send_signal(signal.SIGTERM)
        code = process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.stderr is not None
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert code == 143, stderr
    assert "rerun with --resume" in stderr and "Traceback" not in stderr
    # every line written is whole: the resume that follows can trust the file
    assert out.read_bytes().endswith(b"\n")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(c) for c in children]
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended; only its exit status is left


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_workers_end_when_the_parent_is_killed(packages_dir: Path, tmp_path: Path) -> None:
    process, out = _start(packages_dir, tmp_path, "--workers", "2")
    try:
        wait_for_lines(out, 8, process, timeout=120)
        workers = _children(process.pid)  # the spawned worker processes (and multiprocessing's resource tracker)
        assert len(workers) >= 2
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        deadline = time.monotonic() + 20
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [w for w in workers if _alive(w)]
    finally:
        if process.poll() is None:
            process.kill()
        assert process.stderr is not None
        process.stderr.close()
    for pid in left:  # do not leave them behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []


DOCS = b'{"id": "a", "text": "O governo aprovou a lei."}\n{"id": "b", "text": "A Meta lan\\u00e7ou o Llama 3."}\n'


@pytest.mark.parametrize("output", ["-", "/dev/stdout"])
def test_stdout_and_a_pipe_stream_the_lines(packages_dir: Path, tmp_path: Path, output: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(DOCS)
    # `analyze -o /dev/stdout | wc -l`: stdout is a pipe that cannot be truncated or sought
    shell = f"{sys.executable} -m service analyze -i {source} -o {output} --no-progress | wc -l"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], cwd=ROOT, env=cli_env(packages_dir),
                            capture_output=True, timeout=120, check=False)
    stderr = result.stderr.decode()
    assert result.returncode == 0 and "Traceback" not in stderr, stderr
    assert result.stdout.decode().strip() == "2"


@pytest.mark.parametrize("output", ["-o /dev/full", "> /dev/full"])
def test_a_full_device_is_exit_4_in_one_line(packages_dir: Path, tmp_path: Path, output: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(DOCS)
    shell = f"{sys.executable} -m service analyze -i {source} --no-progress {output}"
    result = subprocess.run(["bash", "-c", shell], cwd=ROOT, env=cli_env(packages_dir, PONTE_LOG_LEVEL="WARNING"),
                            capture_output=True, timeout=120, check=False)
    lines = [line for line in result.stderr.decode().splitlines() if line.strip()]
    assert result.returncode == 4, lines
    assert len(lines) == 1 and "No space left on device" in lines[0] and "--resume" not in lines[0], lines


def test_resume_on_a_pipe_is_refused_in_one_line(packages_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(DOCS)
    shell = f"{sys.executable} -m service analyze -i {source} -o /dev/stdout --resume | cat"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], cwd=ROOT, env=cli_env(packages_dir),
                            capture_output=True, timeout=120, check=False)
    lines = [line for line in result.stderr.decode().splitlines() if line.strip()]
    assert result.returncode == 2, lines
    assert len(lines) == 1 and "not a regular file" in lines[0], lines
