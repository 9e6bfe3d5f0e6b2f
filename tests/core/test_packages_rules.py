"""Argos packages, rule by rule: each check's message, the limits at their exact bounds, the zip records that
are read before the directory, the staging folder, and choosing a package from an index (file:// URLs, no
network). The packages here are tiny fakes: argostranslate only reads metadata.json until it translates."""

from __future__ import annotations

import io
import json
import logging
import shutil
import struct
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from service.core import packages
from service.core.exceptions import PackageError
from service.core.packages import (
    ArchiveLimits,
    InstalledPackage,
    check_archive,
    check_package_dir,
    install_archive,
    install_from_index,
    remove_package,
    scan_packages,
)

ROOT = "translate-pt_en-rules"
STAMP = (2024, 1, 1, 0, 0, 0)
METADATA: dict[str, Any] = {"from_code": "pt", "to_code": "en", "package_version": "1.0", "type": "translate"}
Entries = list[tuple[str, bytes | None]]  # a name, and its bytes (None: a directory entry)


def package_files(metadata: Any = None, *, raw_metadata: bytes | None = None) -> dict[str, bytes]:
    """The files of a tiny package, by path inside its folder."""
    if raw_metadata is None:
        raw_metadata = json.dumps(METADATA if metadata is None else metadata, ensure_ascii=False).encode()
    return {
        "metadata.json": raw_metadata,
        "model/config.json": b"{}",
        "model/model.bin": b"ctranslate2 weights",
        "model/shared_vocabulary.json": b"[]",
        "sentencepiece.model": b"sentencepiece",
    }


def write_folder(folder: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return folder


def package_entries(root: str = ROOT, metadata: Any = None, extra: dict[str, bytes] | None = None) -> Entries:
    files = {**package_files(metadata), **(extra or {})}
    return [(f"{root}/{rel}", data) for rel, data in files.items()]


def write_zip(path: Path, entries: Entries, *, compression: int = zipfile.ZIP_DEFLATED,
              last_comment: bytes = b"") -> Path:
    """Write the entries in this order; `last_comment` goes in the last entry's central directory record."""
    with zipfile.ZipFile(path, "w") as zf:
        for i, (name, data) in enumerate(entries):
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.compress_type = compression
            if i == len(entries) - 1:
                info.comment = last_comment
            zf.writestr(info, b"" if data is None else data)
    return path


def end_record(entries: int, directory: int = 0, offset: int = 0) -> bytes:
    """A bare end of central directory record: signature, disks, entry counts, directory size and offset."""
    return struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, entries, entries, directory, offset, 0)


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def refused(call: Callable[[], object]) -> str:
    with pytest.raises(PackageError) as error:
        call()
    return str(error.value)


# --- metadata.json -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("metadata", "message"), [
    ([1, 2], "x.argosmodel: metadata.json is not a JSON object"),
    ({"to_code": "en"}, "x.argosmodel: metadata.json has no from_code"),
    ({"from_code": " ", "to_code": "en"}, "x.argosmodel: metadata.json has no from_code"),
    ({"from_code": "pt"}, "x.argosmodel: metadata.json has no to_code"),
    ({"from_code": "pt", "to_code": 7}, "x.argosmodel: metadata.json has no to_code"),
    ({"from_code": "pt", "to_code": "en", "type": "sbd"},
     "x.argosmodel: package type 'sbd' is not a translation package"),
    ({"from_code": "pt", "to_code": "en", "type": None},
     "x.argosmodel: package type None is not a translation package"),
])
def test_check_archive_refuses_bad_metadata_saying_why(tmp_path: Path, metadata: Any, message: str) -> None:
    archive = write_zip(tmp_path / "x.argosmodel", package_entries(metadata=metadata))
    assert refused(lambda: check_archive(archive)) == message


@pytest.mark.parametrize("metadata", [
    {"from_code": "pt", "to_code": "en"},  # no type: a translation package
    {"from_code": "pt", "to_code": "en", "type": "translate"},
])
def test_check_archive_returns_the_metadata_of_a_translation_package(tmp_path: Path,
                                                                    metadata: dict[str, Any]) -> None:
    archive = write_zip(tmp_path / "x.argosmodel", package_entries(metadata=metadata))
    assert check_archive(archive) == metadata


@pytest.mark.parametrize("raw", [b"{not json", b'{"from_code": "p\xe9"}'])
def test_check_archive_refuses_metadata_that_is_not_json(tmp_path: Path, raw: bytes) -> None:
    files = package_files(raw_metadata=raw)
    archive = write_zip(tmp_path / "x.argosmodel", [(f"{ROOT}/{rel}", data) for rel, data in files.items()])
    assert refused(lambda: check_archive(archive)).startswith("x.argosmodel: metadata.json is not valid JSON (")


