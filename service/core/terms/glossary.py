"""Glossaries: terms translated one fixed way (or kept as written), matched the way the tagger matches.

An entry is `{"source": "código aberto", "target": "open source"}`; without a target the source is kept
as written. Matching reuses the taxonomy's folding and matcher: whole words, runs of spaces or hyphens
equal, accents folded, case folded unless `case_sensitive`. `inflect` adds the Portuguese plural and
gender forms (inflection.py); a plural match gets the English plural of the target.

A server glossary is a YAML file (a list of entries, or `entries:` holding one) or a TSV file
(`source<TAB>target<TAB>flags`, flags a comma list of `case_sensitive`, `inflect`; `#` comments).
Request entries override server entries with the same folded source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

# The tagger's folding and matcher (also reachable as Folded and Matcher once tagging is a package).
from service.core.tagging import ANY_LANGUAGE, CASE_INSENSITIVE, CASE_SENSITIVE, Form
from service.core.tagging.folding import Folded
from service.core.tagging.matcher import Matcher
from service.core.terms.inflection import english_plural, inflections
from service.core.terms.spans import GLOSSARY, Span, resolve

MAX_ENTRIES: Final = 200
MAX_CHARS: Final = 200
_KEYS = frozenset({"source", "target", "case_sensitive", "inflect"})
_FLAGS = frozenset({"case_sensitive", "inflect"})
_SEPARATORS = re.compile(r"[\s\-]+")  # as the matcher: runs of spaces or hyphens are one separator


class GlossaryError(ValueError):
    """A glossary that cannot be used; the one-line message says where ("FILE:LINE" or "glossary[i]")."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class GlossaryEntry:
    """One term: translated to `target`, or kept as written when `target` is None."""

    source: str
    target: str | None = None
    case_sensitive: bool = False
    inflect: bool = False

    @property
    def key(self) -> str:
        """The folded source: entries with the same key are the same term."""
        return _SEPARATORS.sub(" ", Folded.of(self.source).insensitive)


@dataclass(frozen=True)
class GlossaryMatch:
    """An entry found in a text: `text == sentence[start:end]`, written as `replacement` in the output."""

    start: int
    end: int
    entry: int  # index into Glossary.entries
    text: str
    replacement: str


class Glossary:
    """Entries compiled into the tagger's matchers once; `find` locates them in a sentence."""

    def __init__(self, entries: Iterable[GlossaryEntry] = ()) -> None:
        self.entries: tuple[GlossaryEntry, ...] = tuple(entries)
        forms: list[tuple[Form, str, tuple[int, bool]]] = []
        for index, entry in enumerate(self.entries):
            case = CASE_SENSITIVE if entry.case_sensitive else CASE_INSENSITIVE
            written = inflections(entry.source) if entry.inflect else ((entry.source, False),)
            forms.extend((Form(ANY_LANGUAGE, text), case, (index, plural)) for text, plural in written)
        self._matchers = {
            case: Matcher(form for form in forms if form[1] == case) for case in (CASE_INSENSITIVE, CASE_SENSITIVE)
        }

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, text: str) -> tuple[GlossaryMatch, ...]:
        """Non-overlapping matches in order; where matches overlap the earliest, then longest, wins."""
        if not self.entries or not text:
            return ()
        folded = Folded.of(text)
        views = {CASE_INSENSITIVE: folded.insensitive, CASE_SENSITIVE: folded.sensitive}
        found: dict[tuple[int, int], tuple[int, bool]] = {}
        for case, matcher in self._matchers.items():
            for start, end, owners in matcher.finditer(views[case]):
                where = folded.original(start, end)
                for owner in owners:
                    # Two entries on one span: the one listed first (request entries come first) wins.
                    if where not in found or owner[0] < found[where][0]:
                        found[where] = owner
        spans = [Span(start, end, GLOSSARY, text[start:end]) for (start, end) in found]
        matches = []
        for span in resolve((), spans):
            index, plural = found[(span.start, span.end)]
            entry = self.entries[index]
            if entry.target is None:
                replacement = span.text
            else:
                replacement = english_plural(entry.target) if plural else entry.target
            matches.append(GlossaryMatch(span.start, span.end, index, span.text, replacement))
        return tuple(matches)


def merge(server: Glossary | Sequence[GlossaryEntry], request: Sequence[GlossaryEntry]) -> Glossary:
    """Request entries first, then the server entries whose folded source no request entry has."""
    server_entries = server.entries if isinstance(server, Glossary) else tuple(server)
    keys = {entry.key for entry in request}
    return Glossary([*request, *(entry for entry in server_entries if entry.key not in keys)])


def glossary_as_dict(glossary: Glossary) -> dict[str, Any]:
    """A JSON-ready view of the glossary, for GET /v1/glossary."""
    return {
        "count": len(glossary.entries),
        "entries": [
            {
                "source": entry.source,
                "target": entry.target,
                "case_sensitive": entry.case_sensitive,
                "inflect": entry.inflect,
            }
            for entry in glossary.entries
        ],
    }


def entries_from_request(
    raw: object, *, max_entries: int = MAX_ENTRIES, max_chars: int = MAX_CHARS
) -> tuple[GlossaryEntry, ...]:
    """Validate a request's glossary (a list of entry objects); errors name the entry as glossary[i]."""
    if not isinstance(raw, list):
        raise GlossaryError("glossary", f"must be a list of entries, got {type(raw).__name__}")
    if len(raw) > max_entries:
        raise GlossaryError("glossary", f"has {len(raw)} entries, at most {max_entries} are allowed")
    entries = [_entry(item, f"glossary[{index}]", max_chars) for index, item in enumerate(raw)]
    _check_unique(entries, [f"glossary[{index}]" for index in range(len(entries))])
    return tuple(entries)


