"""`python -m service analyze`: 500 documents in order, per-line errors, exit codes, kill and --resume."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from service.cli.analyze import (
    EXIT_FAILED,
    EXIT_NO_MODEL,
    EXIT_OK,
    EXIT_USAGE,
    Line,
    Resumed,
    UsageError,
    analyze_chunk,
    parse_line,
    read_lines,
    resume_state,
    skip_done,
)
from service.engines import build_engines
from service.web import create_app
from tests.conftest import SEED_ARTICLE, FakeTranslator, make_settings
from tests.contract import schema_errors
from tests.server import ROOT

ANALYSIS = "#/components/schemas/Analysis"
PROBLEM = "#/components/schemas/Problem"
WORKLOAD = ROOT / "bench" / "workload_pt.jsonl"
N_DOCS = 500

ENGLISH = [
    "Nvidia shares rose sharply on Wall Street after the chipmaker reported record data centre revenue.",
    "The European Commission opened a formal investigation into how the platform handles user data.",
    "Researchers released the weights of the new language model under an open-source licence on Tuesday.",
    "The central bank kept interest rates unchanged, citing persistent inflation in services.",
    "A ransomware attack forced the hospital network to postpone operations for a second day.",
]
SPANISH = [
    "El gobierno aprobó ayer una nueva ley que regula el uso de la inteligencia artificial en las empresas.",
    "Las acciones de la compañía cayeron un cinco por ciento después de la publicación de sus resultados.",
    "Los investigadores advirtieron que el ataque informático afectó a miles de usuarios en todo el país.",
]
# (raw line, expected problem slug)
MALFORMED: list[tuple[str, str]] = [
    ('{"id": "broken", "text": "O arquivo foi salvo', "malformed-json"),
    ('{"id": "no-text"}', "validation-error"),
    ('{"id": "blank", "text": "   "}', "validation-error"),
    ('[1, 2, 3]', "validation-error"),
    ('{"id": "extra", "text": "O arquivo foi salvo no disco.", "colour": "red"}', "validation-error"),
    ("", "malformed-json"),
    ('{"id": "lang", "text": "O arquivo foi salvo no disco.", "source_language": "Portuguese"}', "validation-error"),
    ('{"id": "surrogate", "text": "O arquivo foi salvo no disco \\ud800 ontem."}', "validation-error"),
]


def portuguese_texts() -> list[str]:
    """The seed article, its paragraphs, and the news-like passages of the benchmark workload."""
    seed = SEED_ARTICLE.read_text(encoding="utf-8")
    texts = [seed] + [p for p in seed.split("\n") if len(p) > 40]
    if WORKLOAD.is_file():
        texts += [json.loads(line)["text"] for line in WORKLOAD.read_text(encoding="utf-8").splitlines() if line]
    return texts


def expected_kind(i: int) -> str:
    if i % 50 == 7:
        return "malformed"
    if i % 25 == 3:
        return "es"
    if i % 10 == 5:
        return "en"
    return "pt"


def make_documents(n: int = N_DOCS) -> tuple[list[str], list[dict[str, Any]]]:
    """n input lines (deterministic) and what each should give: kind, id, expected slug."""
    pt = portuguese_texts()
    lines: list[str] = []
    expect: list[dict[str, Any]] = []
    for i in range(n):
        kind = expected_kind(i)
        doc_id: str | None = f"doc-{i:04d}"
        slug = None
        if kind == "malformed":
            raw, slug = MALFORMED[(i // 50) % len(MALFORMED)]
            lines.append(raw)
            loaded = None
            with contextlib.suppress(ValueError):
                loaded = json.loads(raw)
            doc_id = loaded.get("id") if isinstance(loaded, dict) else None
        else:
            pool = {"pt": pt, "en": ENGLISH, "es": SPANISH}[kind]
            text = pool[i % len(pool)]
            doc: dict[str, Any] = {"id": doc_id, "text": text}
            if kind == "pt" and i % 13 == 0:
                doc["source_language"] = "pt"
            if kind == "pt" and i % 31 == 1:
                del doc["id"]  # id-less documents: null id in the output, matched by order on --resume
                doc_id = None
            if kind == "es":
                slug = "unsupported-language"
            lines.append(json.dumps(doc, ensure_ascii=False))
        expect.append({"kind": kind, "id": doc_id, "slug": slug})
    return lines, expect


def write_input(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def cli_env(packages_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PONTE_", "ARGOS_"))}
    env.update({"PONTE_PACKAGES_DIR": str(packages_dir), "PONTE_BEAM_SIZE": "1", **extra})
    return env


def analyze(packages_dir: Path, *args: str, stdin: bytes | None = None,
            **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "service", "analyze", *args], cwd=ROOT, input=stdin,
                          env=cli_env(packages_dir, **env), capture_output=True, timeout=120, check=False)


def read_output(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def key_of(obj: dict[str, Any]) -> tuple[str | None, int | None]:
    """What identifies an output line: its id, and for error lines the input line."""
    return obj["id"], obj.get("line")


def check_results(results: list[dict[str, Any]], expect: list[dict[str, Any]]) -> None:
    assert len(results) == len(expect)
    for number, (obj, want) in enumerate(zip(results, expect, strict=True), start=1):
        assert obj["id"] == want["id"], (number, obj)
        if want["slug"] is not None:
            assert set(obj) == {"id", "line", "error"}, (number, obj)
            assert obj["line"] == number
            assert obj["error"]["type"] == f"urn:ponte:problem:{want['slug']}", (number, obj)
            assert schema_errors(obj["error"], PROBLEM) == []
            continue
        assert "error" not in obj, (number, obj)
        assert schema_errors(obj, ANALYSIS) == [], (number, schema_errors(obj, ANALYSIS))
        assert obj["language"]["code"] == want["kind"], (number, obj["language"])
        assert obj["translation"]["translated"] is (want["kind"] == "pt")


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], list[dict[str, Any]]]:
    lines, expect = make_documents()
    path = write_input(tmp_path_factory.mktemp("cli") / "in.jsonl", lines)
    return path, lines, expect


@pytest.fixture(scope="module")
def full_run(documents: tuple[Path, list[str], list[dict[str, Any]]], packages_dir: Path,
             tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[bytes], Path]:
    path, _, _ = documents
    out = tmp_path_factory.mktemp("cli-out") / "out.jsonl"
    return analyze(packages_dir, "--input", str(path), "--output", str(out)), out


# ---------------------------------------------------------------- 1. 500 documents


def test_500_documents_in_order_with_errors_only_on_bad_lines(full_run: tuple[subprocess.CompletedProcess[bytes], Path],
                                                               documents: tuple[Path, list[str],
                                                                                list[dict[str, Any]]]) -> None:
    result, out = full_run
    _, _, expect = documents
    assert result.returncode == EXIT_FAILED, result.stderr.decode()
    results = read_output(out)
    check_results(results, expect)
    kinds = Counter(e["kind"] for e in expect)
    assert kinds["pt"] > 300 and kinds["en"] and kinds["es"] and kinds["malformed"]
    assert sum("error" in r for r in results) == kinds["es"] + kinds["malformed"]
    assert result.stdout == b""
    summary = [line for line in result.stderr.decode().splitlines() if "analyze done" in line]
    assert len(summary) == 1
    assert f"{N_DOCS} documents ({kinds['es'] + kinds['malformed']} failed)" in summary[0]


def test_cli_result_is_the_http_result(full_run: tuple[subprocess.CompletedProcess[bytes], Path],
                                       documents: tuple[Path, list[str], list[dict[str, Any]]],
                                       packages_dir: Path) -> None:
    """Same object as POST /v1/analyze (timings aside), and the same error as /v1/analyze/batch."""
    _, out = full_run
    _, lines, _ = documents
    results = read_output(out)
    app: Flask = create_app(make_settings(packages_dir, beam_size=1))
    client = app.test_client()
    for index in (0, 1, 5, 3):  # the seed article, a paragraph, English, Spanish
        body = json.loads(lines[index])
        response = client.post("/v1/analyze", json=body)
        cli = results[index]
        if response.status_code == 200:
            http = response.get_json()
            assert set(cli) == set(http)
            for key in ("id", "language", "translation", "tags"):
                assert cli[key] == http[key], (index, key)
        else:
            http_problem = {k: v for k, v in response.get_json().items() if k != "instance"}  # HTTP request id
            assert cli["error"] == http_problem


def test_only_data_on_stdout(documents: tuple[Path, list[str], list[dict[str, Any]]], packages_dir: Path) -> None:
    _, lines, expect = documents
    result = analyze(packages_dir, stdin="".join(line + "\n" for line in lines[:60]).encode())
    assert result.returncode == EXIT_FAILED, result.stderr.decode()
    check_results([json.loads(line) for line in result.stdout.decode().splitlines()], expect[:60])
    assert "analyze done: 60 documents" in result.stderr.decode()


def test_all_good_exits_0_and_text_lines(packages_dir: Path, tmp_path: Path) -> None:
    texts = ["O arquivo foi salvo no disco. A operação terminou com sucesso.",
             "The central bank kept interest rates unchanged."]
    result = analyze(packages_dir, "--text-lines", stdin="\n".join(texts).encode())
    assert result.returncode == EXIT_OK, result.stderr.decode()
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [o["translation"]["translated"] for o in out] == [True, False]
    assert all(o["id"] is None and schema_errors(o, ANALYSIS) == [] for o in out)

    result = analyze(packages_dir, "--text-lines", stdin=b"Deseja abrir o arquivo agora?\n\n\xff\xfe\n")
    assert result.returncode == EXIT_FAILED
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [o.get("line") for o in out] == [None, 2, 3]
    assert out[1]["error"]["type"] == "urn:ponte:problem:validation-error"
    assert out[2]["error"]["type"] == "urn:ponte:problem:malformed-json"


def test_workers_give_the_same_output(documents: tuple[Path, list[str], list[dict[str, Any]]], packages_dir: Path,
                                      tmp_path: Path) -> None:
    _, lines, expect = documents
    path = write_input(tmp_path / "in.jsonl", lines[:120])
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    a = analyze(packages_dir, "-i", str(path), "-o", str(one), "--threads", "1", "--chunk-size", "16")
    b = analyze(packages_dir, "-i", str(path), "-o", str(two), "--workers", "2", "--threads", "1",
                "--chunk-size", "16")
    assert (a.returncode, b.returncode) == (EXIT_FAILED, EXIT_FAILED), b.stderr.decode()
    first, second = read_output(one), read_output(two)
    check_results(second, expect[:120])
    strip = [{k: v for k, v in o.items() if k != "timings_ms"} for o in first]
    assert strip == [{k: v for k, v in o.items() if k != "timings_ms"} for o in second]


# ---------------------------------------------------------------- exit codes


def test_usage_errors_exit_2(packages_dir: Path, tmp_path: Path) -> None:
    assert analyze(packages_dir, "--resume").returncode == EXIT_USAGE  # --resume needs an output file
    missing = analyze(packages_dir, "--input", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == EXIT_USAGE
    assert b"cannot read --input" in missing.stderr
    assert analyze(packages_dir, "--chunk-size", "0").returncode == EXIT_USAGE
    foreign = tmp_path / "foreign.jsonl"
    foreign.write_text("hello\n")
    result = analyze(packages_dir, "--output", str(foreign), "--resume", stdin=b"")
    assert result.returncode == EXIT_USAGE
    assert foreign.read_text() == "hello\n"  # left alone
    assert analyze(packages_dir, stdin=b"", PONTE_BEAM_SIZE="zero").returncode == EXIT_USAGE


def test_no_model_exits_3(tmp_path: Path) -> None:
    result = analyze(tmp_path / "empty", stdin=b'{"text": "O arquivo foi salvo no disco."}\n')
    assert result.returncode == EXIT_NO_MODEL
    assert b"no usable model" in result.stderr
    assert result.stdout == b""


# ---------------------------------------------------------------- 2. kill and resume


def wait_for_lines(path: Path, at_least: int, process: subprocess.Popen[bytes], timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = path.read_bytes().count(b"\n") if path.exists() else 0
        if count >= at_least:
            return count
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        time.sleep(0.02)
    raise AssertionError(f"fewer than {at_least} lines in {path} after {timeout} s")


def check_resumed(out: Path, expect: list[dict[str, Any]]) -> None:
    """Every document exactly once; on the same input, the whole file in input order."""
    results = read_output(out)
    ids = Counter(r["id"] for r in results if r["id"] is not None)
    assert ids == Counter(e["id"] for e in expect if e["id"] is not None)
    check_results(results, expect)


def test_kill_half_way_and_resume(documents: tuple[Path, list[str], list[dict[str, Any]]], packages_dir: Path,
                                  tmp_path: Path) -> None:
    """Killed while half of the input has been fed (chunks in flight), then a partial line as a kill in the
    middle of a write would leave: --resume writes each missing document once, in input order."""
    path, lines, expect = documents
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "service", "analyze", "--output", str(out),
                                "--chunk-size", "16", "--no-progress"], cwd=ROOT, env=cli_env(packages_dir),
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stdin is not None
    try:
        process.stdin.write("".join(line + "\n" for line in lines[:N_DOCS // 2]).encode())
        process.stdin.flush()
        written = wait_for_lines(out, 100, process)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
        process.stdin.close()
        assert process.stderr is not None
        process.stderr.close()
    assert 100 <= written < N_DOCS // 2
    with out.open("ab") as f:
        f.write(b'{"id":"doc-0')  # the torn line a kill during a write leaves
    result = analyze(packages_dir, "--input", str(path), "--output", str(out), "--resume")
    assert result.returncode == EXIT_FAILED, result.stderr.decode()
    assert b"partial line" in result.stderr
    check_resumed(out, expect)

    again = analyze(packages_dir, "--input", str(path), "--output", str(out), "--resume")
    assert again.returncode == EXIT_FAILED  # nothing left to do; the code still says the output has errors
    failed = sum(e["slug"] is not None for e in expect)
    assert b"analyze done: 0 documents (0 failed)" in again.stderr
    assert f"{N_DOCS} skipped as already in the output ({failed} failed earlier)".encode() in again.stderr
    check_resumed(out, expect)


def test_kill_while_translating_and_resume(documents: tuple[Path, list[str], list[dict[str, Any]]],
                                           packages_dir: Path, tmp_path: Path) -> None:
    path, _, expect = documents
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "service", "analyze", "-i", str(path), "-o", str(out),
                                "--chunk-size", "8", "--threads", "1"], cwd=ROOT,
                               env=cli_env(packages_dir, PONTE_CACHE_SIZE="0", PONTE_DOCUMENT_CACHE_CHARS="0"),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_lines(out, 40, process)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    result = analyze(packages_dir, "--input", str(path), "--output", str(out), "--resume")
    assert result.returncode == EXIT_FAILED, result.stderr.decode()
    check_resumed(out, expect)


# ---------------------------------------------------------------- the pieces


def test_read_lines_skips_an_over_long_line_without_holding_it() -> None:
    data = b'{"a": 1}\r\n' + b"x" * 100 + b"\nlast"
    assert list(read_lines(io.BytesIO(data), limit=10)) == [(1, b'{"a": 1}'), (2, None), (3, b"last")]
    line = parse_line(2, None, text_lines=False, limit=10)
    assert line.problem is not None and line.problem["status"] == 413


@pytest.mark.parametrize(("raw", "slug"), [(b"{", "malformed-json"), (b"\xff", "malformed-json"),
                                           (b'{"a": ' * 5000 + b"1" + b"}" * 5000, None)])
def test_parse_line_problems(raw: bytes, slug: str | None) -> None:
    line = parse_line(7, raw, text_lines=False, limit=1 << 20)
    if slug is None:
        # deep nesting is either parsed (then refused by the schema) or reported, never a crash
        assert line.problem is None or line.problem["type"].endswith("malformed-json")
    else:
        assert line.problem is not None and line.problem["type"] == f"urn:ponte:problem:{slug}"
        assert "line 7" in line.problem["detail"]


def test_resume_state_counts_ids_and_cuts_a_partial_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert resume_state(out) == Resumed(Counter(), 0, 0)
    out.write_bytes(b'{"id":"a","language":{}}\n{"id":null,"line":2,"error":{}}\n{"id":"a","language":{}}\n'
                    b'{"id":"b","lang')
    assert resume_state(out) == Resumed(Counter({"a": 2, None: 1}), 3, 1)
    assert out.read_bytes().endswith(b'{"id":"a","language":{}}\n')
    out.write_bytes(b"not json\n")
    with pytest.raises(UsageError):
        resume_state(out)


class BreakingTranslator(FakeTranslator):
    """Fails the whole call when a sentence says BOOM (a document that breaks the engine)."""

    def translate(self, sentences: Sequence[str]) -> list[str]:
        if any("BOOM" in s for s in sentences):
            raise RuntimeError("engine fault")
        return super().translate(sentences)


def test_a_document_that_breaks_the_engine_gets_its_own_error(packages_dir: Path) -> None:
    engines = build_engines(make_settings(packages_dir), lambda package: BreakingTranslator(package))
    lines = [Line(1, {"id": "a", "text": "O arquivo foi salvo no disco."}, None, "a", 0),
             Line(2, {"id": "b", "text": "O arquivo BOOM foi salvo no disco.", "source_language": "pt"}, None, "b", 0),
             Line(3, {"id": "c", "text": "A operação terminou com sucesso."}, None, "c", 0)]
    out = analyze_chunk(lines, engines.pipeline, 1000)
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert out[1] == {"id": "b", "line": 2, "error": out[1]["error"]}
    assert out[1]["error"]["type"] == "urn:ponte:problem:internal-error"
    assert out[0]["translation"]["translated"] and out[2]["translation"]["translated"]
    both_broken = [Line(1, {"text": "BOOM um."}, None, None, 0), Line(2, {"text": "BOOM dois."}, None, None, 0)]
    with pytest.raises(RuntimeError):  # every document fails alone: the fault is not theirs, the run stops
        analyze_chunk(both_broken, engines.pipeline, 1000)


def test_skip_done_counts_duplicates_and_matches_id_less_lines_in_order() -> None:
    def line(n: int, key: str | None) -> Line:
        return Line(n, {}, None, key, 0)

    lines = [line(1, "a"), line(2, None), line(3, "a"), line(4, None), line(5, "b")]
    skipped: list[int] = []
    kept = list(skip_done(lines, Counter({"a": 1, None: 1}), lambda: skipped.append(1)))
    assert [k.number for k in kept] == [3, 4, 5]
    assert len(skipped) == 2
