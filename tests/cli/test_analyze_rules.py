"""`python -m service analyze` in-process: each rule of service/cli/analyze.py, called directly (no subprocess), so
that the unit suite (and mutmut, which cannot see into subprocesses) pins it. The end-to-end runs with the real
model, kills and workers are tests/integration/test_cli_analyze.py, test_cli_failures.py and test_shards_job.py.

`run` is driven with a parsed command line and tmp files; `build_engines` answers engines over the installed fixture
package with tests/conftest.py's fake translator ('[en] <sentence>'), built once for the module."""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import signal
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

import pytest

from service.cli import analyze
from service.cli.analyze import (
    DEFAULT_CHUNK,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_NO_MODEL,
    EXIT_OK,
    EXIT_STOPPED,
    EXIT_TERMINATED,
    EXIT_USAGE,
    OUTPUT_LINE_START,
    STDIO,
    Line,
    Resumed,
    Tally,
    Terminated,
    UsageError,
    add_arguments,
    analyze_chunk,
    chunked,
    count_lines,
    encode_line,
    in_order,
    model_problem,
    parse_line,
    read_lines,
    resume_state,
    skip_done,
)
from service.engines import Engines, build_engines
from service.settings import Settings
from service.shards import ALL, Shard
from tests.conftest import FakeTranslator, make_settings

PT = "O arquivo foi salvo no disco."
PT2 = "A operação terminou com sucesso."
PT3 = "O governo aprovou a lei ontem."
ES = "El gobierno aprobó ayer una nueva ley que regula el uso de la inteligencia artificial."
LOGGER = "service.cli.analyze"


# ---------------------------------------------------------------- helpers and fixtures


def doc(key: str | None, text: str, **more: Any) -> str:
    """One JSON input line (no id field when key is None)."""
    body: dict[str, Any] = {} if key is None else {"id": key}
    body.update(text=text, **more)
    return json.dumps(body, ensure_ascii=False)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="analyze")
    add_arguments(parser)
    return parser.parse_args(list(argv))


