"""Files in, the same files out: DOCX, ODT, PPTX, ODP, EPUB, SRT, WebVTT, XLIFF 1.2/2.0, PO, and PDF text.

``open_file(data, filename, ...)`` checks the bytes (format from the content, agreeing with the name; zip and
XML bombs, encryption, size), parses the file and returns a ``FileLayout``: a formats.Layout whose visible text
is the file's text, one block per paragraph, table cell, slide paragraph, cue or message, separated by blank
lines, in reading order (for DOCX: body, footnotes, endnotes, comments, headers, footers; for PPTX each slide
then its notes). The pipeline translates that text as it does HTML or Markdown (sentences, protected spans,
glossary, one engine call), and ``render`` writes the translated file into ``layout.output``.
One module per family: ooxml (DOCX, PPTX), odf (ODT, ODP), epub, subtitles (SRT, WebVTT), xliff, po, pdf.
"""

from __future__ import annotations

import posixpath

from service.core.files.base import FileLayout, Kind
from service.core.files.errors import (
    EncryptedFileError,
    FileError,
    FileTooLargeError,
    FileTypeMismatchError,
    MalformedFileError,
    NoTextError,
    UnsafeFileError,
    UnsupportedFileError,
)
from service.core.files.safezip import SafeZip, ZipLimits
from service.core.files.sniff import FORMATS, NAMES, check_name, content_format, zip_format


def open_file(data: bytes, filename: str | None, *, target_language: str = "en",
              limits: ZipLimits | None = None) -> tuple[str, FileLayout]:
    """The file's format and its layout; raises a FileError subclass for a file ponte will not translate."""
    limits = limits or ZipLimits()
    found = content_format(data)
    archive: SafeZip | None = None
    if found == "zip":
        archive = SafeZip(data, limits)
        found = zip_format(archive)
    check_name(filename, found)
    layout: FileLayout
    if archive is not None:
        if found == "docx":
            from service.core.files.ooxml import DocxLayout
            layout = DocxLayout(archive)
        elif found == "pptx":
            from service.core.files.ooxml import PptxLayout
            layout = PptxLayout(archive)
        elif found in ("odt", "odp"):
            from service.core.files.odf import ODP, ODT, OdfLayout
            layout = OdfLayout(ODT if found == "odt" else ODP, archive)
        else:
            from service.core.files.epub import EpubLayout
            layout = EpubLayout(archive)
    elif found == "pdf":
        from service.core.files.pdf import PdfLayout
        layout = PdfLayout(data)
    elif found == "srt":
        from service.core.files.subtitles import SrtLayout
        layout = SrtLayout(data)
    elif found == "vtt":
        from service.core.files.subtitles import VttLayout
        layout = VttLayout(data)
    elif found == "xliff":
        from service.core.files.xliff import XliffLayout
        layout = XliffLayout(data, target_language)
    else:
        from service.core.files.po import PoLayout
        layout = PoLayout(data, target_language)
    if not layout.visible_text.strip():
        raise NoTextError(f"the file ({NAMES[found]}) has no text to translate")
    return found, layout


def output_name(filename: str | None, layout: FileLayout, target_language: str) -> str:
    """The translated file's name: report.docx -> report.en.docx (a PDF's text: report.en.txt)."""
    base = posixpath.basename((filename or "").replace("\\", "/")) or "document"
    stem, _ = posixpath.splitext(base)
    return f"{stem or 'document'}.{target_language}{layout.kind.extension}"


__all__ = ["FORMATS", "NAMES", "EncryptedFileError", "FileError", "FileLayout", "FileTooLargeError",
           "FileTypeMismatchError", "Kind", "MalformedFileError", "NoTextError", "UnsafeFileError",
           "UnsupportedFileError", "ZipLimits", "open_file", "output_name"]
