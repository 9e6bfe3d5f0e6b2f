"""DOCX and PPTX (files/ooxml.py) built by hand in memory, through open_file and an upper-casing fake translator:
which text is read (w:t and a:t only, breaks, tabs, text boxes after their paragraph, tab stops not text), in
which order (body, footnotes, endnotes, comments, headers, footers; each slide then its notes), which fields keep
their text, how the main part and the notes are found through the package's relationships, and the errors."""

from __future__ import annotations

import io
import zipfile

import pytest

from service.core.files import MalformedFileError, open_file
from service.core.files.base import ZipXmlLayout
from tests.core.formats.helpers import _upper, translate

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
P = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _zip(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                                                b'content-types"/>')
        for name, text in members.items():
            archive.writestr(name, text.encode("utf-8"))
    return out.getvalue()


def _rels(*rels: tuple[str, str] | tuple[str, str, str]) -> str:
    """A relationships part: (type, target) or (type, target, target mode)."""
    items = "".join(f'<Relationship Id="rId{i}" Type="{TYPES}{r[0]}" Target="{r[1]}"'
                    + (f' TargetMode="{r[2]}"' if len(r) == 3 else "") + "/>"
                    for i, r in enumerate(rels, 1))
    return f'<Relationships xmlns="{REL}">{items}</Relationships>'


def _doc(body: str) -> str:
    return f"<w:document {W}><w:body>{body}</w:body></w:document>"


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _docx(body: str, **members: str) -> bytes:
    return _zip({"word/document.xml": _doc(body), **members})


def _layout(data: bytes, name: str = "a.docx") -> ZipXmlLayout:
    _, layout = open_file(data, name)
    assert isinstance(layout, ZipXmlLayout)
    return layout


def _visible(data: bytes, name: str = "a.docx") -> str:
    return _layout(data, name).visible_text


def _translated(data: bytes, part: str, name: str = "a.docx") -> str:
    layout = _layout(data, name)
    translate(layout, _upper)
    assert layout.output is not None
    with zipfile.ZipFile(io.BytesIO(layout.output)) as archive:
        return archive.read(part).decode("utf-8")


# --- DOCX: where the text is ---------------------------------------------------------------------------

def test_docx_text_is_only_in_w_t_with_breaks_as_newlines_and_tabs_as_spaces() -> None:
    # the indentation between the runs is no text (only w:t counts); w:br is a line break, w:tab a space
    data = _docx("<w:p>\n  <w:r><w:t>Olá</w:t></w:r>\n  "
                 "<w:r><w:t>Um</w:t><w:br/><w:t>dois</w:t><w:tab/><w:t>três</w:t><w:cr/><w:t>quatro</w:t>"
                 "<w:ptab/><w:t>cinco</w:t></w:r>\n</w:p>")
    assert _visible(data) == "OláUm\ndois três\nquatro cinco"


def test_docx_tab_stops_in_the_paragraph_properties_are_not_spaces() -> None:
    # w:pPr comes first by the schema (where a space would be trimmed anyway); here after a run, as some tools
    # misplace it
    data = _docx('<w:p><w:r><w:t>Olá</w:t></w:r><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
                 "<w:r><w:t>mundo.</w:t></w:r></w:p>")
    assert _visible(data) == "Olámundo."


def test_docx_a_text_box_is_a_paragraph_of_its_own_after_the_one_it_sits_in() -> None:
    data = _docx('<w:p><w:r><w:t xml:space="preserve">O gato </w:t></w:r>'
                 '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>'
                 "<w:p><w:r><w:t>Caixa.</w:t></w:r></w:p>"
                 "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
                 "<w:r><w:t>dorme.</w:t></w:r></w:p>")
    assert _visible(data) == "O gato dorme.\n\nCaixa."


def test_docx_a_translated_run_with_edge_spaces_gets_xml_space_preserve() -> None:
    data = _docx("<w:p><w:r><w:t>A casa</w:t></w:r><w:r><w:t>azul é grande.</w:t></w:r></w:p>")
    assert _translated(data, "word/document.xml") == _doc(
        '<w:p><w:r><w:t xml:space="preserve">A </w:t></w:r><w:r><w:t>CASAAZUL É GRANDE.</w:t></w:r></w:p>')


def test_docx_parts_are_read_body_footnotes_endnotes_comments_headers_then_footers() -> None:
    data = _docx(_para("Corpo."),
                 **{"word/footer1.xml": f"<w:ftr {W}>{_para('Rodapé.')}</w:ftr>",
                    "word/header2.xml": f"<w:hdr {W}>{_para('Cabeçalho dois.')}</w:hdr>",
                    "word/header0.xml": f"<w:hdr {W}>{_para('Cabeçalho zero.')}</w:hdr>",
                    "word/header.xml": f"<w:hdr {W}>{_para('Cabeçalho.')}</w:hdr>",
                    "word/comments.xml": f"<w:comments {W}><w:comment>{_para('Comentário.')}</w:comment>"
                                         "</w:comments>",
                    "word/endnotes.xml": f"<w:endnotes {W}><w:endnote>{_para('Nota final.')}</w:endnote>"
                                         "</w:endnotes>",
                    "word/footnotes.xml": f"<w:footnotes {W}><w:footnote>{_para('Nota.')}</w:footnote>"
                                          "</w:footnotes>",
                    "word/styles.xml": f"<w:styles {W}/>"})
    # header.xml (no number) counts as 0, before header0.xml by name, then header2.xml
    assert _visible(data).split("\n\n") == ["Corpo.", "Nota.", "Nota final.", "Comentário.", "Cabeçalho.",
                                            "Cabeçalho zero.", "Cabeçalho dois.", "Rodapé."]


