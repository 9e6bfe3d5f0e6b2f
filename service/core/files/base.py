"""What every file layout shares: the Layout protocol of the formats package, plus the translated file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from service.core.files.errors import MalformedFileError
from service.core.files.safexml import parse, serialise
from service.core.files.safezip import SafeZip
from service.core.files.xmltext import Rules, XmlText, put_back
from service.core.formats.slots import SentenceSpan


@dataclass(frozen=True)
class Kind:
    """A file format: its name, media type and file name extension."""

    format: str
    media_type: str
    extension: str


class FileLayout:
    """A parsed file. ``render`` (called by the pipeline) writes the translated file into ``output`` and
    returns the translated visible text: for a file, the pipeline's `translation.text` is that text."""

    kind: Kind
    visible_text: str = ""
    protected: tuple[tuple[int, int], ...] = ()
    extras: tuple[str, ...] = ()
    output: bytes | None = None
    notes: tuple[str, ...] = ()  # what the caller should know about this file's translation

    def render(self, translated_visible: str, sentence_map: Sequence[SentenceSpan], extras: Sequence[str]) -> str:
        """Write the translated file into ``output``; return the translated visible text."""
        if extras:
            raise ValueError(f"files have no extras, got {len(extras)}")
        self.output = self.write(translated_visible, sentence_map)
        return translated_visible

    def write(self, translated_visible: str, sentence_map: Sequence[SentenceSpan]) -> bytes:
        """The translated file."""
        raise NotImplementedError


class ZipXmlLayout(FileLayout):
    """A zip of XML parts (DOCX, PPTX, ODT, ODP, EPUB): the text of the named parts, in order, and the
    archive written back with only those parts re-serialised, and only when their text changed."""

    def __init__(self, kind: Kind, archive: SafeZip, parts: Sequence[tuple[str, Rules]], *,
                 html_entities: bool = False) -> None:
        self.kind = kind
        self.archive = archive
        self.names = [name for name, _ in parts]
        self.rules = [rules for _, rules in parts]
        self.trees = [self.tree(name, html_entities=html_entities) for name in self.names]
        self.text = XmlText()
        for index, (tree, rules) in enumerate(zip(self.trees, self.rules, strict=True)):
            self.prepare(index, tree)
            self.text.walk(index, tree.getroot(), rules)
        self.visible_text = "".join(self.text.parts)
        self.protected = tuple(self.text.protected)

    def tree(self, name: str, *, html_entities: bool = False) -> etree._ElementTree:
        """A member parsed as XML (safely)."""
        data = self.archive.members.get(name)
        if data is None:
            raise MalformedFileError(f"the {self.kind.format.upper()} file has no part {name!r}")
        return parse(data, name, html_entities=html_entities)

    def prepare(self, index: int, tree: etree._ElementTree) -> None:
        """A hook to mark elements before a part is walked (DOCX fields)."""

    def write(self, translated_visible: str, sentence_map: Sequence[SentenceSpan]) -> bytes:
        changed = put_back(self.text, translated_visible, sentence_map, self.rules)
        replaced = {self.names[i]: serialise(self.trees[i], self.archive.members[self.names[i]]) for i in changed}
        return self.archive.write(replaced)
