"""Findings 4-9 of the hostile-client probe, each answered at its root (in-process: app, CLI, installer)."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path

import pytest

from service.cli.analyze import UsageError, parse_line, resume_state
from service.core.exceptions import PackageError
from service.core.packages import ArchiveLimits, check_archive, install_archive
from tests.contract import ContractClient

LONG_NUMBER = "9" * 5000


@pytest.mark.parametrize("body", [
    '{"text": "olá", "id": ' + LONG_NUMBER + "}",
    '{"text": "olá", "id": [' + LONG_NUMBER + "]}",
    '{"text": "olá", "id": ' + "1." + "5" * 5000 + "}",
])
def test_a_huge_number_is_a_400_not_a_500(client: ContractClient, body: str) -> None:
    response = client.post("/v1/analyze", data=body, content_type="application/json")
    assert response.status_code == 400, response.get_data(as_text=True)
    assert "limit is" in response.get_json(force=True)["detail"]


def test_a_huge_number_in_the_batch_body_is_a_400(client: ContractClient) -> None:
    body = '{"documents": [{"text": "olá", "id": ' + LONG_NUMBER + "}]}"
    assert client.post("/v1/analyze/batch", data=body, content_type="application/json").status_code == 400


def test_a_huge_number_in_a_cli_line_is_an_error_line() -> None:
    line = parse_line(7, ('{"text": "x", "id": ' + LONG_NUMBER + "}").encode(), text_lines=False, limit=1 << 20)
    assert line.problem is not None and line.problem["status"] == 400
    assert "line 7" in line.problem["detail"]


@pytest.mark.parametrize("item", [None, 1, "x", [], {"text": ""}])
def test_every_kind_of_bad_batch_item_gets_its_own_problem(client: ContractClient, item: object) -> None:
    documents = [{"text": "O governo aprovou a lei.", "source_language": "pt"}, item]
    response = client.post("/v1/analyze/batch", json={"documents": documents})
    assert response.status_code == 200, response.get_data(as_text=True)
    results = response.get_json()["results"]
    assert "language" in results[0]
    assert results[1]["index"] == 1 and results[1]["error"]["status"] == 422


@pytest.mark.parametrize(("path", "body"), [
    ("/v1/analyze", {"text": "O governo aprovou a lei.", "source_language": "auto\n"}),
    ("/v1/analyze", {"text": "O governo aprovou a lei.", "source_language": "pt\n"}),
    ("/v1/tag", {"text": "O governo aprovou a lei.", "language": "pt\n"}),
    ("/v1/analyze", {"text": "O governo aprovou a lei.", "id": "a\ud800b"}),
    ("/v1/analyze", {"text": "O governo aprovou a lei.", "source_language": "p\udc00"}),
])
def test_patterns_are_anchored_and_every_string_is_checked(client: ContractClient, path: str, body: dict) -> None:
    response = client.post(path, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.get_json(force=True)["type"].endswith("validation-error")


def test_resume_refuses_a_small_text_file_and_leaves_it_alone(tmp_path: Path) -> None:
    precious = tmp_path / "notes.txt"
    precious.write_bytes(b"my one line of notes")
    with pytest.raises(UsageError):
        resume_state(precious)
    assert precious.read_bytes() == b"my one line of notes"


def test_resume_still_cuts_its_own_torn_first_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"id":"doc-0","lang')
    assert resume_state(out).lines == 0
    assert out.read_bytes() == b""


def _archive(tmp_path: Path, files: dict[str, bytes]) -> Path:
    path = tmp_path / "bomb.argosmodel"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_a_zip_bomb_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    archive = _archive(tmp_path, {"pkg/metadata.json": b"{}", "pkg/model/model.bin": bytes(64 * 1024 * 1024)})
    packages = tmp_path / "packages"
    with pytest.raises(PackageError, match="zip bomb"):
        install_archive(archive, packages)
    assert sum(f.stat().st_size for f in packages.rglob("*") if f.is_file()) == 0


@pytest.mark.parametrize(("limits", "message"), [
    (ArchiveLimits(max_files=2), "files; the limit"),
    (ArchiveLimits(max_unpacked_bytes=1000), "unpacks to"),
    (ArchiveLimits(max_archive_bytes=100), "bytes; the limit"),
])
def test_package_bounds(tmp_path: Path, limits: ArchiveLimits, message: str) -> None:
    archive = _archive(tmp_path, {"pkg/metadata.json": b"{}", "pkg/a": io.BytesIO(b"x" * 600).getvalue(),
                                  "pkg/b": b"y" * 600})
    with pytest.raises(PackageError, match=message):
        install_archive(archive, tmp_path / "packages", limits)


@pytest.mark.parametrize("entries", [1_500, 300_000])  # a plain end record, and a zip64 one
def test_a_huge_central_directory_is_refused_before_it_is_parsed(tmp_path: Path, entries: int) -> None:
    from tests.abuse.attacks import write_zip_directory

    archive = tmp_path / "many.argosmodel"
    write_zip_directory(archive, entries)
    assert zipfile.is_zipfile(archive)
    started = time.perf_counter()
    with pytest.raises(PackageError, match=f"holds {entries} files; the limit is 1000"):
        install_archive(archive, tmp_path / "packages")
    with pytest.raises(PackageError, match="files; the limit is 1000"):
        check_archive(archive)
    assert time.perf_counter() - started < 2  # zipfile would build 300,000 objects first
