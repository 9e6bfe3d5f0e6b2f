"""HTML in, HTML out: the visible text of each block, then the translation put back into the same tree.

The document is parsed the way browsers parse it (lexbor, an HTML5 parser, through selectolax: chosen by
the measurement in bench/formats.py), so broken markup is repaired, not refused. Walking the tree:

* a block element (p, li, h1-h6, td, caption, ...) starts and ends a paragraph of visible text; text
  between blocks forms a paragraph of its own, as CSS anonymous boxes do; ``<br>`` is a line break;
* inline elements (a, b, em, span, ...) only delimit slots: each text node is a slot that gets its share
  of the translation (see slots.py), so no element is ever added, lost or moved;
* inline ``code``/``kbd``/``var``/``samp``/``tt`` and inline elements marked ``translate="no"`` or
  ``class="notranslate"`` stay in the visible text as protected ranges and keep their text;
* ``pre``, ``script``, ``style`` and other non-prose elements, and marked blocks, are not visible text;
* ``alt`` and ``title`` attribute values are extras, translated on their own.

Whitespace is collapsed as HTML renders it. The output is the parser's serialisation: tags, attributes
and comments come back as parsed; character references come back as the characters they stand for,
except ``&amp; &lt; &gt; &nbsp;`` (and ``&quot;`` in attributes), which stay escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from selectolax.lexbor import LexborHTMLParser, LexborNode

from service.core.formats.bounds import check_html
from service.core.formats.slots import SentenceSpan, VisibleText

BLOCKS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir",
     "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
     "head", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "optgroup", "option",
     "p", "search", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul"]
)
# Never prose: their content is not visible text at all.
SKIPPED = frozenset(
    ["pre", "script", "style", "template", "textarea", "svg", "math", "noscript", "iframe", "object", "canvas",
     "audio", "video", "select", "xmp", "plaintext", "listing", "noembed", "noframes"]
)
CODE = frozenset(["code", "kbd", "var", "samp", "tt"])
ATTRIBUTES = ("alt", "title")


class After:
    """What render writes right after an element that keeps its text (inline code): a text node after it."""

    __slots__ = ("node",)

    def __init__(self, node: LexborNode) -> None:
        self.node = node


def _marked(node: LexborNode) -> bool:
    attrs = node.attributes
    return (attrs.get("translate") or "").strip().lower() == "no" or "notranslate" in (attrs.get("class") or "").split()


class _Walk(VisibleText[LexborNode | After]):
    """One pass over the tree: the visible text, its slots, protected ranges and attribute extras."""

    def __init__(self) -> None:
        super().__init__()
        self.extras: list[tuple[LexborNode, str, str]] = []

    def run(self, first: LexborNode | None) -> None:
        stack: list[LexborNode] = []
        depth = 0  # open inline elements
        node = first
        while node is not None or stack:
            if node is None:
                element = stack.pop()
                if element.tag in BLOCKS:
                    self.end_block()
                else:
                    depth -= 1
                node = element.next
                continue
            if node.is_text_node:
                self.add(node, node.text_content or "", depth=depth)
            elif node.is_element_node:
                tag = node.tag or ""
                block = tag in BLOCKS
                if tag in SKIPPED or (block and _marked(node)):
                    if block or tag in ("pre", "textarea", "select", "xmp", "listing", "plaintext"):
                        self.end_block()
                    node = node.next
                    continue
                self._attributes(node)
                if tag in CODE or _marked(node):
                    self.add(None, node.text(deep=True), protected=True, depth=depth + 1, after=After(node))
                    node = node.next
                    continue
                if block:
                    self.end_block()
                else:
                    depth += 1
                    if tag == "br":
                        self.line_break()
                stack.append(node)
                node = node.first_child
                continue
            node = node.next

    def _attributes(self, node: LexborNode) -> None:
        attrs = node.attributes
        for name in ATTRIBUTES:
            value = attrs.get(name)
            if value and value.strip():
                self.extras.append((node, name, value))


# The walk over a parsed tree, for layouts that hold HTML inside another format (Markdown's HTML blocks): its
# visible text goes wherever add/end_block/line_break send it.
TreeWalk = _Walk


def _is_document(source: str) -> bool:
    """Whether the source is a whole document (it names html, head or body, or has a doctype)."""
    lowered = source.lower()
    for marker in ("<!doctype", "<html", "<head", "<body"):
        at = lowered.find(marker)
        while at >= 0:
            after = lowered[at + len(marker): at + len(marker) + 1]
            if after in ("", ">", "/", " ", "\t", "\n", "\r", "\f"):
                return True
            at = lowered.find(marker, at + 1)
    return False


def _parse(source: str) -> tuple[LexborHTMLParser, LexborNode | None, bool]:
    whole = _is_document(source)
    tree = LexborHTMLParser(source, is_fragment=not whole)
    return tree, tree.root, whole


class HtmlLayout:
    """The visible text of an HTML document or fragment, and how to put a translation back."""

    def __init__(self, source: str) -> None:
        check_html(source)  # before the parse, whose cost grows faster than the document
        self._source = source
        self._tree, root, self._whole = _parse(source)
        self._walk = _Walk()
        self._walk.run(root)
        self._fresh = True
        self.visible_text = "".join(self._walk.parts)
        self.protected = tuple(self._walk.protected)
        self.extras = tuple(value for _, _, value in self._walk.extras)

    def render(self, translated_visible: str, sentence_map: Sequence[SentenceSpan], extras: Sequence[str]) -> str:
        """Return the document with the translated text in its slots and translated alt/title values."""
        if len(extras) != len(self.extras):
            raise ValueError(f"expected {len(self.extras)} translated extras, got {len(extras)}")
        if not self._fresh:  # rendering edits the tree, so a second render starts from a new parse
            self._tree, root, _ = _parse(self._source)
            self._walk = _Walk()
            self._walk.run(root)
        self._fresh = False
        walk = self._walk
        for ref, text in walk.new_texts(translated_visible, sentence_map):
            if isinstance(ref, After):
                ref.node.insert_after(text)
            elif ref is not None:
                ref.replace_with(text)
        for (node, name, _), value in zip(walk.extras, extras, strict=True):
            node.attrs[name] = value
        return self._serialise()

    def _serialise(self) -> str:
        return self._tree.html or ""