def usage_message(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The error line argparse prints for a bad command line (it exits 2)."""
    with pytest.raises(SystemExit) as exc:
        parse(*argv)
    assert exc.value.code == 2
    return capsys.readouterr().err.strip().splitlines()[-1]


def write_lines(path: Path, lines: Iterable[str | bytes]) -> Path:
    path.write_bytes(b"".join((line.encode() if isinstance(line, str) else line) + b"\n" for line in lines))
    return path


def read_out(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def messages(caplog: pytest.LogCaptureFixture, level: int | None = None) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and (level is None or r.levelno == level)]


def texts(results: list[dict[str, Any]]) -> list[str | None]:
    """The English text of each analysis (None for an error line)."""
    return [r["translation"]["text"] if "translation" in r else None for r in results]


@pytest.fixture(scope="module")
def engines(packages_dir: Path) -> Engines:
    """The fixture package with the fake translator: '[en] <sentence>', no model to run."""
    return build_engines(make_settings(packages_dir), FakeTranslator)


@pytest.fixture
def settings(packages_dir: Path) -> Settings:
    return make_settings(packages_dir)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch, engines: Engines) -> list[Settings]:
    """`build_engines` as _run calls it: answers the shared engines and records the settings it was given."""
    seen: list[Settings] = []

    def fake(engine_settings: Settings) -> Engines:
        seen.append(engine_settings)
        return engines

    monkeypatch.setattr(analyze, "build_engines", fake)
    return seen


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger=LOGGER)
    return caplog


class Cli:
    """One analyze run on tmp files: in.jsonl -> out.jsonl."""

    def __init__(self, settings: Settings, folder: Path) -> None:
        self.settings = settings
        self.source = folder / "in.jsonl"
        self.out = folder / "out.jsonl"

    def __call__(self, lines: Iterable[str | bytes], *argv: str) -> int:
        write_lines(self.source, lines)
        progress = () if "--progress" in argv else ("--no-progress",)
        return analyze.run(self.settings, parse("-i", str(self.source), "-o", str(self.out), *progress, *argv))

    def results(self) -> list[dict[str, Any]]:
        return read_out(self.out)


@pytest.fixture
def cli(settings: Settings, tmp_path: Path, built: list[Settings]) -> Cli:
    return Cli(settings, tmp_path)


# ---------------------------------------------------------------- the command line


def test_defaults() -> None:
    args = parse()
    assert vars(args) == {"input": "-", "output": "-", "text_lines": False, "format": "text", "resume": False,
                          "chunk_size": 32, "workers": 1, "threads": None, "shard": None, "shards": None,
                          "progress": None}
    assert (STDIO, DEFAULT_CHUNK) == ("-", 32)


def test_every_option_is_read() -> None:
    args = parse("-i", "a.jsonl", "-o", "b.jsonl", "--text-lines", "--format", "markdown", "--resume",
                 "--chunk-size", "1", "--workers", "3", "--threads", "2", "--shard", "1/4", "--progress")
    assert vars(args) == {"input": "a.jsonl", "output": "b.jsonl", "text_lines": True, "format": "markdown",
                          "resume": True, "chunk_size": 1, "workers": 3, "threads": 2, "shard": Shard(1, 4),
                          "shards": None, "progress": True}
    long = parse("--input", "x", "--output", "y", "--shards", "5", "--no-progress")
    assert (long.input, long.output, long.shards, long.progress) == ("x", "y", 5, False)


@pytest.mark.parametrize("option", ["--chunk-size", "--workers", "--threads", "--shards"])
def test_counts_are_at_least_1(option: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert getattr(parse(option, "1"), option[2:].replace("-", "_")) == 1
    assert usage_message(capsys, option, "0").endswith(f"argument {option}: must be at least 1, got 0")
    assert usage_message(capsys, option, "-2").endswith(f"argument {option}: must be at least 1, got -2")
    assert usage_message(capsys, option, "two").endswith(f"argument {option}: invalid _positive value: 'two'")


def test_positive_and_shard_types() -> None:
    assert analyze._positive("1") == 1
    assert analyze._positive(" 7 ") == 7
    with pytest.raises(argparse.ArgumentTypeError, match=r"^must be at least 1, got 0$"):
        analyze._positive("0")
    assert analyze._shard("2/3") == Shard(2, 3)
    with pytest.raises(argparse.ArgumentTypeError) as exc:
        analyze._shard("3/3")
    assert str(exc.value) == "shard index must be 0 to 2 for 3 shards, got 3"
    assert exc.value.__cause__ is None and exc.value.__suppress_context__


def test_bad_shards_formats_and_exclusive_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert usage_message(capsys, "--shard", "3/3").endswith(
        "argument --shard: shard index must be 0 to 2 for 3 shards, got 3")
    assert usage_message(capsys, "--shard", "half").endswith(
        "argument --shard: 'half' is not a shard such as 0/4 (index/count, the index from 0)")
    assert usage_message(capsys, "--shard", "0/2", "--shards", "2").endswith(
        "argument --shards: not allowed with argument --shard")
    assert usage_message(capsys, "--progress", "--no-progress").endswith(
        "argument --no-progress: not allowed with argument --progress")
    assert usage_message(capsys, "--format", "pdf").endswith(
        "argument --format: invalid choice: 'pdf' (choose from 'text', 'html', 'markdown')")
    assert parse("--format", "html").format == "html"


def test_help_says_what_each_option_does() -> None:
    parser = argparse.ArgumentParser(prog="analyze")
    add_arguments(parser)
    helps = {a.dest: (a.help, a.metavar) for a in parser._actions if a.dest != "help"}
    assert helps == {
        "input": ("JSON Lines to read (default: stdin)", "FILE"),
        "output": ("where to write one JSON line per input line (default: stdout)", "FILE"),
        "text_lines": ("the input is plain text, one document per line (language detected)", None),
        "format": ("format of the documents whose line has no `format` field (default text)", None),
        "resume": ("append to --output FILE, skipping documents whose id is already in it", None),
        "chunk_size": ("documents per shared engine call (default 32)", "N"),
        "workers": ("processes, each loading its own copy of the model (default 1)", "N"),
        "threads": ("translation threads per process (CTranslate2 replicas sharing one model copy); with one "
                    "process also the chunks in flight (default: CPU count / workers)", "N"),
        "shard": ("process only shard K of N (input lines K+1, K+1+N, ...; K from 0) into its own output part; "
                  "join the parts with `python -m service merge`", "K/N"),
        "shards": ("N shards, this one's index from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)", "N"),
        "progress": (None, None),
    }
    progress = [a for a in parser._actions if a.dest == "progress"]
    assert [a.help for a in progress] == ["show a progress bar on stderr (default: only when stderr is a terminal)",
                                         None]


def test_exit_codes() -> None:
    assert (EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NO_MODEL, EXIT_STOPPED) == (0, 1, 2, 3, 4)
    assert (EXIT_INTERRUPTED, EXIT_TERMINATED) == (130, 143)


# ---------------------------------------------------------------- reading lines


def lines_of(data: bytes, limit: int) -> list[tuple[int, bytes | None]]:
    return list(read_lines(io.BytesIO(data), limit))


def test_read_lines_numbers_lines_and_strips_one_line_end() -> None:
    assert lines_of(b"", 10) == []
    assert lines_of(b"a\r\nb\nc", 10) == [(1, b"a"), (2, b"b"), (3, b"c")]
    assert lines_of(b"\n\n", 10) == [(1, b""), (2, b"")]
    assert lines_of(b"a\r\r\n", 10) == [(1, b"a\r")]  # one \r\n (or \n) is the line end, no more
    assert lines_of(b"a\r", 10) == [(1, b"a")]  # a last line ending in \r alone
    assert lines_of(b"a\n\r\n", 10) == [(1, b"a"), (2, b"")]


def test_read_lines_limit_is_bytes_without_the_line_end() -> None:
    # limit - 1, limit and limit + 1 bytes, each with and without the newline
    assert lines_of(b"ab\nabc\nabcd\nz", 3) == [(1, b"ab"), (2, b"abc"), (3, None), (4, b"z")]
    assert lines_of(b"abc", 3) == [(1, b"abc")]
    assert lines_of(b"abcd", 3) == [(1, None)]
    # a long line is skipped to its end, however many reads that takes; the numbering goes on
    assert lines_of(b"abcdefghijklmno\nxy\n", 3) == [(1, None), (2, b"xy")]
    assert lines_of(b"abcdefghijklmno", 3) == [(1, None)]


class CountingStream(io.BytesIO):
    """Records the sizes asked of readline."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.sizes: list[int | None] = []

    def readline(self, size: int | None = -1, /) -> bytes:
        self.sizes.append(size)
        return super().readline(size)


def test_read_lines_never_reads_more_than_limit_plus_one_bytes_at_once() -> None:
    stream = CountingStream(b"x" * 40 + b"\nok\n")
    assert list(read_lines(stream, 8)) == [(1, None), (2, b"ok")]
    assert set(stream.sizes) == {9}
    assert len(stream.sizes) == 7  # 41 bytes of line 1 in 5 reads (9 + 9 + 9 + 9 + 5), then line 2 and the end


# ---------------------------------------------------------------- parsing lines


def test_an_over_long_line_is_a_413_error_line() -> None:
    line = parse_line(4, None, text_lines=False, limit=10)
    assert line == Line(4, None, {"type": "urn:ponte:problem:payload-too-large", "title": "Payload too large",
                                  "status": 413, "detail": "line 4 is longer than 10 bytes (PONTE_MAX_BODY_BYTES)"},
                        None, 0)


def test_a_json_line_is_its_item_with_its_id_and_length_in_characters() -> None:
    assert parse_line(2, '{"id": "a", "text": "ação"}'.encode(), text_lines=False, limit=100) == Line(
        2, {"id": "a", "text": "ação"}, None, "a", 4)
    # an id that is not a string is matched as id-less; a text that is not a string counts no characters
    assert parse_line(3, b'{"id": 5, "text": 7}', text_lines=False, limit=100) == Line(
        3, {"id": 5, "text": 7}, None, None, 0)
    assert parse_line(5, b"[1, 2]", text_lines=False, limit=100) == Line(5, [1, 2], None, None, 0)
    assert parse_line(6, b'"text"', text_lines=False, limit=100) == Line(6, "text", None, None, 0)


def test_the_default_format_fills_only_lines_without_one() -> None:
    html = parse_line(1, b'{"text": "a"}', text_lines=False, limit=100, fmt="html")
    assert html.item == {"text": "a", "format": "html"}
    kept = parse_line(1, b'{"text": "a", "format": "markdown"}', text_lines=False, limit=100, fmt="html")
    assert kept.item == {"text": "a", "format": "markdown"}
    plain = parse_line(1, b'{"text": "a"}', text_lines=False, limit=100, fmt="text")
    assert plain.item == {"text": "a"}  # "text" is the schema's default: not written in
    assert parse_line(1, b'{"text": "a"}', text_lines=False, limit=100).item == {"text": "a"}
    assert parse_line(1, b"[1]", text_lines=False, limit=100, fmt="html").item == [1]


def test_text_lines_are_documents_whatever_they_hold() -> None:
    assert parse_line(8, b'{"id": "x"}', text_lines=True, limit=100) == Line(8, {"text": '{"id": "x"}'}, None, None, 11)
    assert parse_line(8, "olá".encode(), text_lines=True, limit=100, fmt="markdown") == Line(
        8, {"text": "olá", "format": "markdown"}, None, None, 3)
    assert parse_line(9, b"", text_lines=True, limit=100) == Line(9, {"text": ""}, None, None, 0)


def test_unreadable_lines_are_malformed_json_naming_the_line() -> None:
    line = parse_line(3, b"{", text_lines=False, limit=100)
    assert line == Line(3, None, {"type": "urn:ponte:problem:malformed-json", "title": "Malformed JSON", "status": 400,
                                  "detail": "line 3 is not valid JSON: Expecting property name enclosed in double "
                                            "quotes at line 1 column 2"}, None, 0)
    bad_utf8 = parse_line(5, b"ol\xff", text_lines=True, limit=100)
    assert bad_utf8.problem is not None
    assert bad_utf8.problem["detail"] == "line 5 is not UTF-8: invalid start byte at byte 2"
    assert (bad_utf8.item, bad_utf8.key, bad_utf8.chars) == (None, None, 0)


# ---------------------------------------------------------------- chunks and counting


def numbered(*keys: str | None) -> list[Line]:
    return [Line(n, {}, None, key, 0) for n, key in enumerate(keys, start=1)]


def test_chunked_cuts_at_size_and_keeps_the_rest() -> None:
    five = numbered("a", "b", "c", "d", "e")
    assert [[line.number for line in c] for c in chunked(five, 2)] == [[1, 2], [3, 4], [5]]
    assert [[line.number for line in c] for c in chunked(five, 5)] == [[1, 2, 3, 4, 5]]
    assert [[line.number for line in c] for c in chunked(five, 6)] == [[1, 2, 3, 4, 5]]
    assert [[line.number for line in c] for c in chunked(five, 1)] == [[1], [2], [3], [4], [5]]
    assert list(chunked([], 3)) == []


@pytest.mark.parametrize(("data", "count"), [(b"", 0), (b"\n", 1), (b"a", 1), (b"a\n", 1), (b"a\nb", 2),
                                             (b"a\nb\n", 2), (b"\n\n\n", 3), (b"a\n\nb", 3)])
def test_count_lines_counts_a_last_line_without_newline(tmp_path: Path, data: bytes, count: int) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(data)
    assert count_lines(path) == count


def test_count_lines_across_blocks(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_bytes(b"x" * ((1 << 20) - 1) + b"\n" + b"y\n" * 3 + b"z")  # the first block ends on a newline
    assert count_lines(path) == 5


# ---------------------------------------------------------------- resuming


def test_resume_state_of_a_missing_or_empty_output(tmp_path: Path) -> None:
    assert resume_state(tmp_path / "none.jsonl") == Resumed(Counter(), 0, 0)
    assert not (tmp_path / "none.jsonl").exists()
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert resume_state(empty) == Resumed(Counter(), 0, 0)


def test_resume_state_counts_ids_lines_and_failures(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    content = (b'{"id":"a","language":{}}\n{"id":null,"line":2,"error":{}}\n{"id":"a","language":{}}\n'
               b'{"id":7,"language":{}}\n{"id":"b","line":5,"error":{}}\n{"language":{}}\n')
    out.write_bytes(content)
    assert resume_state(out) == Resumed(Counter({"a": 2, None: 3, "b": 1}), 6, 2)
    assert out.read_bytes() == content  # untouched


@pytest.mark.parametrize(("content", "message"), [
    (b"hello\n", "{path} line 1 is not JSON; it is not an output of analyze, so --resume cannot continue it"),
    (b'{"id":"a","language":{}}\n\xff\n', "{path} line 2 is not JSON; it is not an output of analyze, so --resume "
                                           "cannot continue it"),
    (b'{"id":"a","language":{}}\n[1]\n', "{path} line 2 is not an analysis or an error line; --resume cannot "
                                          "continue it"),
    (b'{"id":"a","text":"x"}\n', "{path} line 1 is not an analysis or an error line; --resume cannot continue it"),
    (b"hello", "{path} does not end as an output of analyze (its last line is not one of its lines), so --resume "
               "will not touch it"),
    (b'{"id"', "{path} does not end as an output of analyze (its last line is not one of its lines), so --resume "
               "will not touch it"),
    (b'{"id":"a","language":{}}\nhello', "{path} does not end as an output of analyze (its last line is not one "
                                         "of its lines), so --resume will not touch it"),
])
def test_resume_state_refuses_what_analyze_did_not_write(tmp_path: Path, content: bytes, message: str) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(content)
    with pytest.raises(UsageError) as exc:
        resume_state(out)
    assert str(exc.value) == message.format(path=out)
    assert out.read_bytes() == content  # left alone


def test_resume_state_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as exc:
        resume_state(tmp_path)
    assert str(exc.value) == f"--output {tmp_path} is not a regular file"
    with pytest.raises(UsageError) as exc:  # a device (a pipe, /dev/stdout, is refused the same way)
        resume_state(Path(os.devnull))
    assert str(exc.value) == "--output /dev/null is not a regular file"


@pytest.mark.parametrize(("earlier", "torn"), [
    (b"", b'{"id":'),  # no complete line, but a start of exactly ours
    (b"", b'{"id":"doc-1","lang'),
    (b'{"id":"a","language":{}}\n', b'{"i'),  # after a line of ours, any start of ours
    (b'{"id":"a","language":{}}\n', b"{"),
    (b'{"id":"a","language":{}}\n', b'{"id":"b","language":{"code'),
])
def test_resume_state_cuts_a_torn_line_of_its_own(tmp_path: Path, logs: pytest.LogCaptureFixture, earlier: bytes,
                                                  torn: bytes) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(earlier + torn)
    state = resume_state(out)
    assert out.read_bytes() == earlier
    assert state.lines == (1 if earlier else 0)
    assert messages(logs, logging.WARNING) == [
        f"{out} ends with a partial line ({len(torn)} bytes) from an interrupted run; removing it"]
    assert OUTPUT_LINE_START == b'{"id":'


def test_resume_state_refuses_a_deeply_nested_line(tmp_path: Path) -> None:
    """A JSON line nested too deeply for the json module is not an output of analyze either."""
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"[" * 100_000 + b"]" * 100_000 + b"\n")
    with pytest.raises(UsageError, match=r"line 1 is not JSON"):
        resume_state(out)


def test_skip_done_counts_duplicates_and_matches_id_less_lines_in_order() -> None:
    skipped: list[int] = []
    done: Counter[str | None] = Counter({"a": 1, None: 1, "z": 3})
    lines = numbered("a", None, "a", None, "b")
    kept = list(skip_done(lines, done, lambda: skipped.append(1)))
    assert [line.number for line in kept] == [3, 4, 5]
    assert len(skipped) == 2
    assert done == Counter({"a": 0, None: 0, "z": 3, "b": 0})  # what the output holds that the input no longer has


# ---------------------------------------------------------------- analyzing a chunk


def test_analyze_chunk_gives_one_object_per_line_in_order(engines: Engines) -> None:
    lines = [
        parse_line(1, doc("a", PT).encode(), text_lines=False, limit=1000),
        parse_line(2, b"{", text_lines=False, limit=1000),
        parse_line(3, b'{"id": "f", "file": "in.docx", "colour": 1}', text_lines=False, limit=1000),
        parse_line(4, doc("es", ES).encode(), text_lines=False, limit=1000),
        parse_line(5, b'{"id": "no-text"}', text_lines=False, limit=1000),
        parse_line(6, doc(None, PT2).encode(), text_lines=False, limit=1000),
    ]
    out = analyze_chunk(lines, engines.pipeline, 1000)
    assert [o["id"] for o in out] == ["a", None, "f", "es", "no-text", None]
    assert texts(out) == [f"[en] {PT}", None, None, None, None, f"[en] {PT2}"]
    assert set(out[0]) == {"id", "language", "translation", "tags", "timings_ms"}
    assert out[1] == {"id": None, "line": 2, "error": lines[1].problem}
    # a line that names a file is answered by service/cli/files.py, never validated as a document
    assert out[2] == {"id": "f", "line": 3, "error": {
        "type": "urn:ponte:problem:validation-error", "title": "Invalid request", "status": 422,
        "detail": "line 3: invalid file line", "errors": [{"pointer": "/colour", "detail": "unknown field"}]}}
    # the batch's {id, index, error} becomes {id, line, error}: the input line, not the place in the chunk
    assert list(out[3]) == ["id", "line", "error"]
    assert out[3]["line"] == 4 and out[3]["error"]["type"] == "urn:ponte:problem:unsupported-language"
    assert out[4] == {"id": "no-text", "line": 5, "error": {
        "type": "urn:ponte:problem:validation-error", "title": "Invalid request", "status": 422,
        "detail": "/text: Missing data for required field.",
        "errors": [{"pointer": "/text", "detail": "Missing data for required field."}]}}


def test_analyze_chunk_applies_max_chars_at_the_limit(engines: Engines) -> None:
    lines = [Line(1, {"id": "ten", "text": "Olá amigos", "source_language": "pt"}, None, "ten", 10),
             Line(2, {"id": "eleven", "text": "Olá, amigos", "source_language": "pt"}, None, "eleven", 11)]
    out = analyze_chunk(lines, engines.pipeline, 10)
    assert texts(out) == ["[en] Olá amigos", None]
    assert out[1]["error"]["detail"] == "/text: has 11 characters; the limit is 10"


def test_encode_line_is_compact_utf8_with_its_newline() -> None:
    assert encode_line({"id": "ç", "n": [1, 2]}) == '{"id":"ç","n":[1,2]}\n'.encode()
    # a lone surrogate cannot be UTF-8: the whole line is escaped ASCII, as HTTP answers it
    assert encode_line({"id": "\ud800", "t": "ç"}) == b'{"id":"\\ud800","t":"\\u00e7"}\n'


def test_model_problem_names_the_first_missing_language(engines: Engines, tmp_path: Path) -> None:
    assert model_problem(engines) is None
    with_es = replace(engines, settings=replace(engines.settings, required_languages=("pt", "es")))
    assert model_problem(with_es) == "no installed model translates 'es' into 'en'"
    assert model_problem(replace(engines, settings=replace(engines.settings, required_languages=()))) is None
    empty = build_engines(make_settings(tmp_path / "no-packages"))
    assert model_problem(empty) == "the pt->en model is not installed"


# ---------------------------------------------------------------- running chunks concurrently


class LazyFuture(Future[list[dict[str, Any]]]):
    """A future that says it is not done until asked for its result (then computes it)."""

    def __init__(self, compute: Callable[[], list[dict[str, Any]]]) -> None:
        super().__init__()
        self.compute = compute

    def done(self) -> bool:
        return False

    def result(self, timeout: float | None = None) -> list[dict[str, Any]]:
        return self.compute()


class RecordingExecutor(Executor):
    """Runs nothing until a result is asked for (lazy) or at once (eager); records what was submitted."""

    def __init__(self, lazy: bool) -> None:
        self.lazy = lazy
        self.submitted: list[int] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.submitted.append(args[0][0].number)
        if self.lazy:
            return LazyFuture(lambda: fn(*args, **kwargs))
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def echo(chunk: list[Line]) -> list[dict[str, Any]]:
    return [{"id": line.key} for line in chunk]


def submitted_at_each_yield(executor: RecordingExecutor, in_flight: int, n: int) -> list[tuple[int, int]]:
    """(first line of the chunk yielded, chunks submitted by then) for n one-line chunks."""
    chunks = [[line] for line in numbered(*"abcdefgh"[:n])]
    return [(head[0].number, len(executor.submitted)) for head, _ in in_order(executor, echo, chunks, in_flight)]


def test_in_order_keeps_at_most_in_flight_chunks_pending() -> None:
    # nothing is done early: a chunk is waited for only when in_flight of them are pending
    assert submitted_at_each_yield(RecordingExecutor(lazy=True), 3, 5) == [(1, 3), (2, 4), (3, 5), (4, 5), (5, 5)]
    assert submitted_at_each_yield(RecordingExecutor(lazy=True), 1, 3) == [(1, 1), (2, 2), (3, 3)]


def test_in_order_yields_a_finished_head_at_once() -> None:
    assert submitted_at_each_yield(RecordingExecutor(lazy=False), 3, 4) == [(1, 1), (2, 2), (3, 3), (4, 4)]


def test_in_order_results_follow_the_input_order() -> None:
    with ThreadPoolExecutor(4) as executor:
        chunks = [numbered("a", "b"), numbered("c"), numbered("d", "e", "f")]
        out = [(len(head), results) for head, results in in_order(executor, echo, chunks, 2)]
    assert out == [(2, [{"id": "a"}, {"id": "b"}]), (1, [{"id": "c"}]), (3, [{"id": "d"}, {"id": "e"}, {"id": "f"}])]


# ---------------------------------------------------------------- the small pieces of the command


def test_regular_file_only_for_a_regular_file(tmp_path: Path) -> None:
    with (tmp_path / "f").open("wb") as f:
        assert analyze._regular_file(f)
    assert not analyze._regular_file(f)  # closed: ValueError
    read, write = os.pipe()
    with os.fdopen(read, "rb") as r, os.fdopen(write, "wb") as w:
        assert not analyze._regular_file(w)
        assert not analyze._regular_file(r)
    assert not analyze._regular_file(io.BytesIO())  # no file descriptor
    with open(os.devnull, "wb") as null:
        assert not analyze._regular_file(null)


class FailingClose(io.BytesIO):
    def close(self) -> None:
        raise OSError(28, "No space left on device")


def test_close_quietly_swallows_only_os_errors() -> None:
    analyze._close_quietly(FailingClose())

    class Broken(io.BytesIO):
        def close(self) -> None:
            raise RuntimeError("not an I/O error")

    with pytest.raises(RuntimeError):
        analyze._close_quietly(Broken())


class FakeStdout:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def fileno(self) -> int:
        return self.fd


@pytest.mark.parametrize("to_stdout", [True, False])
def test_drop_stdout_sends_stdout_to_dev_null_only_when_it_was_the_output(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          to_stdout: bool) -> None:
    target = tmp_path / "stdout"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT)
    try:
        monkeypatch.setattr("sys.stdout", FakeStdout(fd))
        analyze._drop_stdout(to_stdout)
        os.write(fd, b"after")
    finally:
        os.close(fd)
    assert target.read_bytes() == (b"" if to_stdout else b"after")


def test_open_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"x"))
    monkeypatch.setattr("sys.stdin", stdin)
    with ExitStack() as stack:
        assert analyze._open_input("-", stack) is stdin.buffer
        source = write_lines(tmp_path / "in.jsonl", ["a"])
        opened = analyze._open_input(str(source), stack)
        assert opened.read() == b"a\n"
        with pytest.raises(UsageError) as exc:
            analyze._open_input(str(tmp_path / "nope"), stack)
        assert str(exc.value) == f"cannot read --input {tmp_path / 'nope'}: No such file or directory"
        with pytest.raises(UsageError, match=r": Is a directory$"):
            analyze._open_input(str(tmp_path), stack)
    assert opened.closed  # the stack closes what it opened


