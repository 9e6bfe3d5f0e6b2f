"""The layouts' shared base (files/base.py): render refuses extras with its message, ZipXmlLayout names a missing or
broken part in its errors, refuses HTML entities unless asked (only EPUB asks), and calls its prepare hook with each
part's index before walking it."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from service.core.files import MalformedFileError, UnsafeFileError, open_file
from service.core.files.base import Kind, ZipXmlLayout
from service.core.files.safezip import SafeZip, ZipLimits
from service.core.files.xmltext import Rules

KIND = Kind("docx", "application/x-test", ".docx")
RULES = Rules(blocks=frozenset({"p"}))
XHTML = b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">'


def _archive(members: dict[str, bytes]) -> SafeZip:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return SafeZip(out.getvalue(), ZipLimits())


def test_render_refuses_extras_with_their_count() -> None:
    layout = ZipXmlLayout(KIND, _archive({"a.xml": b"<r><p>Sim.</p></r>"}), [("a.xml", RULES)])
    with pytest.raises(ValueError, match=r"^files have no extras, got 2$"):
        layout.render("Yes.", [], ["x", "y"])
    assert layout.output is None


def test_a_missing_part_is_named_with_the_format_in_capitals() -> None:
    with pytest.raises(MalformedFileError) as error:
        ZipXmlLayout(KIND, _archive({"a.xml": b"<r/>"}), [("a.xml", RULES), ("word/b.xml", RULES)])
    assert str(error.value) == "the DOCX file has no part 'word/b.xml'"


def test_a_broken_part_is_named_in_the_error() -> None:
    with pytest.raises(MalformedFileError, match=r"^word/b\.xml is not well-formed XML \("):
        ZipXmlLayout(KIND, _archive({"word/b.xml": b"<r><p>"}), [("word/b.xml", RULES)])


def test_html_entities_are_refused_unless_the_layout_asks_for_them() -> None:
    part = XHTML + b"<r><p>Sim&nbsp;n\xc3\xa3o.</p></r>"
    with pytest.raises(UnsafeFileError, match="uses the undeclared entity '&nbsp;'"):
        ZipXmlLayout(KIND, _archive({"a.xml": part}), [("a.xml", RULES)])
    layout = ZipXmlLayout(KIND, _archive({"a.xml": part}), [("a.xml", RULES)], html_entities=True)
    assert layout.visible_text == "Sim\xa0não."


def test_tree_refuses_html_entities_by_default() -> None:
    archive = _archive({"a.xml": b"<r><p>Sim.</p></r>", "b.xml": XHTML + b"<r>&nbsp;</r>"})
    layout = ZipXmlLayout(KIND, archive, [("a.xml", RULES)])
    with pytest.raises(UnsafeFileError, match="uses the undeclared entity '&nbsp;'"):
        layout.tree("b.xml")


def test_a_docx_using_an_html_entity_is_refused() -> None:
    w = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = XHTML + b"<w:document " + w + b"><w:body><w:p><w:r><w:t>a&nbsp;b</w:t></w:r></w:p></w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", document)
    with pytest.raises(UnsafeFileError, match=r"^word/document\.xml uses the undeclared entity '&nbsp;': refused$"):
        open_file(out.getvalue(), "a.docx")


class _Recording(ZipXmlLayout):
    def prepare(self, index: int, tree: etree._ElementTree) -> None:
        self.seen = [*getattr(self, "seen", []), (index, tree.getroot().tag)]


def test_prepare_is_called_with_each_parts_index() -> None:
    archive = _archive({"a.xml": b"<a><p>Um.</p></a>", "b.xml": b"<b><p>Dois.</p></b>"})
    layout = _Recording(KIND, archive, [("a.xml", RULES), ("b.xml", RULES)])
    assert layout.seen == [(0, "a"), (1, "b")]
    assert layout.visible_text == "Um.\n\nDois."
