"""`python -m service analyze`: JSON Lines (or plain text lines) in, one result per input line out, in order.

Each input line is `{"id", "text", "source_language", "format", "glossary"}` (as the body of POST
/v1/analyze) or, with --text-lines, one document per line; --format (text, html, markdown) is the format
of lines that give none. Each output line is exactly the object POST /v1/analyze
answers, or `{"id", "line", "error": <problem>}` for a line that could not be analyzed; the run goes on.

Exit codes:
  0  every line was analyzed
  1  the run finished, and at least one line is an error line
  2  usage or configuration error (bad option, unreadable input, output that --resume cannot continue)
  3  the model of a required language (PONTE_LANGUAGES) is not installed or could not be loaded
  4  the run stopped early (unexpected error, output failing while written); rerun with --resume to continue
  130 interrupted (Ctrl-C, SIGINT); rerun with --resume to continue
  143 terminated (SIGTERM, as Kubernetes stops a pod); rerun with --resume to continue
A regular output file is replaced (continued with --resume); `-` (stdout), /dev/stdout or a pipe streams the lines.
The output file is opened (and the input checked) before the model loads: an unreadable input or an unwritable
output is exit 2 at once. Worker processes of --workers N end with their parent, however it ends.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import stat
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack, suppress
from dataclasses import dataclass, replace
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import IO, Any

from service.batch import analyze_items_isolated
from service.cli.children import parent_death_signal
from service.cli.files import file_item, is_file_item
from service.core.exceptions import CoreError
from service.core.formats import FORMATS
from service.core.pipeline import Pipeline
from service.engines import Engines, build_engines
from service.jsonin import decode, parse
from service.logs import configure_logging
from service.problems import MalformedJson, from_api_error, problem
from service.settings import Settings, cpu_count
from service.shards import ALL, Shard, in_shard, number_line, parse_shard, shard_from_env

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NO_MODEL, EXIT_STOPPED, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
EXIT_TERMINATED = 128 + signal.SIGTERM
DEFAULT_CHUNK = 32
STDIO = "-"


class UsageError(Exception):
    """A problem with the command line or its files; exit code 2."""


class Terminated(BaseException):
    """SIGTERM arrived: stop as Ctrl-C stops (what is written stays written), with exit code 143."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker process when its parent ends (even by SIGKILL); elsewhere a no-op."""
    if not parent_death_signal(signal.SIGKILL):
        return
    if os.getppid() != parent:  # the parent ended before the request took effect
        os._exit(EXIT_STOPPED)


@dataclass(frozen=True)
class Line:
    """One input line: the item to analyze, or the problem that stops it from being analyzed."""

    number: int  # 1-based
    item: Any
    problem: dict[str, Any] | None
    key: str | None  # the id --resume knows it by (None: matched by order among id-less lines)
    chars: int


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the analyze subcommand."""
    parser.add_argument("--input", "-i", default=STDIO, metavar="FILE", help="JSON Lines to read (default: stdin)")
    parser.add_argument("--output", "-o", default=STDIO, metavar="FILE",
                        help="where to write one JSON line per input line (default: stdout)")
    parser.add_argument("--text-lines", action="store_true",
                        help="the input is plain text, one document per line (language detected)")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="format of the documents whose line has no `format` field (default text)")
    parser.add_argument("--resume", action="store_true",
                        help="append to --output FILE, skipping documents whose id is already in it")
    parser.add_argument("--chunk-size", type=_positive, default=DEFAULT_CHUNK, metavar="N",
                        help=f"documents per shared engine call (default {DEFAULT_CHUNK})")
    parser.add_argument("--workers", type=_positive, default=1, metavar="N",
                        help="processes, each loading its own copy of the model (default 1)")
    parser.add_argument("--threads", type=_positive, default=None, metavar="N",
                        help="translation threads per process (CTranslate2 replicas sharing one model copy); "
                             "with one process also the chunks in flight (default: CPU count / workers)")
    sharding = parser.add_mutually_exclusive_group()
    sharding.add_argument("--shard", type=_shard, default=None, metavar="K/N",
                          help="process only shard K of N (input lines K+1, K+1+N, ...; K from 0) into its own "
                               "output part; join the parts with `python -m service merge`")
    sharding.add_argument("--shards", type=_positive, default=None, metavar="N",
                          help="N shards, this one's index from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)")
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_true", default=None,
                          help="show a progress bar on stderr (default: only when stderr is a terminal)")
    progress.add_argument("--no-progress", dest="progress", action="store_false")


def _shard(value: str) -> Shard:
    try:
        return parse_shard(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


# ---------------------------------------------------------------- reading


def read_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(1-based number, bytes without the line end) per line; None for a line over `limit` bytes,
    which is skipped without being held in memory."""
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(limit + 1)
            yield number, None
            continue
        if raw.endswith(b"\n"):
            raw = raw[:-1]
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        yield number, raw