def test_check_archive_names_the_missing_metadata(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "x.argosmodel", [(f"{ROOT}/model/model.bin", b"x")])
    assert refused(lambda: check_archive(archive)) == f"x.argosmodel: no {ROOT}/metadata.json"


def test_check_archive_refuses_a_missing_file_and_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    assert refused(lambda: check_archive(tmp_path / "nothing.argosmodel")) == (
        f"{tmp_path / 'nothing.argosmodel'}: no such file")
    (tmp_path / "text.argosmodel").write_text("not a zip")
    assert refused(lambda: check_archive(tmp_path / "text.argosmodel")) == (
        "text.argosmodel: not a valid Argos package (an .argosmodel is a zip archive)")


# --- the archive's layout ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("entries", "message"), [
    ([(f"{ROOT}/metadata.json", b"{}"), (f"{ROOT}/../../evil.txt", b"x")],
     f"x.argosmodel: unsafe path in archive: '{ROOT}/../../evil.txt'"),
    ([(f"{ROOT}/metadata.json", b"{}"), (f"{ROOT}/model\\evil.txt", b"x")],
     f"x.argosmodel: unsafe path in archive: '{ROOT}/model\\\\evil.txt'"),
    ([(f"{ROOT}/metadata.json", b"{}"), ("other/x.txt", b"x")],
     "x.argosmodel: an .argosmodel holds exactly one top-level folder, found 2"),
    ([(ROOT, b"a file, not a folder")], f"x.argosmodel: the top-level entry '{ROOT}' is not a folder"),
])
def test_archive_layout_is_refused_saying_why(tmp_path: Path, own_dir: Path, entries: Entries,
                                              message: str) -> None:
    archive = write_zip(tmp_path / "x.argosmodel", entries)
    assert refused(lambda: check_archive(archive)) == message
    assert refused(lambda: install_archive(archive, own_dir)) == message
    assert listing(own_dir) == []


@pytest.fixture
def own_dir(tmp_path: Path) -> Path:
    """An empty packages folder."""
    target = tmp_path / "packages"
    target.mkdir()
    return target


# --- the end records, read before zipfile reads the directory ----------------------------------------------


def test_an_end_record_alone_is_counted(tmp_path: Path) -> None:
    lying = tmp_path / "e.argosmodel"
    lying.write_bytes(end_record(5000))
    assert refused(lambda: check_archive(lying)) == (
        "e.argosmodel: holds 5000 files; the limit is 1000 (counted in its end record, before its directory is read)")
    lying.write_bytes(end_record(1000))  # at the limit: counted, then read (it holds nothing)
    assert refused(lambda: check_archive(lying)) == (
        "e.argosmodel: an .argosmodel holds exactly one top-level folder, found 0")


def test_the_directory_size_is_bounded_by_the_entry_limit(tmp_path: Path, own_dir: Path) -> None:
    limit = 1000 * (46 + 3 * 65535)  # each entry: 46 bytes and up to 64 KiB of name, extra field and comment
    lying = tmp_path / "e.argosmodel"
    lying.write_bytes(end_record(1, directory=limit + 1))
    assert refused(lambda: check_archive(lying)) == (
        f"e.argosmodel: its directory of entries is {limit + 1} bytes; the limit is {limit} (1000 entries)")
    lying.write_bytes(end_record(1, directory=limit))  # at the limit: passed on to zipfile, which cannot read it
    assert refused(lambda: check_archive(lying)).startswith("e.argosmodel: cannot be read as a zip archive: ")
    assert refused(lambda: install_archive(lying, own_dir)).startswith(
        "e.argosmodel: cannot be read as a zip archive: ")
    assert listing(own_dir) == []


def test_the_count_reads_the_last_end_signature(tmp_path: Path) -> None:
    fake = b"PK\x05\x06" + b"\xff" * 18  # an end record claiming 65535 entries, inside a stored file
    archive = write_zip(tmp_path / "x.argosmodel", package_entries(extra={"README.md": fake}),
                        compression=zipfile.ZIP_STORED)
    assert fake in archive.read_bytes()
    assert check_archive(archive) == METADATA


def test_the_count_reads_the_last_end_signature_when_a_comment_follows_the_record(tmp_path: Path) -> None:
    # with an archive comment the record does not end the file, so the signature is searched backwards: the last one
    # is the record's, not the fake one inside a stored file before it
    fake = b"PK\x05\x06" + b"\xff" * 18
    archive = write_zip(tmp_path / "x.argosmodel", package_entries(extra={"README.md": fake}),
                        compression=zipfile.ZIP_STORED)
    data = archive.read_bytes()
    archive.write_bytes(data[:-2] + struct.pack("<H", 4) + b"note")
    with zipfile.ZipFile(archive) as zf:
        assert zf.comment == b"note"
    assert check_archive(archive) == METADATA


