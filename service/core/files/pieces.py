"""Text formats (SRT, WebVTT) as a list of pieces: markup that is copied as it is, and text slots that take
their share of the translation (slots.VisibleText, as the HTML layout). The output is the pieces joined."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from service.core.files.base import FileLayout
from service.core.files.errors import MalformedFileError
from service.core.formats.slots import SentenceSpan, VisibleText

# Inline markup of subtitle lines: HTML-like tags (<i>, <b>, <font>, WebVTT <v Name>, <c.x>, <00:01.000>)
# and the {\an8}-style overrides that SRT files carry over from ASS.
INLINE_MARKUP = re.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}")


def decode(data: bytes, what: str) -> tuple[str, bytes]:
    """The text of a UTF-8 file (byte order mark allowed) and the BOM to write back."""
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    try:
        return data[len(bom):].decode("utf-8"), bom
    except UnicodeDecodeError as exc:
        raise MalformedFileError(f"the {what} file is not UTF-8 (byte {exc.start}); convert it to UTF-8 "
                                 "and send it again") from None


class PiecesLayout(FileLayout):
    """A text file as pieces; subclasses add the pieces in order."""

    def __init__(self, bom: bytes) -> None:
        self.bom = bom
        self.pieces: list[str] = []
        self.text: VisibleText[int] = VisibleText()
        self.escape: Callable[[str], str] = lambda text: text

    def markup(self, raw: str) -> None:
        """Copied as it is."""
        if raw:
            self.pieces.append(raw)

    def separator(self, raw: str) -> None:
        """Copied as it is, and a space between the texts around it (a line break inside a cue)."""
        self.pieces.append(raw)
        self.text.add(None, " ")

    def slot(self, raw: str, visible: str | None = None, depth: int = 0) -> None:
        """Text that is translated; `visible` is what the reader sees when it differs (unescaped)."""
        self.pieces.append(raw)
        self.text.add(len(self.pieces) - 1, raw if visible is None else visible, depth=depth)

    def inline(self, line: str, unescape: Callable[[str], str] | None = None) -> None:
        """One line of subtitle text: tags and overrides are markup, the rest slots."""
        depth = 0
        position = 0
        for match in INLINE_MARKUP.finditer(line):
            if match.start() > position:
                raw = line[position:match.start()]
                self.slot(raw, unescape(raw) if unescape else None, depth)
            tag = match.group()
            self.markup(tag)
            if tag.startswith("</"):
                depth = max(depth - 1, 0)
            elif tag.startswith("<") and not tag.endswith("/>") and not tag[1:2].isdigit():
                depth += 1
            position = match.end()
        if position < len(line):
            raw = line[position:]
            self.slot(raw, unescape(raw) if unescape else None, depth)

    def finish(self) -> None:
        """Called once every piece is in."""
        self.visible_text = "".join(self.text.parts)

    def write(self, translated_visible: str, sentence_map: Sequence[SentenceSpan]) -> bytes:
        pieces = list(self.pieces)
        for ref, new in self.text.new_texts(translated_visible, sentence_map):
            if ref is not None:
                pieces[ref] = self.escape(new)
        return self.bom + "".join(pieces).encode("utf-8")
