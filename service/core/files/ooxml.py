"""Office Open XML: DOCX (WordprocessingML) and PPTX (DrawingML text in PresentationML slides).

DOCX: the main document, footnotes, endnotes, comments, headers and footers, in that order. A paragraph
(`w:p`) is a block, its text lives in `w:t`; tracked deletions (`w:del`, `w:moveFrom`) are not visible text and
stay as they are, tracked insertions are. Text boxes are paragraphs of their own. Fields: instructions are
never text; the results of computed fields (PAGE, DATE, REF, SEQ, ...) keep their text, since a reader
recomputes them; other results (HYPERLINK, TOC entries) are translated. Hyperlinks keep their relationship.

PPTX: each slide in order, followed by its notes. A paragraph (`a:p`) is a block, text lives in `a:t`,
`a:fld` (slide number, date) keeps its text. Layouts, masters, charts and SmartArt are left as they are.
"""

from __future__ import annotations

import posixpath
import re

from lxml import etree

from service.core.files.base import Kind, ZipXmlLayout
from service.core.files.errors import MalformedFileError
from service.core.files.safexml import parse
from service.core.files.safezip import SafeZip
from service.core.files.xmltext import Rules

DOCX = Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
PPTX = Kind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx")

_W = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main")
_A = ("http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main")
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = re.compile(r"/officeDocument$")
_NOTES = re.compile(r"/notesSlide$")

# Fields whose result a reader computes: their shown text is kept as it is.
COMPUTED_FIELDS = frozenset((  # noqa: SIM905
    "PAGE NUMPAGES SECTIONPAGES SECTION DATE TIME CREATEDATE SAVEDATE PRINTDATE EDITTIME SEQ REF PAGEREF NOTEREF "
    "FILENAME FILESIZE NUMWORDS NUMCHARS AUTHOR LASTSAVEDBY USERNAME USERINITIALS USERADDRESS REVNUM TEMPLATE "
    "LISTNUM AUTONUM AUTONUMLGL AUTONUMOUT DOCPROPERTY INFO MERGEFIELD STYLEREF BARCODE = SYMBOL").split())


def _names(namespaces: tuple[str, ...], locals_: str) -> frozenset[str]:
    return frozenset(f"{{{ns}}}{name}" for ns in namespaces for name in locals_.split())


def _instruction_word(instruction: str | None) -> str:
    words = (instruction or "").split()
    return words[0].upper() if words else ""


class _Fields:
    """The w:t elements that show a computed field's result, and the computed simple fields."""

    def __init__(self) -> None:
        self.marked: set[etree._Element] = set()

    def keep(self, el: etree._Element) -> bool:
        if el in self.marked:
            return True
        return (etree.QName(el).localname == "fldSimple"
                and _instruction_word(el.get(f"{{{etree.QName(el).namespace}}}instr")) in COMPUTED_FIELDS)

    def mark(self, root: etree._Element) -> None:
        stack: list[list[str]] = []  # per open field: [instruction, phase]
        for el in root.iter(etree.Element):
            name = etree.QName(el)
            if name.namespace not in _W:
                continue
            local = name.localname
            if local == "fldChar":
                kind = el.get(f"{{{name.namespace}}}fldCharType")
                if kind == "begin":
                    stack.append(["", "code"])
                elif kind == "separate" and stack:
                    stack[-1][1] = "result"
                elif kind == "end" and stack:
                    stack.pop()
            elif local == "instrText" and stack and stack[-1][1] == "code":
                stack[-1][0] += el.text or ""
            elif (local == "t" and stack and stack[-1][1] == "result"
                  and any(_instruction_word(instruction) in COMPUTED_FIELDS for instruction, _ in stack)):
                self.marked.add(el)


def _docx_rules(fields: _Fields) -> Rules:
    return Rules(
        blocks=_names(_W, "p"),
        leaves=_names(_W, "t"),
        skip=_names(_W, "pPr rPr del moveFrom sectPr tblPr tblGrid trPr tcPr instrText delText fldData"),
        breaks=_names(_W, "br cr"),
        spaces=_names(_W, "tab ptab"),
        nested=_names(_W, "txbxContent"),
        preserve_space=_names(_W, "t"),
        keep=fields.keep,
    )


DRAWING_RULES = Rules(
    blocks=_names(_A, "p"),
    leaves=_names(_A, "t"),
    skip=_names(_A, "pPr rPr endParaRPr bodyPr lstStyle"),
    breaks=_names(_A, "br"),
    fixed=_names(_A, "fld"),
)


def _relationships(archive: SafeZip, part: str) -> list[tuple[str, str]]:
    """(type, target member name) of a part's relationships; part "" is the package."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    data = archive.members.get(rels)
    if data is None:
        return []
    out = []
    for rel in parse(data, rels).getroot().iter(f"{{{_REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out.append((rel.get("Type") or "", resolved))
    return out


def _main_part(archive: SafeZip, fallback: str) -> str:
    for kind, target in _relationships(archive, ""):
        if _OFFICE_DOCUMENT.search(kind) and target in archive.members:
            return target
    if fallback in archive.members:
        return fallback
    raise MalformedFileError("the package names no main document part")


def _numbered(names: list[str], pattern: str) -> list[str]:
    regex = re.compile(pattern)
    found = [(int(m.group(1) or 0), name) for name in names if (m := regex.fullmatch(name))]
    return [name for _, name in sorted(found)]


class DocxLayout(ZipXmlLayout):
    """A Word document."""

    def __init__(self, archive: SafeZip) -> None:
        main = _main_part(archive, "word/document.xml")
        folder = posixpath.dirname(main)
        names = archive.names()
        prefix = re.escape(folder + "/") if folder else ""
        parts = [main]
        for pattern in (r"footnotes()\.xml", r"endnotes()\.xml", r"comments()\.xml", r"header(\d*)\.xml",
                        r"footer(\d*)\.xml"):
            parts += _numbered(names, prefix + pattern)
        self.fields = _Fields()
        rules = _docx_rules(self.fields)
        super().__init__(DOCX, archive, [(name, rules) for name in parts])

    def prepare(self, index: int, tree: etree._ElementTree) -> None:
        self.fields.mark(tree.getroot())


class PptxLayout(ZipXmlLayout):
    """A PowerPoint presentation."""

    def __init__(self, archive: SafeZip) -> None:
        main = _main_part(archive, "ppt/presentation.xml")
        folder = posixpath.dirname(main)
        slides = _numbered(archive.names(), re.escape(folder + "/slides/") + r"slide(\d+)\.xml")
        parts: list[str] = []
        for slide in slides:
            parts.append(slide)
            parts += [target for kind, target in _relationships(archive, slide)
                      if _NOTES.search(kind) and target in archive.members and target not in parts]
        super().__init__(PPTX, archive, [(name, DRAWING_RULES) for name in parts])
