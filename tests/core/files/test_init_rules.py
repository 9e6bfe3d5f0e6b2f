"""open_file and output_name (files/__init__.py): the default target language, ODT and ODP told apart, the
problem for a file without text, the translated file's name, and an EPUB 2 page that names the XHTML 1.1 DTD."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from service.core.files import open_file
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
