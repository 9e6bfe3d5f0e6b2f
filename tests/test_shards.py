"""Shards of an analyze run: which lines a shard takes, and merging the parts back in input order."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from service.cli.analyze import analyze_chunk, encode_line, parse_line
from service.shards import (
    MergeError,
    Shard,
    in_shard,
    merge_parts,
    merge_to_file,
    number_line,
    parse_shard,
    shard_from_env,
)

# ---------------------------------------------------------------- choosing lines


@pytest.mark.parametrize(("text", "expected"), [
    ("0/1", Shard(0, 1)), ("0/4", Shard(0, 4)), ("3/4", Shard(3, 4)), (" 2 / 10 ", Shard(2, 10)),
])
def test_parse_shard(text: str, expected: Shard) -> None:
    assert parse_shard(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("4/4", "0 to 3 for 4 shards, got 4"),
    ("1/0", "at least 1, got 0"),
    ("-1/4", "not a shard such as 0/4"),
    ("1", "not a shard such as 0/4"),
    ("a/b", "not a shard such as 0/4"),
    ("1/2/3", "not a shard such as 0/4"),
    ("", "not a shard such as 0/4"),
])
def test_parse_shard_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_shard(text)


def test_shard_from_env() -> None:
    assert shard_from_env(4, {"JOB_COMPLETION_INDEX": "3"}) == Shard(3, 4)
    assert shard_from_env(4, {"JOB_COMPLETION_INDEX": "0"}) == Shard(0, 4)
    assert shard_from_env(1, {}) == Shard(0, 1)


@pytest.mark.parametrize(("shards", "environ", "message"), [
    (4, {}, "4 shards need JOB_COMPLETION_INDEX"),
    (4, {"JOB_COMPLETION_INDEX": " "}, "4 shards need JOB_COMPLETION_INDEX"),
    (4, {"JOB_COMPLETION_INDEX": "4"}, "JOB_COMPLETION_INDEX=4 is out of range for 4 shards"),
    (4, {"JOB_COMPLETION_INDEX": "-1"}, "'-1' is not a shard index"),
    (4, {"JOB_COMPLETION_INDEX": "one"}, "'one' is not a shard index"),
    (4, {"JOB_COMPLETION_INDEX": "²"}, "is not a shard index"),
    (0, {"JOB_COMPLETION_INDEX": "0"}, "at least 1, got 0"),
])
def test_shard_from_env_refuses(shards: int, environ: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        shard_from_env(shards, environ)


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_every_line_in_exactly_one_shard(count: int) -> None:
    shards = [Shard(k, count) for k in range(count)]
    for number in range(1, 50):
        assert sum(in_shard(number, s) for s in shards) == 1


def test_round_robin_from_line_one() -> None:
    assert [n for n in range(1, 11) if in_shard(n, Shard(0, 3))] == [1, 4, 7, 10]
    assert [n for n in range(1, 11) if in_shard(n, Shard(2, 3))] == [3, 6, 9]


def test_number_line_appends_the_field_last() -> None:
    assert list(number_line({"id": "a", "tags": []}, 7)) == ["id", "tags", "line"]
    error = {"id": None, "line": 7, "error": {"status": 422}}
    assert number_line(error, 7) is error
    with pytest.raises(ValueError, match="already says line 8"):
        number_line({"id": None, "line": 8, "error": {}}, 7)


# ---------------------------------------------------------------- merging


class _NoDocumentsPipeline:
    """Only malformed lines reach these tests' chunks: the pipeline is asked about no document."""

    def analyze_many(self, documents: Sequence[Any]) -> list[Any]:
        assert not documents
        return []


def outputs(count: int) -> list[dict[str, Any]]:
    """What an analyze run writes for `count` input lines: analyses, and error lines made by the CLI itself."""
    out: list[dict[str, Any]] = []
    for number in range(1, count + 1):
        if number % 5 == 0:  # a malformed input line, turned into its error line by the real CLI code
            raw = b'{"text": "sem fim' if number % 10 else b"\xff"
            line = parse_line(number, raw, text_lines=False, limit=1000)
            out.extend(analyze_chunk([line], _NoDocumentsPipeline(), 1000))  # type: ignore[arg-type]
        else:
            out.append({"id": f"doc-{number}" if number % 3 else None,
                        "language": {"code": "pt", "confidence": 0.99},
                        "translation": {"text": f"Ação número {number} — “ok”", "model": "x"},
                        "tags": [{"topic": "economia", "score": 0.5}],
                        "timings_ms": {"total": number * 1.25}})
    if len(out) > 1:
        out[1]["id"] = "lone \udc80 surrogate"  # encode_line's ASCII fallback
    return out