def test_an_end_record_holding_its_signature_again_is_no_crash(tmp_path: Path) -> None:
    data = write_zip(tmp_path / "x.argosmodel", package_entries()).read_bytes()
    archive = tmp_path / "y.argosmodel"  # its directory offset field reads 'PK\x05\x06'
    archive.write_bytes(data[:-6] + b"PK\x05\x06" + data[-2:])
    assert zipfile.is_zipfile(archive)
    assert refused(lambda: check_archive(archive)).startswith("y.argosmodel: cannot be read as a zip archive: ")


@pytest.mark.parametrize(("disks", "entries", "counted"), [
    ((0x4B50, 0x0605), (5000, 5000), 5000),  # the disk number fields read 'PK\x05\x06'
    ((0, 0), (0x4B50, 0x0605), 0x0605),  # the entry counts do
])
def test_an_end_record_that_ends_the_file_is_counted_whatever_its_fields_hold(
        tmp_path: Path, disks: tuple[int, int], entries: tuple[int, int], counted: int) -> None:
    # zipfile takes the record that ends the file (with no comment) before searching back for a signature, so the
    # count must read that one too: a signature inside its fields is not the start of a later record
    record = struct.pack("<4s4H2LH", b"PK\x05\x06", *disks, *entries, 0, 0, 0)
    assert record.count(b"PK\x05\x06") == 2
    lying = tmp_path / "e.argosmodel"
    lying.write_bytes(record)
    assert refused(lambda: check_archive(lying)) == (
        f"e.argosmodel: holds {counted} files; the limit is 1000 (counted in its end record, before its directory "
        "is read)")


LOCATOR = struct.Struct("<4sLQL")  # zip64 end record locator: signature, disk, offset, disks


def test_a_zip64_locator_pointing_at_no_zip64_record_is_ignored(tmp_path: Path) -> None:
    # the locator sits right before the end record (as the last entry's comment) and points at the archive's
    # start: a local file header, not a zip64 end record
    archive = write_zip(tmp_path / "x.argosmodel", package_entries(),
                        last_comment=LOCATOR.pack(b"PK\x06\x07", 0, 0, 1))
    assert check_archive(archive) == METADATA


def test_a_zip64_record_is_counted_when_its_locator_opens_the_searched_tail(tmp_path: Path) -> None:
    # The archive comment is 65516 bytes, so the locator (20 bytes) before the end record (22 bytes) is the very
    # first byte of the last 22 + 65536 = 65558 bytes searched. The zip64 record (in the comment) claims 5000 entries.
    zip64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, 5000, 5000, 100, 0)
    comment = zip64 + b"p" * (65516 - len(zip64))
    size = write_zip(tmp_path / "probe.argosmodel", package_entries(),
                     last_comment=LOCATOR.pack(b"PK\x06\x07", 0, 0, 1)).stat().st_size
    archive = write_zip(tmp_path / "x.argosmodel", package_entries(),
                        last_comment=LOCATOR.pack(b"PK\x06\x07", 0, size, 1))
    data = archive.read_bytes()
    assert len(data) == size and data[-2:] == b"\0\0"
    archive.write_bytes(data[:-2] + struct.pack("<H", len(comment)) + comment)
    with zipfile.ZipFile(archive) as zf:
        assert zf.comment == comment
    assert refused(lambda: check_archive(archive)) == (
        "x.argosmodel: holds 5000 files; the limit is 1000 (counted in its end record, before its directory is read)")


# --- limits at their bounds --------------------------------------------------------------------------------


def test_file_count_limit_is_inclusive(tmp_path: Path, own_dir: Path) -> None:
    archive = write_zip(tmp_path / "x.argosmodel", package_entries())
    assert install_archive(archive, own_dir, ArchiveLimits(max_files=5)).name == ROOT
    assert refused(lambda: install_archive(archive, own_dir, ArchiveLimits(max_files=4))) == (
        "x.argosmodel: holds 5 files; the limit is 4 (counted in its end record, before its directory is read)")


@pytest.mark.parametrize("trailing", [65_535, 65_536])
def test_the_end_record_is_counted_as_far_back_as_zipfile_finds_it(tmp_path: Path, trailing: int) -> None:
    # zipfile finds an end record with up to 65,536 bytes after it (a comment's worth and one), so must the count
    data = bytearray(write_zip(tmp_path / "x.argosmodel", package_entries()).read_bytes())
    struct.pack_into("<HH", data, len(data) - 22 + 8, 5000, 5000)  # the end record claims 5000 entries
    claimed = tmp_path / "claimed.argosmodel"
    claimed.write_bytes(bytes(data) + b"\0" * trailing)
    assert zipfile.is_zipfile(claimed)
    assert refused(lambda: check_archive(claimed)) == (
        "claimed.argosmodel: holds 5000 files; the limit is 1000 (counted in its end record, before its directory is "
        "read)")