def _error_line(number: int, problem_doc: dict[str, Any]) -> Line:
    return Line(number, None, problem_doc, None, 0)


def parse_line(number: int, raw: bytes | None, *, text_lines: bool, limit: int, fmt: str = "text") -> Line:
    """Turn one input line into the item analyze_items validates, or an error; `fmt` is the default format."""
    if raw is None:
        return _error_line(number, problem(413, "payload-too-large", "Payload too large",
                                           f"line {number} is longer than {limit} bytes (PONTE_MAX_BODY_BYTES)"))
    where = f"line {number}"
    try:
        text = decode(raw, where)
        item = {"text": text} if text_lines else parse(text, where)
    except MalformedJson as exc:
        return _error_line(number, from_api_error(exc))
    if isinstance(item, dict) and fmt != "text" and "format" not in item:
        item["format"] = fmt
    key = item.get("id") if isinstance(item, dict) else None
    text_value = item.get("text") if isinstance(item, dict) else None
    return Line(number, item, None, key if isinstance(key, str) else None,
                len(text_value) if isinstance(text_value, str) else 0)


def chunked(lines: Iterable[Line], size: int) -> Iterator[list[Line]]:
    """Lists of `size` lines (the last one shorter)."""
    chunk: list[Line] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def count_lines(path: Path) -> int:
    """Lines in a file (a last line without a newline counts), read in blocks."""
    count, last = 0, b"\n"
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


# ---------------------------------------------------------------- resuming


@dataclass
class Resumed:
    """What an earlier run left in the output file."""

    done: Counter[str | None]  # ids already written, with multiplicity (None: id-less lines)
    lines: int = 0
    failed: int = 0


# What every output line starts with (encode_line: compact JSON, `id` first in analyses and error lines).
OUTPUT_LINE_START = b'{"id":'


def resume_state(path: Path) -> Resumed:
    """Read what an earlier run wrote. A partial last line, left by a killed run, is cut off so that
    appending starts on a fresh line."""
    state = Resumed(Counter())
    if not path.exists():
        return state
    if not path.is_file():
        raise UsageError(f"--output {path} is not a regular file")
    complete = 0
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.endswith(b"\n"):
                break
            try:
                obj = json.loads(raw)
            except (ValueError, RecursionError):  # RecursionError: nested deeper than the json module goes
                raise UsageError(f"{path} line {number} is not JSON; it is not an output of analyze, "
                                 "so --resume cannot continue it") from None
            if not isinstance(obj, dict) or not ("error" in obj or "language" in obj):
                raise UsageError(f"{path} line {number} is not an analysis or an error line; "
                                 "--resume cannot continue it")
            key = obj.get("id")
            state.done[key if isinstance(key, str) else None] += 1
            state.lines += 1
            state.failed += "error" in obj
            complete += len(raw)
    size = path.stat().st_size
    if size > complete:
        with path.open("rb") as f:
            f.seek(complete)
            head = f.read(len(OUTPUT_LINE_START))
        # Only a torn line of our own is cut: every line analyze writes starts so. A file without a complete
        # line of ours and a tail that does not start so (any small text file) is someone else's.
        if head != OUTPUT_LINE_START[:len(head)] or (state.lines == 0 and len(head) < len(OUTPUT_LINE_START)):
            raise UsageError(f"{path} does not end as an output of analyze (its last line is not one of its "
                             "lines), so --resume will not touch it")
        log.warning("%s ends with a partial line (%d bytes) from an interrupted run; removing it",
                    path, size - complete)
        with path.open("r+b") as f:
            f.truncate(complete)
    return state


