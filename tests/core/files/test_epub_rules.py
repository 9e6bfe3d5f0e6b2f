"""EPUB (files/epub.py) through open_file on books made in memory: which content documents are read and in which
order (spine, then the other XHTML items, then the NCX), what translate="no" and class="notranslate" keep, DRM
refused, and the errors with their messages."""

from __future__ import annotations

import io
import zipfile

import pytest

from service.core.files import EncryptedFileError, MalformedFileError, open_file
from service.core.files.epub import _x
from tests.core.formats.helpers import _upper, translate

XHTML_TYPE = "application/xhtml+xml"
CONTAINER = (b'<?xml version="1.0"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
             b'<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
             b"</rootfiles></container>")
NCX = (b'<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap><navPoint id="p1">'
       b'<navLabel><text>Capitulo primeiro</text></navLabel><content src="c1.xhtml"/></navPoint></navMap></ncx>')
ENC = b'<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'


def _page(body: str) -> bytes:
    return f'<html xmlns="http://www.w3.org/1999/xhtml"><head/><body>{body}</body></html>'.encode()


def _item(ident: str, href: str, media: str = XHTML_TYPE) -> str:
    return f'<item id="{ident}" href="{href}" media-type="{media}"/>'


def _opf(manifest: str, spine: str, metadata: str = "") -> bytes:
    return (f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata>{metadata}</metadata>'
            f"<manifest>{manifest}</manifest><spine>{spine}</spine></package>").encode()