def test_open_output_appends_and_closes_with_the_stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stdout = io.TextIOWrapper(io.BytesIO())
    monkeypatch.setattr("sys.stdout", stdout)
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"kept\n")
    with ExitStack() as stack:
        assert analyze._open_output("-", stack) is stdout.buffer
        sink = analyze._open_output(str(target), stack)
        sink.write(b"more\n")
        with pytest.raises(UsageError) as exc:
            analyze._open_output(str(tmp_path), stack)
        assert str(exc.value) == f"cannot write --output {tmp_path}: Is a directory"
    assert sink.closed
    assert target.read_bytes() == b"kept\nmore\n"


def test_chosen_shard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOB_COMPLETION_INDEX", raising=False)
    assert analyze._chosen_shard(parse()) == ALL
    assert analyze._chosen_shard(parse("--shard", "2/5")) == Shard(2, 5)
    assert analyze._chosen_shard(parse("--shards", "1")) == ALL
    with pytest.raises(UsageError) as exc:
        analyze._chosen_shard(parse("--shards", "3"))
    assert str(exc.value) == ("--shards 3: 3 shards need JOB_COMPLETION_INDEX (set in the pods of a Kubernetes Job "
                              "with completionMode: Indexed) to know which shard this is")
    monkeypatch.setenv("JOB_COMPLETION_INDEX", "2")
    assert analyze._chosen_shard(parse("--shards", "3")) == Shard(2, 3)
    assert analyze._chosen_shard(parse("--shard", "0/4")) == Shard(0, 4)  # --shard wins over the variable
    monkeypatch.setenv("JOB_COMPLETION_INDEX", "3")
    with pytest.raises(UsageError, match=r"^--shards 3: JOB_COMPLETION_INDEX=3 is out of range for 3 shards"):
        analyze._chosen_shard(parse("--shards", "3"))