def skip_done(lines: Iterable[Line], done: Counter[str | None], on_skip: Callable[[], None]) -> Iterator[Line]:
    """Leave out lines whose id is already in the output: an id counts once per appearance there,
    and id-less lines are matched in order (the first n id-less lines were the n written)."""
    for line in lines:
        if done[line.key] > 0:
            done[line.key] -= 1
            on_skip()
            continue
        yield line


# ---------------------------------------------------------------- analyzing


def analyze_chunk(lines: Sequence[Line], pipeline: Pipeline, max_chars: int) -> list[dict[str, Any]]:
    """One output object per line, in order: the analysis as POST /v1/analyze answers it,
    or {id, line, error}. All valid documents of the chunk share the engine calls."""
    valid = [line for line in lines if line.problem is None and not is_file_item(line.item)]
    results = iter(analyze_items_isolated([line.item for line in valid], pipeline, max_chars))
    out: list[dict[str, Any]] = []
    for line in lines:
        if line.problem is not None:
            out.append({"id": None, "line": line.number, "error": line.problem})
            continue
        if is_file_item(line.item):  # a line that points to a file (service/cli/files.py)
            out.append(file_item(line.item, line.number, pipeline))
            continue
        result = next(results)
        if "error" in result and "index" in result:
            out.append({"id": result["id"], "line": line.number, "error": result["error"]})
        else:
            out.append(result)
    return out


def encode_line(obj: dict[str, Any]) -> bytes:
    """One output line: compact UTF-8 JSON."""
    try:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # a lone surrogate (in an id, say) cannot be UTF-8: escape it, as HTTP does
        return json.dumps(obj, separators=(",", ":")).encode("ascii") + b"\n"


def model_problem(engines: Engines) -> str | None:
    """Why the required languages cannot be translated, or None."""
    for code in engines.settings.required_languages:
        try:
            engines.models.engine(code)
        except CoreError as exc:
            return str(exc)
    return None


# In a worker process (spawned by ProcessPoolExecutor) the engines live for the process's life:
# tasks are plain functions, so they reach them here. The main process never sets this.
_process_engines: Engines | None = None


def _init_process(settings: Settings, parent: int) -> None:
    global _process_engines
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt means
    configure_logging(settings.log_level, settings.log_format)
    _process_engines = build_engines(settings)


def _process_check() -> str | None:
    assert _process_engines is not None
    return model_problem(_process_engines)


def _process_analyze(lines: Sequence[Line]) -> list[dict[str, Any]]:
    assert _process_engines is not None
    return analyze_chunk(lines, _process_engines.pipeline, _process_engines.settings.max_chars)


Task = Callable[[list[Line]], list[dict[str, Any]]]


def in_order(executor: Executor, task: Task, chunks: Iterable[list[Line]],
             in_flight: int) -> Iterator[tuple[list[Line], list[dict[str, Any]]]]:
    """Run chunks concurrently, at most `in_flight` at once (bounded memory); (chunk, results) in input order."""
    pending: deque[tuple[list[Line], Future[list[dict[str, Any]]]]] = deque()
    for chunk in chunks:
        pending.append((chunk, executor.submit(task, chunk)))
        while len(pending) >= in_flight or (pending and pending[0][1].done()):
            head, future = pending.popleft()
            yield head, future.result()
    while pending:
        head, future = pending.popleft()
        yield head, future.result()


# ---------------------------------------------------------------- the command


@dataclass
class Tally:
    """What the summary line reports."""

    lines: int = 0
    failed: int = 0
    skipped: int = 0
    chars: int = 0


def _progress_bar(show: bool, total: int | None) -> Any:
    from tqdm import tqdm  # type: ignore[import-untyped]

    return tqdm(total=total, unit="doc", desc="analyze", file=sys.stderr, disable=not show, dynamic_ncols=True)


