"""Every file of the corpus (tests/data/files, tools/make_file_corpus.py) through the pipeline and back: only text
changes. Zip members other than the text parts keep their bytes, text parts are the same XML trees (elements,
attributes: every hyperlink, field, id, timestamp) with only the translated text nodes changed; subtitles, PO
and XLIFF open in their reference parsers with every timing, id and placeholder kept."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
import srt
import webvtt
from lxml import etree

from service.core.detect import LanguageDetector
from service.core.files import open_file
from service.core.files.analyze import FileAnalysis, analyze_file
from service.core.files.base import ZipXmlLayout
from service.core.files.safexml import XML_SPACE
from service.core.models import ModelRegistry
from service.core.pipeline import Pipeline
from service.core.tagging import Tagger, default_taxonomy_path, load_taxonomy
from tests.conftest import FakeFactory

CORPUS = Path(__file__).resolve().parents[2] / "data" / "files"
ZIPPED = ("docx", "odt", "pptx", "odp", "epub")
ALL = sorted(path for path in CORPUS.rglob("*.*") if path.suffix != ".md" and "no-text" not in path.name)


@pytest.fixture(scope="module")
def pipeline(packages_dir: Path) -> Iterator[Pipeline]:
    registry = ModelRegistry(packages_dir, "en", FakeFactory(), required=("pt",))
    registry.load_all()
    yield Pipeline(LanguageDetector(), registry, Tagger(load_taxonomy(default_taxonomy_path())))


def translate(pipeline: Pipeline, path: Path) -> FileAnalysis:
    return analyze_file(pipeline, path.read_bytes(), path.name, source_language="pt")


def test_the_corpus_has_ten_files_of_every_format() -> None:
    counts = {folder.name: len(list(folder.iterdir())) for folder in CORPUS.iterdir() if folder.is_dir()}
    assert set(counts) == {"docx", "odt", "pptx", "odp", "epub", "srt", "vtt", "xliff", "po", "pdf"}
    assert all(count >= 10 for count in counts.values()), counts


def _path(tree: etree._ElementTree, node: etree._Element) -> str:
    """An element's XPath; for an entity reference or comment (getpath cannot take them), its parent's and index."""
    if isinstance(node.tag, str):
        return str(tree.getpath(node))
    parent = node.getparent()
    assert parent is not None
    return f"{tree.getpath(parent)}/node()[{list(parent).index(node)}]"


def _slots(layout: ZipXmlLayout) -> set[tuple[str, str, str]]:
    """(part, element path, text|tail) of every text node the translation may change."""
    out = set()
    for run in layout.text.runs:
        if run.ref is not None:
            part, element, where = run.ref
            out.add((layout.names[part], _path(layout.trees[part], element), where))
    return out


def _same_tree(before: etree._Element, after: etree._Element, part: str, slots: set[tuple[str, str, str]],
               tree: etree._ElementTree) -> None:
    pairs = list(zip(before.iter(), after.iter(), strict=True))
    for old, new in pairs:
        assert old.tag == new.tag, (part, old.tag, new.tag)
        assert {k: v for k, v in old.attrib.items() if k != XML_SPACE} == \
               {k: v for k, v in new.attrib.items() if k != XML_SPACE}, (part, old.tag)
        path = _path(tree, new) if new.getparent() is not None or isinstance(new.tag, str) else None
        for where in ("text", "tail"):
            if path is None or (part, path, where) not in slots:
                assert getattr(old, where) == getattr(new, where), (part, path, where)


@pytest.mark.parametrize("path", [p for p in ALL if p.parent.name in ZIPPED], ids=lambda p: p.name)
def test_zipped_files_change_only_their_translated_text(pipeline: Pipeline, path: Path) -> None:
    data = path.read_bytes()
    _, layout = open_file(data, path.name)
    assert isinstance(layout, ZipXmlLayout)
    result = analyze_file(pipeline, data, path.name, source_language="pt")
    # the pipeline rendered a fresh layout; the slot paths are the same for any parse of the same file
    _, fresh = open_file(data, path.name)
    assert isinstance(fresh, ZipXmlLayout)
    slots = _slots(fresh)
    with zipfile.ZipFile(io.BytesIO(data)) as before, zipfile.ZipFile(io.BytesIO(result.file.content)) as after:
        assert [(i.filename, i.compress_type) for i in before.infolist()] == \
               [(i.filename, i.compress_type) for i in after.infolist()]
        changed = []
        for info in before.infolist():
            old, new = before.read(info), after.read(info.filename)
            if info.filename not in layout.names:
                assert old == new, info.filename  # images, fonts, styles, relationships: byte for byte
            elif old != new:
                changed.append(info.filename)
                parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
                old_tree = etree.ElementTree(etree.fromstring(old, parser))
                new_tree = etree.ElementTree(etree.fromstring(new, parser))
                _same_tree(old_tree.getroot(), new_tree.getroot(), info.filename, slots, new_tree)
        assert changed, "nothing was translated"
    assert "[en]" in result.analysis.translation.visible_text


def test_a_bold_word_inside_a_sentence_is_one_sentence_for_the_engine(pipeline: Pipeline,
                                                                       fake_engine_calls: _SentencesSent) -> None:
    translate(pipeline, CORPUS / "docx" / "02-bold-word-in-sentence.docx")
    assert "A empresa lançou um modelo de inteligência artificial aberto." in fake_engine_calls


class _SentencesSent:
    """The sentences the fake engine was sent from the fixture's setup on, read when asked (a list made at setup
    would hold only earlier tests' calls, and pass or fail with the order the tests run in)."""

    def __init__(self, calls: list[list[str]]) -> None:
        self.calls, self.before = calls, len(calls)

    def __contains__(self, sentence: object) -> bool:
        return any(sentence in call for call in self.calls[self.before:])