# --- DOCX: fields ---------------------------------------------------------------------------------------

def _field(*instructions: str, result: str = "<w:t>3</w:t>") -> str:
    runs = "".join(f'<w:r><w:instrText xml:space="preserve">{i}</w:instrText></w:r>' if i else
                   "<w:r><w:instrText/></w:r>" for i in instructions)
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r>{result}</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')


def test_docx_simple_fields_a_computed_one_keeps_its_text_others_are_translated() -> None:
    data = _docx('<w:p><w:r><w:t xml:space="preserve">Página </w:t></w:r>'
                 '<w:fldSimple w:instr=" page \\* MERGEFORMAT "><w:r><w:t>3</w:t></w:r></w:fldSimple>'
                 '<w:r><w:t xml:space="preserve"> ver </w:t></w:r>'
                 '<w:fldSimple w:instr="HYPERLINK &quot;https://a.pt&quot;"><w:r><w:t>sítio</w:t></w:r></w:fldSimple>'
                 '<w:r><w:t xml:space="preserve"> e </w:t></w:r>'
                 "<w:fldSimple><w:r><w:t>nada</w:t></w:r></w:fldSimple></w:p>")
    layout = _layout(data)
    assert layout.visible_text == "Página 3 ver sítio e nada"
    assert layout.protected == ((7, 8),)
    assert "<w:t>SÍTIO</w:t>" in _translated(data, "word/document.xml")


def test_docx_a_complex_computed_field_keeps_its_result_and_the_text_after_it_is_translated() -> None:
    # the instruction is split over two runs, as Word writes it; the result run holds a tab
    data = _docx('<w:p><w:r><w:t xml:space="preserve">Hoje é </w:t></w:r>'
                 + _field(" DATE ", " \\@ &quot;d MMMM&quot; ", result="<w:t>5</w:t><w:tab/><w:t>março</w:t>")
                 + '<w:r><w:t xml:space="preserve"> e chove.</w:t></w:r></w:p>'
                 + "<w:p><w:r><w:t>Amanhã também.</w:t></w:r></w:p>")
    layout = _layout(data)
    assert layout.visible_text == "Hoje é 5 março e chove.\n\nAmanhã também."
    assert layout.protected == ((7, 8), (9, 14))
    out = _translated(data, "word/document.xml")
    assert "<w:t>5</w:t><w:tab/><w:t>março</w:t>" in out
    assert '<w:t xml:space="preserve"> E CHOVE.</w:t>' in out
    assert "<w:t>AMANHÃ TAMBÉM.</w:t>" in out


@pytest.mark.parametrize(("instructions", "protected"), [
    ((" PAGE ",), ((7, 8),)),
    (("", " PAGE "), ((7, 8),)),  # an empty instruction run adds nothing
    ((" HYPERLINK x ",), ()),
], ids=["page", "empty-run-first", "hyperlink"])
def test_docx_a_fields_first_instruction_word_decides(instructions: tuple[str, ...],
                                                      protected: tuple[tuple[int, int], ...]) -> None:
    data = _docx('<w:p><w:r><w:t xml:space="preserve">Página </w:t></w:r>' + _field(*instructions)
                 + '<w:r><w:t xml:space="preserve"> de dez.</w:t></w:r></w:p>')
    layout = _layout(data)
    assert layout.visible_text == "Página 3 de dez."
    assert layout.protected == protected