def write_parts(tmp_path: Path, results: Sequence[dict[str, Any]], count: int) -> list[Path]:
    """The parts a sharded run writes: each shard's lines, numbered, through the CLI's encoder."""
    parts = []
    for index in range(count):
        shard = Shard(index, count)
        part = tmp_path / f"part-{index}.jsonl"
        part.write_bytes(b"".join(encode_line(number_line(obj, n))
                                  for n, obj in enumerate(results, 1) if in_shard(n, shard)))
        parts.append(part)
    return parts


def merged(parts: Sequence[Path], **kwargs: Any) -> tuple[int, str]:
    out = io.StringIO()
    written = merge_parts(parts, out, **kwargs)
    return written, out.getvalue()


@pytest.mark.parametrize(("lines", "count"), [(23, 4), (23, 1), (3, 4), (0, 3), (40, 7)])
def test_merge_gives_back_the_unsharded_output(tmp_path: Path, lines: int, count: int) -> None:
    results = outputs(lines)
    unsharded = b"".join(encode_line(obj) for obj in results).decode("utf-8")
    parts = write_parts(tmp_path, results, count)
    assert merged(parts, expected_lines=lines) == (lines, unsharded)
    assert merged(list(reversed(parts))) == (lines, unsharded)


def test_error_lines_keep_their_line(tmp_path: Path) -> None:
    _, text = merged(write_parts(tmp_path, outputs(10), 3))
    rows = [json.loads(line) for line in text.splitlines()]
    assert [row.get("line") for row in rows] == [None, None, None, None, 5, None, None, None, None, 10]
    assert [row["id"] for row in rows][:4] == ["doc-1", "lone \udc80 surrogate", None, "doc-4"]


def test_merge_to_file(tmp_path: Path) -> None:
    results = outputs(9)
    target = tmp_path / "out" / "all.jsonl"
    assert merge_to_file(write_parts(tmp_path, results, 2), target, expected_lines=9) == 9
    assert target.read_bytes() == b"".join(encode_line(obj) for obj in results)


def test_merge_to_file_leaves_nothing_on_error(tmp_path: Path) -> None:
    parts = write_parts(tmp_path, outputs(9), 2)
    target = tmp_path / "all.jsonl"
    with pytest.raises(MergeError):
        merge_to_file(parts[:1], target)
    assert list(tmp_path.iterdir()) == parts  # neither the output nor its temporary file


def drop_line(part: Path, position: int) -> None:
    lines = part.read_bytes().splitlines(keepends=True)
    del lines[position - 1]
    part.write_bytes(b"".join(lines))


def test_missing_line_in_the_middle(tmp_path: Path) -> None:
    parts = write_parts(tmp_path, outputs(20), 4)
    drop_line(parts[2], 2)  # input line 7
    with pytest.raises(MergeError, match=r"input line 7 is missing from every part \(the parts go from line 6 "
                                         r"to line 8\)"):
        merged(parts)


def test_missing_part(tmp_path: Path) -> None:
    parts = write_parts(tmp_path, outputs(20), 4)
    with pytest.raises(MergeError, match="input line 1 is missing from every part"):
        merged(parts[1:])


def test_missing_lines_at_the_end_need_the_input_count(tmp_path: Path) -> None:
    parts = write_parts(tmp_path, outputs(20), 4)
    drop_line(parts[3], 5)  # input line 20, the last
    assert merged(parts)[0] == 19  # nothing says the input had a 20th line...
    with pytest.raises(MergeError, match="the parts hold 19 lines, the input has 20: input lines 20 to 20"):
        merged(parts, expected_lines=20)  # ...unless told
    with pytest.raises(MergeError, match="more than the input's 18"):
        merged(parts, expected_lines=18)


def test_line_present_twice_in_two_parts(tmp_path: Path) -> None:
    parts = write_parts(tmp_path, outputs(12), 3)
    extra = tmp_path / "part-9.jsonl"
    extra.write_bytes(parts[1].read_bytes().splitlines(keepends=True)[1])  # input line 5 again
    with pytest.raises(MergeError, match=r"input line 5 is present twice: .*part-1.jsonl line 2 and "
                                         r".*part-9.jsonl line 1"):
        merged([*parts, extra])


def test_line_present_twice_in_one_part(tmp_path: Path) -> None:
    parts = write_parts(tmp_path, outputs(12), 3)
    first = parts[0].read_bytes().splitlines(keepends=True)
    parts[0].write_bytes(b"".join([first[0], first[1], first[1], *first[2:]]))
    with pytest.raises(MergeError, match=r"input line 4 is twice in .*part-0.jsonl \(lines 2 and 3\)"):
        merged(parts)


def test_part_out_of_order(tmp_path: Path) -> None:
    parts = write_parts(tmp_path, outputs(12), 3)
    first = parts[0].read_bytes().splitlines(keepends=True)
    parts[0].write_bytes(b"".join([first[1], first[0], *first[2:]]))
    with pytest.raises(MergeError, match=r"input line 1 is out of order in .*part-0.jsonl"):
        merged(parts)