def test_a_directory_holding_more_entries_than_its_end_record_says_is_counted_again(tmp_path: Path,
                                                                                    own_dir: Path) -> None:
    data = bytearray(write_zip(tmp_path / "x.argosmodel", package_entries()).read_bytes())
    struct.pack_into("<HH", data, len(data) - 22 + 8, 1, 1)  # the end record says 1 entry; zipfile reads 5
    lying = tmp_path / "lying.argosmodel"
    lying.write_bytes(bytes(data))
    with zipfile.ZipFile(lying) as zf:
        assert len(zf.infolist()) == 5
    assert refused(lambda: install_archive(lying, own_dir, ArchiveLimits(max_files=4))) == (
        "lying.argosmodel: holds 5 files; the limit is 4")
    assert listing(own_dir) == []


def test_archive_size_limit_is_inclusive(tmp_path: Path, own_dir: Path) -> None:
    archive = write_zip(tmp_path / "x.argosmodel", package_entries())
    size = archive.stat().st_size
    assert install_archive(archive, own_dir, ArchiveLimits(max_archive_bytes=size)).name == ROOT
    assert refused(lambda: install_archive(archive, own_dir, ArchiveLimits(max_archive_bytes=size - 1))) == (
        f"x.argosmodel: {size} bytes; the limit is {size - 1}")


def test_unpacked_size_limit_is_inclusive(tmp_path: Path, own_dir: Path) -> None:
    entries = package_entries()
    unpacked = sum(len(data or b"") for _, data in entries)
    archive = write_zip(tmp_path / "x.argosmodel", entries)
    assert install_archive(archive, own_dir, ArchiveLimits(max_unpacked_bytes=unpacked)).name == ROOT
    assert refused(lambda: install_archive(archive, own_dir, ArchiveLimits(max_unpacked_bytes=unpacked - 1))) == (
        f"x.argosmodel: unpacks to {unpacked} bytes; the limit is {unpacked - 1}")


def padded_entries(unpacked: int) -> Entries:
    """A package of `unpacked` bytes in all, most of them zeros (which compress about a thousandfold)."""
    entries = package_entries()
    small = sum(len(data or b"") for _, data in entries)
    return [*entries, (f"{ROOT}/padding.bin", bytes(unpacked - small))]


def test_a_high_ratio_is_allowed_up_to_one_mebibyte(tmp_path: Path, own_dir: Path) -> None:
    archive = write_zip(tmp_path / "x.argosmodel", padded_entries(1024 * 1024))
    assert archive.stat().st_size * 20 < 1024 * 1024
    assert install_archive(archive, own_dir).name == ROOT


def test_a_high_ratio_past_one_mebibyte_is_a_zip_bomb(tmp_path: Path, own_dir: Path) -> None:
    archive = write_zip(tmp_path / "x.argosmodel", padded_entries(1024 * 1024 + 1))
    size = archive.stat().st_size
    assert refused(lambda: install_archive(archive, own_dir)) == (
        f"x.argosmodel: unpacks to 1048577 bytes from {size} (over 20 times its size): refused as a zip bomb")
    assert listing(own_dir) == []


def test_the_ratio_limit_is_inclusive(tmp_path: Path, own_dir: Path) -> None:
    data = write_zip(tmp_path / "x.argosmodel", padded_entries(2 * 1024 * 1024)).read_bytes()
    assert len(data) < 4096 and data[-2:] == b"\0\0"
    padding = b"p" * (4096 - len(data))  # an archive comment brings the archive to 4096 bytes: 512 times less
    archive = tmp_path / "y.argosmodel"
    archive.write_bytes(data[:-2] + struct.pack("<H", len(padding)) + padding)
    assert archive.stat().st_size == 4096
    assert install_archive(archive, own_dir, ArchiveLimits(max_ratio=512)).name == ROOT
    assert refused(lambda: install_archive(archive, own_dir, ArchiveLimits(max_ratio=511.5))).endswith(
        "(over 511.5 times its size): refused as a zip bomb")


# --- extracting --------------------------------------------------------------------------------------------


def test_corrupt_member_is_named(tmp_path: Path, own_dir: Path) -> None:
    archive = write_zip(tmp_path / "x.argosmodel", package_entries(), compression=zipfile.ZIP_STORED)
    data = archive.read_bytes()
    at = data.index(b"ctranslate2 weights")
    archive.write_bytes(data[:at] + b"C" + data[at + 1:])  # same size, CRC no longer matches
    assert refused(lambda: install_archive(archive, own_dir)) == (
        f"x.argosmodel: corrupt member '{ROOT}/model/model.bin' (CRC mismatch)")
    assert listing(own_dir) == []


@pytest.mark.parametrize("order", ["folders first, deepest first", "files first, then their folders",
                                   "deepest files first"])