def test_docx_a_deleted_instruction_is_not_part_of_the_field() -> None:
    # a tracked change turned a PAGE field into a hyperlink: its result is translated
    data = _docx('<w:p><w:r><w:t xml:space="preserve">Ver </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                 '<w:del><w:r><w:delInstrText xml:space="preserve"> PAGE </w:delInstrText></w:r></w:del>'
                 '<w:ins><w:r><w:instrText xml:space="preserve"> HYPERLINK x </w:instrText></w:r></w:ins>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>sítio</w:t></w:r>'
                 '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    layout = _layout(data)
    assert layout.visible_text == "Ver sítio"
    assert layout.protected == ()


def test_docx_a_stray_field_end_a_comment_and_a_drawing_do_not_break_the_fields() -> None:
    data = _docx('<w:p><!-- nota --><w:r><w:fldChar w:fldCharType="end"/></w:r>'
                 '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
                 'wordprocessingDrawing"/></w:drawing></w:r>'
                 '<w:r><w:t xml:space="preserve">Página </w:t></w:r>' + _field(" PAGE ")
                 + "</w:p>")
    layout = _layout(data)
    assert layout.visible_text == "Página 3"
    assert layout.protected == ((7, 8),)


# --- DOCX: the main part --------------------------------------------------------------------------------

def test_docx_the_main_part_is_the_one_the_package_relationships_name() -> None:
    data = _zip({"_rels/.rels": _rels(("extended-properties", "docProps/app.xml"),
                                      ("officeDocument", "word/main.xml")),
                 "docProps/app.xml": "<Properties/>",
                 "word/main.xml": _doc(_para("Principal.")),
                 "word/footnotes.xml": f"<w:footnotes {W}><w:footnote>{_para('Nota.')}</w:footnote></w:footnotes>"})
    assert _visible(data) == "Principal.\n\nNota."


@pytest.mark.parametrize("folder", ["word", "Xml"])
def test_docx_an_absolute_target_is_read_from_the_package_root(folder: str) -> None:
    data = _zip({"_rels/.rels": _rels(("officeDocument", f"/{folder}/main.xml")),
                 "word/styles.xml": f"<w:styles {W}/>",
                 f"{folder}/main.xml": _doc(_para("Principal."))})
    assert _visible(data) == "Principal."


def test_docx_a_main_part_at_the_package_root_finds_its_notes_next_to_it() -> None:
    data = _zip({"_rels/.rels": _rels(("officeDocument", "document.xml")),
                 "word/styles.xml": f"<w:styles {W}/>",
                 "document.xml": _doc(_para("Principal.")),
                 "footnotes.xml": f"<w:footnotes {W}><w:footnote>{_para('Nota.')}</w:footnote></w:footnotes>"})
    assert _visible(data) == "Principal.\n\nNota."


def test_docx_external_relationships_are_links_never_parts() -> None:
    data = _zip({"_rels/.rels": _rels(("officeDocument", "word/other.xml", "External"),
                                      ("officeDocument", "word/main.xml")),
                 "word/other.xml": _doc(_para("Outro.")),
                 "word/main.xml": _doc(_para("Principal.")),
                 "word/document.xml": _doc(_para("Documento."))})
    assert _visible(data) == "Principal."


def test_docx_a_relationship_outside_the_package_namespace_is_not_read() -> None:
    data = _zip({"_rels/.rels": f'<Relationships xmlns="{REL}"><x:Relationship xmlns:x="urn:x" '
                                f'Type="{TYPES}officeDocument" Target="word/other.xml"/></Relationships>',
                 "word/other.xml": _doc(_para("Outro.")),
                 "word/document.xml": _doc(_para("Documento."))})
    assert _visible(data) == "Documento."


def test_docx_without_package_relationships_the_main_part_is_word_document_xml() -> None:
    assert _visible(_docx(_para("Documento."))) == "Documento."


def test_docx_without_a_main_part_is_malformed() -> None:
    data = _zip({"_rels/.rels": _rels(("officeDocument", "word/missing.xml")),
                 "word/styles.xml": f"<w:styles {W}/>"})
    with pytest.raises(MalformedFileError) as error:
        open_file(data, "a.docx")
    assert str(error.value) == "the package names no main document part"


def test_docx_broken_package_relationships_are_named_in_the_error() -> None:
    with pytest.raises(MalformedFileError, match=r"^_rels/\.rels is not well-formed XML"):
        open_file(_docx(_para("Documento."), **{"_rels/.rels": "<Relationships>"}), "a.docx")


# --- PPTX -----------------------------------------------------------------------------------------------

def _slide(text: str) -> str:
    return (f"<p:sld {P} {A}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{text}</a:t></a:r></a:p>"
            "</p:txBody></p:sp></p:spTree></p:cSld></p:sld>")


def _notes(text: str) -> str:
    return _slide(text).replace("p:sld ", "p:notes ").replace("</p:sld>", "</p:notes>")


def test_pptx_each_slide_is_followed_by_its_notes_found_through_the_slides_relationships() -> None:
    # no package relationships: the main part is ppt/presentation.xml; an external hyperlink comes first
    data = _zip({"ppt/presentation.xml": f"<p:presentation {P}/>",
                 "ppt/slides/slide2.xml": _slide("Segundo."),
                 "ppt/slides/slide1.xml": _slide("Primeiro."),
                 "ppt/slides/_rels/slide1.xml.rels": _rels(("hyperlink", "https://a.pt", "External"),
                                                           ("slideLayout", "../slideLayouts/slideLayout1.xml"),
                                                           ("notesSlide", "../notesSlides/notesSlide1.xml")),
                 "ppt/slides/_rels/slide2.xml.rels": _rels(("notesSlide", "../notesSlides/notesSlide9.xml")),
                 "ppt/slideLayouts/slideLayout1.xml": _slide("Modelo."),
                 "ppt/notesSlides/notesSlide1.xml": _notes("Nota um.")})
    assert _visible(data, "a.pptx") == "Primeiro.\n\nNota um.\n\nSegundo."
    assert "<a:t>NOTA UM.</a:t>" in _translated(data, "ppt/notesSlides/notesSlide1.xml", "a.pptx")
