"""EPUB 2 and 3: the XHTML content documents in reading order (the spine, then the other XHTML items such as
the navigation document) and the NCX table of contents.

XHTML is walked with the HTML layout's element classes (service/core/formats/html.py): blocks, elements that
are not prose (script, style, pre, svg, ...), inline code and `translate="no"` that keep their text. Files that
are DRM-encrypted (META-INF/encryption.xml naming a content document) are refused; obfuscated fonts are fine.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

from lxml import etree

from service.core.files.base import Kind, ZipXmlLayout
from service.core.files.errors import EncryptedFileError, MalformedFileError
from service.core.files.safexml import parse
from service.core.files.safezip import SafeZip
from service.core.files.xmltext import Rules
from service.core.formats.html import BLOCKS, CODE, SKIPPED

EPUB = Kind("epub", "application/epub+zip", ".epub")

XHTML = "http://www.w3.org/1999/xhtml"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
OPF = "http://www.idpf.org/2007/opf"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
ENCRYPTION = "http://www.w3.org/2001/04/xmlenc#"
XHTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})


def _x(names: frozenset[str] | set[str]) -> frozenset[str]:
    return frozenset(f"{{{XHTML}}}{name}" for name in names)


def _marked(el: etree._Element) -> bool:
    return ((el.get("translate") or "").strip().lower() == "no"
            or "notranslate" in (el.get("class") or "").split())


XHTML_RULES = Rules(
    blocks=_x(BLOCKS),
    skip=_x(SKIPPED),
    breaks=_x({"br"}),
    fixed=_x(CODE),
    keep=_marked,
)
NCX_RULES = Rules(blocks=frozenset({f"{{{NCX}}}text"}))


def _content_documents(archive: SafeZip) -> tuple[list[str], str | None]:
    """The XHTML documents in reading order, and the NCX (or None)."""
    container = archive.members.get("META-INF/container.xml")
    if container is None:
        raise MalformedFileError("the EPUB has no META-INF/container.xml")
    rootfile = next(parse(container, "META-INF/container.xml").getroot().iter(f"{{{CONTAINER}}}rootfile"), None)
    opf_path = rootfile.get("full-path") if rootfile is not None else None
    if not opf_path or opf_path not in archive.members:
        raise MalformedFileError("the EPUB's container names no package document it holds")
    opf = parse(archive.members[opf_path], opf_path).getroot()
    folder = posixpath.dirname(opf_path)
    items: dict[str, tuple[str, str]] = {}
    for item in opf.iter(f"{{{OPF}}}item"):
        href = item.get("href")
        if href and item.get("id"):
            items[item.get("id") or ""] = (posixpath.normpath(posixpath.join(folder, unquote(href))),
                                           item.get("media-type") or "")
    order: list[str] = []
    for ref in opf.iter(f"{{{OPF}}}itemref"):
        found = items.get(ref.get("idref") or "")
        if found and found[1] in XHTML_TYPES and found[0] in archive.members and found[0] not in order:
            order.append(found[0])
    for path, media in items.values():
        if media in XHTML_TYPES and path in archive.members and path not in order:
            order.append(path)
    ncx = next((path for path, media in items.values()
                if media == "application/x-dtbncx+xml" and path in archive.members), None)
    return order, ncx


def _check_not_encrypted(archive: SafeZip, documents: list[str]) -> None:
    data = archive.members.get("META-INF/encryption.xml")
    if data is None:
        return
    encrypted = {unquote(ref.get("URI") or "")
                 for ref in parse(data, "META-INF/encryption.xml").getroot().iter(f"{{{ENCRYPTION}}}CipherReference")}
    if encrypted & set(documents):
        raise EncryptedFileError("the EPUB's content documents are encrypted (DRM); ponte cannot read them")


class EpubLayout(ZipXmlLayout):
    """An e-book."""

    def __init__(self, archive: SafeZip) -> None:
        documents, ncx = _content_documents(archive)
        _check_not_encrypted(archive, documents)
        parts = [(name, XHTML_RULES) for name in documents]
        if ncx is not None:
            parts.append((ncx, NCX_RULES))
        super().__init__(EPUB, archive, parts, html_entities=True)