def test_engine_settings_load_now_without_request_merging(settings: Settings) -> None:
    lazy = replace(settings, model_loading="off", batch_wait_ms=5.0, inter_threads=1)
    assert analyze._engines_settings(lazy, 6) == replace(settings, model_loading="eager", batch_wait_ms=0.0,
                                                        inter_threads=6)


def test_progress_bar() -> None:
    shown = analyze._progress_bar(True, 7)
    try:
        assert (shown.total, shown.unit, shown.desc, shown.disable) == (7, "doc", "analyze", False)
        assert shown.dynamic_ncols  # a function that reads the terminal's width (False when not asked for)
        assert shown.fp._wrapped is sys.stderr
    finally:
        shown.close()
    hidden = analyze._progress_bar(False, None)
    assert (hidden.total, hidden.disable) == (None, True)


def test_die_with_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    exits: list[int] = []
    supported = [False]

    def death_signal(signum: int) -> bool:
        asked.append(signum)
        return supported[0]

    monkeypatch.setattr(analyze, "parent_death_signal", death_signal)
    monkeypatch.setattr(os, "_exit", exits.append)  # the os module analyze uses
    monkeypatch.setattr(os, "getppid", lambda: 4242)
    analyze._die_with_parent(1)  # not Linux: nothing to check
    supported[0] = True
    analyze._die_with_parent(4242)  # the parent is still there
    assert (asked, exits) == ([signal.SIGKILL, signal.SIGKILL], [])
    analyze._die_with_parent(1)  # the parent ended before the request took effect
    assert exits == [EXIT_STOPPED]


def test_init_process_builds_the_engines_of_a_worker(monkeypatch: pytest.MonkeyPatch, settings: Settings,
                                                     built: list[Settings], engines: Engines) -> None:
    parents: list[int] = []
    logging_calls: list[tuple[str, str]] = []
    monkeypatch.setattr(analyze, "_die_with_parent", parents.append)
    monkeypatch.setattr(analyze, "configure_logging", lambda level, fmt: logging_calls.append((level, fmt)))
    monkeypatch.setattr(analyze, "_process_engines", None)
    worker = replace(settings, log_level="WARNING", log_format="json")
    previous = signal.getsignal(signal.SIGINT)
    try:
        analyze._init_process(worker, 99)
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN  # the parent decides what Ctrl-C means
    finally:
        signal.signal(signal.SIGINT, previous)
    assert (parents, logging_calls, built) == ([99], [("WARNING", "json")], [worker])
    assert analyze._process_engines is engines


def test_process_tasks_use_the_process_engines(monkeypatch: pytest.MonkeyPatch, engines: Engines) -> None:
    small = replace(engines, settings=replace(engines.settings, max_chars=10))
    monkeypatch.setattr(analyze, "_process_engines", small)
    assert analyze._process_check() is None
    lines = [Line(1, {"text": "Olá amigos", "source_language": "pt"}, None, None, 10),
             Line(2, {"text": "Olá, amigos", "source_language": "pt"}, None, None, 11)]
    assert texts(analyze._process_analyze(lines)) == ["[en] Olá amigos", None]
    monkeypatch.setattr(analyze, "_process_engines", replace(engines, settings=replace(
        engines.settings, required_languages=("es",))))
    assert analyze._process_check() == "no installed model translates 'es' into 'en'"


def test_terminated_is_not_an_exception() -> None:
    assert not issubclass(Terminated, Exception)  # `except Exception` in the run must let it through
    with pytest.raises(Terminated):
        analyze._raise_terminated(signal.SIGTERM, None)


def test_tally_starts_at_zero() -> None:
    assert Tally() == Tally(0, 0, 0, 0)
    assert Resumed(Counter()) == Resumed(Counter(), 0, 0)


