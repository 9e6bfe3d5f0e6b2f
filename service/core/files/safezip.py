"""Zip containers (DOCX, PPTX, ODT, ODP, EPUB) read within bounds, and written back member for member.

Reading checks, before a byte is inflated: the member count, the total unpacked size and each large member's
compression ratio (a zip bomb is refused, not inflated), encrypted members, duplicate names. Inflating is
bounded too: zipfile stops at each member's declared size and checks its CRC. Writing keeps every member's
name, order, compression, date, attributes and extra fields; members that were not changed keep their bytes,
so the `mimetype` of ODF and EPUB stays first and stored.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from service.core.files.errors import EncryptedFileError, FileTooLargeError, MalformedFileError, UnsafeFileError

# A member under this size is never a bomb worth the name, whatever its ratio.
_RATIO_FLOOR = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    """What one uploaded container may hold once unpacked."""

    max_unpacked_bytes: int = 100 * 1024 * 1024
    max_members: int = 10_000
    max_ratio: float = 200.0  # office XML compresses 5-30x; a bomb 1000x and more


class SafeZip:
    """The members of a zip held in memory, read once within the limits."""

    def __init__(self, data: bytes, limits: ZipLimits) -> None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
            raise MalformedFileError(f"the file is not a readable zip archive ({exc})") from None
        self.infos = archive.infolist()
        self.comment = archive.comment
        _check(self.infos, limits)
        self.members: dict[str, bytes] = {}
        for info in self.infos:
            if info.is_dir():
                self.members[info.filename] = b""
                continue
            try:
                self.members[info.filename] = archive.read(info)
            except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError, OSError) as exc:
                raise MalformedFileError(f"the zip member {info.filename!r} cannot be read ({exc})") from None

    def names(self) -> list[str]:
        """Member names in archive order."""
        return [info.filename for info in self.infos]

    def write(self, replaced: dict[str, bytes]) -> bytes:
        """The archive with the given members' contents replaced, everything else as it was."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for info in self.infos:
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                for name in ("compress_type", "comment", "extra", "create_system", "create_version",
                             "extract_version", "external_attr", "internal_attr", "flag_bits"):
                    setattr(copy, name, getattr(info, name))
                copy.flag_bits &= ~0x08  # sizes are written in the local header, no data descriptor
                archive.writestr(copy, replaced.get(info.filename, self.members[info.filename]))
            archive.comment = self.comment
        return out.getvalue()


def _check(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(infos) > limits.max_members:
        raise FileTooLargeError(f"the archive has {len(infos)} members; the limit is {limits.max_members}")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise UnsafeFileError("the archive names a member twice: which one a reader takes is not defined")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise EncryptedFileError(f"the archive member {info.filename!r} is encrypted: the document is "
                                     "password-protected; remove the password and send it again")
        total += info.file_size
        if total > limits.max_unpacked_bytes:
            raise FileTooLargeError(f"the archive unpacks to more than {limits.max_unpacked_bytes} bytes "
                                    "(PONTE_MAX_FILE_UNPACKED_BYTES)")
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise UnsafeFileError(f"the archive member {info.filename!r} would unpack {info.file_size} bytes from "
                                  f"{info.compress_size} (over {limits.max_ratio:.0f}:1): a zip bomb, refused")
