"""`python -m service translate-file IN OUT` and analyze lines that point to files, with the real fixture model."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.contract import schema_errors
from tests.integration.test_cli_analyze import ROOT, analyze, cli_env

pytestmark = pytest.mark.slow
CORPUS = ROOT / "tests" / "data" / "files"


def translate_file(packages_dir: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "service", "translate-file", *args], cwd=ROOT, input=stdin,
                          env=cli_env(packages_dir), capture_output=True, timeout=120, check=False)


def test_translate_file_writes_the_docx_in_english(packages_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.docx"
    analysis = tmp_path / "analysis.json"
    result = translate_file(packages_dir, str(CORPUS / "docx" / "01-plain.docx"), str(out), "--analysis",
                            str(analysis))
    assert result.returncode == 0, result.stderr.decode()
    with zipfile.ZipFile(out) as archive:
        document = archive.read("word/document.xml").decode()
    assert "Notícias de tecnologia" not in document and "<w:pStyle w:val=\"Heading1\"/>" in document
    body = json.loads(analysis.read_text(encoding="utf-8"))
    assert schema_errors(body, "#/components/schemas/FileAnalysis") == []
    assert body["file"]["content_base64"] is None and body["translation"]["translated"]


def test_translate_file_through_pipes_and_its_exit_codes(packages_dir: Path, tmp_path: Path) -> None:
    srt = (CORPUS / "srt" / "02-two-rows.srt").read_bytes()
    result = translate_file(packages_dir, "-", "-", "--source-language", "pt", stdin=srt)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b"1\n00:00:00,000 --> 00:00:02,500\n") and result.stdout.count(b"\n") == \
        srt.count(b"\n")
    refused = translate_file(packages_dir, str(CORPUS / "pdf" / "06-no-text-layer.pdf"), str(tmp_path / "x.txt"))
    assert refused.returncode == 1 and b"no text layer" in refused.stderr
    assert not (tmp_path / "x.txt").exists()
    assert translate_file(packages_dir, str(tmp_path / "missing.docx"), str(tmp_path / "y")).returncode == 2


def test_analyze_lines_that_point_to_files(packages_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "slides.en.pptx"
    lines = [
        {"id": "deck", "file": str(CORPUS / "pptx" / "lo-05-notes.pptx"), "output": str(out)},
        {"id": "po", "file": str(CORPUS / "po" / "01-plain.po"), "source_language": "pt"},
        {"id": "text", "text": "O arquivo foi salvo no disco.", "source_language": "pt"},
        {"id": "gone", "file": str(tmp_path / "missing.docx")},
    ]
    result = analyze(packages_dir, stdin="".join(json.dumps(line) + "\n" for line in lines).encode())
    assert result.returncode == 1, result.stderr.decode()
    deck, po, text, gone = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert deck["id"] == "deck" and deck["file"]["format"] == "pptx" and deck["file"]["content_base64"] is None
    with zipfile.ZipFile(out) as archive:
        assert "ppt/notesSlides/notesSlide1.xml" in archive.namelist()
    assert schema_errors(po, "#/components/schemas/FileAnalysis") == []
    catalogue = __import__("base64").b64decode(po["file"]["content_base64"]).decode()
    assert '"Language: en\\n"' in catalogue
    assert text["translation"]["translated"] and gone["error"]["status"] == 422 and gone["line"] == 4
