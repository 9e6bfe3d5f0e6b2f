"""Which format a file is, from its bytes; and whether its name agrees."""

from __future__ import annotations

import posixpath
import re

from service.core.files.errors import (
    EncryptedFileError,
    FileTypeMismatchError,
    MalformedFileError,
    UnsupportedFileError,
)
from service.core.files.safezip import SafeZip

# The formats ponte reads, by file name extension.
EXTENSIONS = {".docx": "docx", ".odt": "odt", ".pptx": "pptx", ".odp": "odp", ".epub": "epub", ".srt": "srt",
              ".vtt": "vtt", ".xlf": "xliff", ".xliff": "xliff", ".po": "po", ".pot": "po", ".pdf": "pdf"}
NAMES = {"docx": "a Word document (DOCX)", "odt": "an OpenDocument text (ODT)",
         "pptx": "a PowerPoint presentation (PPTX)", "odp": "an OpenDocument presentation (ODP)",
         "epub": "an e-book (EPUB)", "srt": "SubRip subtitles (SRT)", "vtt": "WebVTT subtitles",
         "xliff": "an XLIFF file", "po": "a gettext catalogue (PO)", "pdf": "a PDF"}
FORMATS = tuple(NAMES)

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODF_TYPES = {"application/vnd.oasis.opendocument.text": "odt",
              "application/vnd.oasis.opendocument.presentation": "odp",
              "application/epub+zip": "epub"}
_SRT_START = re.compile(r"\A\s*\d+[ \t]*\r?\n\s*\d{1,2}(?::\d{2}){1,2}[,.]\d{1,3}\s*-->")
_PO = re.compile(r'^\s*msgid\s+"', re.MULTILINE)


def extension_format(filename: str | None) -> str | None:
    """The format a file name claims, or None (no name, or an extension ponte does not know)."""
    if not filename:
        return None
    return EXTENSIONS.get(posixpath.splitext(filename.replace("\\", "/"))[1].lower())


def zip_format(archive: SafeZip) -> str:
    """docx, pptx, odt, odp or epub, from the members of a zip."""
    mimetype = archive.members.get("mimetype")
    if mimetype is not None:
        found = _ODF_TYPES.get(mimetype.strip().decode("ascii", "replace"))
        if found:
            return found
        raise UnsupportedFileError(f"the archive is a {mimetype.strip().decode('ascii', 'replace')!r} "
                                   "package, which ponte does not translate")
    names = archive.members
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return "docx"
        if any(name.startswith("ppt/") for name in names):
            return "pptx"
        if any(name.startswith("xl/") for name in names):
            raise UnsupportedFileError("spreadsheets (XLSX) are not translated; ponte takes "
                                       + ", ".join(NAMES[f] for f in FORMATS))
    raise UnsupportedFileError("the zip archive is none of DOCX, PPTX, ODT, ODP or EPUB")


def content_format(data: bytes) -> str:
    """The format from the first bytes: pdf, zip (to look inside), vtt, xliff, srt or po."""
    if not data:
        raise MalformedFileError("the file is empty (0 bytes)")
    if data.startswith(_CFB):
        raise EncryptedFileError("this is an OLE compound file: a password-protected Office document (Office "
                                 "encrypts DOCX and PPTX that way) or a legacy .doc/.ppt; remove the password or "
                                 "save it as DOCX/PPTX, then send it again")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    head = data[:8192].removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    if re.match(r"WEBVTT(?:[ \t\r\n]|$)", head):
        return "vtt"
    if head.lstrip().startswith("<") and re.search(r"<(?:\w+:)?xliff\b", head):
        return "xliff"
    if _SRT_START.match(head):
        return "srt"
    if _PO.search(head):
        return "po"
    raise UnsupportedFileError("the file is none of the formats ponte translates: "
                               + ", ".join(NAMES[f] for f in FORMATS))


def check_name(filename: str | None, found: str) -> None:
    """FileTypeMismatchError when the name claims another format than the content."""
    claimed = extension_format(filename)
    if claimed is not None and claimed != found:
        raise FileTypeMismatchError(f"the file is named {posixpath.basename(filename or '')!r}, which says "
                                    f"{NAMES[claimed]}, but its content is {NAMES[found]}; rename it or send "
                                    "the right file")
