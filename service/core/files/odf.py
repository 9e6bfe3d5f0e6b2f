"""OpenDocument: ODT (text) and ODP (presentations), from content.xml and, for ODT, styles.xml (headers,
footers).

Text is mixed content: every text node inside a paragraph (`text:p`, `text:h`) counts, spans and links
delimit slots. Footnotes, comments and text boxes inside a paragraph are paragraphs of their own, walked after
it. Tracked changes keep their deleted text as it is; fields (page numbers, dates, references, variables)
keep their text. An encrypted document (manifest `encryption-data`) is refused.
"""

from __future__ import annotations

from lxml import etree

from service.core.files.base import Kind, ZipXmlLayout
from service.core.files.errors import EncryptedFileError
from service.core.files.safexml import parse
from service.core.files.safezip import SafeZip
from service.core.files.xmltext import Rules

ODT = Kind("odt", "application/vnd.oasis.opendocument.text", ".odt")
ODP = Kind("odp", "application/vnd.oasis.opendocument.presentation", ".odp")

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
DC = "http://purl.org/dc/elements/1.1/"
SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"


def _names(namespace: str, locals_: str) -> frozenset[str]:
    return frozenset(f"{{{namespace}}}{name}" for name in locals_.split())


RULES = Rules(
    blocks=_names(TEXT, "p h"),
    skip=(_names(TEXT, "tracked-changes note-citation sequence-decls variable-decls user-field-decls "
                       "table-of-content-source alphabetical-index-source illustration-index-source "
                       "table-index-source object-index-source user-index-source bibliography-source "
                       "soft-page-break bookmark bookmark-start bookmark-end reference-mark "
                       "reference-mark-start reference-mark-end change change-start change-end ruby-text")
          | _names(OFFICE, "automatic-styles styles font-face-decls scripts forms settings event-listeners")
          | _names(DC, "creator date") | _names(SVG, "title desc")
          | _names(DRAW, "image object object-ole")),
    breaks=_names(TEXT, "line-break"),
    spaces=_names(TEXT, "s tab"),
    fixed=_names(TEXT, "page-number page-count page-continuation date time sequence sequence-ref author-name "
                       "author-initials file-name title subject keywords description initial-creator "
                       "creation-date creation-time modification-date modification-time chapter sender-firstname "
                       "sender-lastname sender-company variable-get variable-set user-field-get user-defined "
                       "bookmark-ref reference-ref note-ref expression text-input database-display "
                       "database-name word-count character-count paragraph-count page-variable-get "
                       "template-name sheet-name measure"),
    nested=(_names(TEXT, "note-body") | _names(OFFICE, "annotation") | _names(DRAW, "text-box frame")),
)


def _check_not_encrypted(archive: SafeZip) -> None:
    data = archive.members.get("META-INF/manifest.xml")
    if data is None:
        return
    root = parse(data, "META-INF/manifest.xml").getroot()
    if next(root.iter(f"{{{MANIFEST}}}encryption-data"), None) is not None:
        raise EncryptedFileError("the OpenDocument file is password-protected; remove the password and send it again")


class OdfLayout(ZipXmlLayout):
    """An OpenDocument text or presentation."""

    def __init__(self, kind: Kind, archive: SafeZip) -> None:
        _check_not_encrypted(archive)
        parts = ["content.xml"]
        if kind is ODT and "styles.xml" in archive.members:
            parts.append("styles.xml")
        super().__init__(kind, archive, [(name, RULES) for name in parts])

    def prepare(self, index: int, tree: etree._ElementTree) -> None:
        return None
