"""safezip's exact bounds (members, unpacked bytes, ratio), its refusals' words, and what it reads and writes."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from service.core.files.errors import EncryptedFileError, FileTooLargeError, MalformedFileError, UnsafeFileError
from service.core.files.safezip import SafeZip, ZipLimits

MIB = 1024 * 1024


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _set_sizes(data: bytes, compressed: int, unpacked: int) -> bytes:
    """The one-member zip with its central directory claiming other sizes (what a crafted bomb does)."""
    at = data.index(b"PK\x01\x02")
    return data[:at + 20] + struct.pack("<II", compressed, unpacked) + data[at + 28:]


def test_the_member_limit_is_inclusive_and_named() -> None:
    data = _zip({"a": b"1", "b": b"2", "c": b"3"})
    assert len(SafeZip(data, ZipLimits(max_members=3)).members) == 3
    with pytest.raises(FileTooLargeError) as raised:
        SafeZip(data, ZipLimits(max_members=2))
    assert str(raised.value) == "the archive has 3 members; the limit is 2"


def test_the_unpacked_limit_is_inclusive_and_sums_every_member() -> None:
    data = _zip({"a": b"x" * 600, "b": b"y" * 400})
    assert SafeZip(data, ZipLimits(max_unpacked_bytes=1000)).members["b"] == b"y" * 400
    with pytest.raises(FileTooLargeError) as raised:
        SafeZip(data, ZipLimits(max_unpacked_bytes=999))
    assert str(raised.value) == "the archive unpacks to more than 999 bytes (PONTE_MAX_FILE_UNPACKED_BYTES)"


def test_a_duplicate_member_is_refused_with_why() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive, pytest.warns(UserWarning):
        archive.writestr("word/document.xml", b"<a/>")
        archive.writestr("word/document.xml", b"<b/>")
    with pytest.raises(UnsafeFileError) as raised:
        SafeZip(out.getvalue(), ZipLimits())
    assert str(raised.value) == "the archive names a member twice: which one a reader takes is not defined"


def test_an_encrypted_member_is_refused_with_the_way_out() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        info = zipfile.ZipInfo("content.xml")
        archive.writestr(info, b"<a/>")
    data = out.getvalue()
    at = data.index(b"PK\x01\x02")
    data = data[:at + 8] + struct.pack("<H", 0x1) + data[at + 10:]  # the central directory's flag bits
    with pytest.raises(EncryptedFileError) as raised:
        SafeZip(data, ZipLimits())
    assert str(raised.value) == ("the archive member 'content.xml' is encrypted: the document is password-protected; "
                                 "remove the password and send it again")


def test_a_member_of_exactly_the_ratio_floor_is_never_a_bomb() -> None:
    assert len(SafeZip(_zip({"zeros": bytes(MIB)}), ZipLimits()).members["zeros"]) == MIB


def test_a_ratio_of_exactly_the_limit_is_accepted() -> None:
    data = _zip({"stored": b"x" * (MIB + 1)}, zipfile.ZIP_STORED)  # 1:1
    assert len(SafeZip(data, ZipLimits(max_ratio=1.0)).members["stored"]) == MIB + 1


def test_a_bomb_is_refused_from_its_declared_sizes_before_inflating() -> None:
    data = _set_sizes(_zip({"bomb.xml": b"x"}, zipfile.ZIP_STORED), 1, 3 * MIB)
    with pytest.raises(UnsafeFileError) as raised:
        SafeZip(data, ZipLimits(max_ratio=2 * MIB))  # 3 MiB from 1 byte is over 2 Mi:1
    assert str(raised.value) == (f"the archive member 'bomb.xml' would unpack {3 * MIB} bytes from 1 "
                                 "(over 2097152:1): a zip bomb, refused")


def test_not_a_zip_is_malformed_with_why() -> None:
    with pytest.raises(MalformedFileError) as raised:
        SafeZip(b"PK\x03\x04 not really", ZipLimits())
    assert str(raised.value) == "the file is not a readable zip archive (File is not a zip file)"


def test_a_corrupt_member_is_named() -> None:
    data = bytearray(_zip({"a.xml": b"<a>hello</a>"}, zipfile.ZIP_STORED))
    data[data.index(b"hello")] = ord("j")
    with pytest.raises(MalformedFileError) as raised:
        SafeZip(bytes(data), ZipLimits())
    assert str(raised.value) == "the zip member 'a.xml' cannot be read (Bad CRC-32 for file 'a.xml')"


def test_directories_read_as_empty_and_the_members_after_them_are_read() -> None:
    archive = SafeZip(_zip({"OEBPS/": b"", "OEBPS/a.xhtml": b"<html/>"}), ZipLimits())
    assert archive.members == {"OEBPS/": b"", "OEBPS/a.xhtml": b"<html/>"}


def test_writing_keeps_each_members_date() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("a.xml", (2021, 6, 7, 8, 9, 10)), b"<a/>")
    written = SafeZip(SafeZip(out.getvalue(), ZipLimits()).write({"a.xml": b"<b/>"}), ZipLimits())
    assert written.infos[0].date_time == (2021, 6, 7, 8, 9, 10)
    assert written.members == {"a.xml": b"<b/>"}