def test_torn_last_line(tmp_path: Path) -> None:
    parts = write_parts(tmp_path, outputs(12), 3)
    parts[1].write_bytes(parts[1].read_bytes()[:-20])
    with pytest.raises(MergeError, match=r"part-1.jsonl line 4 is cut off .*rerun that shard with --resume"):
        merged(parts)


@pytest.mark.parametrize(("content", "message"), [
    (b'{"id": "a", "tags": []}\n', "has no input line number"),       # an unsharded run's output
    (b'{"id": "a", "line": "1"}\n', "has no input line number"),
    (b'{"id": "a", "line": true}\n', "has no input line number"),
    (b'{"id": "a", "line": 0}\n', "has no input line number"),
    (b'[1]\n', "has no input line number"),
    (b'not json\n', "is not a JSON object"),
    (b'\xff\n', "is not a JSON object"),
    (b'{"line": 1, "id": "a"}\n', "does not end with its input line number"),
])
def test_lines_not_written_by_a_sharded_run(tmp_path: Path, content: bytes, message: str) -> None:
    part = tmp_path / "part-0.jsonl"
    part.write_bytes(content)
    with pytest.raises(MergeError, match=message):
        merged([part])


def test_unreadable_part(tmp_path: Path) -> None:
    with pytest.raises(MergeError, match=r"cannot read part .*nope.jsonl"):
        merged([tmp_path / "nope.jsonl"])


# ---------------------------------------------------------------- the whole messages: what the operator is told to do


def test_shard_from_env_messages_say_what_to_fix() -> None:
    with pytest.raises(ValueError) as missing:
        shard_from_env(4, {})
    assert str(missing.value) == ("4 shards need JOB_COMPLETION_INDEX (set in the pods of a Kubernetes Job with "
                                  "completionMode: Indexed) to know which shard this is")
    with pytest.raises(ValueError) as out_of_range:
        shard_from_env(3, {"JOB_COMPLETION_INDEX": "5"})
    assert str(out_of_range.value) == ("JOB_COMPLETION_INDEX=5 is out of range for 3 shards (0 to 2): the Job's "
                                       "completions and --shards must be equal")


def _message(parts: Sequence[Path], **kwargs: Any) -> str:
    with pytest.raises(MergeError) as caught:
        merged(parts, **kwargs)
    return str(caught.value)


def test_missing_lines_are_named_one_or_as_a_range(tmp_path: Path) -> None:
    parts = write_parts(tmp_path, outputs(20), 1)
    for position in (7, 6, 5):  # input lines 5 to 7
        drop_line(parts[0], position)
    assert _message(parts) == ("input line 5 to 7 is missing from every part (the parts go from line 4 to line 8): "
                               "rerun the shard that should hold it with --resume")
    (tmp_path / "one").mkdir()
    one = write_parts(tmp_path / "one", outputs(4), 1)
    drop_line(one[0], 2)  # line 2: the parts go from line 1
    assert _message(one) == ("input line 2 is missing from every part (the parts go from line 1 to line 3): "
                             "rerun the shard that should hold it with --resume")
    drop_line(parts[0], 1)  # and line 1: nothing comes before it
    assert _message(parts) == ("input line 1 is missing from every part: "
                               "rerun the shard that should hold it with --resume")


def test_a_line_without_its_number_is_named_with_its_part(tmp_path: Path) -> None:
    part = tmp_path / "part-0.jsonl"
    part.write_bytes(b'{"id": "a"}\n')
    assert _message([part]) == (f"{part} line 1 has no input line number (\"line\"): it was not written by a sharded "
                                "run (analyze --shards)")
    part.write_bytes(b'{"line": 1, "id": "a"}\n')
    assert _message([part]) == (f"{part} line 1 does not end with its input line number as analyze --shards "
                                "writes it")


def test_merge_to_file_makes_missing_folders_and_checks_the_count(tmp_path: Path,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    results = outputs(9)
    parts = write_parts(tmp_path, results, 3)
    target = tmp_path / "out" / "merged" / "all.jsonl"  # two folders that do not exist yet
    with pytest.raises(MergeError, match="the parts hold 9 lines, the input has 10"):
        merge_to_file(parts, target, expected_lines=10)
    assert list(target.parent.iterdir()) == []  # no output and no temporary file
    with caplog.at_level("INFO", logger="service.shards"):
        assert merge_to_file(parts, target, expected_lines=9) == 9
    assert target.read_bytes() == b"".join(encode_line(obj) for obj in results)
    assert list(target.parent.iterdir()) == [target]
    assert [r.getMessage() for r in caplog.records if r.name == "service.shards"] == [
        f"merged 3 parts into {target}: 9 lines"]
