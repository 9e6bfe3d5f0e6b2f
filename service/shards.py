"""Sharding `python -m service analyze` over N processes or pods, and merging their outputs back in input order.

Shard K of N (0-based K) takes the input lines whose 1-based number n has (n - 1) % N == K: line 1 to
shard 0, line 2 to shard 1, ... Every shard reads the whole input and keeps its lines, so no split step
is needed, and a retried shard (a Kubernetes Indexed Job replaces a failed pod with the same index) takes
exactly the same lines again. Round robin rather than contiguous blocks: the shards finish together
whatever the input's length, which nobody has to count first.

A sharded run writes `"line": n` (the input line number) as the last field of every success line, as
error lines already carry it, so that `merge_parts` can put the parts back in input order and prove that
every input line is there exactly once. The merged output is byte for byte what one unsharded run writes.
"""

from __future__ import annotations

import heapq
import json
import logging
import os
import re
import tempfile
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

INDEX_VARIABLE = "JOB_COMPLETION_INDEX"
LINE_FIELD = "line"
_SHARD_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class MergeError(ValueError):
    """The parts cannot be merged into a complete output: a line is missing, twice, torn or out of order."""


@dataclass(frozen=True)
class Shard:
    """Shard `index` (0-based) of `count`."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError(f"the number of shards must be at least 1, got {self.count}")
        if not 0 <= self.index < self.count:
            raise ValueError(f"shard index must be 0 to {self.count - 1} for {self.count} shards, got {self.index}")

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


ALL = Shard(0, 1)


def parse_shard(text: str) -> Shard:
    """Shard from "K/N" (K in 0..N-1), e.g. the value of a --shard option; ValueError names the problem."""
    match = _SHARD_PATTERN.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a shard such as 0/4 (index/count, the index from 0)")
    return Shard(int(match[1]), int(match[2]))


def shard_from_env(shards: int, environ: Mapping[str, str]) -> Shard:
    """Shard of `shards` whose index is JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job)."""
    if shards < 1:
        raise ValueError(f"the number of shards must be at least 1, got {shards}")
    raw = environ.get(INDEX_VARIABLE, "").strip()
    if not raw:
        if shards == 1:
            return ALL
        raise ValueError(f"{shards} shards need {INDEX_VARIABLE} (set in the pods of a Kubernetes Job with "
                         "completionMode: Indexed) to know which shard this is")
    if not raw.isascii() or not raw.isdigit():
        raise ValueError(f"{INDEX_VARIABLE}={raw!r} is not a shard index (a whole number from 0)")
    index = int(raw)
    if index >= shards:
        raise ValueError(f"{INDEX_VARIABLE}={index} is out of range for {shards} shards (0 to {shards - 1}): "
                         "the Job's completions and --shards must be equal")
    return Shard(index, shards)


def in_shard(line_number: int, shard: Shard) -> bool:
    """Whether input line `line_number` (1-based) belongs to `shard`: the same answer on every retry."""
    return (line_number - 1) % shard.count == shard.index


def number_line(result: dict[str, Any], line_number: int) -> dict[str, Any]:
    """The output object of input line `line_number` as a sharded run writes it: with "line" as its last field."""
    if LINE_FIELD in result:
        if result[LINE_FIELD] != line_number:
            raise ValueError(f"output for input line {line_number} already says line {result[LINE_FIELD]!r}")
        return result
    return {**result, LINE_FIELD: line_number}


# ---------------------------------------------------------------- merging


@dataclass(frozen=True)
class _Entry:
    line: int  # input line number
    text: str  # the output line to write, with its newline
    part: Path
    position: int  # line number within the part


def _read_part(part: Path) -> Iterator[_Entry]:
    """A part's lines with their input line numbers, checked to be whole and increasing."""
    previous: _Entry | None = None
    try:
        stream = part.open("rb")
    except OSError as exc:
        raise MergeError(f"cannot read part {part}: {exc.strerror}") from None
    with stream:
        for position, raw in enumerate(stream, start=1):
            where = f"{part} line {position}"
            if not raw.endswith(b"\n"):
                raise MergeError(f"{where} is cut off (a killed run left it): rerun that shard with --resume")
            try:
                text = raw.decode("utf-8")
                obj = json.loads(text)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise MergeError(f"{where} is not a JSON object: {exc}") from None
            number = obj.get(LINE_FIELD) if isinstance(obj, dict) else None
            if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                raise MergeError(f"{where} has no input line number (\"{LINE_FIELD}\"): "
                                 "it was not written by a sharded run (analyze --shards)")
            if "error" not in obj:
                text = _strip_line_field(text, number, where)
            entry = _Entry(number, text, part, position)
            if previous is not None and number <= previous.line:
                what = "twice" if number == previous.line else "out of order"
                raise MergeError(f"input line {number} is {what} in {part} (lines {previous.position} and "
                                 f"{position})")
            previous = entry
            yield entry


def _strip_line_field(text: str, number: int, where: str) -> str:
    # A success line is the HTTP answer plus the "line" that number_line appended last: cutting that text
    # off gives back the exact bytes an unsharded run writes, with no re-encoding.
    suffix = f',"{LINE_FIELD}":{number}}}\n'
    if not text.endswith(suffix):
        raise MergeError(f"{where} does not end with its input line number as analyze --shards writes it")
    return text[: -len(suffix)] + "}\n"


def merge_parts(parts: Sequence[Path], out: IO[str], *, expected_lines: int | None = None) -> int:
    """Write the parts of a sharded analyze run to `out` as one output in input order; return the lines written.

    Raises MergeError when an input line is missing from every part or present twice, when a part is torn
    or out of order, and (given `expected_lines`, the input's line count) when lines at the end are missing.
    Parts may be given in any order. Reads one line per part at a time; on an error `out` holds a prefix.
    """
    # A first pass checks each part alone, so that a part out of order is reported as such, not as the
    # line the interleaving then misses; it reads the parts twice and holds nothing.
    for part in parts:
        deque(_read_part(part), maxlen=0)
    expected = 1
    last: _Entry | None = None
    for entry in heapq.merge(*(_read_part(part) for part in parts), key=lambda e: e.line):
        if last is not None and entry.line == last.line:
            raise MergeError(f"input line {entry.line} is present twice: {last.part} line {last.position} and "
                             f"{entry.part} line {entry.position}")
        if entry.line != expected:
            after = f" (the parts go from line {expected - 1} to line {entry.line})" if expected > 1 else ""
            missing = f"{expected}" if entry.line == expected + 1 else f"{expected} to {entry.line - 1}"
            raise MergeError(f"input line {missing} is missing from every part{after}: "
                             "rerun the shard that should hold it with --resume")
        out.write(entry.text)
        expected += 1
        last = entry
    written = expected - 1
    if expected_lines is not None and written != expected_lines:
        if written < expected_lines:
            raise MergeError(f"the parts hold {written} lines, the input has {expected_lines}: input lines "
                             f"{written + 1} to {expected_lines} are missing (a shard stopped early?)")
        raise MergeError(f"the parts hold {written} lines, more than the input's {expected_lines}")
    return written


def merge_to_file(parts: Sequence[Path], output: Path, *, expected_lines: int | None = None) -> int:
    """merge_parts into `output`, which appears only when the merge is complete (temporary file + rename)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            written = merge_parts(parts, out, expected_lines=expected_lines)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    log.info("merged %d parts into %s: %d lines", len(parts), output, written)
    return written
