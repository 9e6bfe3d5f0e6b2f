"""Documents in, their structure out: the visible text of text, HTML and Markdown, and the way back.

``parse(source, fmt)`` returns a ``Layout``: the visible text that detection, tagging and sentence
splitting see (one block per paragraph, blocks separated by a blank line, no markup), the ranges of it
never to translate, and extra strings to translate (alt/title values, image descriptions).
``Layout.render`` takes the translated visible text, the map from each source sentence to its
translation and the translated extras, and returns the document with its markup preserved.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol, get_args

from service.core.exceptions import EmptyDocumentError
from service.core.formats.slots import SentenceSpan
from service.core.segment import Segmentation, join_translation

Format = Literal["text", "html", "markdown"]
FORMATS: tuple[str, ...] = get_args(Format)


class Layout(Protocol):
    """A parsed document: what to translate, and how to put the translation back."""

    @property
    def visible_text(self) -> str: ...

    @property
    def protected(self) -> tuple[tuple[int, int], ...]: ...

    @property
    def extras(self) -> tuple[str, ...]: ...

    def render(self, translated_visible: str, sentence_map: Sequence[SentenceSpan], extras: Sequence[str]) -> str:
        """Return the document with the translated text and extras in place, markup preserved."""
        ...


def parse(source: str, fmt: Format) -> Layout:
    """Parse a document of the given format; raises EmptyDocumentError when it has no visible text."""
    layout: Layout
    if fmt == "html":
        from service.core.formats.html import HtmlLayout

        layout = HtmlLayout(source)
    elif fmt == "markdown":
        from service.core.formats.markdown import MarkdownLayout

        layout = MarkdownLayout(source)
    elif fmt == "text":
        from service.core.formats.text import TextLayout

        layout = TextLayout(source)
    else:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if not layout.visible_text.strip():
        raise EmptyDocumentError(f"the {fmt} document has no visible text")
    return layout


def join_mapped(segmentation: Segmentation, targets: Sequence[str]) -> tuple[str, list[SentenceSpan]]:
    """join_translation, plus each sentence's (src_start, src_end, dst_start, dst_end) for render."""
    text = join_translation(segmentation, targets)
    spans: list[SentenceSpan] = []
    paragraph_first = [True] * segmentation.paragraph_count
    cursor = 0
    for index, (sentence, target) in enumerate(zip(segmentation.sentences, targets, strict=True)):
        if index and sentence.paragraph != segmentation.sentences[index - 1].paragraph:
            for separator in segmentation.separators[segmentation.sentences[index - 1].paragraph:sentence.paragraph]:
                cursor += len(separator)
        piece = target.strip()
        if piece and not paragraph_first[sentence.paragraph]:
            cursor += 1  # the space join_translation puts between sentences of a paragraph
        spans.append((sentence.start, sentence.end, cursor, cursor + len(piece)))
        if piece:
            paragraph_first[sentence.paragraph] = False
        cursor += len(piece)
    return text, spans


__all__ = ["FORMATS", "EmptyDocumentError", "Format", "Layout", "SentenceSpan", "join_mapped", "parse"]
