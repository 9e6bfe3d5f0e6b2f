"""open_file and output_name (files/__init__.py): the default target language, ODT and ODP told apart, the
problem for a file without text, the translated file's name, and an EPUB 2 page that names the XHTML 1.1 DTD."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from service.core.files import FileLayout, Kind, NoTextError, open_file, output_name
from tests.core.formats.helpers import _upper, translate

CORPUS = Path(__file__).resolve().parents[2] / "data" / "files"
XHTML11 = (b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
           b'"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">')


def _epub_with_page(page: bytes) -> bytes:
    """The corpus EPUB 2 with its one chapter replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(CORPUS / "epub" / "01-epub2-ncx-entities.epub") as source, \
            zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, page if info.filename == "OEBPS/capítulo1.xhtml" else source.read(info))
    return out.getvalue()


def test_an_epub2_page_naming_the_xhtml_dtd_without_any_entity_opens_and_keeps_its_doctype() -> None:
    page = (b'<?xml version="1.0" encoding="utf-8"?>\n' + XHTML11 + b'\n<html xmlns="http://www.w3.org/1999/xhtml">'
            b"<head><title>Um</title></head><body><p>O governo aprovou a lei.</p></body></html>")
    _, layout = open_file(_epub_with_page(page), "livro.epub")
    assert layout.visible_text == "Um\n\nO governo aprovou a lei.\n\nLivro de tecnologia\n\nCapítulo 1"
    translate(layout, _upper)
    assert layout.output is not None
    with zipfile.ZipFile(io.BytesIO(layout.output)) as written:
        assert written.read("OEBPS/capítulo1.xhtml") == (
            b'<?xml version="1.0" encoding="utf-8"?>\n' + XHTML11 + b'\n<html xmlns="http://www.w3.org/1999/xhtml">'
            b"<head><title>UM</title></head><body><p>O GOVERNO APROVOU A LEI.</p></body></html>")


def test_the_default_target_language_is_english() -> None:
    _, layout = open_file(b'msgid ""\nmsgstr ""\n"Language: pt\\n"\n\nmsgid "sim"\nmsgstr ""\n', "messages.po")
    translate(layout, _upper)
    assert layout.output == b'msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "sim"\nmsgstr "SIM"\n'


@pytest.mark.parametrize(("path", "kind"), [
    ("odt/01-plain.odt", Kind("odt", "application/vnd.oasis.opendocument.text", ".odt")),
    ("odp/01-plain.odp", Kind("odp", "application/vnd.oasis.opendocument.presentation", ".odp")),
])
def test_an_opendocument_text_and_presentation_get_their_own_kind(path: str, kind: Kind) -> None:
    fmt, layout = open_file((CORPUS / path).read_bytes(), Path(path).name)
    assert (fmt, layout.kind) == (kind.format, kind)


def test_a_file_whose_layout_has_no_text_is_refused_with_its_format_named() -> None:
    empty = (b'<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'
             b'<file original="a" source-language="pt" datatype="plaintext"><body></body></file></xliff>')
    with pytest.raises(NoTextError) as raised:
        open_file(empty, "strings.xlf")
    assert str(raised.value) == "the file (an XLIFF file) has no text to translate"


@pytest.mark.parametrize(("filename", "target", "expected"), [
    (None, "en", "document.en.srt"),
    ("", "en", "document.en.srt"),
    ("legendas/", "en", "document.en.srt"),
    ("C:\\Users\\ana\\legendas.srt", "fr", "legendas.fr.srt"),
    ("a/b/legendas.final.srt", "en", "legendas.final.en.srt"),
], ids=["none", "empty", "folder", "windows-path", "posix-path"])
def test_the_translated_file_is_named_after_the_base_name_with_the_target_language(
        filename: str | None, target: str, expected: str) -> None:
    layout = FileLayout()
    layout.kind = Kind("srt", "application/x-subrip", ".srt")
    assert output_name(filename, layout, target) == expected
