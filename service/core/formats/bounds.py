"""Bounds of an HTML document, counted in one linear pass before the parser sees it.

lexbor (the HTML parser, through selectolax) is quadratic in the attributes of one element (each new attribute
is compared with the ones before it: 20,000 attributes took 1.6 s, 100,000 about 145 s) and superlinear in the
elements of a document (80,000 nested elements: 111 s). `check_html` counts both by following the states of the
HTML tokenizer that decide where a tag starts and ends (data, tags and their attributes with quoted values,
comments, bogus comments, raw text elements, CDATA in foreign content), and refuses a document over a bound
before the parse. Where its reading could differ from the parser's, it counts more, never fewer.
"""

from __future__ import annotations

import re
from typing import Final

from service.core.exceptions import DocumentTooComplexError

MAX_ELEMENTS: Final = 10_000  # tags per document: 10,000 nested elements parse in ~0.4 s
MAX_ATTRIBUTES: Final = 256  # attributes per element: lexbor's check of 256 is ~0.3 ms

# Elements whose content is text up to their end tag (script data, RCDATA, RAWTEXT, PLAINTEXT).
_RAW = frozenset(["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"])
# HTML elements that end foreign (SVG, MathML) content when they start inside it.
_BREAKOUT = frozenset(
    ["b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "h1", "h2",
     "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre",
     "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var", "font"])
_NAME = re.compile(r"[^\s/>]*")
_ATTRIBUTE = re.compile(r"[\s/]*([^\s/>][^\s/>=]*)?\s*")
_UNQUOTED = re.compile(r"[^\s>]*")


def check_html(source: str, max_elements: int = MAX_ELEMENTS, max_attributes: int = MAX_ATTRIBUTES) -> None:
    """Raise DocumentTooComplexError when the document has more elements, or an element more attributes, than
    the bounds."""
    lowered = source.lower()
    end = len(source)
    position = 0
    elements = 0
    foreign = 0
    while True:
        position = source.find("<", position)
        if position < 0 or position + 1 >= end:
            return
        after = source[position + 1]
        if _tag_start(after) or (after == "/" and _tag_start(source[position + 2:position + 3])):
            closing = after == "/"
            start = position + 2 if closing else position + 1
            name_end = _NAME.match(source, start).end()  # type: ignore[union-attr]
            name = lowered[start:name_end]
            position, attributes = _attributes(source, name_end, max_attributes)
            elements += not closing
            if elements > max_elements:
                raise DocumentTooComplexError(f"the HTML document has more than {max_elements} elements; "
                                              f"the limit is {max_elements}")
            if attributes > max_attributes:
                raise DocumentTooComplexError(f"an HTML element ({name[:40]}) has more than {max_attributes} "
                                              f"attributes; the limit is {max_attributes}")
            if closing:
                if name in ("svg", "math"):
                    foreign = max(0, foreign - 1)
                continue
            if name in ("svg", "math") and source[position - 2:position] != "/>":
                foreign += 1
            elif foreign and name in _BREAKOUT:
                foreign = 0
            elif name in _RAW and not foreign:
                if name == "plaintext":
                    return
                found = lowered.find("</" + name, position)
                position = end if found < 0 else found
        elif source.startswith("<!--", position):
            position = _comment_end(source, position)
        elif foreign and source.startswith("<![CDATA[", position):
            found = source.find("]]>", position + 9)
            position = end if found < 0 else found + 3
        elif after in "!?/":  # a bogus comment (or `</>`), up to the next `>`
            found = source.find(">", position + 2)
            position = end if found < 0 else found + 1
        else:
            position += 1


def _tag_start(char: str) -> bool:
    """Whether a tag name starts with this character (an ASCII letter; anything else after `<` is text, and
    after `</` a bogus comment)."""
    return char.isascii() and char.isalpha()


def _attributes(source: str, position: int, max_attributes: int) -> tuple[int, int]:
    """From just after a tag's name: where the tag ends (after its `>`, or past the end of a text that ends inside
    it) and how many attributes it has (counting stops past the bound)."""
    count = 0
    end = len(source)
    while position < end and count <= max_attributes:
        match = _ATTRIBUTE.match(source, position)
        assert match is not None  # the pattern matches the empty string
        position = match.end()
        if match.group(1) is None:  # the pattern takes any name character, "=" included: the tag ends here, at its
            return position + 1, count  # ">" or at the end of the text (past it then: the scan ends)
        count += 1
        if position < end and source[position] == "=":
            position += 1
            while position < end and source[position] in " \t\n\f\r":
                position += 1
            quote = source[position:position + 1]
            if quote in ('"', "'"):
                closing = source.find(quote, position + 1)
                position = end if closing < 0 else closing + 1
            else:
                position = _UNQUOTED.match(source, position).end()  # type: ignore[union-attr]
    return position, count


def _comment_end(source: str, position: int) -> int:
    """After the comment that starts at `position` (`<!--`): it ends at `-->`, `--!>`, or at once (`<!-->`)."""
    if source.startswith("<!-->", position) or source.startswith("<!--->", position):
        return source.find(">", position + 4) + 1
    ends = [found for found in (source.find("-->", position + 4), source.find("--!>", position + 4)) if found >= 0]
    if not ends:
        return len(source)
    first = min(ends)
    return first + (3 if source.startswith("-->", first) else 4)
