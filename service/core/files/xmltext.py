"""The visible text of XML documents (office XML, ODF, XHTML, XLIFF), and the translation put back in place.

Every format is described by `Rules`: which elements are paragraphs (blocks), which are left out, which are
line breaks or spaces, which keep their text (fields, `translate="no"`), which hold paragraphs of their own
inside a paragraph (footnotes, text boxes: walked after it, so that a sentence around them stays whole), and
where text lives: in given leaf elements (`w:t`, `a:t`) or, for mixed content, everywhere inside a block.
Each text node is a slot of slots.VisibleText, the same machinery as the HTML layout: a sentence split over
runs (a bold word) is translated as one sentence and its words shared back among the runs. Elements never
move, appear or disappear; only text nodes change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.entities import name2codepoint

from lxml import etree

from service.core.files.safexml import XML_SPACE
from service.core.formats.slots import SentenceSpan, VisibleText

# A slot: the part it is in, the element, and whether its text is the element's .text or .tail.
Ref = tuple[int, etree._Element, str]


@dataclass(frozen=True)
class Rules:
    """How one XML vocabulary carries its text (element names in Clark notation, {namespace}local)."""

    blocks: frozenset[str]
    skip: frozenset[str] = frozenset()
    leaves: frozenset[str] | None = None  # None: mixed content, every text node inside a block counts
    breaks: frozenset[str] = frozenset()
    spaces: frozenset[str] = frozenset()
    fixed: frozenset[str] = frozenset()
    nested: frozenset[str] = frozenset()
    preserve_space: frozenset[str] = frozenset()  # leaves that need xml:space="preserve" around edge spaces
    keep: Callable[[etree._Element], bool] | None = field(default=None, compare=False)  # more fixed elements


class XmlText(VisibleText[Ref]):
    """Visible text over the parts of one document, walked in order with their rules."""

    def __init__(self) -> None:
        super().__init__()
        self._inside = 0  # open blocks

    def walk(self, part: int, root: etree._Element, rules: Rules) -> None:
        """Add the visible text of one part (its blocks end before the next part starts)."""
        self.end_block()
        self._element(part, root, rules, 0, None)
        self.end_block()

    def _element(self, part: int, el: etree._Element, rules: Rules, depth: int,
                 deferred: list[etree._Element] | None) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            if isinstance(el, etree._Entity) and self._inside:
                code = name2codepoint.get((el.text or "").strip("&;"))
                if code is not None:
                    self.add(None, chr(code), fixed=True, depth=depth)
            self._tail(part, el, rules, depth)
            return
        if tag in rules.skip or (tag in rules.blocks and rules.keep is not None and rules.keep(el)):
            self._tail(part, el, rules, depth)  # a marked block (translate="no") is not text, as in HTML
            return
        if deferred is not None and tag in rules.nested:
            deferred.append(el)
            self._tail(part, el, rules, depth)
            return
        if tag in rules.blocks:
            self.end_block()
            self._inside += 1
            inner: list[etree._Element] = []
            self._content(part, el, rules, 0, inner)
            self._inside -= 1
            self.end_block()
            for nested in inner:
                self._content(part, nested, rules, 0, None)
                self.end_block()
        elif tag in rules.fixed or (rules.keep is not None and rules.keep(el)):
            if self._inside:
                self.add(None, "".join(el.itertext()), protected=True, depth=depth + 1)
        else:
            if tag in rules.breaks:
                self.line_break()
            elif tag in rules.spaces and self._inside:
                self.add(None, " ", depth=depth)
            self._content(part, el, rules, depth + 1, deferred)
        self._tail(part, el, rules, depth)

    def _content(self, part: int, el: etree._Element, rules: Rules, depth: int,
                 deferred: list[etree._Element] | None) -> None:
        if el.text and self._inside and (rules.leaves is None or el.tag in rules.leaves):
            self.add((part, el, "text"), el.text, depth=depth)
        for child in el:
            self._element(part, child, rules, depth, deferred)

    def _tail(self, part: int, el: etree._Element, rules: Rules, depth: int) -> None:
        if el.tail and self._inside and rules.leaves is None:
            self.add((part, el, "tail"), el.tail, depth=depth)


def put_back(text: XmlText, translated: str, sentence_map: Sequence[SentenceSpan],
             rules: Sequence[Rules]) -> set[int]:
    """Write the translation into the text nodes; returns the parts that changed."""
    changed: set[int] = set()
    for ref, new in text.new_texts(translated, sentence_map):
        if ref is None:
            continue
        part, el, where = ref
        if where == "text":
            if el.text == new:
                continue
            el.text = new
            if el.tag in rules[part].preserve_space and new != new.strip():
                el.set(XML_SPACE, "preserve")
        else:
            if el.tail == new:
                continue
            el.tail = new
        changed.add(part)
    return changed
