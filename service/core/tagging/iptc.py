"""IPTC Media Topics: the vocabulary ponte vendors (service/data/iptc/mediatopic.tsv) and the mapping relations.

A topic of the taxonomy names its closest Media Topic concepts with a relation, read as SKOS mapping
relations read: `exact` (the same concept), `broader` (the IPTC concept is broader than the topic: every story
of the topic belongs to it) or `narrower` (the IPTC concept is narrower: it covers part of the topic).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RELATIONS = ("exact", "broader", "narrower")
QCODE = re.compile(r"medtop:\d{8}")
_COLUMNS = ["code", "broader", "retired", "label_en", "label_pt_br", "label_pt_pt"]


@dataclass(frozen=True)
class MediaTopic:
    """One concept of the vocabulary."""

    code: str
    broader: str
    retired: str  # the day IPTC retired it (YYYY-MM-DD), or "" while it is current
    label: str  # en-GB
    label_pt_br: str
    label_pt_pt: str


@dataclass(frozen=True)
class Vocabulary:
    """The Media Topics by QCode, and the release they come from."""

    concepts: dict[str, MediaTopic]
    release: str

    def ancestors(self, code: str) -> tuple[str, ...]:
        """The broader concepts of `code`, nearest first."""
        chain: list[str] = []
        parent = self.concepts[code].broader
        while parent and parent not in chain:
            chain.append(parent)
            parent = self.concepts[parent].broader
        return tuple(chain)

    def path(self, code: str) -> tuple[str, ...]:
        """The concept's labels from its top-level ancestor down to itself."""
        return tuple(self.concepts[c].label for c in (*reversed(self.ancestors(code)), code))


def default_vocabulary_path() -> Path:
    """The vendored copy (service/data/iptc/mediatopic.tsv)."""
    return Path(__file__).resolve().parents[2] / "data" / "iptc" / "mediatopic.tsv"


def read_vocabulary(path: Path) -> Vocabulary:
    """Parse a vocabulary TSV written by tools/vendor_iptc.py (comment lines start with '#')."""
    lines = path.read_text(encoding="utf-8").splitlines()
    release = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("# Release:")), "")
    table = csv.reader((line for line in lines if not line.startswith("#")), delimiter="\t",
                       quoting=csv.QUOTE_NONE)
    if next(table) != _COLUMNS:
        raise ValueError(f"{path}: the header is not {' '.join(_COLUMNS)}")
    concepts = {row[0]: MediaTopic(*row) for row in table}
    return Vocabulary(concepts, release)


@cache
def vocabulary() -> Vocabulary:
    """The vendored vocabulary, read once per process."""
    return read_vocabulary(default_vocabulary_path())
