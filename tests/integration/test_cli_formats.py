"""`python -m service analyze --format`: the default format of lines, and each line's own `format` field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.cli.analyze import EXIT_FAILED, parse_line
from tests.contract import schema_errors
from tests.integration.test_cli_analyze import ANALYSIS, analyze

pytestmark = pytest.mark.slow


def test_parse_line_gives_the_default_format_only_to_lines_without_one() -> None:
    assert parse_line(1, b'{"text": "x"}', text_lines=False, limit=100, fmt="html").item == {
        "text": "x", "format": "html"}
    assert parse_line(1, b'{"text": "x", "format": "markdown"}', text_lines=False, limit=100, fmt="html").item == {
        "text": "x", "format": "markdown"}
    assert parse_line(1, b'{"text": "x"}', text_lines=False, limit=100).item == {"text": "x"}
    assert parse_line(1, b"<p>x</p>", text_lines=True, limit=100, fmt="html").item == {"text": "<p>x</p>",
                                                                                         "format": "html"}


def test_format_option_and_per_line_format(packages_dir: Path) -> None:
    lines = [
        {"id": "h", "text": "<p>O arquivo foi <b>salvo</b> no disco.</p>", "source_language": "pt"},
        {"id": "m", "text": "# Título\n\nO arquivo foi **salvo** no disco.", "format": "markdown",
         "source_language": "pt"},
        {"id": "t", "text": "<p>O arquivo foi salvo.</p>", "format": "text", "source_language": "pt"},
        {"id": "e", "text": "<script>x()</script>", "source_language": "pt"},
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines).encode()
    result = analyze(packages_dir, "--format", "html", stdin=stdin)
    assert result.returncode == EXIT_FAILED, result.stderr.decode()
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [o["translation"]["format"] for o in out[:3]] == ["html", "markdown", "text"]
    assert out[0]["translation"]["text"].startswith("<p>") and "<b>" in out[0]["translation"]["text"]
    assert out[1]["translation"]["text"].startswith("# ")
    assert out[2]["translation"]["source_visible_text"] == "<p>O arquivo foi salvo.</p>"
    assert all(schema_errors(o, ANALYSIS) == [] for o in out[:3])
    assert out[3]["id"] == "e" and "no visible text" in out[3]["error"]["detail"]
