"""Every corpus document, through fakes that change the text: the markup comes back intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.core.formats import parse
from tests.core.formats.helpers import (
    FAKES,
    HTML_DOCS,
    MD_DOCS,
    expected_protected,
    html_comments_and_raw,
    html_tree,
    md_structure,
    normalised_html,
    translate,
)

_URL = re.compile(r"https?://[^\s\"'<>)\]]+")


def test_the_corpus_is_large_enough() -> None:
    assert len(HTML_DOCS) >= 25 and len(MD_DOCS) >= 12


def _counted(output: str, pieces: list[str], reference: str) -> None:
    """Each protected piece (as written down for the document) and each URL occurs as often as in the reference."""
    for piece in pieces:
        if len(piece) < 4:
            continue  # "C" of <kbd>C</kbd> also occurs inside words
        assert output.count(piece) == reference.count(piece), piece
    for url in set(_URL.findall(reference)):
        assert output.count(url) == reference.count(url), url


@pytest.mark.parametrize("fake", sorted(FAKES))
@pytest.mark.parametrize("path", HTML_DOCS, ids=lambda p: p.name)
def test_html_keeps_its_tree(path: Path, fake: str) -> None:
    source = path.read_text(encoding="utf-8")
    layout = parse(source, "html")
    output = translate(layout, FAKES[fake])
    assert html_tree(output) == html_tree(source)
    assert html_comments_and_raw(output) == html_comments_and_raw(source)
    assert normalised_html(output) == output  # well formed: a second parse changes nothing
    _counted(output, expected_protected(path), normalised_html(source))


@pytest.mark.parametrize("path", HTML_DOCS, ids=lambda p: p.name)
def test_html_identity_round_trip(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    layout = parse(source, "html")
    output = translate(layout, FAKES["identity"])
    again = parse(output, "html")
    assert again.visible_text == layout.visible_text
    assert [again.visible_text[a:b] for a, b in again.protected] == expected_protected(path)
    assert again.extras == layout.extras


@pytest.mark.parametrize("fake", sorted(FAKES))
@pytest.mark.parametrize("path", MD_DOCS, ids=lambda p: p.name)
def test_markdown_keeps_its_structure(path: Path, fake: str) -> None:
    source = path.read_text(encoding="utf-8")
    layout = parse(source, "markdown")
    output = translate(layout, FAKES[fake])
    assert md_structure(output) == md_structure(source)
    _counted(output, expected_protected(path), source)
    if source.startswith("---\n"):
        front = source[: source.index("\n---\n", 4) + 5]
        assert output.startswith(front)


@pytest.mark.parametrize("path", MD_DOCS, ids=lambda p: p.name)
def test_markdown_identity_round_trip(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert translate(parse(source, "markdown"), FAKES["identity"]) == source


@pytest.mark.parametrize("path", HTML_DOCS + MD_DOCS, ids=lambda p: p.name)
def test_text_changes_under_a_changing_fake(path: Path) -> None:
    fmt = "html" if path.suffix == ".html" else "markdown"
    source = path.read_text(encoding="utf-8")
    layout = parse(source, fmt)
    output = translate(layout, FAKES["upper"])
    again = parse(output, fmt)
    assert again.visible_text != layout.visible_text
    words = [w for w in again.visible_text.split() if w.isalpha()]
    assert sum(w.isupper() for w in words) > len(words) / 2
