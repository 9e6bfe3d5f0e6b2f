"""sniff's exact rules: which format a file's bytes and zip members say, and what each refusal tells the user."""

from __future__ import annotations

import io
import zipfile

import pytest

from service.core.files.errors import (
    EncryptedFileError,
    FileTypeMismatchError,
    MalformedFileError,
    UnsupportedFileError,
)
from service.core.files.safezip import SafeZip, ZipLimits
from service.core.files.sniff import check_name, content_format, extension_format, zip_format

TAKES = ("a Word document (DOCX), an OpenDocument text (ODT), a PowerPoint presentation (PPTX), an OpenDocument "
         "presentation (ODP), an e-book (EPUB), SubRip subtitles (SRT), WebVTT subtitles, an XLIFF file, a gettext "
         "catalogue (PO), a PDF")


def _zip(members: dict[str, bytes]) -> SafeZip:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return SafeZip(out.getvalue(), ZipLimits())


# --- zip_format -----------------------------------------------------------------------------------------

def test_an_unknown_mimetype_is_named_in_the_refusal() -> None:
    with pytest.raises(UnsupportedFileError) as raised:
        zip_format(_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet\n"}))
    assert str(raised.value) == ("the archive is a 'application/vnd.oasis.opendocument.spreadsheet' package, "
                                 "which ponte does not translate")


def test_a_mimetype_that_is_not_ascii_is_refused_not_crashed_on() -> None:
    with pytest.raises(UnsupportedFileError) as raised:
        zip_format(_zip({"mimetype": b"application/x-\xff"}))
    assert str(raised.value) == "the archive is a 'application/x-\ufffd' package, which ponte does not translate"


def test_an_ooxml_spreadsheet_is_refused_with_what_ponte_takes() -> None:
    with pytest.raises(UnsupportedFileError) as raised:
        zip_format(_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}))
    assert str(raised.value) == "spreadsheets (XLSX) are not translated; ponte takes " + TAKES


@pytest.mark.parametrize("members", [
    {"[Content_Types].xml": b"<Types/>", "XL/workbook.xml": b"<w/>"},
    {"[Content_Types].xml": b"<Types/>", "docs/xl/workbook.xml": b"<w/>"},
    {"readme.txt": b"hello"},
], ids=["upper-xl", "nested-xl", "plain"])
def test_another_zip_is_none_of_the_containers(members: dict[str, bytes]) -> None:
    with pytest.raises(UnsupportedFileError) as raised:
        zip_format(_zip(members))
    assert str(raised.value) == "the zip archive is none of DOCX, PPTX, ODT, ODP or EPUB"


# --- content_format -----------------------------------------------------------------------------------

def test_an_empty_file_says_so() -> None:
    with pytest.raises(MalformedFileError) as raised:
        content_format(b"")
    assert str(raised.value) == "the file is empty (0 bytes)"


def test_an_ole_file_is_refused_as_encrypted_with_the_way_out() -> None:
    with pytest.raises(EncryptedFileError) as raised:
        content_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert str(raised.value) == (
        "this is an OLE compound file: a password-protected Office document (Office encrypts DOCX and PPTX that "
        "way) or a legacy .doc/.ppt; remove the password or save it as DOCX/PPTX, then send it again")


def test_the_pdf_header_counts_within_the_first_1024_bytes_only() -> None:
    assert content_format(b" " * 1019 + b"%PDF-1.7\n") == "pdf"
    with pytest.raises(UnsupportedFileError):
        content_format(b" " * 1020 + b"%PDF-1.7\n")


def test_an_empty_zip_is_a_zip() -> None:
    assert content_format(b"PK\x05\x06" + bytes(18)) == "zip"


def test_bytes_that_are_not_utf8_do_not_hide_the_format() -> None:
    assert content_format(b"WEBVTT\n\n00:01.000 --> 00:02.000\n\xe7\xe3o\n") == "vtt"


def test_xliff_is_sought_in_the_first_8_kib_only() -> None:
    def at(offset: int) -> bytes:  # "<xliff" starting at that byte
        return b"<!--" + b" " * (offset - 7) + b"-->" + b'<xliff version="1.2"/>'
    assert content_format(at(8186)) == "xliff"
    with pytest.raises(UnsupportedFileError):
        content_format(at(8187))


def test_xml_that_is_not_xliff_is_unsupported_with_the_list() -> None:
    with pytest.raises(UnsupportedFileError) as raised:
        content_format(b'<?xml version="1.0"?>\n<html><body>Ol\xc3\xa1</body></html>')
    assert str(raised.value) == "the file is none of the formats ponte translates: " + TAKES


def test_xliff_after_leading_blank_lines_is_xliff() -> None:
    assert content_format(b'\n\n  <xliff version="1.2"><file/></xliff>') == "xliff"


# --- names --------------------------------------------------------------------------------------------

def test_a_name_that_disagrees_is_refused_with_both_formats() -> None:
    with pytest.raises(FileTypeMismatchError) as raised:
        check_name("uploads/relatório.pdf", "docx")
    assert str(raised.value) == ("the file is named 'relatório.pdf', which says a PDF, but its "
                                 "content is a Word document (DOCX); rename it or send the right file")


def test_a_windows_path_is_split_at_its_backslashes() -> None:
    assert extension_format("C:\\docs\\.docx") is None  # a dotfile named ".docx" has no extension
    assert extension_format("C:\\docs.v2\\notes.PO") == "po"
