"""Read a taxonomy file and validate it into a Taxonomy, naming the file, the topic and the problem on failure.

Every form is compiled here, wrapped exactly as the matcher will combine it, so that a taxonomy that loads
can always be matched.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, NoReturn

import yaml

from service.core.tagging.folding import fold
from service.core.tagging.iptc import QCODE, RELATIONS, Vocabulary, vocabulary
from service.core.tagging.matcher import form_source
from service.core.tagging.taxonomy import (
    ANY_LANGUAGE,
    CASE_INSENSITIVE,
    CASE_RULES,
    DEFAULT_REPEAT_DECAY,
    DEFAULT_SATURATION,
    REGEX_PREFIX,
    SENTENCE,
    Exclusion,
    Form,
    Include,
    IptcRef,
    Near,
    Requirement,
    Taxonomy,
    TaxonomyError,
    Term,
    Topic,
)

# What the file may leave out.
DEFAULT_THRESHOLD = 0.5
DEFAULT_WEIGHT = 1.0

_TOPIC_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_LANGUAGE = re.compile(r"[a-z]{2}")
_ANY_ALIASES = (ANY_LANGUAGE, "*")
_WORD_CHAR = re.compile(r"\w")

_TERM_KEYS = frozenset({"id", "concept", "weight", "case", "groups", "near"})
_EXCLUSION_KEYS = frozenset({"case"})
# A term's fields that an exclusion copied from a term may carry; 'id' would otherwise be read as Indonesian forms.
_TERM_ONLY_KEYS = _TERM_KEYS - _EXCLUSION_KEYS
_LANGUAGE_KEYS = "a two-letter language code or 'any'"
_TOPIC_KEYS = frozenset(
    {"id", "label", "description", "threshold", "terms", "exclusions", "requires", "include", "iptc"}
)
_TOP_KEYS = frozenset({"version", "scoring", "topics"})
_SCORING_KEYS = frozenset({"threshold", "saturation", "repeat_decay"})
_REQUIRES_KEYS = frozenset({"groups", "within"})
_NEAR_KEYS = _REQUIRES_KEYS
_INCLUDE_KEYS = frozenset({"topic", "group", "weight", "min_weight"})
_IPTC_KEYS = frozenset({"code", "label", "relation"})


def default_taxonomy_path() -> Path:
    """The taxonomy shipped with the service (service/data/taxonomy.yaml)."""
    return Path(__file__).resolve().parents[2] / "data" / "taxonomy.yaml"


def load_taxonomy(path: str | Path, iptc: Vocabulary | None = None) -> Taxonomy:
    """Read and validate a taxonomy file; raise TaxonomyError on any problem.

    IPTC codes are checked against `iptc`, by default the vendored Media Topics (read only when a topic has codes).
    """
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TaxonomyError(source, f"cannot read the file: {exc}") from exc
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise TaxonomyError(source, f"invalid YAML: {exc}") from exc
    # Every form is compiled during validation, wrapped exactly as the Tagger will combine it.
    return _Parser(source, iptc).document(data)


# libyaml's loader when PyYAML was built with it (several times faster), else the pure-Python one.
class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A SafeLoader that refuses duplicate keys, which PyYAML would silently overwrite."""


class _Mapping(dict[Any, Any]):
    """A YAML mapping that remembers the line it starts on, for error messages."""

    line: int | None = None


class _Sequence(list[Any]):
    """A YAML sequence that remembers the line of each item, for error messages."""

    lines: tuple[int, ...] = ()


def _line(value: object) -> int | None:
    return value.line if isinstance(value, _Mapping) else None


def _item_line(items: object, index: int) -> int | None:
    return items.lines[index] if isinstance(items, _Sequence) and index < len(items.lines) else None


def _kind(value: object) -> str:
    """The YAML kind of a value as an author reads it (the loader's own list and dict types are lists and dicts)."""
    return "list" if isinstance(value, list) else "dict" if isinstance(value, dict) else type(value).__name__


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in mapping
        except TypeError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"unhashable key {key!r}", key_node.start_mark
            ) from exc
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