@pytest.fixture
def fake_engine_calls(pipeline: Pipeline) -> _SentencesSent:
    engine = pipeline.models.engine("pt")
    return _SentencesSent(engine.calls)  # type: ignore[attr-defined]


def _docx_part(result: FileAnalysis, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(result.file.content)) as archive:
        return archive.read(part).decode()


def test_docx_tracked_deletions_fields_and_instructions_keep_their_text(pipeline: Pipeline) -> None:
    result = translate(pipeline, CORPUS / "docx" / "05-tracked-changes.docx")
    visible = result.analysis.translation.source_visible_text
    assert "rejeitou" not in visible and "Texto movido daqui" not in visible  # deleted text is not read
    assert "O governo aprovou a nova lei de proteção de dados." in visible
    changes = _docx_part(result)
    assert "<w:delText>rejeitou</w:delText>" in changes and "Texto movido daqui." in changes
    assert "[en] O governo" in changes  # the inserted word is part of the sentence
    fielded = translate(pipeline, CORPUS / "docx" / "04-fields.docx")
    assert "DATE" not in fielded.analysis.translation.source_visible_text  # instructions are not text
    kept = {a.text for s in fielded.analysis.translation.sentences for a in s.applied if a.kind == "protected"}
    assert {"1", "3", "01/01/2026"} <= kept  # computed results keep their text
    fields = _docx_part(fielded)
    assert "<w:t>1</w:t></w:r></w:fldSimple>" in fields and "<w:t>01/01/2026</w:t>" in fields
    assert ' DATE \\@ "dd/MM/yyyy" </w:instrText>' in fields
    links = _docx_part(translate(pipeline, CORPUS / "docx" / "03-hyperlinks.docx"))
    assert 'r:id="rId10"' in links and 'HYPERLINK "https://github.com/exemplo/ponte"' in links


def test_a_text_box_is_translated_in_both_its_renderings(pipeline: Pipeline) -> None:
    document = _docx_part(translate(pipeline, CORPUS / "docx" / "11-text-box.docx"))
    assert document.count("[en] Texto da caixa") == 2


def test_footnotes_comments_headers_are_translated_in_their_parts(pipeline: Pipeline) -> None:
    notes = translate(pipeline, CORPUS / "docx" / "07-notes-and-comments.docx")
    assert "[en] A Meta" in _docx_part(notes, "word/footnotes.xml")
    assert "[en] Clique" in _docx_part(notes, "word/comments.xml")
    headers = translate(pipeline, CORPUS / "docx" / "08-headers-footers.docx")
    assert "[en] Relatório" in _docx_part(headers, "word/header1.xml")


def test_odt_footnote_in_a_sentence_leaves_the_sentence_whole(pipeline: Pipeline) -> None:
    result = translate(pipeline, CORPUS / "odt" / "07-notes-and-comments.odt")
    sources = [s.source for s in result.analysis.translation.sentences]
    assert "O governo aprovou a lei de proteção de dados." in sources
    assert "A Meta tem um histórico sólido em código aberto." in sources  # the note, after the paragraph


@pytest.mark.parametrize("path", sorted((CORPUS / "srt").iterdir()), ids=lambda p: p.name)
def test_srt_opens_with_every_number_timing_and_row_kept(pipeline: Pipeline, path: Path) -> None:
    result = translate(pipeline, path)
    before = list(srt.parse(path.read_bytes().decode("utf-8-sig")))
    after = list(srt.parse(result.file.content.decode("utf-8-sig")))
    assert [(s.index, s.start, s.end, s.proprietary) for s in before] == \
           [(s.index, s.start, s.end, s.proprietary) for s in after]
    assert [s.content.count("\n") for s in before] == [s.content.count("\n") for s in after]
    assert all("[en]" in s.content for s in after if any(c.isalpha() for c in s.content))
    assert result.file.content.startswith(b"\xef\xbb\xbf") == path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert (b"\r\n" in result.file.content) == (b"\r\n" in path.read_bytes())