def _open_input(name: str, stack: ExitStack) -> IO[bytes]:
    if name == STDIO:
        return sys.stdin.buffer
    path = Path(name)
    try:
        return stack.enter_context(path.open("rb"))
    except OSError as exc:
        raise UsageError(f"cannot read --input {name}: {exc.strerror}") from None


def _engines_settings(settings: Settings, threads: int) -> Settings:
    # eager: the run needs the model now; one engine call per chunk already batches, so the HTTP
    # request-merging wait is off; `threads` CTranslate2 replicas share one copy of the weights.
    return replace(settings, model_loading="eager", batch_wait_ms=0.0, inter_threads=threads)


def run(settings: Settings, args: argparse.Namespace) -> int:
    """The analyze subcommand; returns the exit code."""
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        return _run(settings, args)
    except UsageError as exc:
        log.error("%s", exc)
        return EXIT_USAGE
    except KeyboardInterrupt:
        log.error("interrupted; the output holds every line finished so far: rerun with --resume to continue")
        return EXIT_INTERRUPTED
    except Terminated:
        log.error("terminated (SIGTERM); the output holds every line finished so far: rerun with --resume "
                  "to continue")
        return EXIT_TERMINATED
    finally:
        signal.signal(signal.SIGTERM, previous)


def _open_output(name: str, stack: ExitStack) -> IO[bytes]:
    """The output, opened for appending (nothing is truncated before the model has loaded)."""
    if name == STDIO:
        return sys.stdout.buffer
    try:
        sink = Path(name).open("ab")  # noqa: SIM115 (closed by the ExitStack, quietly: see below)
    except OSError as exc:
        raise UsageError(f"cannot write --output {name}: {exc.strerror or exc}") from None
    # closed quietly: a write error (a full disk, /dev/full) is reported once, where it happened
    stack.callback(_close_quietly, sink)
    return sink


def _close_quietly(sink: IO[bytes]) -> None:
    with suppress(OSError):
        sink.close()


def _regular_file(sink: IO[bytes]) -> bool:
    """Whether the output is a regular file (one that can be truncated and resumed), not a pipe or a device."""
    try:
        return stat.S_ISREG(os.fstat(sink.fileno()).st_mode)
    except (OSError, ValueError):
        return False


def _drop_stdout(to_stdout: bool) -> None:
    """After the output failed: stdout goes to /dev/null, so that the interpreter's last flush does not fail again."""
    if to_stdout:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _chosen_shard(args: argparse.Namespace) -> Shard:
    if args.shard is not None:
        chosen: Shard = args.shard
        return chosen
    if args.shards is None:
        return ALL
    try:
        return shard_from_env(args.shards, os.environ)
    except ValueError as exc:
        raise UsageError(f"--shards {args.shards}: {exc}") from None


