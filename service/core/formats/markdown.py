"""Markdown in, Markdown out: the text of each paragraph, heading and table cell, spliced back in place.

markdown-it-py (CommonMark plus tables) finds the blocks and their inline tokens. Its inline parser is
taught to record where each text token starts, so render replaces exactly those source ranges and
copies everything else byte for byte: markers of headings, lists, quotes, tables, emphasis and links,
link and image URLs, code blocks, inline code and front matter (``---`` YAML ``---``) come back
untouched. Inline code, autolinks, escapes and entities keep their text; an image's description is an
extra. Text that render writes is escaped so that it cannot open new Markdown syntax.

HTML inside Markdown goes through the HTML layout's walk: an HTML block is parsed as an HTML fragment (its block
and inline elements, `alt`/`title` extras, code and `translate="no"` as in html.py) and written back serialised,
when it had visible text; inline HTML delimits slots as HTML inline elements do: `<br>` is a line break, text
inside `<code>` (and kbd, samp, var, tt) is protected.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from selectolax.lexbor import LexborHTMLParser, LexborNode

from service.core.formats.html import CODE, After, TreeWalk
from service.core.formats.slots import Inline, SentenceSpan, VisibleText

_SPECIAL = "\\`*_[]<>|&~"
_LINE_START = "#>+-="

Edit = tuple[int, int, str]  # [start, end) of the source and its replacement
# What render rewrites: a source range (start, end, at line start, inside emphasis or a link; an empty range is a
# place to write text at) or a text node of an HTML block (or the place right after one of its code elements).
Ref = tuple[int, int, bool, bool] | LexborNode | After
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)\s*>\Z", re.DOTALL)
_VOID = frozenset(["br", "img", "hr", "wbr", "input", "area", "col", "embed", "source", "track", "meta", "link"])


class _State(StateInline):
    """StateInline that notes where each token starts in the inline source."""

    def pushPending(self) -> Token:
        content = self.pending
        token = super().pushPending()
        token.meta = {"at": self.src.rfind(content, 0, self.pos)}
        return token

    def push(self, ttype: str, tag: str, nesting: Any) -> Token:
        at = self.pos
        token = super().push(ttype, tag, nesting)
        # a text pushed as it is is an emphasis delimiter: not located text, but where em_open/strong_open start
        token.meta = {"delim": at} if ttype == "text" else {"at": at}
        return token


class _Inline(ParserInline):
    def parse(self, src: str, md: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
        state = _State(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table")
    # Joined text tokens would lose their positions: escapes, entities and stray delimiters stay apart.
    md.core.ruler.disable("text_join")
    md.inline.ruler2.disable("fragments_join")
    inline = _Inline()
    inline.ruler, inline.ruler2 = md.inline.ruler, md.inline.ruler2
    md.inline = inline
    return md


_MD = _parser()


def _front_matter(source: str) -> int:
    """Length of a leading ``---`` YAML ``---`` block (0 when there is none)."""
    lines = source.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return 0
    length = len(lines[0])
    for line in lines[1:]:
        length += len(line)
        if line.rstrip() in ("---", "..."):
            return length
    return 0


def _escape(text: str, line_start: bool) -> str:
    out = "".join("\\" + char if char in _SPECIAL else char for char in text)
    if line_start:
        digits = len(out) - len(out.lstrip("0123456789"))
        if out[:1] in _LINE_START:
            out = "\\" + out
        elif digits and out[digits:digits + 1] in (".", ")"):  # "1." would open a list
            out = out[:digits] + "\\" + out[digits:]
    return out


class _HtmlInto(TreeWalk):
    """html.py's walk over an HTML block, its visible text added to the Markdown walk's."""

    def __init__(self, into: _Walk) -> None:
        super().__init__()
        self.into = into

    def add(self, ref: Any, raw: str, *, fixed: bool = False, protected: bool = False, depth: int = 0,
            after: Any = None, path: Any = None, solid: bool = False) -> None:
        self.into.add(ref, raw, fixed=fixed, protected=protected, depth=depth, after=after, path=path, solid=solid)

    def end_block(self) -> None:
        self.into.end_block()

    def line_break(self) -> None:
        self.into.line_break()


class _Walk(VisibleText[Ref]):
    """Blocks of visible text from the token stream; a ref is (source start, source end, at line start, inside
    emphasis or a link), or a text node of an HTML block."""

    def __init__(self, body: str) -> None:
        super().__init__()
        self.body = body
        self.line_starts = [0]  # markdown-it ends a line at LF, CR LF or a lone CR
        for index, char in enumerate(body):
            if char == "\n" or (char == "\r" and body[index + 1:index + 2] != "\n"):
                self.line_starts.append(index + 1)
        self.cursor: dict[int, int] = {}
        self.images: list[tuple[int, int, str]] = []
        # HTML blocks with visible text: their source range, parsed tree, and alt/title extras
        self.html: list[tuple[int, int, LexborHTMLParser]] = []
        self.html_extras: list[tuple[LexborNode, str, str]] = []

    def run(self, tokens: list[Token]) -> None:
        for token in tokens:
            if token.type == "inline" and token.map:
                self._inline(token)
                self.end_block()
            elif token.type == "html_block" and token.map:
                self._html_block(token)

    def _html_block(self, token: Token) -> None:
        assert token.map is not None
        start = self.line_starts[token.map[0]]
        end = self.line_starts[token.map[1]] - 1 if token.map[1] < len(self.line_starts) else len(self.body)
        tree = LexborHTMLParser(self.body[start:end], is_fragment=True)
        walk = _HtmlInto(self)
        self.end_block()
        before = len(self.runs)
        walk.run(tree.root)
        self.end_block()
        self.html_extras += walk.extras
        if len(self.runs) > before or walk.extras:
            self.html.append((start, end, tree))

    def _locate(self, token: Token) -> list[tuple[int, list[int]]] | None:
        """Where each line of the inline token's content starts in the source, and the offsets in the line of the
        pipes whose backslash markdown-it took out (a table cell's `\\|`); or None.

        A tab that indents a line comes as spaces: the line is found without them, and starts as many characters
        before it as they are, so that its text is at its place."""
        assert token.map is not None
        starts = []
        for k, line in enumerate(token.content.split("\n")):
            number = token.map[0] + k
            if number >= len(self.line_starts):
                return None
            begin = self.line_starts[number]
            end = self.line_starts[number + 1] if number + 1 < len(self.line_starts) else len(self.body)
            begin = max(begin, self.cursor.get(number, begin))
            found, text, escapes, indent = -1, line, [], 0
            if "|" in line and token.map[1] - token.map[0] == 1:
                # a table cell (one line) whose `\|` markdown-it unescaped: searched as it was written before the cell
                # as markdown-it gives it, which is in the source too when it starts with the pipe ("|b" in "\|b")
                found = self.body.find(line.replace("|", "\\|"), begin, end)
                if found >= 0:
                    text, escapes = line.replace("|", "\\|"), [at for at, char in enumerate(line) if char == "|"]
            if found < 0:
                found = self.body.find(line, begin, end)
            if found < 0:  # as markdown-it rewrote it: without the spaces of a tab
                indent = len(line) - len(line.lstrip(" "))
                text = line[indent:]
                found = self.body.find(text, begin, end)
                if found < 0:
                    return None
            self.cursor[number] = found + len(text)
            starts.append((found - indent, escapes))
        return starts

    def _inline(self, token: Token) -> None:
        starts = self._locate(token)
        content = token.content
        line_offsets = [0]
        for index, char in enumerate(content):
            if char == "\n":
                line_offsets.append(index + 1)

        def source(at: int) -> tuple[int, bool]:
            """The source offset of an offset of the content, and whether it starts a line (blanks aside)."""
            line = max(k for k, start in enumerate(line_offsets) if start <= at)
            assert starts is not None
            start, escapes = starts[line]
            column = at - line_offsets[line]
            blank = not content[line_offsets[line]:at].strip(" \t")
            return start + column + sum(1 for escape in escapes if escape < column), blank

        def place(at: int | None) -> Ref | None:  # an empty source range at an inline offset: text written there
            if starts is None or at is None:
                return None
            offset = source(at)[0]
            return (offset, offset, False, False)

        children = token.children or []
        labels = _reference_labels(children, content)
        autolink = False
        path: list[Inline[Ref]] = []  # the open inline elements, each with the place just before it
        code = 0  # open inline HTML code elements
        delims = (-1, 0)  # the start of the last delimiter run and how many of its characters came so far
        for index, child in enumerate(children):
            kind = child.type
            at = (child.meta or {}).get("at")
            delim = (child.meta or {}).get("delim")
            if delim is not None:  # every character of a run of `*` or `_` has a token, each noting the run's start
                delims = (delim, delims[1] + 1 if delims[0] == delim else 1)
                if child.nesting > 0:  # an opening emphasis: a strong_open is the second of its two characters
                    at = delim + delims[1] - len(child.markup)
            if kind == "html_inline":
                code = self._html_inline(child.content, path, code, place(at))
            elif kind == "text":
                if (autolink or code or index in labels or starts is None or at is None
                        or content[at:at + len(child.content)] != child.content):
                    self.add(None, child.content, protected=autolink or bool(code), path=path)
                else:
                    begin, line_start = source(at)
                    finish = source(at + len(child.content))[0]
                    whole_line = line_start and _ends_line(self.body, finish)  # emptied, it would end the paragraph
                    self.add((begin, finish, line_start, bool(path)), child.content, path=path,
                             solid=bool(path) or whole_line)
            elif kind == "code_inline":
                end = _code_end(content, at, len(child.markup)) if at is not None else None
                self.add(None, child.content, protected=True, after=place(end), path=[*path, Inline(place(at))])
            elif kind == "text_special":
                self.add(None, child.content, path=path)
            elif child.nesting > 0:
                path.append(Inline(place(at)))
            elif child.nesting < 0 and path:
                path.pop()
            if kind == "softbreak":
                self.add(None, " ")
            elif kind == "hardbreak":
                self.line_break()
            elif kind == "image":
                self._image(child, starts is not None and at is not None, source if starts is not None else None)
            if kind == "link_open":
                autolink = child.markup == "autolink"
            elif kind == "link_close":
                autolink = False

    def _html_inline(self, tag: str, path: list[Inline[Ref]], code: int, before: Ref | None) -> int:
        """An inline HTML tag as html.py reads it: `<br>` breaks the line, elements delimit slots (opened on path,
        with the place before them), code is kept. Returns how many code elements are open."""
        match = _TAG.match(tag.strip())
        if match is None:  # a comment, a declaration
            return code
        closing, name, selfclosing = match.group(1), match.group(2).lower(), match.group(3)
        if name == "br":
            self.line_break()
        if name in _VOID or selfclosing:
            return code
        if closing:
            if path:
                path.pop()
        else:
            path.append(Inline(before))
        step = -1 if closing else 1
        return max(0, code + step) if name in CODE else code

    def _image(self, child: Token, located: bool, source: Any) -> None:
        label = child.content
        at = (child.meta or {}).get("at")
        if located and at is not None and label.strip():
            begin, _ = source(at + 2)  # after "!["
            tail = self.body[begin + len(label) + 1:begin + len(label) + 3]
            full = tail[:1] == "(" or (tail[:1] == "[" and tail != "[]")  # else the text is a reference label
            if self.body[begin:begin + len(label)] == label and full:
                self.images.append((begin, begin + len(label), label))


def _ends_line(body: str, at: int) -> bool:
    """Whether only blanks follow `at` on its line."""
    line_end = body.find("\n", at)
    return not body[at:len(body) if line_end < 0 else line_end].strip()


def _code_end(content: str, at: int, ticks: int) -> int | None:
    """Where the code span opened by `ticks` backticks at `at` ends: after its closing run of as many backticks."""
    closing = re.compile(f"(?<!`){'`' * ticks}(?!`)").search(content, at + ticks)
    return None if closing is None else closing.end()


def _reference_labels(children: list[Token], content: str) -> set[int]:
    """Indices of the tokens inside [shortcut] and [collapsed][] reference links: their text is the label."""
    inside: set[int] = set()
    opened: int | None = None
    for index, child in enumerate(children):
        if child.type == "link_open":
            opened = index
        elif child.type == "link_close" and opened is not None:
            at = (child.meta or {}).get("at")
            after = content[at + 1:at + 3] if at is not None else ""
            if not (after[:1] == "(" or (after[:1] == "[" and after != "[]")):
                inside.update(range(opened + 1, index))
            opened = None
    return inside


class MarkdownLayout:
    """The visible text of a Markdown document, and how to splice a translation back into it."""

    def __init__(self, source: str) -> None:
        self._source = source
        self._front = _front_matter(source)
        self._walk = self._parse()
        self._fresh = True
        self.visible_text = "".join(self._walk.parts)
        self.protected = tuple(self._walk.protected)
        images = (label for _, _, label in self._walk.images)
        self.extras = (*images, *(value for _, _, value in self._walk.html_extras))

    def _parse(self) -> _Walk:
        body = self._source[self._front:]
        walk = _Walk(body)
        walk.run(_MD.parse(body))
        return walk

    def render(self, translated_visible: str, sentence_map: Sequence[SentenceSpan], extras: Sequence[str]) -> str:
        """Return the Markdown source with the translated text and image descriptions spliced in."""
        if len(extras) != len(self.extras):
            raise ValueError(f"expected {len(self.extras)} translated extras, got {len(extras)}")
        if not self._fresh:  # rendering edits the HTML blocks' trees, so a second render parses again
            self._walk = self._parse()
        self._fresh = False
        walk = self._walk
        body = walk.body
        edits: list[Edit] = []
        for ref, text in walk.new_texts(translated_visible, sentence_map):
            if ref is None:
                continue
            if isinstance(ref, LexborNode):
                ref.replace_with(text)
                continue
            if isinstance(ref, After):
                ref.node.insert_after(text)
                continue
            start, end, line_start, nested = ref
            if (line_start or nested) and not text.strip():
                if nested or _ends_line(body, end):
                    # an emptied line would end the paragraph, and `**` is no emphasis but two asterisks: it keeps
                    # its words
                    continue
                # the start of a line the elements after it go on ("O " of "O **Google** anunciou" as "Google
                # announced"): taken out, or the source's words would stay in the translation
                edits.append((start, end, ""))
                continue
            if text != body[start:end]:
                edits.append((start, end, _escape(text, line_start)))
        images = len(walk.images)
        for (start, end, label), value in zip(walk.images, extras[:images], strict=True):
            if value != label:
                edits.append((start, end, _escape(value, False)))
        for (node, name, _), value in zip(walk.html_extras, extras[images:], strict=True):
            node.attrs[name] = value
        for start, end, tree in walk.html:
            edits.append((start, end, tree.html or ""))
        parts = [self._source[: self._front]]
        cursor = 0
        for start, end, text in sorted(edits, key=lambda edit: edit[:2]):  # text written at one place stays in order
            parts += [body[cursor:start], text]
            cursor = end
        parts.append(body[cursor:])
        return "".join(parts)