def load_glossary(path: str | Path, *, max_chars: int = MAX_CHARS) -> Glossary:
    """Read a server glossary file (.yaml/.yml or .tsv); GlossaryError names the file and line."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"{name}:1", f"cannot read the file: {exc}") from exc
    if Path(path).suffix.lower() == ".tsv":
        return Glossary(parse_tsv(text, name, max_chars=max_chars))
    if Path(path).suffix.lower() in (".yaml", ".yml"):
        return Glossary(parse_yaml(text, name, max_chars=max_chars))
    raise GlossaryError(f"{name}:1", "unknown glossary format: the file name must end in .yaml, .yml or .tsv")


def parse_yaml(text: str, name: str, *, max_chars: int = MAX_CHARS) -> tuple[GlossaryEntry, ...]:
    """Entries of a YAML glossary: a list of entries, or a mapping with one key `entries`."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return ()
        if isinstance(root, yaml.MappingNode):
            keys = [loader.construct_object(key) for key, _ in root.value]
            if keys != ["entries"]:
                raise GlossaryError(_line(name, root), "expected a list of entries or a mapping with only 'entries'")
            root = root.value[0][1]
        if not isinstance(root, yaml.SequenceNode):
            raise GlossaryError(_line(name, root), "expected a list of entries")
        entries: list[GlossaryEntry] = []
        wheres: list[str] = []
        for node in root.value:
            where = _line(name, node)
            _refuse_duplicate_keys(loader, node, name)
            entries.append(_entry(loader.construct_object(node, deep=True), where, max_chars))
            wheres.append(where)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise GlossaryError(f"{name}:{line}", f"invalid YAML: {problem}") from exc
    finally:
        loader.dispose()
    _check_unique(entries, wheres)
    return tuple(entries)


def parse_tsv(text: str, name: str, *, max_chars: int = MAX_CHARS) -> tuple[GlossaryEntry, ...]:
    """Entries of a TSV glossary: `source<TAB>target<TAB>flags`, an empty target keeps the source."""
    entries: list[GlossaryEntry] = []
    wheres: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        where = f"{name}:{number}"
        if number == 1 and cells[0].strip().lower() == "source":
            continue  # a header row
        if len(cells) > 3:
            raise GlossaryError(where, f"expected at most 3 tab-separated columns, got {len(cells)}")
        raw: dict[str, Any] = {"source": cells[0]}
        if len(cells) > 1 and cells[1].strip():
            raw["target"] = cells[1]
        flags = [flag.strip() for flag in cells[2].split(",") if flag.strip()] if len(cells) > 2 else []
        for flag in flags:
            if flag not in _FLAGS:
                raise GlossaryError(where, f"unknown flag {flag!r} (allowed: {', '.join(sorted(_FLAGS))})")
            raw[flag] = True
        entries.append(_entry(raw, where, max_chars))
        wheres.append(where)
    _check_unique(entries, wheres)
    return tuple(entries)


def _refuse_duplicate_keys(loader: yaml.SafeLoader, node: yaml.Node, name: str) -> None:
    """PyYAML keeps the last of two equal keys silently; an entry with two sources is an error."""
    if not isinstance(node, yaml.MappingNode):
        return
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, str) and key in seen:
            raise GlossaryError(_line(name, key_node), f"duplicate key {key!r}")
        seen.add(key)


def _line(name: str, node: yaml.Node) -> str:
    return f"{name}:{node.start_mark.line + 1}"


def _entry(raw: object, where: str, max_chars: int) -> GlossaryEntry:
    if not isinstance(raw, Mapping):
        raise GlossaryError(where, f"an entry must be a mapping with 'source', got {type(raw).__name__}")
    unknown = sorted(str(key) for key in raw if key not in _KEYS)
    if unknown:
        raise GlossaryError(where, f"unknown field {unknown[0]!r} (allowed: {', '.join(sorted(_KEYS))})")
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise GlossaryError(where, f"source must be a non-empty string, got {source!r}")
    source = " ".join(source.split())
    target = raw.get("target")
    if target is not None and (not isinstance(target, str) or not target.strip()):
        raise GlossaryError(where, f"target must be a non-empty string (omit it to keep the source), got {target!r}")
    target = target.strip() if target is not None else None
    for field, value in (("source", source), ("target", target)):
        if value is not None and len(value) > max_chars:
            raise GlossaryError(where, f"{field} has {len(value)} characters, at most {max_chars} are allowed")
    flags = {}
    for flag in sorted(_FLAGS):
        value = raw.get(flag, False)
        if not isinstance(value, bool):
            raise GlossaryError(where, f"{flag} must be true or false, got {value!r}")
        flags[flag] = value
    if "*" in source:
        raise GlossaryError(where, "'*' is not allowed in a source (use inflect for plural forms)")
    if not any(char.isalnum() for char in source):
        raise GlossaryError(where, f"source {source!r}: needs at least one letter or digit")
    return GlossaryEntry(source, target, flags["case_sensitive"], flags["inflect"])


def _check_unique(entries: Sequence[GlossaryEntry], wheres: Sequence[str]) -> None:
    first: dict[str, str] = {}
    for entry, where in zip(entries, wheres, strict=True):
        if entry.key in first:
            raise GlossaryError(where, f"duplicate source {entry.source!r} (first at {first[entry.key]})")
        first[entry.key] = where
