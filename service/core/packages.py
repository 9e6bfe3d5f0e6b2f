"""Argos Translate packages: validate, install, list and remove, without the heavy runtime.

`argostranslate.package.Package` reads every installed package's metadata. Installing does not go
through `argostranslate.package.install_from_path`: that function extracts straight into the live
packages folder with no check, then imports `argostranslate.translate` (and with it stanza, spacy and
minisbd, which the lean runtime leaves out). Here an archive is validated first, extracted beside
the packages, checked again, and only then moved into place, so a bad file never touches what is
installed.
"""

from __future__ import annotations

import json
import logging
import shutil
import struct
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from packaging.version import InvalidVersion, Version

from service.core.exceptions import PackageError

log = logging.getLogger(__name__)

VOCABULARY_FILES = ("shared_vocabulary.json", "shared_vocabulary.txt", "source_vocabulary.json",
                    "source_vocabulary.txt")


@dataclass(frozen=True)
class InstalledPackage:
    """An Argos translation package installed in a packages folder."""

    name: str  # the package folder, e.g. translate-pt_en-1_0
    version: str
    from_code: str
    to_code: str
    path: Path
    target_prefix: str = ""

    @property
    def model_dir(self) -> Path:
        """The CTranslate2 model folder."""
        return self.path / "model"

    @property
    def sentencepiece_model(self) -> Path:
        """The SentencePiece model file."""
        return self.path / "sentencepiece.model"


@dataclass(frozen=True)
class BrokenPackage:
    """A folder in the packages dir that is not a usable package, and why."""

    name: str
    path: Path
    reason: str