def test_entries_install_in_any_order(tmp_path: Path, own_dir: Path, order: str) -> None:
    files = package_entries()
    folders: Entries = [(f"{ROOT}/model/", None), (f"{ROOT}/", None)]
    entries = {
        "folders first, deepest first": folders + files,
        "files first, then their folders": files + folders[::-1],
        "deepest files first": sorted(files, key=lambda entry: -entry[0].count("/")),
    }[order]
    archive = write_zip(tmp_path / "x.argosmodel", entries)
    assert install_archive(archive, own_dir).name == ROOT
    assert sorted(listing(own_dir)) == sorted([ROOT, f"{ROOT}/model", *(name for name, _ in files)])
    assert (own_dir / ROOT / "model" / "model.bin").read_bytes() == b"ctranslate2 weights"


def test_members_are_read_in_blocks_of_at_most_one_mebibyte(tmp_path: Path, own_dir: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int | None] = []
    read = zipfile.ZipExtFile.read

    def spy(self: zipfile.ZipExtFile, n: int | None = -1) -> bytes:
        asked.append(n)
        return read(self, n)

    monkeypatch.setattr(zipfile.ZipExtFile, "read", spy)
    archive = write_zip(tmp_path / "x.argosmodel", padded_entries(3 * 1024 * 1024))
    installed = install_archive(archive, own_dir, ArchiveLimits(max_ratio=10_000))
    assert (installed.path / "padding.bin").stat().st_size > 2 * 1024 * 1024
    assert asked and all(n is not None and 0 < n <= 1024 * 1024 for n in asked)


@pytest.mark.parametrize("order", ["file first", "path under it first"])
def test_a_file_with_a_path_under_it_is_refused_by_name(tmp_path: Path, own_dir: Path, order: str) -> None:
    entries = [*package_entries(), (f"{ROOT}/model/model.bin/x", b"x")]
    if order != "file first":
        entries.reverse()
    archive = write_zip(tmp_path / "x.argosmodel", entries)
    message = f"x.argosmodel: '{ROOT}/model/model.bin' is both a file and a folder in the archive"
    assert refused(lambda: check_archive(archive)) == message
    assert refused(lambda: install_archive(archive, own_dir)) == message
    assert listing(own_dir) == []


def test_a_folder_entry_beside_files_under_it_is_no_clash(tmp_path: Path, own_dir: Path) -> None:
    archive = write_zip(tmp_path / "x.argosmodel", [(f"{ROOT}/", None), (f"{ROOT}/model/", None),
                                                    *package_entries()])
    assert install_archive(archive, own_dir).path == own_dir / ROOT


@pytest.mark.parametrize("root", [".hidden-pt_en", ".previous"])
def test_a_package_folder_with_a_hidden_name_is_refused(tmp_path: Path, own_dir: Path, root: str) -> None:
    # installed, it could be neither listed (scan_packages skips hidden folders) nor removed; `.previous` is where
    # an install keeps the old package aside
    archive = write_zip(tmp_path / "x.argosmodel", package_entries(root=root))
    message = f"x.argosmodel: the top-level folder '{root}' starts with '.' (a hidden name)"
    assert refused(lambda: check_archive(archive)) == message
    assert refused(lambda: install_archive(archive, own_dir)) == message
    assert listing(own_dir) == []


# --- installing: where, how, what is left --------------------------------------------------------------------


def test_install_refuses_a_missing_file_and_a_file_that_is_not_a_zip(tmp_path: Path, own_dir: Path) -> None:
    assert refused(lambda: install_archive(tmp_path / "nothing.argosmodel", own_dir)) == (
        f"{tmp_path / 'nothing.argosmodel'}: no such file")
    (tmp_path / "text.argosmodel").write_text("not a zip")
    assert refused(lambda: install_archive(tmp_path / "text.argosmodel", own_dir)) == (
        "text.argosmodel: not a valid Argos package (an .argosmodel is a zip archive)")


