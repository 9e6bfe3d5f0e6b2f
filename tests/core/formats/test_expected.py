"""The corpus against what was written down for it (tests/data/documents/expected.json, provenance in its README):
protected pieces, Portuguese sentences and topics. The expectations are data, never the code's own output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from service.core.formats import parse
from service.core.segment import split_sentences
from service.core.tagging import Tagger, default_taxonomy_path, load_taxonomy
from tests.core.formats.helpers import EXPECTED, HTML_DOCS, MD_DOCS, expected_protected

CORPUS = [*HTML_DOCS, *MD_DOCS]


def test_every_corpus_document_has_its_expectations() -> None:
    assert sorted(EXPECTED) == sorted(path.name for path in CORPUS)
    assert sum(len(entry["protected"]) for entry in EXPECTED.values()) >= 20
    assert sum(len(entry["sentences"]) for entry in EXPECTED.values()) >= 200


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(default_taxonomy_path()))


def _layout(path: Path) -> Any:
    return parse(path.read_text(encoding="utf-8"), "html" if path.suffix == ".html" else "markdown")


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_protected_pieces_are_the_written_ones(path: Path) -> None:
    layout = _layout(path)
    assert [layout.visible_text[start:end] for start, end in layout.protected] == expected_protected(path)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_sentences_are_the_written_ones(path: Path) -> None:
    visible = _layout(path).visible_text
    assert [s.text for s in split_sentences(visible, "pt").sentences] == EXPECTED[path.name]["sentences"]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_topics_are_the_written_ones(path: Path, tagger: Tagger) -> None:
    entry = EXPECTED[path.name]
    differs = entry.get("tagger_differs", {})
    expected = (set(entry["tags"]) | set(differs.get("extra", []))) - set(differs.get("missing", []))
    assert {tag.topic for tag in tagger.tag(_layout(path).visible_text, "pt")} == expected