def _check_metadata(metadata: Any, where: str) -> dict[str, Any]:
    if not isinstance(metadata, dict):
        raise PackageError(f"{where}: metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not value.strip():
            raise PackageError(f"{where}: metadata.json has no {key}")
    if metadata.get("type", "translate") != "translate":
        raise PackageError(f"{where}: package type {metadata.get('type')!r} is not a translation package")
    return metadata


def check_package_dir(path: Path) -> InstalledPackage:
    """Check that a folder is a complete Argos translation package that ponte can run."""
    where = path.name
    metadata_path = path / "metadata.json"
    if not metadata_path.is_file():
        raise PackageError(f"{where}: no metadata.json")
    try:
        metadata = _check_metadata(json.loads(metadata_path.read_text(encoding="utf-8")), where)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PackageError(f"{where}: metadata.json is not valid JSON ({exc})") from None
    model_dir = path / "model"
    for required in ("model.bin", "config.json"):
        if not (model_dir / required).is_file():
            raise PackageError(f"{where}: model/{required} is missing (not a CTranslate2 model)")
    if not any((model_dir / name).is_file() for name in VOCABULARY_FILES):
        raise PackageError(f"{where}: model/ has no vocabulary file")
    if not (path / "sentencepiece.model").is_file():
        if (path / "bpe.model").is_file():
            raise PackageError(f"{where}: BPE-tokenized packages are not supported; ponte needs sentencepiece.model")
        raise PackageError(f"{where}: sentencepiece.model is missing")
    # argostranslate's own reader must accept it too: that is what the Argos tools will see.
    from argostranslate.package import Package

    try:
        package = Package(path)
    except Exception as exc:  # argostranslate raises bare Exceptions
        raise PackageError(f"{where}: argostranslate cannot read it: {exc}") from None
    return InstalledPackage(
        name=path.name,
        version=str(getattr(package, "package_version", None) or metadata.get("package_version") or "0"),
        from_code=str(package.from_code),
        to_code=str(package.to_code),
        path=path,
        target_prefix=str(metadata.get("target_prefix") or ""),
    )


def _archive_root(archive: zipfile.ZipFile, where: str) -> str:
    roots: set[str] = set()
    files: set[PurePosixPath] = set()
    folders: set[PurePosixPath] = set()
    for info in archive.infolist():
        member = PurePosixPath(info.filename)
        if member.is_absolute() or ".." in member.parts or "\\" in info.filename:
            raise PackageError(f"{where}: unsafe path in archive: {info.filename!r}")
        if member.parts:
            roots.add(member.parts[0])
            folders.update(member.parents)
            if not info.is_dir():
                files.add(member)
    if len(roots) != 1:
        raise PackageError(f"{where}: an .argosmodel holds exactly one top-level folder, found {len(roots)}")
    root = roots.pop()
    if root.startswith("."):  # installed, it would be a hidden folder: never listed, never removable
        raise PackageError(f"{where}: the top-level folder {root!r} starts with '.' (a hidden name)")
    both = sorted(files & folders)
    if both:
        raise PackageError(f"{where}: {str(both[0])!r} is both a file and a folder in the archive")
    if PurePosixPath(root) not in folders:  # no member lies under it
        raise PackageError(f"{where}: the top-level entry {root!r} is not a folder")
    return root


@dataclass(frozen=True)
class ArchiveLimits:
    """What one package may weigh. Real Argos packages are 70-200 MB zipped and barely compress (int8
    weights), so a high ratio or size is a zip bomb, refused before a byte is written."""

    max_archive_bytes: int = 1024 * 1024 * 1024
    max_unpacked_bytes: int = 1024 * 1024 * 1024
    max_files: int = 1000
    max_ratio: float = 20.0


def _check_sizes(archive: zipfile.ZipFile, archive_bytes: int, where: str, limits: ArchiveLimits) -> None:
    members = archive.infolist()
    if len(members) > limits.max_files:
        raise PackageError(f"{where}: holds {len(members)} files; the limit is {limits.max_files}")
    unpacked = sum(info.file_size for info in members)
    if unpacked > limits.max_unpacked_bytes:
        raise PackageError(f"{where}: unpacks to {unpacked} bytes; the limit is {limits.max_unpacked_bytes}")
    if unpacked > limits.max_ratio * max(archive_bytes, 1) and unpacked > 1024 * 1024:
        raise PackageError(f"{where}: unpacks to {unpacked} bytes from {archive_bytes} "
                           f"(over {limits.max_ratio:g} times its size): refused as a zip bomb")


_END = struct.Struct("<4s4H2LH")  # end of central directory record
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")
_CENTRAL_ENTRY_MAX = 46 + 3 * 65535  # a central directory entry: 46 bytes + name, extra field and comment


def _count_entries(path: Path, where: str, limits: ArchiveLimits) -> None:
    """Refuse an archive whose central directory has more entries than `max_files` (or more bytes than they can
    take), read from its end record before zipfile parses the directory: zipfile builds an object per entry,
    and a million entries cost 29 s and 545 MB before a size check could run."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        tail_start = max(0, size - (_END.size + (1 << 16)))  # as far back as zipfile looks for it
        handle.seek(tail_start)
        tail = handle.read()
        at = len(tail) - _END.size  # zipfile takes a record that ends the file with no comment first
        if at < 0 or tail[at:at + 4] != b"PK\x05\x06" or tail[-2:] != b"\0\0":
            at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + _END.size > len(tail):
            return  # not a zip: zipfile says so
        _, _, _, _, entries, directory, _, _ = _END.unpack_from(tail, at)
        locator_at = at - _ZIP64_LOCATOR.size
        if locator_at >= 0 and tail[locator_at:locator_at + 4] == b"PK\x06\x07":
            _, _, offset, _ = _ZIP64_LOCATOR.unpack_from(tail, locator_at)
            handle.seek(offset)
            record = handle.read(_ZIP64_END.size)
            if len(record) == _ZIP64_END.size and record[:4] == b"PK\x06\x06":
                _, _, _, _, _, _, _, entries, directory, _ = _ZIP64_END.unpack(record)
    if entries > limits.max_files:
        raise PackageError(f"{where}: holds {entries} files; the limit is {limits.max_files} (counted in its end "
                           "record, before its directory is read)")
    if directory > limits.max_files * _CENTRAL_ENTRY_MAX:
        raise PackageError(f"{where}: its directory of entries is {directory} bytes; the limit is "
                           f"{limits.max_files * _CENTRAL_ENTRY_MAX} ({limits.max_files} entries)")


def _extract_bounded(archive: zipfile.ZipFile, staging: Path, where: str, limits: ArchiveLimits) -> None:
    """Extract member by member, counting the bytes really written (sizes in the directory can lie)."""
    written = 0
    for info in archive.infolist():
        target = staging / info.filename
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, target.open("wb") as sink:
            while block := source.read(1 << 20):
                written += len(block)
                if written > limits.max_unpacked_bytes:
                    raise PackageError(f"{where}: unpacks to more than {limits.max_unpacked_bytes} bytes")
                sink.write(block)


def check_archive(archive_path: Path) -> dict[str, Any]:
    """Check, without extracting, that a file is an .argosmodel: a zip, one top folder, a good metadata.json."""
    where = archive_path.name
    if not archive_path.is_file():
        raise PackageError(f"{archive_path}: no such file")
    if not zipfile.is_zipfile(archive_path):
        raise PackageError(f"{where}: not a valid Argos package (an .argosmodel is a zip archive)")
    _count_entries(archive_path, where, ArchiveLimits())
    try:
        with zipfile.ZipFile(archive_path) as archive:
            root = _archive_root(archive, where)
            try:
                raw = archive.read(f"{root}/metadata.json")
            except KeyError:
                raise PackageError(f"{where}: no {root}/metadata.json") from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise PackageError(f"{where}: cannot be read as a zip archive: {exc}") from None
    try:
        return _check_metadata(json.loads(raw.decode("utf-8")), where)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PackageError(f"{where}: metadata.json is not valid JSON ({exc})") from None


def install_archive(archive_path: Path, packages_dir: Path,
                    limits: ArchiveLimits | None = None) -> InstalledPackage:
    """Validate an .argosmodel file and install it; a bad file leaves the installed packages untouched."""
    limits = limits or ArchiveLimits()
    where = archive_path.name
    if not archive_path.is_file():
        raise PackageError(f"{archive_path}: no such file")
    archive_bytes = archive_path.stat().st_size
    if archive_bytes > limits.max_archive_bytes:
        raise PackageError(f"{where}: {archive_bytes} bytes; the limit is {limits.max_archive_bytes}")
    if not zipfile.is_zipfile(archive_path):
        raise PackageError(f"{where}: not a valid Argos package (an .argosmodel is a zip archive)")
    _count_entries(archive_path, where, limits)
    packages_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=packages_dir))
    try:
        try:
            with zipfile.ZipFile(archive_path) as archive:
                root = _archive_root(archive, where)
                _check_sizes(archive, archive_bytes, where, limits)
                bad = archive.testzip()
                if bad is not None:
                    raise PackageError(f"{where}: corrupt member {bad!r} (CRC mismatch)")
                _extract_bounded(archive, staging, where, limits)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise PackageError(f"{where}: cannot be read as a zip archive: {exc}") from None
        candidate = check_package_dir(staging / root)
        target = packages_dir / root
        previous = None
        if target.exists():
            previous = staging / ".previous"
            target.rename(previous)
        (staging / root).rename(target)
        log.info("installed %s %s (%s->%s) into %s", root, candidate.version, candidate.from_code,
                 candidate.to_code, packages_dir)
        return check_package_dir(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def scan_packages(packages_dir: Path) -> tuple[list[InstalledPackage], list[BrokenPackage]]:
    """The usable packages in a folder, and the folders that are not usable with the reason."""
    good: list[InstalledPackage] = []
    broken: list[BrokenPackage] = []
    if not packages_dir.is_dir():
        return good, broken
    for path in sorted(packages_dir.iterdir()):
        if not path.is_dir() or path.name.startswith("."):
            continue
        try:
            good.append(check_package_dir(path))
        except PackageError as exc:
            broken.append(BrokenPackage(path.name, path, str(exc)))
    return good, broken


def remove_package(name: str, packages_dir: Path) -> Path:
    """Remove an installed package folder by name."""
    target = packages_dir / name
    if "/" in name or name.startswith(".") or not target.is_dir():
        raise PackageError(f"no installed package named {name!r} in {packages_dir}")
    shutil.rmtree(target)
    return target


def _version_order(value: object) -> tuple[int, Version, str]:
    """How package versions rank: as versions ("1.10" after "1.9"), a value that is no version below every one."""
    try:
        return 1, Version(str(value)), ""
    except InvalidVersion:
        return 0, Version("0"), str(value)


def install_from_index(from_code: str, to_code: str, packages_dir: Path, index_url: str,
                       timeout: float = 15.0) -> InstalledPackage:
    """Download the pair's package from the Argos index and install it: the only networked operation."""
    try:
        with urllib.request.urlopen(index_url, timeout=timeout) as response:  # noqa: S310 (explicit command)
            index = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise PackageError(
            f"cannot reach the Argos package index at {index_url} ({exc}). This machine may be offline: "
            "install from a local file instead (PONTE_MODEL_FILE=/path/to/model.argosmodel, or "
            "`python -m service models install /path/to/model.argosmodel`; to try ponte offline, a checkout ships a "
            "tiny test package: PONTE_MODEL_FILE=tests/fixtures/translate-pt_en-ponte_test-1_0.argosmodel)."
        ) from None
    except ValueError as exc:
        raise PackageError(f"the Argos package index at {index_url} is not valid JSON: {exc}") from None
    matches = [p for p in index if isinstance(p, dict) and p.get("from_code") == from_code
               and p.get("to_code") == to_code and p.get("links")]
    if not matches:
        raise PackageError(f"the Argos package index has no {from_code}->{to_code} package")
    best = max(matches, key=lambda p: _version_order(p.get("package_version")))
    with tempfile.TemporaryDirectory() as tmp:
        archive_path = Path(tmp) / f"{from_code}_{to_code}.argosmodel"
        last_error: Exception | None = None
        for link in best["links"]:
            try:
                with urllib.request.urlopen(link, timeout=timeout) as response, archive_path.open("wb") as out:  # noqa: S310
                    shutil.copyfileobj(response, out)
                return install_archive(archive_path, packages_dir)
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                last_error = exc
        raise PackageError(f"could not download the {from_code}->{to_code} package: {last_error}")