def _construct_sequence(loader: _StrictLoader, node: yaml.SequenceNode) -> list[Any]:
    sequence = _Sequence(loader.construct_sequence(node, deep=True))
    sequence.lines = tuple(item.start_mark.line + 1 for item in node.value)
    return sequence


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class _Parser:
    """Turns the YAML document into a Taxonomy, naming the file and topic in every error."""

    def __init__(self, source: str, iptc: Vocabulary | None) -> None:
        self.source = source
        self.topic: str | None = None
        self.line: int | None = None  # of the innermost mapping being read
        self.vocabulary = iptc

    def fail(self, problem: str) -> NoReturn:
        raise TaxonomyError(self.source, problem, self.topic, self.line)

    @contextmanager
    def at(self, value: object, line: int | None = None) -> Iterator[None]:
        """Errors raised inside name the line of `value` when it is a mapping, else `line`, else the enclosing one."""
        outer = self.line
        self.line = _line(value) or line or outer
        try:
            yield
        finally:
            self.line = outer

    def mapping(self, value: object, what: str, allowed: frozenset[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(f"{what} must be a mapping, got {_kind(value)}")
        unknown = [key for key in value if key not in allowed]
        if unknown:
            self.fail(f"{what}: unknown field {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")
        return value

    def number(self, value: object, what: str, low: float, high: float) -> float:
        if not _is_number(value):
            self.fail(f"{what} must be a number, got {value!r}")
        assert isinstance(value, (int, float))
        if not low <= value <= high:
            self.fail(f"{what} must be between {low:g} and {high:g}, got {value!r}")
        return float(value)

    def text(self, value: object, what: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{what} must be a non-empty string, got {value!r}")
        return value.strip()

    def document(self, data: object) -> Taxonomy:
        top = self.mapping(data, "the document", _TOP_KEYS)
        version = top.get("version", 1)
        if version != 1:
            self.fail(f"version must be 1, got {version!r}")
        scoring = self.mapping(top.get("scoring", {}), "scoring", _SCORING_KEYS)
        threshold = self.number(scoring.get("threshold", DEFAULT_THRESHOLD), "scoring.threshold", 0, 1)
        saturation = self.number(
            scoring.get("saturation", DEFAULT_SATURATION), "scoring.saturation", 1e-6, 1e6
        )
        decay = self.number(
            scoring.get("repeat_decay", DEFAULT_REPEAT_DECAY), "scoring.repeat_decay", 0, 0.999
        )
        raw_topics = top.get("topics")
        if not isinstance(raw_topics, list) or not raw_topics:
            self.fail("topics must be a non-empty list")
        topics: list[Topic] = []
        seen: set[str] = set()
        lines: dict[str, int | None] = {}
        for index, raw in enumerate(raw_topics, start=1):
            with self.at(raw, _item_line(raw_topics, index - 1)):
                topic = self.topic_entry(raw, index, threshold)
                if topic.id in seen:
                    self.fail("duplicate topic id")
            seen.add(topic.id)
            topics.append(topic)
            lines[topic.id] = _line(raw)
        self.topic = None
        by_id = {topic.id: topic for topic in topics}
        for topic in topics:
            self.topic = topic.id
            self.line = lines[topic.id]
            for include in topic.includes:
                if include.topic == topic.id:
                    self.fail("include: a topic cannot include itself")
                if include.topic not in by_id:
                    self.fail(f"include: unknown topic {include.topic!r}")
                if by_id[include.topic].includes:
                    self.fail(f"include: {include.topic!r} includes other topics itself")
        self.line = None
        return Taxonomy(tuple(topics), self.source, saturation, decay)

    def topic_entry(self, raw: object, index: int, default_threshold: float) -> Topic:
        self.topic = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        if self.topic is None:
            self.topic = f"#{index}"
        entry = self.mapping(raw, f"topic #{index}", _TOPIC_KEYS)
        if "id" not in entry:
            self.fail("missing field 'id'")
        topic_id = entry["id"]
        if not isinstance(topic_id, str) or not _TOPIC_ID.fullmatch(topic_id):
            self.fail(f"id must be lower-case letters, digits and hyphens, got {topic_id!r}")
        if "label" not in entry:
            self.fail("missing field 'label'")
        label = self.text(entry["label"], "label")
        description = entry.get("description", "")
        if not isinstance(description, str):
            self.fail("description must be a string")
        threshold = self.number(entry.get("threshold", default_threshold), "threshold", 0, 1)
        requires = self.requirement(entry["requires"]) if "requires" in entry else None
        includes = self.includes(entry.get("include", []))
        raw_terms = entry.get("terms", [])
        if not isinstance(raw_terms, list):
            self.fail("terms must be a list")
        if not raw_terms and not includes:
            self.fail("a topic needs at least one term or include")
        terms = tuple(self.term(raw_term, number, _item_line(raw_terms, number - 1))
                      for number, raw_term in enumerate(raw_terms, 1))
        ids = [term.id for term in terms]
        duplicates = sorted({term_id for term_id in ids if ids.count(term_id) > 1})
        if duplicates:
            self.fail(f"duplicate term id {duplicates[0]!r}")
        self.check_groups(terms, includes, requires)
        raw_exclusions = entry.get("exclusions", [])
        if not isinstance(raw_exclusions, list):
            self.fail("exclusions must be a list")
        exclusions = tuple(
            self.exclusion(raw_exclusion, number, _item_line(raw_exclusions, number - 1))
            for number, raw_exclusion in enumerate(raw_exclusions, 1)
        )
        iptc = self.iptc(entry.get("iptc", []))
        return Topic(
            topic_id, label, description.strip(), threshold, terms, exclusions, requires, includes, iptc
        )

    def iptc(self, raw: object) -> tuple[IptcRef, ...]:
        if not isinstance(raw, list):
            self.fail("iptc must be a list of {code, label, relation}")
        refs: list[IptcRef] = []
        for number, item in enumerate(raw, 1):
            with self.at(item, _item_line(raw, number - 1)):
                refs.append(self.iptc_entry(item, number))
                if [ref.code for ref in refs].count(refs[-1].code) > 1:
                    self.fail(f"iptc: {refs[-1].code} is listed twice")
        return tuple(refs)

    def iptc_entry(self, raw: object, number: int) -> IptcRef:
        entry = self.mapping(raw, f"iptc #{number}", _IPTC_KEYS)
        code = entry.get("code")
        if not isinstance(code, str) or not QCODE.fullmatch(code.strip()):
            self.fail(f"iptc #{number}: code must be an IPTC Media Topic QCode such as 'medtop:20001298', got {code!r}")
        code = code.strip()
        if self.vocabulary is None:
            self.vocabulary = vocabulary()
        concept = self.vocabulary.concepts.get(code)
        if concept is None:
            self.fail(f"iptc: {code} is not an IPTC Media Topic (release {self.vocabulary.release!r})")
        if concept.retired:
            self.fail(f"iptc: {code} ({concept.label!r}) was retired by IPTC on {concept.retired}")
        relation = entry.get("relation")
        if relation not in RELATIONS:
            self.fail(f"iptc: {code}: relation must be one of {', '.join(RELATIONS)}, got {relation!r}")
        label = entry.get("label", concept.label)
        if not isinstance(label, str) or " ".join(label.split()).casefold() != concept.label.casefold():
            self.fail(f"iptc: {code} is {concept.label!r} in IPTC's vocabulary, not {label!r}")
        return IptcRef(code, concept.label, str(relation))

    def check_groups(
        self, terms: Sequence[Term], includes: Sequence[Include], requires: Requirement | None
    ) -> None:
        given = {group for term in terms for group in term.groups} | {i.group for i in includes if i.group}
        wanted = {group for term in terms if term.near for group in term.near.groups}
        for term in terms:
            for group in term.near.groups if term.near else ():
                if group not in given:
                    self.fail(f"term {term.id!r}: near: no term of the topic is in group {group!r}")
        if requires is None:
            unused = sorted(given - wanted)
            if unused:
                self.fail(f"group {unused[0]!r} is used neither by 'requires' nor by any 'near'")
            return
        for term in terms:
            if not term.groups:
                self.fail(f"term {term.id!r}: needs 'groups' because the topic has 'requires'")
            for group in term.groups:
                if group not in requires.groups:
                    self.fail(f"term {term.id!r}: group {group!r} is not listed in requires.groups")
        for include in includes:
            if include.group not in requires.groups:
                self.fail(f"include {include.topic!r}: group must be one of requires.groups")

    def requirement(self, raw: object) -> Requirement:
        entry = self.mapping(raw, "requires", _REQUIRES_KEYS)
        groups = entry.get("groups")
        if (
            not isinstance(groups, list)
            or len(groups) < 2
            or not all(isinstance(group, str) and group for group in groups)
            or len(set(groups)) != len(groups)
        ):
            self.fail("requires.groups must be a list of at least two distinct group names")
        return Requirement(tuple(groups), self.within(entry.get("within", SENTENCE), "requires.within"))

    def includes(self, raw: object) -> tuple[Include, ...]:
        if not isinstance(raw, list):
            self.fail("include must be a list")
        result = []
        for number, item in enumerate(raw, 1):
            with self.at(item, _item_line(raw, number - 1)):
                result.append(self.include_entry(item, number))
        return tuple(result)

    def include_entry(self, item: object, number: int) -> Include:
        entry = self.mapping(item, f"include #{number}", _INCLUDE_KEYS)
        topic = self.text(entry.get("topic"), f"include #{number}: topic")
        group = entry.get("group")
        if group is not None and not isinstance(group, str):
            self.fail(f"include #{number}: group must be a string")
        weight = self.number(entry.get("weight", DEFAULT_WEIGHT), f"include #{number}: weight", 0, 1e6)
        floor = self.number(entry.get("min_weight", 0.0), f"include #{number}: min_weight", 0, 1e6)
        return Include(topic, group, weight, floor)

    def case_rule(self, entry: Mapping[str, Any], what: str) -> str:
        case = entry.get("case", CASE_INSENSITIVE)
        if case not in CASE_RULES:
            self.fail(f"{what}: unknown case rule {case!r} (allowed: {', '.join(CASE_RULES)})")
        return str(case)

    def forms(self, entry: Mapping[str, Any], what: str, case: str, reserved: frozenset[str]) -> tuple[Form, ...]:
        forms: list[Form] = []
        for key, value in entry.items():
            if key in reserved:
                continue
            if not isinstance(key, str) or not (key in _ANY_ALIASES or _LANGUAGE.fullmatch(key)):
                self.fail(
                    f"{what}: unknown field {key!r} (expected {', '.join(sorted(reserved))}, {_LANGUAGE_KEYS})"
                )
            language = ANY_LANGUAGE if key in _ANY_ALIASES else key
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list) or not values:
                self.fail(f"{what}: {key} must be a string or a non-empty list of strings")
            for item in values:
                if not isinstance(item, str) or not item.strip():
                    self.fail(f"{what}: {key}: every form must be a non-empty string (quote it), got {item!r}")
                form = _make_form(language, item)
                problem = _form_problem(form, case)
                if problem:
                    self.fail(f"{what}: {key}: {item!r}: {problem}")
                forms.append(form)
        if not forms:
            self.fail(f"{what}: no forms (give at least one language, e.g. 'pt: [...]')")
        return tuple(forms)

    def term(self, raw: object, number: int, line: int | None = None) -> Term:
        with self.at(raw, line):
            return self.term_entry(raw, number)

    def term_entry(self, raw: object, number: int) -> Term:
        if not isinstance(raw, dict):
            self.fail(f"term #{number} must be a mapping, got {_kind(raw)}")
        what = f"term {raw['id']!r}" if isinstance(raw.get("id"), str) else f"term #{number}"
        case = self.case_rule(raw, what)
        forms = self.forms(raw, what, case, _TERM_KEYS)
        if "id" not in raw and forms[0].regex:
            self.fail(f"{what}: needs an 'id' because its first form is a regex")
        term_id = raw.get("id", fold(forms[0].text, CASE_INSENSITIVE))
        if not isinstance(term_id, str) or not term_id.strip():
            self.fail(f"{what}: id must be a non-empty string, got {term_id!r}")
        weight = self.number(raw.get("weight", DEFAULT_WEIGHT), f"{what}: weight", 0, 1e6)
        groups = raw.get("groups", [])
        if isinstance(groups, str):
            groups = [groups]
        if not isinstance(groups, list) or not all(isinstance(g, str) and g for g in groups):
            self.fail(f"{what}: groups must be a list of group names")
        concept = raw.get("concept", term_id)
        if not isinstance(concept, str) or not concept.strip():
            self.fail(f"{what}: concept must be a non-empty string, got {concept!r}")
        near = self.near(raw["near"], what) if "near" in raw else None
        return Term(term_id, weight, case, forms, tuple(dict.fromkeys(groups)), concept, near)

    def near(self, raw: object, what: str) -> Near:
        if isinstance(raw, str):
            raw = {"groups": [raw]}
        entry = self.mapping(raw, f"{what}: near", _NEAR_KEYS)
        groups = entry.get("groups")
        if isinstance(groups, str):
            groups = [groups]
        if not isinstance(groups, list) or not groups or not all(isinstance(g, str) and g for g in groups):
            self.fail(f"{what}: near.groups must be a group name or a non-empty list of them")
        return Near(tuple(dict.fromkeys(groups)), self.within(entry.get("within", SENTENCE), f"{what}: near.within"))

    def within(self, value: object, what: str) -> int | Literal["sentence"]:
        if value == SENTENCE:
            return SENTENCE
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(f"{what} must be a number of characters or 'sentence', got {value!r}")
        return value

    def exclusion(self, raw: object, number: int, line: int | None = None) -> Exclusion:
        with self.at(raw, line):
            return self.exclusion_entry(raw, number)

    def exclusion_entry(self, raw: object, number: int) -> Exclusion:
        what = f"exclusion #{number}"
        if not isinstance(raw, dict):
            self.fail(f"{what} must be a mapping, got {_kind(raw)}")
        for key in raw:
            if key in _TERM_ONLY_KEYS:
                self.fail(
                    f"{what}: unknown field {key!r} (expected {', '.join(sorted(_EXCLUSION_KEYS))}, {_LANGUAGE_KEYS}; "
                    f"an exclusion has no {key!r})"
                )
        case = self.case_rule(raw, what)
        return Exclusion(case, self.forms(raw, what, case, _EXCLUSION_KEYS))


def _make_form(language: str, written: str) -> Form:
    written = written.strip()
    if written.startswith(REGEX_PREFIX):
        return Form(language, written[len(REGEX_PREFIX) :].strip(), regex=True)
    return Form(language, written)


def _form_problem(form: Form, case: str) -> str | None:
    """Why a form cannot be used, or None."""
    if not form.text:
        return "empty pattern"
    if not form.regex:
        if not _WORD_CHAR.search(form.text.replace("*", "")):
            return "a literal needs at least one letter or digit"
        if re.search(r"(?:^|\W)\*|\*\w", form.text):
            return "'*' may only end a word (as in 'hacker*')"
        return None
    try:  # as written first, so that an error's position is the author's (and the wrapper balances nothing)
        re.compile(form.text)
    except re.error as exc:
        return f"bad regex: {exc}"
    try:  # then as the tagger uses it: accents folded, in a group with the topic's other forms
        compiled = re.compile(form_source(form, case))
    except re.error as exc:  # a position here would be in the folded, grouped pattern, not in the author's
        hint = " (scope the flag, as in (?i:...), or leave it to 'case')" if "global flags" in exc.msg else ""
        return f"bad regex once its accents are folded and it is put in a group: {exc.msg}{hint}"
    if compiled.groups:
        return "capturing groups are not allowed in a regex term, use (?:...)"
    if compiled.fullmatch(""):
        return "the regex matches the empty string"
    return None