def _epub(members: dict[str, bytes]) -> bytes:
    """An EPUB zip: mimetype first, then the members (a None container leaves META-INF/container.xml out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _book(manifest: str, spine: str, pages: dict[str, str], *, metadata: str = "",
          extra: dict[str, bytes] | None = None) -> bytes:
    members = {"META-INF/container.xml": CONTAINER, "OEBPS/content.opf": _opf(manifest, spine, metadata)}
    members.update({f"OEBPS/{name}": _page(body) for name, body in pages.items()})
    members.update(extra or {})
    return _epub(members)


def _text(data: bytes) -> str:
    return open_file(data, "livro.epub")[1].visible_text


PAGES = {"c1.xhtml": "<p>Um.</p>", "c2.xhtml": "<p>Dois.</p>", "nav.xhtml": "<p>Indice.</p>"}


def test_the_spine_orders_the_documents_then_the_other_xhtml_items_then_the_ncx() -> None:
    manifest = (_item("nav", "nav.xhtml") + _item("c2", "c2.xhtml")
                + _item("ncx", "toc.ncx", "application/x-dtbncx+xml")
                + _item("css", "style.css", "text/css") + _item("c1", "c1.xhtml"))
    data = _book(manifest, '<itemref idref="c1"/><itemref idref="c2"/>', PAGES,
                 extra={"OEBPS/toc.ncx": NCX, "OEBPS/style.css": b"p { color: red }"})
    assert _text(data) == "Um.\n\nDois.\n\nIndice.\n\nCapitulo primeiro"


def test_an_epub3_without_an_ncx_reads_its_documents() -> None:
    data = _book(_item("c1", "c1.xhtml") + _item("c2", "c2.xhtml"), '<itemref idref="c2"/>', PAGES)
    assert _text(data) == "Dois.\n\nUm."


def test_a_document_the_spine_names_twice_is_read_once() -> None:
    data = _book(_item("c1", "c1.xhtml"), '<itemref idref="c1"/><itemref idref="c1"/>', PAGES)
    assert _text(data) == "Um."


def test_items_the_archive_lacks_are_skipped_ncx_included() -> None:
    manifest = (_item("gone", "gone.xhtml") + _item("c1", "c1.xhtml") + _item("gone2", "gone2.xhtml")
                + _item("ncx", "toc.ncx", "application/x-dtbncx+xml"))
    data = _book(manifest, '<itemref idref="gone"/><itemref idref="c1"/>', PAGES)
    assert _text(data) == "Um."


def test_spine_references_to_nothing_to_no_id_or_to_other_media_are_skipped() -> None:
    # "XXXX" is no special name: an itemref without idref must not find it
    manifest = (_item("c1", "c1.xhtml") + _item("XXXX", "c2.xhtml") + _item("img", "c1.xhtml", "image/svg+xml"))
    data = _book(manifest, '<itemref idref="missing"/><itemref/><itemref idref="img"/><itemref idref="c1"/>', PAGES)
    assert _text(data) == "Um.\n\nDois."


def test_manifest_items_without_href_or_without_id_are_skipped() -> None:
    manifest = (f'<item id="nohref" media-type="{XHTML_TYPE}"/><item href="c2.xhtml" media-type="{XHTML_TYPE}"/>'
                + _item("c1", "c1.xhtml"))
    data = _book(manifest, '<itemref/><itemref idref="c1"/>', PAGES)
    assert _text(data) == "Um."


def test_only_opf_items_and_itemrefs_count() -> None:
    # an item and an itemref in another namespace name no content document and set no order
    other = 'xmlns:x="urn:example:other"'
    manifest = _item("c1", "c1.xhtml") + _item("c2", "c2.xhtml") + \
        f'<x:item {other} id="n" href="nav.xhtml" media-type="{XHTML_TYPE}"/>'
    data = _book(manifest, '<itemref idref="c1"/><itemref idref="c2"/>', PAGES,
                 metadata=f'<x:itemref {other} idref="c2"/>')
    assert _text(data) == "Um.\n\nDois."


@pytest.mark.parametrize(("element", "expected"), [
    ('<span translate="no">nao traduzir</span>', '<span translate="no">nao traduzir</span>'),
    ('<em translate=" No ">marca</em>', '<em translate=" No ">marca</em>'),
    ('<b class="nota notranslate">Porto</b>', '<b class="nota notranslate">Porto</b>'),
    ('<i class="notranslatex">casa</i>', '<i class="notranslatex">CASA</i>'),
    ('<i translate="yes">rua</i>', '<i translate="yes">RUA</i>'),
    ('<i TRANSLATE="no">gato</i>', '<i TRANSLATE="no">GATO</i>'),  # XML attribute names are case-sensitive
    ('<i CLASS="notranslate">cao</i>', '<i CLASS="notranslate">CAO</i>'),
], ids=["translate-no", "translate-no-spaced-capital", "class-notranslate", "class-notranslatex", "translate-yes",
        "TRANSLATE", "CLASS"])
def test_an_inline_element_marked_translate_no_or_notranslate_keeps_its_text(element: str, expected: str) -> None:
    data = _book(_item("c1", "c1.xhtml"), '<itemref idref="c1"/>', {"c1.xhtml": f"<p>Fica assim: {element}</p>"})
    _, layout = open_file(data, "livro.epub")
    translate(layout, _upper)
    assert layout.output is not None
    with zipfile.ZipFile(io.BytesIO(layout.output)) as archive:
        assert archive.read("OEBPS/c1.xhtml") == _page(f"<p>FICA ASSIM: {expected}</p>")


def test_a_block_marked_translate_no_or_notranslate_is_not_translated() -> None:
    # as in the HTML layout: a marked block is not visible text (README: EPUB follows the HTML layout's rules)
    body = '<p translate="no">Nao traduzir isto.</p><div class="notranslate"><p>Nem isto.</p></div><p>Traduzir.</p>'
    _, layout = open_file(_book(_item("c1", "c1.xhtml"), '<itemref idref="c1"/>', {"c1.xhtml": body}), "livro.epub")
    assert layout.visible_text == "Traduzir."
    translate(layout, _upper)
    assert layout.output is not None
    with zipfile.ZipFile(io.BytesIO(layout.output)) as archive:
        assert archive.read("OEBPS/c1.xhtml") == _page('<p translate="no">Nao traduzir isto.</p>'
                                                       '<div class="notranslate"><p>Nem isto.</p></div>'
                                                       "<p>TRADUZIR.</p>")


def test_x_names_elements_in_the_xhtml_namespace() -> None:
    assert _x({"p", "br"}) == frozenset({"{http://www.w3.org/1999/xhtml}p", "{http://www.w3.org/1999/xhtml}br"})


# DRM


def _encrypted(cipher_data: str, pages: dict[str, str] = PAGES) -> bytes:
    encryption = ENC + (f"<enc:EncryptedData>{cipher_data}</enc:EncryptedData></encryption>").encode()
    return _book(_item("c1", "c1.xhtml") + _item("c2", "c2.xhtml"), '<itemref idref="c1"/>', pages,
                 extra={"META-INF/encryption.xml": encryption, "OEBPS/font.otf": b"\0font"})


def test_an_epub_whose_content_document_is_encrypted_is_refused() -> None:
    data = _encrypted('<enc:CipherData><enc:CipherReference URI="OEBPS/c2.xhtml"/></enc:CipherData>')
    with pytest.raises(EncryptedFileError) as caught:
        open_file(data, "livro.epub")
    assert str(caught.value) == "the EPUB's content documents are encrypted (DRM); ponte cannot read them"


def test_only_cipher_references_name_encrypted_parts() -> None:
    # the font is obfuscated; a URI on another element (a key's retrieval) encrypts nothing
    data = _encrypted('<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:RetrievalMethod '
                      'URI="OEBPS/c1.xhtml"/></ds:KeyInfo>'
                      '<enc:CipherData><enc:CipherReference URI="OEBPS/font.otf"/></enc:CipherData>')
    assert _text(data) == "Um.\n\nDois."


def test_a_cipher_reference_without_uri_encrypts_nothing() -> None:
    # "XXXX" is no special name: a reference without URI must not name that document (at the archive's root)
    data = _book(_item("c1", "c1.xhtml") + _item("x", "../XXXX"), '<itemref idref="c1"/>', PAGES,
                 extra={"META-INF/encryption.xml": ENC + b"<enc:EncryptedData><enc:CipherData><enc:CipherReference/>"
                        b"</enc:CipherData></enc:EncryptedData></encryption>", "XXXX": _page("<p>Tres.</p>")})
    assert _text(data) == "Um.\n\nTres."


# errors


def test_an_epub_without_a_container_is_malformed() -> None:
    with pytest.raises(MalformedFileError) as caught:
        open_file(_epub({"OEBPS/content.opf": _opf(_item("c1", "c1.xhtml"), '<itemref idref="c1"/>')}), "livro.epub")
    assert str(caught.value) == "the EPUB has no META-INF/container.xml"


@pytest.mark.parametrize("container", [
    b'<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles/></container>',
    b'<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile/></rootfiles>'
    b"</container>",
    CONTAINER.replace(b"OEBPS/content.opf", b"OEBPS/other.opf"),
], ids=["no-rootfile", "no-full-path", "package-not-in-archive"])
def test_a_container_that_names_no_package_document_in_the_archive_is_malformed(container: bytes) -> None:
    members = {"META-INF/container.xml": container, "OEBPS/content.opf": _opf(_item("c1", "c1.xhtml"), ""),
               "OEBPS/c1.xhtml": _page("<p>Um.</p>")}
    with pytest.raises(MalformedFileError) as caught:
        open_file(_epub(members), "livro.epub")
    assert str(caught.value) == "the EPUB's container names no package document it holds"


@pytest.mark.parametrize("broken", ["META-INF/container.xml", "OEBPS/content.opf", "META-INF/encryption.xml"])
def test_a_part_that_is_not_xml_is_malformed_and_named(broken: str) -> None:
    members = {"META-INF/container.xml": CONTAINER, "OEBPS/content.opf": _opf(_item("c1", "c1.xhtml"), ""),
               "OEBPS/c1.xhtml": _page("<p>Um.</p>"), "META-INF/encryption.xml": ENC + b"</encryption>"}
    members[broken] = b"<unclosed>"
    with pytest.raises(MalformedFileError) as caught:
        open_file(_epub(members), "livro.epub")
    assert str(caught.value).startswith(f"{broken} is not well-formed XML (")