@pytest.mark.parametrize("path", sorted((CORPUS / "vtt").iterdir()), ids=lambda p: p.name)
def test_webvtt_opens_with_every_cue_setting_and_block_kept(pipeline: Pipeline, path: Path) -> None:
    result = translate(pipeline, path)
    before = webvtt.from_string(path.read_text(encoding="utf-8"))
    after = webvtt.from_string(result.file.content.decode("utf-8"))
    assert [(c.identifier, c.start, c.end) for c in before] == [(c.identifier, c.start, c.end) for c in after]
    assert [len(c.lines) for c in before] == [len(c.lines) for c in after]
    source_lines = path.read_text(encoding="utf-8").splitlines()
    output_lines = result.file.content.decode("utf-8").splitlines()
    assert [line for line in source_lines if "-->" in line or line.startswith(("NOTE", "STYLE", "REGION", "WEBVTT"))] \
        == [line for line in output_lines if "-->" in line or line.startswith(("NOTE", "STYLE", "REGION", "WEBVTT"))]


def test_two_rows_stay_two_rows_and_the_sentence_is_translated_whole(pipeline: Pipeline,
                                                                     fake_engine_calls: _SentencesSent) -> None:
    result = translate(pipeline, CORPUS / "srt" / "02-two-rows.srt")
    assert "O governo aprovou a nova lei de proteção de dados." in fake_engine_calls
    assert "[en] O governo aprovou a nova lei\nde proteção de dados." in result.file.content.decode()


@pytest.mark.parametrize("path", sorted((CORPUS / "po").iterdir()), ids=lambda p: p.name)
def test_po_opens_with_every_msgid_flag_and_placeholder_kept(pipeline: Pipeline, path: Path) -> None:
    result = translate(pipeline, path)
    before = polib.pofile(path.read_text(encoding="utf-8"))
    after = polib.pofile(result.file.content.decode("utf-8"))
    assert [(e.msgctxt, e.msgid, e.msgid_plural, e.flags, e.occurrences, e.obsolete) for e in before] == \
           [(e.msgctxt, e.msgid, e.msgid_plural, e.flags, e.occurrences, e.obsolete) for e in after]
    assert after.metadata["Language"] == "en"
    for entry in after:
        if entry.obsolete:
            continue
        strings = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        assert all(s.startswith("[en]") for s in strings), entry
        for placeholder in ("%(nome)s", "%(n)d", "{0}", "{pasta}", "%s", "%d", "%%"):
            if placeholder in entry.msgid:
                assert all(placeholder in s for s in strings), (placeholder, strings)
        assert entry.msgid.count("\n") == strings[0].count("\n")


@pytest.mark.parametrize("path", sorted((CORPUS / "xliff").iterdir()), ids=lambda p: p.name)
def test_xliff_targets_mirror_their_sources(pipeline: Pipeline, path: Path) -> None:
    result = translate(pipeline, path)
    before = etree.fromstring(path.read_bytes())
    after = etree.fromstring(result.file.content)
    ns = etree.QName(before).namespace
    sources = [etree.tostring(s, with_tail=False) for s in before.iter(f"{{{ns}}}source")]
    assert sources == [etree.tostring(s, with_tail=False) for s in after.iter(f"{{{ns}}}source")]

    def ids(root: etree._Element) -> list[tuple[str, str | None]]:
        return [(str(e.tag), e.get("id")) for e in root.iter(etree.Element)
                if not any(a.tag == f"{{{ns}}}target" for a in (e, *e.iterancestors()))]
    assert ids(before) == ids(after)
    for source in after.iter(f"{{{ns}}}source"):
        target = source.getnext()
        while target is not None and target.tag != f"{{{ns}}}target":
            target = target.getnext()
        holder = source.getparent()
        unit = holder if holder.tag.endswith("trans-unit") else holder.getparent()
        if unit.get("translate") == "no" or not "".join(source.itertext()).strip():
            continue
        assert target is not None, etree.tostring(holder)
        assert [(e.tag, dict(e.attrib)) for e in source.iterdescendants()] == \
               [(e.tag, dict(e.attrib)) for e in target.iterdescendants()]
        assert "".join(target.itertext()).startswith("[en]")
        for mrk in target.iter(f"{{{ns}}}mrk"):
            assert mrk.text == "Ponte Tradutor"


def test_pdf_text_is_joined_into_paragraphs(pipeline: Pipeline) -> None:
    result = translate(pipeline, CORPUS / "pdf" / "05-hyphenated.pdf")
    assert "O governo aprovou a nova lei de proteção de dados ontem à noite." in \
        result.analysis.translation.source_visible_text
    assert result.file.name == "05-hyphenated.en.txt" and result.file.content.decode().startswith("[en]")
