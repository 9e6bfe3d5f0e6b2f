"""XLIFF 1.2 and 2.0: each source segment translated into its target.

For every translatable unit (1.2 `trans-unit`, 2.0 `segment`, both honouring `translate="no"`), the target is
made a copy of the source, with the source's inline elements (1.2 g, x, bx, ex, ph, bpt, ept, it, mrk; 2.0
ph, pc, sc, ec, mrk, cp) in place and only its text translated; an existing target is replaced. Placeholder
codes keep their content; `mrk` marked protected (1.2 `mtype="protected"`, 2.0 `translate="no"`) keeps its
text. The file's target language becomes the service's, and 1.2 targets get state="needs-review-translation"
with state-qualifier="mt-suggestion", 2.0 segments state="translated": machine translation, for a person to
review. Sources, ids, notes and everything else stay as they are.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence

from lxml import etree

from service.core.files.base import FileLayout, Kind
from service.core.files.errors import MalformedFileError
from service.core.files.safexml import parse, serialise
from service.core.files.xmltext import Rules, XmlText, put_back
from service.core.formats.slots import SentenceSpan

XLIFF = Kind("xliff", "application/xliff+xml", ".xlf")

V12 = "urn:oasis:names:tc:xliff:document:1.2"
V20 = "urn:oasis:names:tc:xliff:document:2.0"

# printf and brace placeholders of localisation strings: %s, %1$d, %(name)s, {0}, {name}, %%
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-+#0]*\d*(?:\.\d+)?[hlqLjzt]*[sdifgeExXoucrpa@]|%%|%\d+\$[sdif]|\{[\w.]*\}")


def placeholders(text: str) -> list[tuple[int, int]]:
    """The ranges of printf/brace placeholders in a text."""
    return [m.span() for m in PLACEHOLDER.finditer(text)]


def merge_ranges(ranges: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sorted ranges with the overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return tuple(out)


def _names(namespace: str, locals_: str) -> frozenset[str]:
    return frozenset(f"{{{namespace}}}{name}" for name in locals_.split())


def _protected_mrk(el: etree._Element) -> bool:
    local = etree.QName(el).localname
    return local == "mrk" and (el.get("mtype") == "protected" or el.get("translate") == "no")


RULES = {
    V12: Rules(blocks=_names(V12, "target"), skip=_names(V12, "ph bpt ept it sub"), keep=_protected_mrk),
    V20: Rules(blocks=_names(V20, "target"), skip=_names(V20, "ph sc ec cp"), keep=_protected_mrk),
}


class XliffLayout(FileLayout):
    """An XLIFF file: sources in, targets out."""

    kind = XLIFF

    def __init__(self, data: bytes, target_language: str) -> None:
        self.original = data
        self.tree = parse(data, "the XLIFF file")
        root = self.tree.getroot()
        self.namespace = etree.QName(root).namespace or ""
        if etree.QName(root).localname != "xliff" or self.namespace not in RULES:
            raise MalformedFileError("the XLIFF file is neither XLIFF 1.2 nor 2.0 (root element and namespace)")
        self.rules = RULES[self.namespace]
        self.target_language = target_language
        self.units = self._units(root)
        self.text = XmlText()
        for target in self.units:
            self.text.walk(0, target, self.rules)
        self.visible_text = "".join(self.text.parts)
        ranges: list[tuple[int, int]] = list(self.text.protected)
        # placeholders inside the visible text: found per block, so a placeholder never spans two
        ranges += placeholders(self.visible_text)
        self.protected = merge_ranges(ranges)

    def _units(self, root: etree._Element) -> list[etree._Element]:
        """The target of every translatable segment, made a copy of its source (in the tree)."""
        ns = self.namespace
        targets = []
        if ns == V12:
            for file_el in root.iter(f"{{{ns}}}file"):
                file_el.set("target-language", self.target_language)
            holders = [(unit, unit) for unit in root.iter(f"{{{ns}}}trans-unit") if unit.get("translate") != "no"]
        else:
            root.set("trgLang", self.target_language)
            holders = []
            for segment in root.iter(f"{{{ns}}}segment"):
                parent = segment.getparent()
                if parent is not None and parent.get("translate") != "no" and segment.get("translate") != "no":
                    holders.append((segment, parent))
        for holder, unit in holders:
            source = holder.find(f"{{{ns}}}source")
            if source is None or unit is None:
                continue
            target = holder.find(f"{{{ns}}}target")
            new = copy.deepcopy(source)
            new.tag = f"{{{ns}}}target"
            if target is None:  # the target takes the source's place in the indentation, the source a new line
                new.tail = source.tail
                previous = source.getprevious()
                source.tail = (previous.tail if previous is not None else holder.text) or source.tail
            else:
                new.tail = target.tail
            for name in list(new.attrib):
                del new.attrib[name]
            if target is not None:
                holder.replace(target, new)
            else:
                source.addnext(new)
            if ns == V12:
                new.set("state", "needs-review-translation")
                new.set("state-qualifier", "mt-suggestion")
            else:
                holder.set("state", "translated")
            targets.append(new)
        return targets

    def write(self, translated_visible: str, sentence_map: Sequence[SentenceSpan]) -> bytes:
        put_back(self.text, translated_visible, sentence_map, [self.rules])
        return serialise(self.tree, self.original)