# ---------------------------------------------------------------- the command: results and exit codes


def test_a_run_writes_one_line_per_input_line_and_exits_0(cli: Cli, built: list[Settings],
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          logs: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(analyze, "cpu_count", lambda: 2)
    cli.out.write_bytes(b"an earlier output\n" * 3)
    assert cli([doc("a", PT), doc(None, PT2), doc("c", PT3, source_language="pt")]) == EXIT_OK
    results = cli.results()
    assert [r["id"] for r in results] == ["a", None, "c"]
    assert texts(results) == [f"[en] {PT}", f"[en] {PT2}", f"[en] {PT3}"]  # the earlier output replaced
    assert all("line" not in r for r in results)  # only a sharded run numbers its lines
    assert cli.out.read_bytes().startswith(b'{"id":"a","language":{"code":"pt"')  # compact, as encode_line writes
    assert len(built) == 1
    info = messages(logs, logging.INFO)
    assert info[0] == "analyze: 1 process(es) x 2 translation thread(s), 32 documents per chunk"
    assert info[-1].startswith("analyze done: 3 documents (0 failed), 91 characters, ")
    assert info[-1].endswith(" documents/s; 0 skipped as already in the output (0 failed earlier)")


def test_an_error_line_makes_exit_1_and_the_run_goes_on(cli: Cli, logs: pytest.LogCaptureFixture) -> None:
    assert cli([doc("a", PT), "{", doc("es", ES), b"\xff", doc("d", PT2)]) == EXIT_FAILED
    results = cli.results()
    assert [(r["id"], r.get("line")) for r in results] == [("a", None), (None, 2), ("es", 3), (None, 4), ("d", None)]
    assert [r["error"]["status"] for r in results if "error" in r] == [400, 422, 400]
    assert texts(results)[-1] == f"[en] {PT2}"
    # characters: of every line read, error lines and documents refused by the schema included
    assert messages(logs, logging.INFO)[-1].startswith("analyze done: 5 documents (3 failed), 147 characters, ")


def test_the_summary_rates_the_elapsed_time(cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                            logs: pytest.LogCaptureFixture) -> None:
    class Clock:
        def __init__(self, *times: float) -> None:
            self.times = list(times)

        def perf_counter(self) -> float:
            return self.times.pop(0)

    monkeypatch.setattr(analyze, "time", Clock(10.0, 12.5))
    assert cli([doc("a", PT), doc("b", PT2), doc("c", PT3), doc("d", PT), doc("e", PT2)]) == EXIT_OK
    assert ", 2.5 s, 2.0 documents/s; " in messages(logs, logging.INFO)[-1]
    monkeypatch.setattr(analyze, "time", Clock(3.0, 3.0))  # no time at all: no division by zero
    assert cli([doc("a", PT)]) == EXIT_OK
    assert ", 0.0 s, 0.0 documents/s; " in messages(logs, logging.INFO)[-1]


def test_stdin_to_stdout(settings: Settings, built: list[Settings], monkeypatch: pytest.MonkeyPatch,
                         capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(f"{doc('a', PT)}\n{doc('b', PT2)}".encode())))
    assert analyze.run(settings, parse("--no-progress")) == EXIT_OK
    out = capsysbinary.readouterr().out
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["a", "b"]
    assert out.endswith(b"\n")


def test_text_lines_and_the_default_format(cli: Cli) -> None:
    assert cli([PT, "<p>A operação <b>terminou</b>.</p>", ""], "--text-lines", "--format", "html") == EXIT_FAILED
    results = cli.results()
    assert [r["id"] for r in results] == [None, None, None]
    assert [r["translation"]["format"] for r in results[:2]] == ["html", "html"]
    assert results[2]["line"] == 3 and results[2]["error"]["type"] == "urn:ponte:problem:validation-error"
    assert cli([doc("a", PT), doc("b", PT2, format="text")], "--format", "markdown") == EXIT_OK
    assert [r["translation"]["format"] for r in cli.results()] == ["markdown", "text"]


def test_max_chars_comes_from_the_settings(settings: Settings, tmp_path: Path, built: list[Settings]) -> None:
    cli = Cli(replace(settings, max_chars=10), tmp_path)
    ten = doc("ten", "Olá amigos", source_language="pt")
    eleven = doc("eleven", "Olá, amigos", source_language="pt")
    assert cli([ten, eleven]) == EXIT_FAILED
    assert texts(cli.results()) == ["[en] Olá amigos", None]
    assert cli.results()[1]["error"]["detail"] == "/text: has 11 characters; the limit is 10"


def test_max_body_bytes_limits_each_line(settings: Settings, tmp_path: Path, built: list[Settings]) -> None:
    fits = doc("a", "Olá amigos", source_language="pt")
    assert len(fits.encode()) == 59
    cli = Cli(replace(settings, max_body_bytes=59), tmp_path)
    assert cli([fits, fits + " ", fits]) == EXIT_FAILED  # 59, 60 and 59 bytes
    results = cli.results()
    assert texts(results) == ["[en] Olá amigos", None, "[en] Olá amigos"]
    assert results[1] == {"id": None, "line": 2, "error": {
        "type": "urn:ponte:problem:payload-too-large", "title": "Payload too large", "status": 413,
        "detail": "line 2 is longer than 59 bytes (PONTE_MAX_BODY_BYTES)"}}


