"""analyze_file (files/analyze.py) through a pipeline with a scripted engine and no model: the defaults (the
language detected, tags), the zip limits and the pipeline's target passed to open_file, the text length limit, what
the file's bytes are when the text is already in the target language, and the name of the translated file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from service.core import models
from service.core.detect import LanguageDetector
from service.core.files import FileTooLargeError, ZipLimits
from service.core.files.analyze import FileTextTooLongError, analyze_file
from service.core.models import ModelRegistry
from service.core.packages import InstalledPackage
from service.core.pipeline import Pipeline
from service.core.tagging import Tagger, default_taxonomy_path, load_taxonomy
from service.core.translate import SentenceResult

CORPUS = Path(__file__).resolve().parents[2] / "data" / "files"
# The default taxonomy tags this as "markets".
MARKETS = "O Banco Central subiu a taxa de juros e a inflação caiu."
SRT = f"1\n00:00:01,000 --> 00:00:04,000\n{MARKETS}\n".encode()


class Scripted:
    """'[en] <sentence>' for every sentence, without score; records the alternatives each call asked for."""

    name, version = "scripted", "1"

    def __init__(self) -> None:
        self.asked: list[int] = []

    def translate(self, sentences: Sequence[str]) -> list[str]:
        return [f"[en] {s}" for s in sentences]

    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[SentenceResult]:
        self.asked.append(alternatives)
        return [SentenceResult(f"[en] {s}") for s in sentences]


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    detector = LanguageDetector()
    detector.load()  # langdetect's profiles, once (~0.3 s)
    return detector


@pytest.fixture(scope="module", autouse=True)
def _pypdf() -> None:
    import pypdf  # noqa: F401  (imported once here, ~0.2 s, not in the PDF test's own time)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(default_taxonomy_path()))


def _pipeline(monkeypatch: pytest.MonkeyPatch, detector: LanguageDetector, tagger: Tagger, engine: Scripted,
              target: str = "en", max_chars: int | None = None) -> Pipeline:
    package = InstalledPackage(f"translate-pt_{target}-1_0", "1.0", "pt", target, Path("/nowhere"))
    monkeypatch.setattr(models, "scan_packages", lambda folder: ([package], []))
    registry = ModelRegistry(Path("/nowhere"), target, lambda package: engine, required=("pt",))
    registry.load_all()
    return Pipeline(detector, registry, tagger, max_chars=max_chars)


@pytest.fixture
def pipeline(monkeypatch: pytest.MonkeyPatch, detector: LanguageDetector, tagger: Tagger) -> Pipeline:
    return _pipeline(monkeypatch, detector, tagger, Scripted())


def test_by_default_the_language_is_detected_and_the_file_tagged(pipeline: Pipeline) -> None:
    result = analyze_file(pipeline, SRT, "noticias.srt")
    assert (result.analysis.language.code, result.analysis.language.method) == ("pt", "detected")
    assert [tag.topic for tag in result.analysis.tags] == ["markets"]
    assert result.file.content == f"1\n00:00:01,000 --> 00:00:04,000\n[en] {MARKETS}\n".encode()


def test_tag_false_leaves_the_file_untagged(pipeline: Pipeline) -> None:
    assert analyze_file(pipeline, SRT, "noticias.srt", source_language="pt", tag=False).analysis.tags == ()


def test_the_engine_is_asked_for_no_alternatives(monkeypatch: pytest.MonkeyPatch, detector: LanguageDetector,
                                                 tagger: Tagger) -> None:
    engine = Scripted()
    analyze_file(_pipeline(monkeypatch, detector, tagger, engine), SRT, "noticias.srt", source_language="pt")
    assert engine.asked == [0]


def test_the_zip_limits_given_are_the_ones_the_file_is_opened_with(pipeline: Pipeline) -> None:
    data = (CORPUS / "odt" / "01-plain.odt").read_bytes()  # 5 members
    with pytest.raises(FileTooLargeError) as raised:
        analyze_file(pipeline, data, "a.odt", source_language="pt", limits=ZipLimits(max_members=4))
    assert str(raised.value) == "the archive has 5 members; the limit is 4"


def test_a_po_file_gets_the_pipelines_target_language_in_its_header_and_name(
        monkeypatch: pytest.MonkeyPatch, detector: LanguageDetector, tagger: Tagger) -> None:
    pipeline = _pipeline(monkeypatch, detector, tagger, Scripted(), target="fr")
    source = b'msgid ""\nmsgstr ""\n"Language: pt\\n"\n\nmsgid "sim"\nmsgstr ""\n'
    result = analyze_file(pipeline, source, "messages.po", source_language="pt", tag=False)
    assert (result.file.name, result.file.content) == (
        "messages.fr.po", b'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "sim"\nmsgstr "[en] sim"\n')


@pytest.mark.parametrize(("limit", "refused"), [(len(MARKETS), False), (len(MARKETS) - 1, True)],
                         ids=["at-the-limit", "one-over"])
def test_a_file_may_have_as_many_characters_of_text_as_the_limit(
        monkeypatch: pytest.MonkeyPatch, detector: LanguageDetector, tagger: Tagger, limit: int,
        refused: bool) -> None:
    pipeline = _pipeline(monkeypatch, detector, tagger, Scripted(), max_chars=limit)
    if not refused:
        result = analyze_file(pipeline, SRT, "noticias.srt", source_language="pt", tag=False)
        assert result.analysis.translation.translated
        return
    with pytest.raises(FileTextTooLongError) as raised:
        analyze_file(pipeline, SRT, "noticias.srt", source_language="pt", tag=False)
    assert str(raised.value) == "the file's text has 56 characters; the limit is 55 (PONTE_MAX_CHARS)"


def test_a_file_already_in_the_target_language_comes_back_as_it_came(pipeline: Pipeline) -> None:
    english = b"1\n00:00:01,000 --> 00:00:04,000\nThe central bank raised rates.\n\n"
    result = analyze_file(pipeline, english, "news.srt", source_language="en", tag=False)
    assert not result.analysis.translation.translated
    assert (result.file.name, result.file.format, result.file.content) == ("news.en.srt", "srt", english)


def _pdf(text: bytes) -> bytes:
    """A one-page PDF with one line of text in Helvetica."""
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
               b"/Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref


def test_a_pdf_already_in_the_target_language_comes_back_as_its_text_in_utf8(pipeline: Pipeline) -> None:
    result = analyze_file(pipeline, _pdf(b"The central bank raised rates."), "news.pdf", source_language="en",
                          tag=False)
    assert (result.file.name, result.file.format, result.file.media_type, result.file.content) == (
        "news.en.txt", "pdf", "text/plain; charset=utf-8", b"The central bank raised rates.\n")
