"""Argos packages: a valid package installs; a bad one is refused and leaves installed ones untouched."""

from __future__ import annotations

import json
import shutil
import socket
import zipfile
from pathlib import Path

import pytest

from service.core.exceptions import PackageError
from service.core.packages import (
    check_package_dir,
    install_archive,
    install_from_index,
    remove_package,
    scan_packages,
)

PACKAGE = "translate-pt_en-ponte_test-1_0"


def zip_folder(folder: Path, archive: Path, *, root: str | None = None, skip: set[str] = frozenset(),
               extra: dict[str, bytes] | None = None) -> Path:
    """Write `folder` as an .argosmodel with one top-level folder, leaving out `skip` (relative paths)."""
    root = root or folder.name
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and rel not in skip:
                zf.write(path, f"{root}/{rel}")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return archive


def test_fixture_is_a_real_argos_package(packages_dir: Path) -> None:
    from argostranslate.package import get_installed_packages

    found = get_installed_packages([packages_dir])
    assert [(p.from_code, p.to_code) for p in found] == [("pt", "en")]
    package = check_package_dir(packages_dir / PACKAGE)
    assert (package.from_code, package.to_code, package.version) == ("pt", "en", "1.0")
    assert (package.model_dir / "model.bin").is_file()
    assert package.sentencepiece_model.is_file()


def test_install_and_scan(tmp_path: Path, fixture_model: Path) -> None:
    target = tmp_path / "pkgs"
    installed = install_archive(fixture_model, target)
    assert installed.name == PACKAGE
    good, broken = scan_packages(target)
    assert [p.name for p in good] == [PACKAGE]
    assert broken == []
    assert not [p for p in target.iterdir() if p.name.startswith(".")]  # no staging left behind


def test_reinstall_replaces_in_place(own_packages_dir: Path, fixture_model: Path) -> None:
    install_archive(fixture_model, own_packages_dir)
    good, _ = scan_packages(own_packages_dir)
    assert [p.name for p in good] == [PACKAGE]


def _bad_archives(tmp_path: Path, installed: Path) -> dict[str, Path]:
    not_zip = tmp_path / "not-zip.argosmodel"
    not_zip.write_bytes(b"this is not a zip file")
    truncated = tmp_path / "truncated.argosmodel"
    good = zip_folder(installed, tmp_path / "good.argosmodel")
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return {
        "not a zip": not_zip,
        "truncated": truncated,
        "two top-level folders": zip_folder(installed, tmp_path / "two.argosmodel", extra={"other/x.txt": b"x"}),
        "no metadata": zip_folder(installed, tmp_path / "nometa.argosmodel", skip={"metadata.json"}),
        "no model.bin": zip_folder(installed, tmp_path / "nomodel.argosmodel", skip={"model/model.bin"}),
        "no sentencepiece": zip_folder(installed, tmp_path / "nosp.argosmodel", skip={"sentencepiece.model"}),
        "path traversal": zip_folder(installed, tmp_path / "evil.argosmodel",
                                     extra={f"{installed.name}/../../evil.txt": b"x"}),
    }


@pytest.mark.parametrize("case", ["not a zip", "truncated", "two top-level folders", "no metadata", "no model.bin",
                                  "no sentencepiece", "path traversal"])
def test_bad_archive_is_refused_and_installed_untouched(tmp_path: Path, own_packages_dir: Path, case: str) -> None:
    archives = _bad_archives(tmp_path, own_packages_dir / PACKAGE)
    before = sorted(p.relative_to(own_packages_dir) for p in own_packages_dir.rglob("*"))
    with pytest.raises(PackageError) as error:
        install_archive(archives[case], own_packages_dir)
    assert str(error.value)
    after = sorted(p.relative_to(own_packages_dir) for p in own_packages_dir.rglob("*"))
    assert after == before
    assert not (tmp_path / "evil.txt").exists()


def test_metadata_must_name_the_languages(tmp_path: Path, own_packages_dir: Path) -> None:
    folder = tmp_path / PACKAGE
    shutil.copytree(own_packages_dir / PACKAGE, folder)
    (folder / "metadata.json").write_text(json.dumps({"from_code": "pt"}))
    with pytest.raises(PackageError, match="no to_code"):
        install_archive(zip_folder(folder, tmp_path / "x.argosmodel"), own_packages_dir)


def test_scan_reports_broken_folders(own_packages_dir: Path) -> None:
    (own_packages_dir / "leftover").mkdir()
    good, broken = scan_packages(own_packages_dir)
    assert [p.name for p in good] == [PACKAGE]
    assert [(b.name, "no metadata.json" in b.reason) for b in broken] == [("leftover", True)]


def test_remove(own_packages_dir: Path) -> None:
    remove_package(PACKAGE, own_packages_dir)
    assert scan_packages(own_packages_dir) == ([], [])
    with pytest.raises(PackageError, match="no installed package"):
        remove_package(PACKAGE, own_packages_dir)
    with pytest.raises(PackageError):
        remove_package("../etc", own_packages_dir)


def test_index_unreachable_fails_clearly(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port on loopback with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(PackageError, match=r"cannot reach the Argos package index.*PONTE_MODEL_FILE"):
        install_from_index("pt", "en", tmp_path, f"http://127.0.0.1:{port}/index.json", timeout=2)