def test_file_lines_are_analyzed_as_files(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "missing.docx"
    assert cli([json.dumps({"id": "f", "file": str(missing)}), doc("a", PT)]) == EXIT_FAILED
    results = cli.results()
    assert results[0] == {"id": "f", "line": 1, "error": {
        "type": "urn:ponte:problem:validation-error", "title": "Invalid request", "status": 422,
        "detail": f"line 1: No such file or directory: {missing}"}}
    assert texts(results) == [None, f"[en] {PT}"]


# ---------------------------------------------------------------- usage errors: exit 2 before the model


def usage_error(settings: Settings, logs: pytest.LogCaptureFixture, *argv: str) -> str:
    assert analyze.run(settings, parse(*argv)) == EXIT_USAGE
    errors = messages(logs, logging.ERROR)
    assert len(errors) == 1
    return errors[0]


def test_resume_needs_an_output_file(settings: Settings, built: list[Settings], logs: pytest.LogCaptureFixture) -> None:
    assert usage_error(settings, logs, "--resume") == "--resume needs --output FILE (it appends to that file)"
    assert built == []


def test_input_and_output_cannot_be_the_same_file(settings: Settings, built: list[Settings], tmp_path: Path,
                                                  logs: pytest.LogCaptureFixture) -> None:
    source = write_lines(tmp_path / "in.jsonl", [doc("a", PT)])
    (tmp_path / "sub").mkdir()
    same = str(tmp_path / "sub" / ".." / "in.jsonl")
    assert usage_error(settings, logs, "-i", str(source), "-o", same) == "--input and --output are the same file"
    assert source.read_bytes() == f"{doc('a', PT)}\n".encode()
    assert built == []


def test_an_unreadable_input_is_exit_2_and_creates_no_output(settings: Settings, built: list[Settings],
                                                             tmp_path: Path, logs: pytest.LogCaptureFixture) -> None:
    missing, out = tmp_path / "none.jsonl", tmp_path / "out.jsonl"
    message = usage_error(settings, logs, "-i", str(missing), "-o", str(out))
    assert message == f"cannot read --input {missing}: No such file or directory"
    assert not out.exists()
    assert built == []


def test_an_unwritable_output_is_exit_2_before_the_model(settings: Settings, built: list[Settings], tmp_path: Path,
                                                         logs: pytest.LogCaptureFixture) -> None:
    source = write_lines(tmp_path / "in.jsonl", [doc("a", PT)])
    message = usage_error(settings, logs, "-i", str(source), "-o", str(tmp_path))
    assert message == f"cannot write --output {tmp_path}: Is a directory"
    assert built == []


def test_shards_without_their_index_is_exit_2(settings: Settings, built: list[Settings], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch, logs: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("JOB_COMPLETION_INDEX", raising=False)
    source = write_lines(tmp_path / "in.jsonl", [doc("a", PT)])
    message = usage_error(settings, logs, "-i", str(source), "-o", str(tmp_path / "out.jsonl"), "--shards", "2")
    assert message.startswith("--shards 2: 2 shards need JOB_COMPLETION_INDEX")
    assert not (tmp_path / "out.jsonl").exists()


def test_resume_refuses_a_foreign_output(settings: Settings, built: list[Settings], tmp_path: Path,
                                         logs: pytest.LogCaptureFixture) -> None:
    source = write_lines(tmp_path / "in.jsonl", [doc("a", PT)])
    foreign = tmp_path / "notes.txt"
    foreign.write_bytes(b"hello\n")
    message = usage_error(settings, logs, "-i", str(source), "-o", str(foreign), "--resume")
    assert message == (f"{foreign} line 1 is not JSON; it is not an output of analyze, so --resume cannot "
                       "continue it")
    assert foreign.read_bytes() == b"hello\n"
    assert built == []


# ---------------------------------------------------------------- no model: exit 3, the output left as it was


def test_a_missing_model_is_exit_3_and_the_output_is_not_replaced(settings: Settings, tmp_path: Path,
                                                                  logs: pytest.LogCaptureFixture) -> None:
    cli = Cli(replace(settings, packages_dir=tmp_path / "no-packages"), tmp_path)  # the real build_engines
    cli.out.write_bytes(b"an earlier output\n")
    assert cli([doc("a", PT)]) == EXIT_NO_MODEL
    assert cli.out.read_bytes() == b"an earlier output\n"
    assert messages(logs, logging.ERROR) == [
        "no usable model: the pt->en model is not installed (see `python -m service models list`)"]


def test_models_that_fail_to_load_are_exit_3(cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                             logs: pytest.LogCaptureFixture) -> None:
    def broken(engine_settings: Settings) -> Engines:
        raise RuntimeError("model.bin is corrupt")

    monkeypatch.setattr(analyze, "build_engines", broken)
    assert cli([doc("a", PT)]) == EXIT_NO_MODEL
    assert messages(logs, logging.ERROR) == ["the models could not be loaded"]
    assert [r.exc_info[1] for r in logs.records if r.levelno == logging.ERROR and r.exc_info] != []
    assert cli.out.read_bytes() == b""


# ---------------------------------------------------------------- threads, chunks and workers


def record_in_order(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The in_flight bound each in_order call gets."""
    bounds: list[int] = []
    real = analyze.in_order

    def recording(executor: Executor, task: analyze.Task, chunks: Iterable[list[Line]],
                  in_flight: int) -> Iterable[tuple[list[Line], list[dict[str, Any]]]]:
        bounds.append(in_flight)
        return real(executor, task, chunks, in_flight)

    monkeypatch.setattr(analyze, "in_order", recording)
    return bounds


def test_threads_default_to_the_cpus_of_each_worker(cli: Cli, built: list[Settings], monkeypatch: pytest.MonkeyPatch,
                                                    logs: pytest.LogCaptureFixture) -> None:
    bounds = record_in_order(monkeypatch)
    monkeypatch.setattr(analyze, "cpu_count", lambda: 6)
    assert cli([doc("a", PT)]) == EXIT_OK
    assert cli([doc("a", PT)], "--threads", "3", "--chunk-size", "5") == EXIT_OK
    assert [(s.inter_threads, s.model_loading, s.batch_wait_ms) for s in built] == [(6, "eager", 0.0),
                                                                                   (3, "eager", 0.0)]
    assert bounds == [12, 6]  # two chunks in flight per thread
    assert [m for m in messages(logs, logging.INFO) if m.startswith("analyze: ")] == [
        "analyze: 1 process(es) x 6 translation thread(s), 32 documents per chunk",
        "analyze: 1 process(es) x 3 translation thread(s), 5 documents per chunk"]


def test_documents_go_to_the_engine_in_chunks(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[list[int]] = []
    threads: set[str] = set()
    real = analyze.analyze_chunk

    def recording(lines: Sequence[Line], pipeline: Any, max_chars: int) -> list[dict[str, Any]]:
        sizes.append([line.number for line in lines])
        threads.add(threading.current_thread().name.rsplit("_", 1)[0])
        return real(lines, pipeline, max_chars)

    monkeypatch.setattr(analyze, "analyze_chunk", recording)
    assert cli([doc(str(n), PT) for n in range(5)], "--chunk-size", "2") == EXIT_OK
    assert sorted(sizes) == [[1, 2], [3, 4], [5]]
    assert [r["id"] for r in cli.results()] == ["0", "1", "2", "3", "4"]
    assert threads == {"ponte-analyze"}


def test_each_line_is_on_disk_once_written(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """One write and flush per line: a kill loses at most the chunks in flight."""
    seen: list[bytes] = []
    real = analyze.analyze_chunk

    def recording(lines: Sequence[Line], pipeline: Any, max_chars: int) -> list[dict[str, Any]]:
        if lines[0].number == 3:  # submitted only after chunk 1 was written (2 chunks in flight for 1 thread)
            seen.append(cli.out.read_bytes())
        return real(lines, pipeline, max_chars)

    monkeypatch.setattr(analyze, "analyze_chunk", recording)
    assert cli(SEVEN[:4], "--chunk-size", "1", "--threads", "1") == EXIT_OK
    [on_disk] = seen
    assert on_disk.startswith(b'{"id":"d1",') and on_disk.endswith(b"\n")


class RecordingPool(ThreadPoolExecutor):
    """analyze's ThreadPoolExecutor, recording how it is made and shut down."""

    made: ClassVar[list[tuple[int | None, str]]] = []
    shutdowns: ClassVar[list[tuple[bool, bool]]] = []

    def __init__(self, max_workers: int | None = None, thread_name_prefix: str = "") -> None:
        RecordingPool.made.append((max_workers, thread_name_prefix))
        super().__init__(max_workers, thread_name_prefix=thread_name_prefix)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        RecordingPool.shutdowns.append((wait, cancel_futures))
        super().shutdown(wait, cancel_futures=cancel_futures)


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> type[RecordingPool]:
    monkeypatch.setattr(RecordingPool, "made", [])
    monkeypatch.setattr(RecordingPool, "shutdowns", [])
    monkeypatch.setattr(analyze, "ThreadPoolExecutor", RecordingPool)
    return RecordingPool


def test_one_process_runs_its_threads_and_waits_for_them(cli: Cli, pool: type[RecordingPool],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analyze, "cpu_count", lambda: 5)
    assert cli(SEVEN[:2]) == EXIT_OK
    assert cli(SEVEN[:2], "--threads", "3") == EXIT_OK
    assert pool.made == [(5, "ponte-analyze"), (3, "ponte-analyze")]
    assert pool.shutdowns == [(True, False), (True, False)]  # a finished run waits for its threads


class InlinePool(ThreadPoolExecutor):
    """ProcessPoolExecutor as _run builds it, with threads over the module's engines (no process is spawned)."""

    made: ClassVar[list[tuple[int, str, Any, tuple[Any, ...]]]] = []

    def __init__(self, workers: int, *, mp_context: Any, initializer: Callable[..., None],
                 initargs: tuple[Any, ...]) -> None:
        InlinePool.made.append((workers, mp_context.get_start_method(), initializer, initargs))
        super().__init__(workers)


def test_workers_each_load_and_check_the_model(cli: Cli, engines: Engines, monkeypatch: pytest.MonkeyPatch,
                                               logs: pytest.LogCaptureFixture) -> None:
    bounds = record_in_order(monkeypatch)
    checks: list[int] = []
    real_check = analyze._process_check

    def check() -> str | None:
        checks.append(1)
        return real_check()

    monkeypatch.setattr(InlinePool, "made", [])
    monkeypatch.setattr(analyze, "ProcessPoolExecutor", InlinePool)
    monkeypatch.setattr(analyze, "_process_engines", engines)
    monkeypatch.setattr(analyze, "_process_check", check)
    monkeypatch.setattr(analyze, "cpu_count", lambda: 7)
    assert cli([doc("a", PT), "{", doc("c", PT2)], "--workers", "3", "--chunk-size", "1") == EXIT_FAILED
    assert texts(cli.results()) == [f"[en] {PT}", None, f"[en] {PT2}"]
    [(workers, method, initializer, (worker_settings, parent))] = InlinePool.made
    assert (workers, method, initializer, parent) == (3, "spawn", analyze._init_process, os.getpid())
    assert (worker_settings.inter_threads, worker_settings.model_loading, worker_settings.batch_wait_ms) == (
        2, "eager", 0.0)  # 7 CPUs // 3 workers
    assert len(checks) == 3  # each worker says whether its model is usable
    assert bounds == [6]
    assert messages(logs, logging.INFO)[0] == "analyze: 3 process(es) x 2 translation thread(s), 1 documents per chunk"


def test_a_worker_without_its_model_is_exit_3(cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                              logs: pytest.LogCaptureFixture) -> None:
    answers = [None, "the pt->en model is not installed", "another reason"]
    monkeypatch.setattr(InlinePool, "made", [])
    monkeypatch.setattr(analyze, "ProcessPoolExecutor", InlinePool)
    monkeypatch.setattr(analyze, "_process_check", lambda: answers.pop(0))
    cli.out.write_bytes(b"kept\n")
    assert cli([doc("a", PT)], "--workers", "3", "--threads", "1") == EXIT_NO_MODEL
    assert messages(logs, logging.ERROR) == [
        "no usable model: the pt->en model is not installed (see `python -m service models list`)"]
    assert cli.out.read_bytes() == b"kept\n"


def test_workers_that_cannot_start_are_exit_3(cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                              logs: pytest.LogCaptureFixture) -> None:
    def no_pool(*args: Any, **kwargs: Any) -> Executor:
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(analyze, "ProcessPoolExecutor", no_pool)
    assert cli([doc("a", PT)], "--workers", "2") == EXIT_NO_MODEL
    assert messages(logs, logging.ERROR) == ["the models could not be loaded"]


# ---------------------------------------------------------------- shards


SEVEN = [doc(f"d{n}", PT) for n in range(1, 8)]


def test_a_shard_takes_every_nth_line_and_numbers_it(cli: Cli, logs: pytest.LogCaptureFixture) -> None:
    assert cli([*SEVEN[:4], "{", *SEVEN[5:]], "--shard", "0/3") == EXIT_OK  # line 5 is not even read
    assert [(r["id"], r["line"]) for r in cli.results()] == [("d1", 1), ("d4", 4), ("d7", 7)]
    assert cli([*SEVEN[:4], "{", *SEVEN[5:]], "--shard", "1/3") == EXIT_FAILED
    results = cli.results()
    assert [(r["id"], r["line"]) for r in results] == [("d2", 2), (None, 5)]
    assert list(results[0])[-1] == "line"  # last, after the analysis's fields
    assert [m for m in messages(logs, logging.INFO) if m.startswith("analyze: ")][-1].endswith(
        " documents per chunk; shard 1/3")


def test_shard_0_of_1_is_no_shard_but_shards_1_is(cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                                  logs: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("JOB_COMPLETION_INDEX", raising=False)
    assert cli(SEVEN[:2], "--shard", "0/1") == EXIT_OK
    assert [r.get("line") for r in cli.results()] == [None, None]
    assert messages(logs, logging.INFO)[0].endswith(" documents per chunk")
    # an Indexed Job of one: its part still says which input line each line answers, for merge
    assert cli(SEVEN[:2], "--shards", "1") == EXIT_OK
    assert [r["line"] for r in cli.results()] == [1, 2]
    assert [m for m in messages(logs, logging.INFO) if m.startswith("analyze: ")][-1].endswith("; shard 0/1")


def test_shards_take_their_index_from_the_job(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOB_COMPLETION_INDEX", "2")
    assert cli(SEVEN, "--shards", "3") == EXIT_OK
    assert [(r["id"], r["line"]) for r in cli.results()] == [("d3", 3), ("d6", 6)]


# ---------------------------------------------------------------- resuming


def test_resume_appends_only_what_is_missing(cli: Cli, logs: pytest.LogCaptureFixture) -> None:
    complete = b'{"id":"d1","language":{}}\n{"id":"d2","line":2,"error":{}}\n'
    cli.out.write_bytes(complete + b'{"id":"d3","lang')  # torn by a kill
    assert cli(SEVEN[:4], "--resume") == EXIT_FAILED  # every new line is good, but the file holds an error
    assert cli.out.read_bytes().startswith(complete + b'{"id":"d3","language":{"code":"pt"')
    assert [r["id"] for r in cli.results()] == ["d1", "d2", "d3", "d4"]
    info = messages(logs, logging.INFO)
    assert info[0].endswith(f" documents per chunk; resuming: 2 lines already in {cli.out}")
    assert info[-1].startswith("analyze done: 2 documents (0 failed), 58 characters, ")
    assert info[-1].endswith(" documents/s; 2 skipped as already in the output (1 failed earlier)")


def test_a_resumed_run_without_errors_is_exit_0(cli: Cli) -> None:
    cli.out.write_bytes(b'{"id":"d1","language":{}}\n')
    assert cli(SEVEN[:2], "--resume") == EXIT_OK
    assert [r["id"] for r in cli.results()] == ["d1", "d2"]
    assert cli(SEVEN[:2], "--resume") == EXIT_OK  # nothing left to do
    assert len(cli.results()) == 2


def test_resume_starts_a_missing_output(cli: Cli) -> None:
    assert cli(SEVEN[:2], "--resume") == EXIT_OK
    assert [r["id"] for r in cli.results()] == ["d1", "d2"]


def test_resume_of_a_shard_skips_among_its_lines(cli: Cli) -> None:
    cli.out.write_bytes(b'{"id":"d2","language":{},"line":2}\n')
    assert cli(SEVEN, "--shard", "1/3", "--resume") == EXIT_OK
    assert [(r["id"], r["line"]) for r in cli.results()] == [("d2", 2), ("d5", 5)]


# ---------------------------------------------------------------- progress


class FakeBar:
    def __init__(self) -> None:
        self.updates: list[int] = []
        self.postfix: list[dict[str, Any]] = []

    def __enter__(self) -> FakeBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        self.updates.append(n)

    def set_postfix(self, **values: Any) -> None:
        self.postfix.append(values)


def fake_bar(monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple[bool, int | None]], FakeBar]:
    calls: list[tuple[bool, int | None]] = []
    bar = FakeBar()

    def make(show: bool, total: int | None) -> FakeBar:
        calls.append((show, total))
        return bar

    monkeypatch.setattr(analyze, "_progress_bar", make)
    return calls, bar


def test_progress_counts_documents_and_skips(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    calls, bar = fake_bar(monkeypatch)
    redirected: list[int] = []

    class Redirect:
        def __enter__(self) -> None:
            redirected.append(1)

        def __exit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr("tqdm.contrib.logging.logging_redirect_tqdm", Redirect)
    cli.out.write_bytes(b'{"id":"d1","language":{}}\n')
    assert cli([*SEVEN[:3], "{", SEVEN[4]], "--resume", "--progress", "--chunk-size", "3") == EXIT_FAILED
    assert calls == [(True, 5)]  # the input's lines
    assert bar.updates == [1, 3, 1]  # the skipped line, then each chunk
    assert bar.postfix == [{"failed": 1, "refresh": False}, {"failed": 1, "refresh": False}]
    assert redirected == [1]  # log lines go above the bar


def test_progress_defaults_to_whether_stderr_is_a_terminal(cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                                           settings: Settings) -> None:
    calls, _ = fake_bar(monkeypatch)
    monkeypatch.setattr("tqdm.contrib.logging.logging_redirect_tqdm", ExitStack)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    write_lines(cli.source, SEVEN[:2])
    monkeypatch.setattr("sys.stderr", Terminal())
    assert analyze.run(settings, parse("-i", str(cli.source), "-o", str(cli.out))) == EXIT_OK
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert analyze.run(settings, parse("-i", str(cli.source), "-o", str(cli.out))) == EXIT_OK
    assert cli([SEVEN[0]]) == EXIT_OK  # --no-progress
    assert calls == [(True, 2), (False, None), (False, None)]


def test_progress_from_stdin_has_no_total(settings: Settings, built: list[Settings], monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    calls, _ = fake_bar(monkeypatch)
    monkeypatch.setattr("tqdm.contrib.logging.logging_redirect_tqdm", ExitStack)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(SEVEN[0].encode())))
    assert analyze.run(settings, parse("-o", str(tmp_path / "out.jsonl"), "--progress")) == EXIT_OK
    assert calls == [(True, None)]


# ---------------------------------------------------------------- stopping: exit 4, 130, 143


class FailingSink(io.BytesIO):
    """An output whose writes fail from the `after`-th line on; a regular file when given a descriptor."""

    def __init__(self, after: int, error: OSError, fd: int | None = None) -> None:
        super().__init__()
        self.after, self.error, self.fd = after, error, fd
        self.writes = 0

    def write(self, data: Any, /) -> int:
        if self.writes >= self.after:
            raise self.error
        self.writes += 1
        return super().write(data)

    def truncate(self, size: int | None = None, /) -> int:
        kept = super().truncate(size)
        self.seek(0, io.SEEK_END)  # opened for appending: writes go to the end
        return kept

    def fileno(self) -> int:
        if self.fd is None:
            raise io.UnsupportedOperation("no descriptor")
        return self.fd


def run_into(cli: Cli, monkeypatch: pytest.MonkeyPatch, sink: io.BytesIO, lines: list[str], *argv: str) -> int:
    monkeypatch.setattr(analyze, "_open_output", lambda name, stack: sink)
    return cli(lines, *argv)


@pytest.mark.parametrize(("error", "regular", "message"), [
    (OSError(28, "No space left on device"), True,
     "I/O error writing the output after 2 lines: No space left on device; rerun with --resume to continue"),
    (OSError(28, "No space left on device"), False, "I/O error writing the output after 2 lines: No space left on "
                                                    "device"),
    (OSError("disk on fire"), False, "I/O error writing the output after 2 lines: disk on fire"),
    (BrokenPipeError(32, "Broken pipe"), False, "the output was closed after 2 lines (broken pipe)"),
])
def test_an_output_that_fails_stops_the_run_with_exit_4(cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                        pool: type[RecordingPool], logs: pytest.LogCaptureFixture,
                                                        error: OSError, regular: bool, message: str) -> None:
    dropped: list[bool] = []
    monkeypatch.setattr(analyze, "_drop_stdout", dropped.append)
    with (tmp_path / "regular").open("wb") as file:
        sink = FailingSink(2, error, file.fileno() if regular else None)
        assert run_into(cli, monkeypatch, sink, SEVEN[:5], "--chunk-size", "1") == EXIT_STOPPED
    assert [json.loads(line)["id"] for line in sink.getvalue().splitlines()] == ["d1", "d2"]
    assert messages(logs, logging.ERROR) == [message]
    assert dropped == [False]  # the output was a file, not stdout
    assert pool.shutdowns[0] == (False, True)  # the chunks in flight are dropped, not waited for


def test_a_failing_stdout_is_dropped(settings: Settings, built: list[Settings], monkeypatch: pytest.MonkeyPatch,
                                     tmp_path: Path) -> None:
    dropped: list[bool] = []
    monkeypatch.setattr(analyze, "_drop_stdout", dropped.append)
    sink = FailingSink(0, BrokenPipeError(32, "Broken pipe"))
    monkeypatch.setattr(analyze, "_open_output", lambda name, stack: sink)
    source = write_lines(tmp_path / "in.jsonl", SEVEN[:1])
    assert analyze.run(settings, parse("-i", str(source), "--no-progress")) == EXIT_STOPPED
    sink = FailingSink(0, OSError(5, "Input/output error"))
    assert analyze.run(settings, parse("-i", str(source), "--no-progress")) == EXIT_STOPPED
    assert dropped == [True, True]


def test_a_fresh_run_empties_only_a_regular_output(cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with (tmp_path / "regular").open("wb") as file:
        regular = FailingSink(99, OSError(5, "unused"), file.fileno())
        regular.write(b"earlier\n")
        assert run_into(cli, monkeypatch, regular, SEVEN[:1]) == EXIT_OK
        assert regular.getvalue().startswith(b'{"id":"d1"')
        resumed = FailingSink(99, OSError(5, "unused"), file.fileno())
        resumed.write(b"earlier\n")
        assert run_into(cli, monkeypatch, resumed, SEVEN[:1], "--resume") == EXIT_OK
        assert resumed.getvalue().startswith(b"earlier\n")  # --resume appends
    pipe = FailingSink(99, OSError(5, "unused"))
    pipe.write(b"earlier\n")
    assert run_into(cli, monkeypatch, pipe, SEVEN[:1]) == EXIT_OK
    assert pipe.getvalue().startswith(b"earlier\n")  # a pipe cannot be truncated: what was sent is sent


def test_an_unexpected_error_stops_the_run_with_exit_4(cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                                       pool: type[RecordingPool],
                                                       logs: pytest.LogCaptureFixture) -> None:
    real = analyze.analyze_chunk

    def breaks_on_line_3(lines: Sequence[Line], pipeline: Any, max_chars: int) -> list[dict[str, Any]]:
        if lines[0].number == 3:
            raise RuntimeError("the model broke")
        return real(lines, pipeline, max_chars)

    monkeypatch.setattr(analyze, "analyze_chunk", breaks_on_line_3)
    assert cli(SEVEN[:5], "--chunk-size", "1", "--threads", "1") == EXIT_STOPPED
    assert [r["id"] for r in cli.results()] == ["d1", "d2"]
    assert messages(logs, logging.ERROR) == [
        "the run stopped on an unexpected error after 2 lines; rerun with --resume to continue"]
    [record] = [r for r in logs.records if r.levelno == logging.ERROR]
    assert record.exc_info is not None and str(record.exc_info[1]) == "the model broke"
    assert pool.shutdowns[0] == (False, True)


def stop_with(monkeypatch: pytest.MonkeyPatch, stop: Callable[[], None]) -> None:
    real = analyze.analyze_chunk

    def stops_on_line_2(lines: Sequence[Line], pipeline: Any, max_chars: int) -> list[dict[str, Any]]:
        if lines[0].number == 2:
            stop()
        return real(lines, pipeline, max_chars)

    monkeypatch.setattr(analyze, "analyze_chunk", stops_on_line_2)


def test_ctrl_c_is_exit_130(cli: Cli, monkeypatch: pytest.MonkeyPatch, pool: type[RecordingPool],
                            logs: pytest.LogCaptureFixture) -> None:
    def interrupt() -> None:
        raise KeyboardInterrupt

    stop_with(monkeypatch, interrupt)
    assert cli(SEVEN[:4], "--chunk-size", "1", "--threads", "1") == EXIT_INTERRUPTED
    assert [r["id"] for r in cli.results()] == ["d1"]
    assert messages(logs, logging.ERROR) == [
        "interrupted; the output holds every line finished so far: rerun with --resume to continue"]
    assert pool.shutdowns[0] == (False, True)  # stop at once, without waiting for the chunks in flight


def test_sigterm_is_exit_143_and_its_handler_is_put_back(cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                                         logs: pytest.LogCaptureFixture) -> None:
    def terminate() -> None:  # what the SIGTERM handler in place during the run does
        handler = signal.getsignal(signal.SIGTERM)
        assert callable(handler)
        handler(signal.SIGTERM, None)

    stop_with(monkeypatch, terminate)
    before = signal.getsignal(signal.SIGTERM)
    assert cli(SEVEN[:4], "--chunk-size", "1", "--threads", "1") == EXIT_TERMINATED
    assert signal.getsignal(signal.SIGTERM) is before
    assert [r["id"] for r in cli.results()] == ["d1"]
    assert messages(logs, logging.ERROR) == [
        "terminated (SIGTERM); the output holds every line finished so far: rerun with --resume to continue"]


def test_threads_of_many_workers_are_at_least_1(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(InlinePool, "made", [])
    monkeypatch.setattr(analyze, "ProcessPoolExecutor", InlinePool)
    monkeypatch.setattr(analyze, "_process_check", lambda: None)
    monkeypatch.setattr(analyze, "_process_analyze", echo)
    monkeypatch.setattr(analyze, "cpu_count", lambda: 2)
    assert cli(SEVEN[:1], "--workers", "3") == EXIT_OK
    [(_, _, _, (worker_settings, _))] = InlinePool.made
    assert worker_settings.inter_threads == 1  # 2 CPUs // 3 workers is 0


# ---------------------------------------------------------------- bugs found by these tests (fixed)


@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="needs /dev/fd")
def test_progress_does_not_drain_an_input_pipe(cli: Cli, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_bar(monkeypatch)
    monkeypatch.setattr("tqdm.contrib.logging.logging_redirect_tqdm", ExitStack)
    read, write = os.pipe()
    os.write(write, "".join(line + "\n" for line in SEVEN[:2]).encode())
    os.close(write)
    try:
        code = analyze.run(settings, parse("-i", f"/dev/fd/{read}", "-o", str(cli.out), "--progress"))
    finally:
        os.close(read)
    assert code == EXIT_OK
    assert [r["id"] for r in cli.results()] == ["d1", "d2"]


def test_the_progress_of_a_shard_has_no_total(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    # its lines are known only as they are read: a count of every input line would end the bar at 2/7
    calls, bar = fake_bar(monkeypatch)
    monkeypatch.setattr("tqdm.contrib.logging.logging_redirect_tqdm", ExitStack)
    assert cli(SEVEN, "--shard", "1/3", "--progress") == EXIT_OK
    assert sum(bar.updates) == 2
    assert calls[0][1] is None
