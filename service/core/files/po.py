"""gettext PO: every message's msgid (and msgid_plural) translated into its msgstr.

The file is spliced: comments, flags, references, msgctxt, msgid lines, obsolete entries (#~) and the
line endings are copied as they are; only the msgstr lines of translated entries are written anew (one line
each, escaped as gettext does). msgstr[0] takes the singular, the other plural forms the plural. The header
keeps everything but `Language` (and `Plural-Forms`, for English). printf and brace placeholders (%s, %(n)d,
{0}) are protected; a message's line breaks are kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from service.core.files.base import FileLayout, Kind
from service.core.files.errors import MalformedFileError, NoTextError
from service.core.files.pieces import decode
from service.core.files.xliff import merge_ranges, placeholders
from service.core.formats.slots import SentenceSpan, VisibleText

PO = Kind("po", "text/x-gettext-translation", ".po")

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')
_STRING = re.compile(r'^\s*(".*")\s*$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_UNESCAPE = re.compile(r'\\(.)')
ENGLISH_PLURALS = "nplurals=2; plural=(n != 1);"


def _unquote(literal: str, number: int) -> str:
    if len(literal) < 2 or not literal.endswith('"'):
        raise MalformedFileError(f"line {number} of the PO file has an unterminated string")
    return _UNESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), literal[1:-1])


def _quote(text: str) -> str:
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
                  .replace("\r", "\\r")) + '"'


@dataclass
class _Entry:
    first_line: int
    values: dict[str, str] = field(default_factory=dict)  # keyword -> unescaped value
    msgstr_lines: list[int] = field(default_factory=list)  # indices of msgstr lines and their continuations
    plural_forms: list[int] = field(default_factory=list)  # the N of each msgstr[N], in order


class PoLayout(FileLayout):
    """A gettext catalogue."""

    kind = PO

    def __init__(self, data: bytes, target_language: str) -> None:
        source, self.bom = decode(data, "PO")
        self.lines = source.splitlines(keepends=True)
        self.newline = "\r\n" if source.count("\r\n") * 2 > source.count("\n") else "\n"
        self.target_language = target_language
        self.entries = [e for e in self._entries() if "msgid" in e.values]
        self.text: VisibleText[int] = VisibleText()
        self.pieces: list[str] = []
        # per entry: piece ranges of the singular and the plural
        self.spans: list[tuple[tuple[int, int], tuple[int, int] | None]] = []
        for entry in self.entries:
            if entry.values["msgid"] == "":
                self.spans.append(((0, 0), None))
                continue
            singular = self._message(entry.values["msgid"])
            plural = self._message(entry.values["msgid_plural"]) if "msgid_plural" in entry.values else None
            self.spans.append((singular, plural))
        self.visible_text = "".join(self.text.parts)
        self.protected = merge_ranges([*self.text.protected, *placeholders(self.visible_text)])
        if not self.visible_text.strip():
            raise NoTextError("the PO file has no message to translate")

    def _entries(self) -> list[_Entry]:
        entries: list[_Entry] = []
        current: _Entry | None = None
        last: str | None = None
        for number, line in enumerate(self.lines):
            stripped = line.strip()
            if not stripped:
                current, last = None, None
                continue
            if stripped.startswith("#"):
                if current is not None and current.values:
                    current, last = None, None  # a comment after the strings starts the next entry
                continue
            match = _KEYWORD.match(stripped)
            if match:
                if current is None or (match.group(1) in ("msgid", "msgctxt") and "msgid" in current.values):
                    current = _Entry(number)
                    entries.append(current)
                keyword = "msgstr" if match.group(1).startswith("msgstr") else match.group(1)
                last = keyword
                if keyword == "msgstr":
                    current.msgstr_lines.append(number)
                    current.plural_forms.append(int(match.group(2) or 0))
                    last = f"msgstr[{match.group(2) or 0}]"
                    current.values[last] = _unquote(match.group(3), number + 1)
                else:
                    current.values[keyword] = _unquote(match.group(3), number + 1)
                continue
            string = _STRING.match(stripped)
            if string and current is not None and last is not None:
                if last.startswith("msgstr"):
                    current.msgstr_lines.append(number)
                current.values[last] += _unquote(string.group(1), number + 1)
                continue
            raise MalformedFileError(f"line {number + 1} of the PO file is neither a comment, a keyword nor a string")
        return entries

    def _message(self, message: str) -> tuple[int, int]:
        """Slots of one message (one per line of it), as a range of pieces."""
        start = len(self.pieces)
        self.text.end_block()
        for index, line in enumerate(message.split("\n")):
            if index:
                self.pieces.append("\n")
                self.text.line_break()
            self.pieces.append(line)
            self.text.add(len(self.pieces) - 1, line)
        self.text.end_block()
        return start, len(self.pieces)

    def write(self, translated_visible: str, sentence_map: Sequence[SentenceSpan]) -> bytes:
        pieces = list(self.pieces)
        for ref, new in self.text.new_texts(translated_visible, sentence_map):
            if ref is not None:
                pieces[ref] = new
        lines = list(self.lines)
        for entry, (singular, plural) in zip(self.entries, self.spans, strict=True):
            if not entry.msgstr_lines:
                continue
            if entry.values["msgid"] == "":
                self._header(lines, entry)
                continue
            one = "".join(pieces[singular[0]:singular[1]])
            many = "".join(pieces[plural[0]:plural[1]]) if plural is not None else one
            ending = lines[entry.msgstr_lines[-1]][len(lines[entry.msgstr_lines[-1]].rstrip("\r\n")):] or self.newline
            if "msgid_plural" in entry.values:
                new = "".join(f"msgstr[{n}] {_quote(one if n == 0 else many)}{self.newline}"
                              for n in entry.plural_forms)
                new = new[: len(new) - len(self.newline)] + ending
            else:
                new = f"msgstr {_quote(one)}{ending}"
            lines[entry.msgstr_lines[0]] = new
            for number in entry.msgstr_lines[1:]:
                lines[number] = ""
        return self.bom + "".join(lines).encode("utf-8")

    def _header(self, lines: list[str], entry: _Entry) -> None:
        header = entry.values.get("msgstr[0]", "")
        fields = header.split("\n")
        for index, item in enumerate(fields):
            name = item.split(":", 1)[0].strip()
            if name == "Language":
                fields[index] = f"Language: {self.target_language}"
            elif (name == "Plural-Forms" and self.target_language == "en"
                  and re.search(r"nplurals\s*=\s*2\s*;", item)):
                fields[index] = f"Plural-Forms: {ENGLISH_PLURALS}"
        updated = "\n".join(fields)
        if updated == header:
            return
        ending = lines[entry.msgstr_lines[-1]][len(lines[entry.msgstr_lines[-1]].rstrip("\r\n")):] or self.newline
        body = "".join(f"{_quote(part)}{self.newline}" for part in updated.splitlines(keepends=True))
        lines[entry.msgstr_lines[0]] = f'msgstr ""{self.newline}' + body[: len(body) - len(self.newline)] + ending
        for number in entry.msgstr_lines[1:]:
            lines[number] = ""