def test_install_creates_the_packages_folder_and_its_parents(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "packages"
    installed = install_archive(write_zip(tmp_path / "x.argosmodel", package_entries()), target)
    assert installed.path == target / ROOT
    assert listing(tmp_path / "a") == sorted(["b", "b/packages", f"b/packages/{ROOT}",
                                              *(f"b/packages/{name}" for name, _ in package_entries()),
                                              f"b/packages/{ROOT}/model"])


def test_staging_is_a_hidden_folder_inside_packages_and_keeps_the_old_package_aside(
        tmp_path: Path, own_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_archive(write_zip(tmp_path / "old.argosmodel", package_entries()), own_dir)
    new = write_zip(tmp_path / "new.argosmodel", package_entries(metadata={**METADATA, "package_version": "2.0"}))
    seen: list[tuple[Path, list[str], str]] = []
    check = packages.check_package_dir

    def spy(path: Path) -> InstalledPackage:
        staging = next(p for p in own_dir.iterdir() if p.name != ROOT)
        previous = staging / ".previous" / "metadata.json"
        seen.append((path.relative_to(own_dir), sorted(p.name for p in staging.iterdir()),
                     json.loads(previous.read_text())["package_version"] if previous.is_file() else ""))
        return check(path)

    monkeypatch.setattr(packages, "check_package_dir", spy)
    assert install_archive(new, own_dir).version == "2.0"
    staging = seen[0][0].parts[0]
    assert staging.startswith(".installing-")
    # checked while staged; then the old package is moved aside into the staging folder, the new one in place
    assert seen == [(Path(staging, ROOT), [ROOT], ""), (Path(ROOT), [".previous"], "1.0")]
    assert [p.name for p in own_dir.iterdir()] == [ROOT]  # the staging folder is gone


def test_install_succeeds_when_the_staging_folder_is_already_gone(tmp_path: Path, own_dir: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    check = packages.check_package_dir

    def spy(path: Path) -> InstalledPackage:
        if path == own_dir / ROOT:  # installed: someone clears the staging folder before ponte does
            for staging in own_dir.glob(".installing-*"):
                shutil.rmtree(staging)
        return check(path)

    monkeypatch.setattr(packages, "check_package_dir", spy)
    assert install_archive(write_zip(tmp_path / "x.argosmodel", package_entries()), own_dir).name == ROOT
    assert [p.name for p in own_dir.iterdir()] == [ROOT]


def test_install_logs_what_it_installed(tmp_path: Path, own_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    archive = write_zip(tmp_path / "x.argosmodel", package_entries(metadata={**METADATA, "package_version": "3.1"}))
    with caplog.at_level(logging.INFO, logger="service.core.packages"):
        install_archive(archive, own_dir)
    assert [r.getMessage() for r in caplog.records if r.name == "service.core.packages"] == [
        f"installed {ROOT} 3.1 (pt->en) into {own_dir}"]


# --- an installed folder -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "message"), [
    ({"metadata.json": None}, "pkg: no metadata.json"),
    ({"metadata.json": b'{"from_code": "pt"}'}, "pkg: metadata.json has no to_code"),
    ({"model/model.bin": None}, "pkg: model/model.bin is missing (not a CTranslate2 model)"),
    ({"model/config.json": None}, "pkg: model/config.json is missing (not a CTranslate2 model)"),
    ({"model/shared_vocabulary.json": None}, "pkg: model/ has no vocabulary file"),
    ({"sentencepiece.model": None}, "pkg: sentencepiece.model is missing"),
    ({"sentencepiece.model": None, "bpe.model": b"bpe"},
     "pkg: BPE-tokenized packages are not supported; ponte needs sentencepiece.model"),
])
def test_check_package_dir_says_what_is_missing(tmp_path: Path, change: dict[str, bytes | None],
                                                message: str) -> None:
    files: dict[str, bytes | None] = {**package_files(), **change}
    folder = write_folder(tmp_path / "pkg", {rel: data for rel, data in files.items() if data is not None})
    assert refused(lambda: check_package_dir(folder)) == message


@pytest.mark.parametrize("raw", [b"{not json", b'{"from_code": "p\xe9"}'])
def test_check_package_dir_refuses_metadata_that_is_not_json(tmp_path: Path, raw: bytes) -> None:
    folder = write_folder(tmp_path / "pkg", package_files(raw_metadata=raw))
    assert refused(lambda: check_package_dir(folder)).startswith("pkg: metadata.json is not valid JSON (")


@pytest.mark.parametrize("vocabulary", ["shared_vocabulary.json", "shared_vocabulary.txt",
                                        "source_vocabulary.json", "source_vocabulary.txt"])
def test_any_vocabulary_file_will_do(tmp_path: Path, vocabulary: str) -> None:
    files = package_files()
    del files["model/shared_vocabulary.json"]
    folder = write_folder(tmp_path / "pkg", {**files, f"model/{vocabulary}": b"[]"})
    assert check_package_dir(folder).name == "pkg"


def test_check_package_dir_reports_what_argostranslate_cannot_read(tmp_path: Path) -> None:
    # argostranslate appends to source_languages: a string there breaks its reader, not ponte's checks
    folder = write_folder(tmp_path / "pkg", package_files({**METADATA, "source_languages": "pt"}))
    assert refused(lambda: check_package_dir(folder)).startswith("pkg: argostranslate cannot read it: ")


def test_check_package_dir_reads_the_package(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "pkg", package_files({**METADATA, "package_version": "1.4",
                                                           "target_prefix": "__en__"}))
    assert check_package_dir(folder) == InstalledPackage(name="pkg", version="1.4", from_code="pt", to_code="en",
                                                         path=folder, target_prefix="__en__")


@pytest.mark.parametrize("version", [None, ""])
def test_a_package_without_version_is_version_0(tmp_path: Path, version: str | None) -> None:
    metadata = {"from_code": "pt", "to_code": "en"} if version is None else {**METADATA, "package_version": version}
    folder = write_folder(tmp_path / "pkg", package_files(metadata))
    installed = check_package_dir(folder)
    assert (installed.version, installed.target_prefix) == ("0", "")


class _Reader:
    """Stands in for argostranslate's Package: a reader that may or may not know the package version."""

    version: str | None = None

    def __init__(self, path: Path) -> None:
        metadata = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
        self.from_code = metadata["from_code"]
        self.to_code = metadata["to_code"]
        if self.version is not None:
            self.package_version = self.version


@pytest.mark.parametrize(("reader_version", "expected"), [
    (None, "1.0"),  # a reader without package_version: the version comes from metadata.json
    ("2.5", "2.5"),  # argostranslate's reading wins over ponte's
])
def test_version_comes_from_argostranslate_then_from_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              reader_version: str | None, expected: str) -> None:
    import argostranslate.package

    reader = type("Reader", (_Reader,), {"version": reader_version})
    monkeypatch.setattr(argostranslate.package, "Package", reader)
    folder = write_folder(tmp_path / "pkg", package_files())
    assert check_package_dir(folder).version == expected


def test_metadata_is_read_as_utf8_whatever_the_default_encoding(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_folder(tmp_path / "pkg", package_files({**METADATA, "target_prefix": "__pt_ção__"}))
    # where the locale's encoding is cp1252 (Windows), text files opened without an encoding are read as cp1252
    monkeypatch.setattr(io, "text_encoding", lambda encoding, stacklevel=2: encoding or "cp1252")
    assert check_package_dir(folder).target_prefix == "__pt_ção__"


# --- scanning and removing -----------------------------------------------------------------------------------


def test_scan_skips_files_and_hidden_folders_and_reports_broken_ones(tmp_path: Path, own_dir: Path) -> None:
    write_folder(own_dir / ROOT, package_files())
    (own_dir / "notes.txt").write_text("not a package")
    write_folder(own_dir / ".installing-abc", {"x": b"x"})
    (own_dir / "broken").mkdir()
    good, broken = scan_packages(own_dir)
    assert [p.name for p in good] == [ROOT]
    assert [(b.name, b.path, b.reason) for b in broken] == [("broken", own_dir / "broken",
                                                              "broken: no metadata.json")]


def test_scan_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert scan_packages(tmp_path / "nowhere") == ([], [])


@pytest.mark.parametrize("name", ["group/pkg", ".installing-abc", "notes.txt"])
def test_remove_refuses_paths_hidden_folders_and_files(own_dir: Path, name: str) -> None:
    write_folder(own_dir / "group" / "pkg", package_files())
    write_folder(own_dir / ".installing-abc", package_files())
    (own_dir / "notes.txt").write_text("x")
    before = listing(own_dir)
    assert refused(lambda: remove_package(name, own_dir)) == f"no installed package named {name!r} in {own_dir}"
    assert listing(own_dir) == before


def test_remove_deletes_the_folder(own_dir: Path) -> None:
    write_folder(own_dir / ROOT, package_files())
    assert remove_package(ROOT, own_dir) == own_dir / ROOT
    assert listing(own_dir) == []


# --- installing from an index (file:// URLs) -----------------------------------------------------------------


def index_file(tmp_path: Path, entries: list[Any]) -> str:
    (tmp_path / "index.json").write_text(json.dumps(entries))
    return (tmp_path / "index.json").as_uri()


def served(tmp_path: Path, root: str, from_code: str = "pt", to_code: str = "en") -> str:
    """An archive for the index to link to, as a file:// URL."""
    metadata = {"from_code": from_code, "to_code": to_code}
    return write_zip(tmp_path / f"{root}.argosmodel", package_entries(root, metadata)).as_uri()


def test_install_from_index_chooses_the_highest_version_of_the_pair_and_falls_back_to_the_next_link(
        tmp_path: Path, own_dir: Path) -> None:
    missing = (tmp_path / "missing.argosmodel").as_uri()
    url = index_file(tmp_path, [
        "not a package", 42, None, ["pt", "en"],
        {"from_code": "pt", "to_code": "en", "package_version": "1.0", "links": [served(tmp_path, "v1_0")]},
        {"from_code": "pt", "to_code": "en", "links": [served(tmp_path, "no_version")]},
        {"from_code": "pt", "to_code": "en", "package_version": "1.2",
         "links": [missing, served(tmp_path, "v1_2")]},
        {"from_code": "pt", "to_code": "en", "package_version": "1.1", "links": [served(tmp_path, "v1_1")]},
        {"from_code": "pt", "to_code": "en", "package_version": "9.0", "links": []},
        {"from_code": "pt", "to_code": "en", "package_version": "9.1"},
        {"from_code": "pt", "to_code": "es", "package_version": "9.2",
         "links": [served(tmp_path, "pt_es", "pt", "es")]},
        {"from_code": "es", "to_code": "en", "package_version": "9.3",
         "links": [served(tmp_path, "es_en", "es", "en")]},
        {"from_code": "en", "to_code": "pt", "package_version": "9.4",
         "links": [served(tmp_path, "en_pt", "en", "pt")]},
    ])
    installed = install_from_index("pt", "en", own_dir, url)
    assert (installed.name, installed.from_code, installed.to_code) == ("v1_2", "pt", "en")
    assert [p.name for p in own_dir.iterdir()] == ["v1_2"]


@pytest.mark.parametrize(("versions", "chosen"), [
    (["1.9", "1.10"], "1.10"),          # as versions, not as strings ("1.10" < "1.9" as text)
    (["2.0", "1.10.1"], "2.0"),
    (["1.0", "next", "0.9"], "1.0"),    # a value that is no version ranks below every version
    (["0", "next"], "0"),               # ... even version 0
    (["alpha", "beta"], "beta"),        # and among themselves, as text
])
def test_install_from_index_ranks_package_versions_as_versions(tmp_path: Path, own_dir: Path, versions: list[str],
                                                               chosen: str) -> None:
    url = index_file(tmp_path, [
        {"from_code": "pt", "to_code": "en", "package_version": version,
         "links": [served(tmp_path, "v" + version.replace(".", "_"))]}
        for version in versions])
    assert install_from_index("pt", "en", own_dir, url).name == "v" + chosen.replace(".", "_")


def test_install_from_index_passes_the_timeout_to_every_request(tmp_path: Path, own_dir: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    timeouts: list[object] = []
    urlopen = urllib.request.urlopen

    def spy(url: str, *args: Any, **kwargs: Any) -> Any:
        timeouts.append(kwargs.get("timeout", args[1] if len(args) > 1 else "none given"))
        return urlopen(url, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", spy)
    url = index_file(tmp_path, [{"from_code": "pt", "to_code": "en", "links": [served(tmp_path, "pkg")]}])
    install_from_index("pt", "en", own_dir, url, timeout=3.5)
    assert timeouts == [3.5, 3.5]
    timeouts.clear()
    install_from_index("pt", "en", own_dir, url)  # the default: 15 s
    assert timeouts == [15.0, 15.0]


def test_install_from_index_without_the_pair(tmp_path: Path, own_dir: Path) -> None:
    url = index_file(tmp_path, [{"from_code": "pt", "to_code": "es", "links": [served(tmp_path, "pkg")]},
                                {"from_code": "pt", "to_code": "en", "links": []}])
    assert refused(lambda: install_from_index("pt", "en", own_dir, url)) == (
        "the Argos package index has no pt->en package")


def test_install_from_index_reports_the_last_download_error(tmp_path: Path, own_dir: Path) -> None:
    links = [(tmp_path / "first.argosmodel").as_uri(), (tmp_path / "second.argosmodel").as_uri()]
    url = index_file(tmp_path, [{"from_code": "pt", "to_code": "en", "links": links}])
    message = refused(lambda: install_from_index("pt", "en", own_dir, url))
    assert message.startswith("could not download the pt->en package: ")
    assert "second.argosmodel" in message and "first.argosmodel" not in message
    assert listing(own_dir) == []


def test_install_from_index_unreachable_says_how_to_install_offline(tmp_path: Path, own_dir: Path) -> None:
    url = (tmp_path / "no-index.json").as_uri()
    message = refused(lambda: install_from_index("pt", "en", own_dir, url))
    assert message.startswith(f"cannot reach the Argos package index at {url} (")
    advice = ("). This machine may be offline: install from a local file instead "
              "(PONTE_MODEL_FILE=/path/to/model.argosmodel, or `python -m service models install "
              "/path/to/model.argosmodel`; to try ponte offline, a checkout ships a tiny test package: "
              "PONTE_MODEL_FILE=tests/fixtures/translate-pt_en-ponte_test-1_0.argosmodel).")
    assert message.endswith(advice)
    assert (Path(__file__).resolve().parents[2] / "tests/fixtures/translate-pt_en-ponte_test-1_0.argosmodel").is_file()


def test_install_from_index_that_is_not_json(tmp_path: Path, own_dir: Path) -> None:
    (tmp_path / "index.json").write_bytes(b"<html>")
    url = (tmp_path / "index.json").as_uri()
    assert refused(lambda: install_from_index("pt", "en", own_dir, url)).startswith(
        f"the Argos package index at {url} is not valid JSON: ")
