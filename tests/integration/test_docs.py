"""The docs say what the code does: every command in README.md and docs/*.md runs here, or says why it cannot.

The commands are read from the markdown's code blocks, so a command added to the docs is run by this file the next
time it runs: `python -m service ...` / `.venv/bin/python -m service ...` lines in a fresh folder with the offline
test package installed, `curl ...` lines against a real server (localhost:8080 replaced by its address), and `make
...` lines checked against the Makefile (`make -n`), not run. A block that cannot run here has
`<!-- not-tested: REASON -->` on the line before it; a line that needs other inputs than the ones written is in
AS_RUN or SPECIAL below.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from service.core.tagging import Tagger, default_taxonomy_path, load_taxonomy
from tests.server import ROOT, Server, refusing_socket, serving

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
ENV_PREFIX = r"(?:[A-Z_][A-Z0-9_]*=\S+\s+)*"
SERVICE = re.compile(rf"^{ENV_PREFIX}(?:\.venv/bin/)?python -m service\b")
MAKE = re.compile(rf"^{ENV_PREFIX}make\b")
CURL = re.compile(r"^curl\b")
SHELL_BLOCKS = {"", "sh", "bash", "shell", "console"}
MARKER = re.compile(r"<!--\s*not-tested:\s*(.+?)\s*-->")
FENCE = re.compile(r"^(\s*)```(\S*)")
PACKAGE = "translate-pt_en-ponte_test-1_0"
INPUT_TEXTS = ["O arquivo não foi encontrado.", "Não foi possível abrir a pasta.", "O pacote não está instalado.",
               "A senha está incorreta.", "O disco está cheio."]


@dataclass(frozen=True)
class DocCommand:
    """One command of a code block: where it is, its text (continuations joined, comment removed), its marker."""

    doc: str
    line: int
    text: str
    not_tested: str | None

    def __str__(self) -> str:
        return f"{self.doc}:{self.line}: {self.text}"


def strip_comment(line: str) -> str:
    """The line without a trailing shell comment (a # outside quotes, after a space)."""
    quote = ""
    for i, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def doc_commands() -> list[DocCommand]:
    """Every service, make and curl command in the code blocks of the docs."""
    found = []
    for path in DOCS:
        lines = path.read_text(encoding="utf-8").splitlines()
        marker: str | None = None
        in_block, shell = False, False
        pending: tuple[int, str] | None = None
        for number, raw in enumerate(lines, 1):
            fence = FENCE.match(raw)
            if fence:
                if not in_block:
                    above = next((line for line in reversed(lines[:number - 1]) if line.strip()), "")
                    found_marker = MARKER.search(above)
                    marker = found_marker.group(1) if found_marker else None
                    shell = fence.group(2) in SHELL_BLOCKS
                in_block = not in_block
                continue
            if not in_block or not shell:
                continue
            text = raw.strip()
            if pending is not None:
                start, joined = pending
                text = joined + " " + text
                number = start
            if text.endswith("\\"):
                pending = (number, text[:-1].rstrip())
                continue
            pending = None
            command = strip_comment(text)
            if SERVICE.match(command) or MAKE.match(command) or CURL.match(command):
                found.append(DocCommand(str(path.relative_to(ROOT)), number, command, marker))
    return found


COMMANDS = doc_commands()


def inline_make_targets() -> set[str]:
    """`make TARGET` written in running text."""
    return {m for path in DOCS for m in re.findall(r"`(?:[A-Z_]+=\S+ )*make ([a-z][a-z-]*)", path.read_text("utf-8"))}


# Doc lines whose notation is not a command as written: what is run in their place (in the same workspace).
AS_RUN: dict[str, list[str]] = {
    ".venv/bin/python -m service models list [--json]": [".venv/bin/python -m service models list",
                                                           ".venv/bin/python -m service models list --json"],
    # the installed test package stands for the real one the README names
    ".venv/bin/python -m service models remove translate-pt_en-1_9": [
        f".venv/bin/python -m service models remove {PACKAGE}"],
}

# Kubernetes paths and variables: run by a check of their own (see test_sharded_run_and_merge).
SHARD_LINE = ("python -m service analyze --shards 4 --input /data/in/articles.jsonl --output "
              "/data/out/part-$(JOB_COMPLETION_INDEX).jsonl --resume --threads 2")
MERGE_LINE = ("python -m service merge --output /data/out/articles.analysis.jsonl --expect-lines-of "
              "/data/in/articles.jsonl /data/out/part-*.jsonl")
SPECIAL = {SHARD_LINE, MERGE_LINE}


def plain(kind: re.Pattern[str]) -> list[DocCommand]:
    return [c for c in COMMANDS if kind.match(c.text) and c.not_tested is None and c.text not in SPECIAL]


# --- the workspace a command runs in -------------------------------------------------------------------------------

@dataclass
class Workspace:
    folder: Path
    env: dict[str, str]


@pytest.fixture
def workspace(tmp_path: Path, own_packages_dir: Path, fixture_model: Path) -> Iterator[Workspace]:
    """A folder with the docs' input files, the test package under the file names the docs use, and an
    environment whose packages folder is a private copy and whose package index refuses connections."""
    folder = tmp_path / "work"
    folder.mkdir()
    docs = [{"id": f"doc-{i}", "text": text} for i, text in enumerate(INPUT_TEXTS)]
    (folder / "articles.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")
    (folder / "articles.txt").write_text("".join(text + "\n" for text in INPUT_TEXTS), "utf-8")
    for name in ("FILE.argosmodel", "translate-pt_en-1_9.argosmodel"):
        shutil.copyfile(fixture_model, folder / name)
    with refusing_socket() as sock:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PONTE_", "ARGOS_"))}
        env.update({"PONTE_PACKAGES_DIR": str(own_packages_dir), "PYTHONPATH": str(ROOT),
                    "PONTE_PACKAGE_INDEX_URL": f"http://127.0.0.1:{sock.getsockname()[1]}/index.json"})
        yield Workspace(folder, env)


def shell(command: str, workspace: Workspace, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a doc command with bash in the workspace, ponte's interpreter standing for `python`."""
    command = re.sub(r"(^|\s)(?:\.venv/bin/)?python -m service\b", rf"\g<1>{sys.executable} -m service", command)
    return subprocess.run(["bash", "-c", command], cwd=workspace.folder, env={**workspace.env, **env},
                          capture_output=True, text=True, timeout=300, check=False)


def result_lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


# --- the tests -----------------------------------------------------------------------------------------------------

def test_the_docs_have_commands_and_the_lists_here_are_not_stale() -> None:
    texts = {c.text for c in COMMANDS}
    assert len(plain(SERVICE)) >= 5 and plain(CURL) and plain(MAKE)
    assert set(AS_RUN) <= texts, f"AS_RUN names lines no doc has any more: {set(AS_RUN) - texts}"
    assert texts >= SPECIAL, f"SPECIAL names lines no doc has any more: {SPECIAL - texts}"
    marked = [str(c) for c in COMMANDS if c.not_tested is not None]
    assert all(c.not_tested for c in COMMANDS if c.not_tested is not None), marked


def test_the_readme_runs_the_virtualenv_python() -> None:
    """The README's own commands name .venv/bin/python (bare `python` is the image's, in docs/kubernetes.md)."""
    bare = [str(c) for c in COMMANDS if c.doc == "README.md" and re.match(rf"^{ENV_PREFIX}python -m", c.text)]
    assert not bare


@pytest.mark.parametrize("target", sorted({MAKE.sub("make", c.text).split()[1] for c in plain(MAKE)}
                                          | inline_make_targets()))
def test_make_target_exists(target: str) -> None:
    declared = re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text("utf-8"), re.MULTILINE)
    assert target in declared, f"make {target}: no such target in the Makefile"  # (make -n passes on a folder)
    result = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", plain(MAKE), ids=str)
def test_make_lines_name_real_targets_and_files(command: DocCommand) -> None:
    """Every documented make line names a target of the Makefile that make can plan (`make -n`), and every file
    its variables name exists."""
    words = command.text.split()
    at = words.index("make")
    targets = [word for word in words[at + 1:] if "=" not in word and not word.startswith("-")]
    assert targets, f"{command}: no target"
    rules = set(re.findall(r"^([\w.-]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), flags=re.M))
    for target in targets:
        assert target in rules, f"{command}: the Makefile has no target {target}"
    planned = subprocess.run(["make", "-n", *targets], cwd=ROOT, capture_output=True, text=True, check=False)
    assert planned.returncode == 0, f"{command}: make -n says {planned.stderr}"
    for value in re.findall(r"[A-Z_]+=(\S+)", command.text):
        if "/" in value:
            assert (ROOT / value).is_file(), f"{command}: {value} does not exist"


@pytest.mark.parametrize("command", plain(SERVICE), ids=str)
def test_service_command_runs(command: DocCommand, workspace: Workspace) -> None:
    for text in AS_RUN.get(command.text, [command.text]):
        result = shell(text, workspace)
        assert result.returncode == 0, f"{command}\nran: {text}\n{result.stderr[-3000:]}"
        if " analyze " in text:  # the input's every document analysed, in input order
            output = workspace.folder / "analysis.jsonl"
            rows = result_lines(output)
            assert len(rows) == len(INPUT_TEXTS) and all("translation" in row for row in rows), rows
        if text.endswith("list --json"):
            assert [row["package"] for row in json.loads(result.stdout)] == [PACKAGE]


def test_sharded_run_and_merge(workspace: Workspace) -> None:
    """docs/kubernetes.md's Indexed Job: 4 shards (JOB_COMPLETION_INDEX 0..3), then the merge, give what one run
    gives. The Kubernetes paths (/data/...) are taken inside the workspace; $(VAR) is Kubernetes' syntax."""
    data = workspace.folder / "data"
    (data / "in").mkdir(parents=True)
    (data / "out").mkdir()
    shutil.copyfile(workspace.folder / "articles.jsonl", data / "in" / "articles.jsonl")

    def local(line: str) -> str:
        return line.replace("/data/", f"{data}/").replace("$(JOB_COMPLETION_INDEX)", "${JOB_COMPLETION_INDEX}")

    for index in range(4):
        result = shell(local(SHARD_LINE), workspace, JOB_COMPLETION_INDEX=str(index))
        assert result.returncode == 0, result.stderr[-3000:]
    result = shell(local(MERGE_LINE), workspace)
    assert result.returncode == 0, result.stderr[-3000:]
    whole = shell(f"python -m service analyze -i {data}/in/articles.jsonl -o {data}/whole.jsonl", workspace)
    assert whole.returncode == 0, whole.stderr[-3000:]

    def comparable(path: Path) -> list[dict[str, object]]:
        return [{k: v for k, v in row.items() if k != "timings_ms"} for row in result_lines(path)]

    assert comparable(data / "out" / "articles.analysis.jsonl") == comparable(data / "whole.jsonl")


@pytest.fixture(scope="module")
def server(packages_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The service as `make run` starts it, with the offline test package."""
    yield from serving(packages_dir, tmp_path_factory.mktemp("docs-server") / "server.log", ready_within=120)


@pytest.mark.parametrize("command", plain(CURL), ids=str)
def test_curl_line_is_answered(command: DocCommand, server: Server, tmp_path: Path) -> None:
    assert "localhost:8080" in command.text, f"{command}: the docs' server is localhost:8080"
    text = command.text.replace("localhost:8080", server.url).replace("curl ", "curl --fail ", 1)
    result = subprocess.run(["bash", "-c", text], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, f"{command}: curl exit {result.returncode}\n{result.stderr}\n{server.log()[-2000:]}"
    if "/metrics" not in text:
        assert isinstance(json.loads(result.stdout), dict)


def test_marked_commands_are_the_expected_ones() -> None:
    """What is not run here, and why: a new marker shows up in this list, and in review."""
    own_files = ("your own files; tests/api/test_files.py and tests/integration/test_cli_files.py make the same "
                 "calls on tests/data/files")
    assert sorted((c.text, c.not_tested) for c in COMMANDS if c.not_tested is not None) == [
        (".venv/bin/python -m service models install --from-index pt en",
         "internet (downloads from the Argos package index)"),
        (".venv/bin/python -m service translate-file relatorio.docx relatorio.en.docx [--analysis analysis.json]",
         own_files),
        ("curl -s localhost:8080/v1/analyze/file -F file=@legendas.srt -F include_file=false", own_files),
        ("curl -s localhost:8080/v1/translate/file -F file=@relatorio.docx -F source_language=pt -OJ", own_files),
    ]


# --- other statements of the docs that the code decides ------------------------------------------------------------

def test_the_readme_example_is_tagged_as_taxonomy_md_says() -> None:
    """docs/taxonomy.md's worked example (Meta + lançou + Llama) is the README's analyze example: same score."""
    tags = {t.topic: t for t in Tagger(load_taxonomy(default_taxonomy_path())).tag(
        "A Meta lançou o Llama 3 como modelo aberto.", "pt")}
    row = next(line for line in (ROOT / "docs" / "taxonomy.md").read_text("utf-8").splitlines()
               if line.startswith("| `Meta`"))
    score = float(row.split("|")[3])
    assert tags["big-tech"].score == score
    assert [e.term for e in tags["big-tech"].evidence] == ["Meta", "lançou", "Llama"]


def taxonomy_weights() -> dict[str, set[float]]:
    """Every literal form of the default taxonomy with the weights it has (in any topic)."""
    weights: dict[str, set[float]] = {}
    for topic in load_taxonomy(default_taxonomy_path()).topics:
        for term in topic.terms:
            for form in term.forms:
                weights.setdefault(form.as_written(), set()).add(term.weight)
    return weights


def score_rows() -> list[tuple[str, float, float, bool]]:
    text = (ROOT / "docs" / "taxonomy.md").read_text("utf-8")
    table = text.split("a topic needs `S ≥ ln 2 ≈ 0.69`:", 1)[1].split("\n\n", 2)[1]
    rows = []
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows.append((cells[0], float(cells[1].lstrip("≈ ")), float(cells[2]), cells[3].startswith("yes")))
    return rows


@pytest.mark.parametrize(("evidence", "s", "score", "tagged"), score_rows())
def test_taxonomy_md_score_table(evidence: str, s: float, score: float, tagged: bool) -> None:
    """Each row's weights are the default taxonomy's, and its score and verdict follow from S."""
    weights = taxonomy_weights()
    for term, weight in re.findall(r"`([^`]+)` \(([\d.]+)\)", evidence):
        assert float(weight) in weights[term], f"{term}: the taxonomy says {weights[term]}, the doc {weight}"
    assert score == round(1 - math.exp(-s), 3) or evidence.startswith("`ransomware`")
    assert tagged == (score >= 0.5)


def test_soak_figures_in_operations_md_are_the_script_defaults() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import soak
    finally:
        sys.path.remove(str(ROOT / "bench"))
    defaults: dict[str, float] = soak.soak_defaults(300)
    operations = (ROOT / "docs" / "operations.md").read_text("utf-8")
    assert (f"recycled every {defaults['max_requests']} (+ up to {defaults['jitter']}) requests" in operations)
    assert f"after a {soak.WARM_UP_SECONDS:g} s warm-up" in operations
    assert f"`PONTE_MAX_REQUESTS={defaults['max_requests']}`, jitter {defaults['jitter']}" in operations
    assert "${SOAK_SECONDS:-300}" in (ROOT / "Makefile").read_text("utf-8")


def dockerignored(path: str) -> bool:
    """Whether .dockerignore keeps a path out of the build context (its patterns, last match wins)."""
    import fnmatch

    ignored = False
    for pattern in (ROOT / ".dockerignore").read_text("utf-8").split():
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        parts = path.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        if any(fnmatch.fnmatch(p, pattern) or fnmatch.fnmatch(p, pattern.replace("**/", "")) for p in prefixes):
            ignored = not negate
    return ignored


def test_model_files_named_for_docker_build_reach_the_build_stage() -> None:
    """A `--build-arg PONTE_MODEL_FILE=X` in the docs names a file the Dockerfile copies into its build stage."""
    build_stage = (ROOT / "Dockerfile").read_text("utf-8").split("\nFROM ", 2)[1]
    copied = [m.rstrip("/") for m in re.findall(r"^COPY (?!--from)(\S+) ", build_stage, re.MULTILINE)]
    named = {m for path in [*DOCS, ROOT / "models" / "README.md"]
             for m in re.findall(r"--build-arg PONTE_MODEL_FILE=(\S+)", path.read_text("utf-8"))}
    assert named
    for model in named:
        assert any(model.startswith(folder + "/") for folder in copied), f"{model}: not under {copied}"
        assert not dockerignored(model), f"{model} is excluded by .dockerignore"
    assert dockerignored("tests/fixtures/x.argosmodel")  # the check can fail: tests/ is out of the context


