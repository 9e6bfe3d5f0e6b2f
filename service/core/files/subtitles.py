"""Subtitles: SRT and WebVTT, spliced in place.

Each cue is a block of visible text; its rows are one line of it (a sentence over two rows is translated as
one sentence and its words shared back over the rows, which stay two). Numbers, cue identifiers, timing
lines and cue settings, NOTE, STYLE and REGION blocks, inline tags (<i>, <v Speaker>, <c.x>, karaoke
timestamps) and {\\an8} overrides are copied byte for byte, line endings included.
"""

from __future__ import annotations

import html
import re

from service.core.files.base import Kind
from service.core.files.errors import MalformedFileError, NoTextError
from service.core.files.pieces import PiecesLayout, decode

SRT = Kind("srt", "application/x-subrip", ".srt")
VTT = Kind("vtt", "text/vtt", ".vtt")

_TIMING = re.compile(r"\s*\d{1,2}(?::\d{2}){1,2}[,.]\d{1,3}\s*-->\s*\d{1,2}(?::\d{2}){1,2}[,.]\d{1,3}")
_VTT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _vtt_escape(text: str) -> str:
    return "".join(_VTT_ESCAPES.get(c, c) for c in text)


def _cue_text(layout: PiecesLayout, lines: list[str], index: int, *, vtt: bool) -> int:
    """Add the payload rows from lines[index] on, up to a blank line; returns the index after them."""
    first = True
    while index < len(lines) and lines[index].strip():
        line = lines[index]
        body = line.rstrip("\r\n")
        if not first:
            layout.separator("")
        layout.inline(body, html.unescape if vtt else None)
        layout.markup(line[len(body):])
        first = False
        index += 1
    layout.text.end_block()
    return index


class SrtLayout(PiecesLayout):
    """A SubRip file."""

    kind = SRT

    def __init__(self, data: bytes) -> None:
        text, bom = decode(data, "SRT")
        super().__init__(bom)
        lines = text.splitlines(keepends=True)
        index = 0
        cues = 0
        while index < len(lines):
            line = lines[index]
            if (line.strip().isdigit() and index + 1 < len(lines) and _TIMING.match(lines[index + 1])) or \
                    _TIMING.match(line):
                timing = index + 1 if line.strip().isdigit() else index
                for header in lines[index:timing + 1]:
                    self.markup(header)
                index = _cue_text(self, lines, timing + 1, vtt=False)
                cues += 1
                continue
            self.markup(line)
            index += 1
        if not cues:
            raise MalformedFileError("the SRT file has no cue (a number, a timing line 00:00:01,000 --> ...)")
        self.finish()
        if not self.visible_text.strip():
            raise NoTextError("the SRT file has no subtitle text")


class VttLayout(PiecesLayout):
    """A WebVTT file."""

    kind = VTT

    def __init__(self, data: bytes) -> None:
        text, bom = decode(data, "WebVTT")
        super().__init__(bom)
        self.escape = _vtt_escape
        lines = text.splitlines(keepends=True)
        if not lines or not re.match(r"WEBVTT(?:[ \t]|$)", lines[0].rstrip("\r\n")):
            raise MalformedFileError("a WebVTT file starts with the line WEBVTT")
        index = 0
        while index < len(lines) and lines[index].strip():  # the header block
            self.markup(lines[index])
            index += 1
        while index < len(lines):
            line = lines[index]
            if not line.strip():
                self.markup(line)
                index += 1
                continue
            block_start = index
            while index < len(lines) and lines[index].strip() and "-->" not in lines[index]:
                index += 1
            if index < len(lines) and "-->" in lines[index] and not lines[block_start].startswith(
                    ("NOTE", "STYLE", "REGION")):
                for header in lines[block_start:index + 1]:
                    self.markup(header)
                index = _cue_text(self, lines, index + 1, vtt=True)
                continue
            index = block_start  # NOTE, STYLE, REGION or a stray block: copied to its end
            while index < len(lines) and lines[index].strip():
                self.markup(lines[index])
                index += 1
        self.finish()
        if not self.visible_text.strip():
            raise NoTextError("the WebVTT file has no cue text")
