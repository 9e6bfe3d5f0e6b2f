"""Fail early: a file a setting names is checked when settings load, before gunicorn binds or a model loads."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.server import ROOT, refusing_socket

BAD_TAXONOMY = "topics:\n  - id: x\n    label: X\n    terms:\n      - pt: [abc]\n        weight: lots\n"


def run(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PONTE_", "ARGOS_"))}
    base.update(env)
    return subprocess.run([sys.executable, "-m", "service", *args], cwd=ROOT, env=base, input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)


def _bad_files(tmp_path: Path) -> dict[str, tuple[str, Path, str]]:
    """case -> (variable, file, what the one line must say)."""
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(BAD_TAXONOMY, encoding="utf-8")
    broken_yaml = tmp_path / "broken.yaml"
    broken_yaml.write_text("topics: [\n", encoding="utf-8")
    not_zip = tmp_path / "garbage.argosmodel"
    not_zip.write_bytes(b"garbage")
    two_roots = tmp_path / "two.argosmodel"
    with zipfile.ZipFile(two_roots, "w") as archive:
        archive.writestr("a/metadata.json", '{"from_code": "pt", "to_code": "en"}')
        archive.writestr("b/metadata.json", '{"from_code": "pt", "to_code": "en"}')
    no_metadata = tmp_path / "nometa.argosmodel"
    with zipfile.ZipFile(no_metadata, "w") as archive:
        archive.writestr("translate-pt_en/README.md", "hello")
    keys = tmp_path / "keys.txt"
    keys.write_text("not-a-digest\n", encoding="utf-8")
    return {
        "taxonomy": ("PONTE_TAXONOMY", taxonomy, "topic 'x': term #1: weight must be a number"),
        "taxonomy-yaml": ("PONTE_TAXONOMY", broken_yaml, "invalid YAML"),
        "model-not-zip": ("PONTE_MODEL_FILE", not_zip, "zip"),
        "model-two-folders": ("PONTE_MODEL_FILE", two_roots, "exactly one top-level folder"),
        "model-no-metadata": ("PONTE_MODEL_FILE", no_metadata, "metadata.json"),
        "api-keys-file": ("PONTE_API_KEYS_FILE", keys, "line 1 is not a sha256 hex digest"),
    }


CASES = ["taxonomy", "taxonomy-yaml", "model-not-zip", "model-two-folders", "model-no-metadata", "api-keys-file"]


def _assert_one_line(result: subprocess.CompletedProcess[str], variable: str, says: str) -> None:
    assert result.returncode == 2, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert f"{variable}: " in lines[0]
    assert says in lines[0]


@pytest.mark.parametrize("case", CASES)
def test_serve_refuses_a_bad_file_before_binding(tmp_path: Path, case: str) -> None:
    variable, path, says = _bad_files(tmp_path)[case]
    with refusing_socket() as held:  # a port nobody else takes meanwhile; the server must never get to it
        port = str(held.getsockname()[1])
        result = run(["serve"], {variable: str(path), "PONTE_HOST": "127.0.0.1", "PONTE_PORT": port,
                                 "PONTE_WORKERS": "1", "PONTE_PACKAGES_DIR": str(tmp_path / "pkgs")})
    _assert_one_line(result, variable, says)
    assert "Listening at" not in result.stderr


@pytest.mark.parametrize("case", CASES)
def test_analyze_refuses_a_bad_file_before_loading_a_model(tmp_path: Path, case: str) -> None:
    variable, path, says = _bad_files(tmp_path)[case]
    result = run(["analyze"], {variable: str(path), "PONTE_PACKAGES_DIR": str(tmp_path / "pkgs")},
                 stdin='{"text": "Olá"}\n')
    _assert_one_line(result, variable, says)
    assert result.stdout == ""


def test_gunicorn_started_directly_refuses_a_bad_file_in_one_line(tmp_path: Path) -> None:
    variable, path, says = _bad_files(tmp_path)["taxonomy"]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PONTE_", "ARGOS_"))}
    with refusing_socket() as held:
        base.update({variable: str(path), "PONTE_HOST": "127.0.0.1", "PONTE_PORT": str(held.getsockname()[1]),
                     "PONTE_WORKERS": "1"})
        result = subprocess.run([sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"], cwd=ROOT,
                                env=base, capture_output=True, text=True, timeout=60, check=False)
    _assert_one_line(result, variable, says)