def _run(settings: Settings, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    workers: int = args.workers
    threads: int = args.threads or max(1, cpu_count() // workers)  # the cgroup quota and affinity
    to_stdout = args.output == STDIO
    if args.resume and to_stdout:
        raise UsageError("--resume needs --output FILE (it appends to that file)")
    if not to_stdout and args.input != STDIO and Path(args.input).resolve() == Path(args.output).resolve():
        raise UsageError("--input and --output are the same file")
    shard = _chosen_shard(args)
    sharded = shard != ALL or args.shards is not None

    with ExitStack() as stack:
        source = _open_input(args.input, stack)
        resumed = resume_state(Path(args.output)) if args.resume else Resumed(Counter())
        sink = _open_output(args.output, stack)
        engine_settings = _engines_settings(settings, threads)

        executor: Executor
        task: Task
        try:
            if workers == 1:
                engines = build_engines(engine_settings)
                reason = model_problem(engines)
                executor = stack.enter_context(ThreadPoolExecutor(threads, thread_name_prefix="ponte-analyze"))
                task = partial(analyze_chunk, pipeline=engines.pipeline, max_chars=settings.max_chars)
                in_flight = 2 * threads
            else:
                executor = stack.enter_context(ProcessPoolExecutor(
                    workers, mp_context=get_context("spawn"), initializer=_init_process,
                    initargs=(engine_settings, os.getpid())))
                checks = [executor.submit(_process_check) for _ in range(workers)]
                reason = next((r for r in (c.result() for c in checks) if r), None)
                task = _process_analyze
                in_flight = 2 * workers
        except Exception:
            log.exception("the models could not be loaded")
            return EXIT_NO_MODEL
        if reason is not None:
            log.error("no usable model: %s (see `python -m service models list`)", reason)
            return EXIT_NO_MODEL
        log.info("analyze: %d process(es) x %d translation thread(s), %d documents per chunk%s%s",
                 workers, threads, args.chunk_size, f"; shard {shard}" if sharded else "",
                 f"; resuming: {resumed.lines} lines already in {args.output}" if args.resume else "")

        regular = _regular_file(sink)
        if regular and not args.resume:
            sink.truncate(0)  # a fresh run replaces the file, now that the model is there to fill it

        show = args.progress if args.progress is not None else sys.stderr.isatty()
        # a total only where counting reads nothing twice and every line is this run's: a regular file (a pipe named
        # by --input would be drained by the count) and no shard (a shard's lines are known only as they are read)
        counted = show and args.input != STDIO and not sharded and Path(args.input).is_file()
        total = count_lines(Path(args.input)) if counted else None
        bar = stack.enter_context(_progress_bar(show, total))
        if show:
            from tqdm.contrib.logging import logging_redirect_tqdm  # type: ignore[import-untyped]

            stack.enter_context(logging_redirect_tqdm())
        tally = Tally()

        def skipped() -> None:
            tally.skipped += 1
            bar.update(1)

        limit = settings.max_body_bytes
        lines = (parse_line(number, raw, text_lines=args.text_lines, limit=limit, fmt=args.format)
                 for number, raw in read_lines(source, limit) if in_shard(number, shard))
        chunks = chunked(skip_done(lines, resumed.done, skipped), args.chunk_size)
        try:
            for chunk, chunk_results in in_order(executor, task, chunks, in_flight):
                for line, obj in zip(chunk, chunk_results, strict=True):
                    if sharded:  # a part says which input line each of its lines answers, for merge
                        obj = number_line(obj, line.number)
                    # one write and flush per line: a kill loses at most the chunks in flight
                    sink.write(encode_line(obj))
                    sink.flush()
                    tally.lines += 1
                    tally.failed += "error" in obj
                tally.chars += sum(line.chars for line in chunk)
                bar.update(len(chunk))
                bar.set_postfix(failed=tally.failed, refresh=False)
        except BrokenPipeError:
            log.error("the output was closed after %d lines (broken pipe)", tally.lines)
            _drop_stdout(to_stdout)
            executor.shutdown(wait=False, cancel_futures=True)
            return EXIT_STOPPED
        except OSError as exc:
            advice = "; rerun with --resume to continue" if regular else ""
            log.error("I/O error writing the output after %d lines: %s%s", tally.lines, exc.strerror or exc, advice)
            _drop_stdout(to_stdout)
            executor.shutdown(wait=False, cancel_futures=True)
            return EXIT_STOPPED
        except Exception:
            log.exception("the run stopped on an unexpected error after %d lines; rerun with --resume to continue",
                          tally.lines)
            executor.shutdown(wait=False, cancel_futures=True)
            return EXIT_STOPPED
        except BaseException:  # Ctrl-C or SIGTERM: stop at once, without waiting for the chunks in flight
            executor.shutdown(wait=False, cancel_futures=True)
            raise

    elapsed = time.perf_counter() - started
    log.info("analyze done: %d documents (%d failed), %d characters, %.1f s, %.1f documents/s; "
             "%d skipped as already in the output (%d failed earlier)", tally.lines, tally.failed, tally.chars,
             elapsed, tally.lines / elapsed if elapsed else 0.0, tally.skipped, resumed.failed)
    # the code describes the whole output file: a resumed run ends as an uninterrupted one would
    return EXIT_FAILED if tally.failed or resumed.failed else EXIT_OK
