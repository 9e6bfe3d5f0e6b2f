"""`python -m service models ...`: install from a file, list, remove, and a clear failure offline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.server import ROOT, refusing_socket

PACKAGE = "translate-pt_en-ponte_test-1_0"


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PONTE_", "ARGOS_"))}
    base.update(env)
    return subprocess.run([sys.executable, "-m", "service", *args], cwd=ROOT, env=base, capture_output=True,
                          text=True, timeout=120, check=False)


def test_install_list_remove(tmp_path: Path, fixture_model: Path) -> None:
    pkgs = str(tmp_path / "pkgs")
    assert run("models", "install", str(fixture_model), PONTE_PACKAGES_DIR=pkgs).returncode == 0
    listed = run("models", "list", "--json", PONTE_PACKAGES_DIR=pkgs)
    rows = json.loads(listed.stdout)
    assert rows == [{"package": PACKAGE, "version": "1.0", "source_language": "pt", "target_language": "en",
                     "status": "installed"}]
    assert run("models", "remove", PACKAGE, PONTE_PACKAGES_DIR=pkgs).returncode == 0
    assert json.loads(run("models", "list", "--json", PONTE_PACKAGES_DIR=pkgs).stdout) == []


def test_corrupt_file_is_refused_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(b"garbage")
    result = run("models", "install", str(bad), PONTE_PACKAGES_DIR=str(tmp_path / "pkgs"))
    assert result.returncode == 1
    assert "not a valid Argos package" in result.stderr


def test_ensure_installs_the_model_file(tmp_path: Path, fixture_model: Path) -> None:
    pkgs = tmp_path / "pkgs"
    result = run("models", "ensure", PONTE_PACKAGES_DIR=str(pkgs), PONTE_MODEL_FILE=str(fixture_model))
    assert result.returncode == 0, result.stderr
    assert (pkgs / PACKAGE / "metadata.json").is_file()


def test_ensure_offline_without_a_file_fails_clearly(tmp_path: Path) -> None:
    with refusing_socket() as sock:
        port = sock.getsockname()[1]
        result = run("models", "ensure", PONTE_PACKAGES_DIR=str(tmp_path / "pkgs"),
                     PONTE_PACKAGE_INDEX_URL=f"http://127.0.0.1:{port}/index.json")
    assert result.returncode == 1
    assert "cannot reach the Argos package index" in result.stderr
    assert "PONTE_MODEL_FILE" in result.stderr
    assert "PONTE_MODEL_FILE=tests/fixtures/translate-pt_en-ponte_test-1_0.argosmodel" in result.stderr
    assert (ROOT / "tests/fixtures/translate-pt_en-ponte_test-1_0.argosmodel").is_file()  # the path it names


def test_bad_configuration_exits_2_naming_the_variable(tmp_path: Path) -> None:
    result = run("models", "list", PONTE_PORT="eighty")
    assert result.returncode == 2
    assert "PONTE_PORT" in result.stderr


def test_probe_fails_when_nothing_listens() -> None:
    with refusing_socket() as sock:
        result = run("probe", PONTE_PORT=str(sock.getsockname()[1]), PONTE_HOST="127.0.0.1")
    assert result.returncode == 1
