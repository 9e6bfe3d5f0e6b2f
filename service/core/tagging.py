"""Topic tagging: load a taxonomy of weighted terms and tag texts with scored, located evidence.

The format of the taxonomy file is documented in docs/taxonomy.md and at the top of
service/data/taxonomy.yaml.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Generic, Literal, NamedTuple, NoReturn, TypeVar

import yaml

log = logging.getLogger(__name__)

SOURCE = "source"
TRANSLATION = "translation"
ANY_LANGUAGE = "any"
CASE_INSENSITIVE = "insensitive"
CASE_SENSITIVE = "sensitive"
CASE_RULES = (CASE_INSENSITIVE, CASE_SENSITIVE)
SENTENCE: Final = "sentence"
REGEX_PREFIX = "re:"

DEFAULT_THRESHOLD = 0.5
DEFAULT_WEIGHT = 1.0
DEFAULT_SATURATION = 1.0
DEFAULT_REPEAT_DECAY = 0.5

_TOPIC_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_LANGUAGE = re.compile(r"[a-z]{2}")
_ANY_ALIASES = (ANY_LANGUAGE, "*")
# Runs of spaces or hyphens in a literal term match any run of spaces or hyphens in the text.
_SEPARATORS = re.compile(r"[\s\-]+")
_WORD_CHAR = re.compile(r"\w")
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u00bb)\]]*\s+|\n\s*")

_TERM_KEYS = frozenset({"id", "concept", "weight", "case", "groups", "near"})
_EXCLUSION_KEYS = frozenset({"case"})
_TOPIC_KEYS = frozenset(
    {"id", "label", "description", "threshold", "terms", "exclusions", "requires", "include"}
)
_TOP_KEYS = frozenset({"version", "scoring", "topics"})
_SCORING_KEYS = frozenset({"threshold", "saturation", "repeat_decay"})
_REQUIRES_KEYS = frozenset({"groups", "within"})
_NEAR_KEYS = _REQUIRES_KEYS
_INCLUDE_KEYS = frozenset({"topic", "group", "weight", "min_weight"})

# Typographic variants folded to their ASCII form so that terms need to be written only once.
_PUNCTUATION = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u2033", '"'),
}


# --------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class Evidence:
    """One located match: `term == (source or translation)[start:end]`."""

    term: str
    field: str
    start: int
    end: int


@dataclass(frozen=True)
class Tag:
    """A topic found in a text, with its score in [0, 1] and the evidence behind it."""

    topic: str
    label: str
    score: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Form:
    """One way of writing a term in one language: a literal (with `*` stems) or a regex."""

    language: str
    text: str
    regex: bool = False

    def as_written(self) -> str:
        """The form as it appears in the taxonomy file."""
        return REGEX_PREFIX + self.text if self.regex else self.text


@dataclass(frozen=True)
class Term:
    """A concept with its forms in several languages; all forms share one weight and one id."""

    id: str
    weight: float
    case: str
    forms: tuple[Form, ...]
    groups: tuple[str, ...] = ()
    concept: str = ""  # terms sharing a concept count as one; defaults to the id
    near: Near | None = None

    @property
    def concept_key(self) -> str:
        """The key repeats are counted under."""
        return self.concept or self.id


@dataclass(frozen=True)
class Exclusion:
    """Phrases that veto any match of the topic's terms that they overlap."""

    case: str
    forms: tuple[Form, ...]


@dataclass(frozen=True)
class Requirement:
    """Co-occurrence: a match counts only if every other group matches within reach of it."""

    groups: tuple[str, ...]
    within: int | Literal["sentence"]


@dataclass(frozen=True)
class Near:
    """Context: a term with `near` counts only if a term of one of `groups` matches within reach."""

    groups: tuple[str, ...]
    within: int | Literal["sentence"]


@dataclass(frozen=True)
class Include:
    """Borrow the terms of another topic (at least `min_weight` there) with a fixed weight."""

    topic: str
    group: str | None
    weight: float
    min_weight: float = 0.0


@dataclass(frozen=True)
class Topic:
    """A topic of the taxonomy as written in the file."""

    id: str
    label: str
    description: str
    threshold: float
    terms: tuple[Term, ...]
    exclusions: tuple[Exclusion, ...] = ()
    requires: Requirement | None = None
    includes: tuple[Include, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """A validated taxonomy and the file it came from."""

    topics: tuple[Topic, ...]
    source: str
    saturation: float = DEFAULT_SATURATION
    repeat_decay: float = DEFAULT_REPEAT_DECAY

    def topic(self, topic_id: str) -> Topic:
        """The topic with this id; KeyError if there is none."""
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise KeyError(topic_id)


class TaxonomyError(ValueError):
    """A taxonomy file that cannot be used; the message names the file, the topic and the problem."""

    def __init__(self, source: str, problem: str, topic: str | None = None) -> None:
        self.source = source
        self.topic = topic
        self.problem = problem
        where = f"topic {topic!r}: " if topic is not None else ""
        super().__init__(f"{source}: {where}{problem}")


# --------------------------------------------------------------------------- loading


def default_taxonomy_path() -> Path:
    """The taxonomy shipped with the service (service/data/taxonomy.yaml)."""
    return Path(__file__).resolve().parent.parent / "data" / "taxonomy.yaml"


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read and validate a taxonomy file; raise TaxonomyError on any problem."""
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
    return _Parser(source).document(data)


# libyaml's loader when PyYAML was built with it (several times faster), else the pure-Python one.
class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A SafeLoader that refuses duplicate keys, which PyYAML would silently overwrite."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
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


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class _Parser:
    """Turns the YAML document into a Taxonomy, naming the file and topic in every error."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.topic: str | None = None

    def fail(self, problem: str) -> NoReturn:
        raise TaxonomyError(self.source, problem, self.topic)

    def mapping(self, value: object, what: str, allowed: frozenset[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(f"{what} must be a mapping, got {type(value).__name__}")
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
        for index, raw in enumerate(raw_topics, start=1):
            topic = self.topic_entry(raw, index, threshold)
            if topic.id in seen:
                self.fail("duplicate topic id")
            seen.add(topic.id)
            topics.append(topic)
        self.topic = None
        by_id = {topic.id: topic for topic in topics}
        for topic in topics:
            self.topic = topic.id
            for include in topic.includes:
                if include.topic == topic.id:
                    self.fail("include: a topic cannot include itself")
                if include.topic not in by_id:
                    self.fail(f"include: unknown topic {include.topic!r}")
                if by_id[include.topic].includes:
                    self.fail(f"include: {include.topic!r} includes other topics itself")
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
        terms = tuple(self.term(raw_term, number) for number, raw_term in enumerate(raw_terms, 1))
        ids = [term.id for term in terms]
        duplicates = sorted({term_id for term_id in ids if ids.count(term_id) > 1})
        if duplicates:
            self.fail(f"duplicate term id {duplicates[0]!r}")
        self.check_groups(terms, includes, requires)
        raw_exclusions = entry.get("exclusions", [])
        if not isinstance(raw_exclusions, list):
            self.fail("exclusions must be a list")
        exclusions = tuple(
            self.exclusion(raw_exclusion, number)
            for number, raw_exclusion in enumerate(raw_exclusions, 1)
        )
        return Topic(
            topic_id, label, description.strip(), threshold, terms, exclusions, requires, includes
        )

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
            entry = self.mapping(item, f"include #{number}", _INCLUDE_KEYS)
            topic = self.text(entry.get("topic"), f"include #{number}: topic")
            group = entry.get("group")
            if group is not None and not isinstance(group, str):
                self.fail(f"include #{number}: group must be a string")
            weight = self.number(entry.get("weight", DEFAULT_WEIGHT), f"include #{number}: weight", 0, 1e6)
            floor = self.number(entry.get("min_weight", 0.0), f"include #{number}: min_weight", 0, 1e6)
            result.append(Include(topic, group, weight, floor))
        return tuple(result)

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
                    f"{what}: unknown field {key!r} (expected {', '.join(sorted(reserved))}, "
                    "a two-letter language code or 'any')"
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

    def term(self, raw: object, number: int) -> Term:
        if not isinstance(raw, dict):
            self.fail(f"term #{number} must be a mapping, got {type(raw).__name__}")
        what = f"term {raw['id']!r}" if isinstance(raw.get("id"), str) else f"term #{number}"
        case = self.case_rule(raw, what)
        forms = self.forms(raw, what, case, _TERM_KEYS)
        if "id" not in raw and forms[0].regex:
            self.fail(f"{what}: needs an 'id' because its first form is a regex")
        term_id = raw.get("id", _fold(forms[0].text, CASE_INSENSITIVE))
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

    def exclusion(self, raw: object, number: int) -> Exclusion:
        what = f"exclusion #{number}"
        if not isinstance(raw, dict):
            self.fail(f"{what} must be a mapping, got {type(raw).__name__}")
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
    source = _form_source(form, case)
    try:
        compiled = re.compile(source)
    except re.error as exc:
        return f"bad regex: {exc}"
    if compiled.groups:
        return "capturing groups are not allowed in a regex term, use (?:...)"
    if compiled.fullmatch(""):
        return "the regex matches the empty string"
    return None


# --------------------------------------------------------------------------- text folding


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> tuple[str, str]:
    """(case-and-accent folded, accent folded) forms of one character."""
    special = _PUNCTUATION.get(char)
    if special is not None:
        return special, special
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    lower = base.lower()
    if len(lower) != len(base):
        lower = base
    return lower, base


@lru_cache(maxsize=16384)
def _fold(text: str, case: str) -> str:
    """Fold a term the way texts are folded for its case rule."""
    folded = _Folded.of(text)
    return folded.insensitive if case == CASE_INSENSITIVE else folded.sensitive


@dataclass(frozen=True)
class _Folded:
    """A text folded for matching, with the way back to the original offsets."""

    insensitive: str
    sensitive: str
    starts: tuple[int, ...] | None = None  # folded index -> original start; None: same offsets
    ends: tuple[int, ...] | None = None  # folded index -> original end of that character

    @classmethod
    def of(cls, text: str) -> _Folded:
        if text.isascii():
            return cls(text.lower(), text)
        table: dict[int, str] = {}
        for char in set(text):
            sensitive = _fold_char(char)[1]
            if len(sensitive) != 1:
                # Letters that fold to several characters (ligatures) or to none (combining marks
                # of decomposed text) change the length: map offsets one character at a time.
                if not sensitive or unicodedata.category(char).startswith("L"):
                    return cls._slow(text)
                continue  # symbols such as "…" or "½" stay as they are
            if sensitive != char:
                table[ord(char)] = sensitive
        sensitive_text = text.translate(table)
        insensitive_text = sensitive_text.lower()
        if len(insensitive_text) != len(text):
            return cls._slow(text)
        return cls(insensitive_text, sensitive_text)

    @classmethod
    def _slow(cls, text: str) -> _Folded:
        insensitive: list[str] = []
        sensitive: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for index, char in enumerate(text):
            lower, base = _fold_char(char)
            if not base:
                # A combining mark belongs to the characters produced just before it.
                back = len(ends) - 1
                while back >= 0 and ends[back] == index:
                    ends[back] = index + 1
                    back -= 1
                continue
            insensitive.append(lower)
            sensitive.append(base)
            starts.extend([index] * len(base))
            ends.extend([index + 1] * len(base))
        return cls("".join(insensitive), "".join(sensitive), tuple(starts), tuple(ends))

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the folded span [start, end)."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


# --------------------------------------------------------------------------- matching


def _form_source(form: Form, case: str) -> str:
    """The regex source of a form, to be matched against text folded by `case`."""
    if form.regex:
        # Accents are folded in the text, so they are folded in the pattern too. Insensitive text is
        # also lower-cased, so a pattern without capitals needs no (?i), which keeps `re` fast.
        source = _fold(form.text, CASE_SENSITIVE)
        if case == CASE_INSENSITIVE and any(char.isupper() for char in source):
            return f"(?i:{source})"
        return f"(?:{source})"
    return "".join(_token_source(token) for token in _tokens(_fold(form.text, case)))


_SEP = "\x00separator"
_STAR = "\x00star"


@lru_cache(maxsize=16384)
def _tokens(folded: str) -> tuple[str, ...]:
    """A folded literal as characters, separators and `*` stems."""
    tokens: list[str] = []
    for piece in re.split(r"([\s\-]+|\*)", folded):
        if piece == "*":
            tokens.append(_STAR)
        elif piece and _SEPARATORS.fullmatch(piece):
            tokens.append(_SEP)
        else:
            tokens.extend(piece)
    return tuple(tokens)


def _token_source(token: str) -> str:
    if token == _SEP:
        return r"[\s\-]+"
    if token == _STAR:
        return r"\w*"
    return re.escape(token)


def _trie_source(sequences: Iterable[tuple[str, ...]]) -> str:
    """One regex for many token sequences, with common prefixes factored out.

    A flat alternation of hundreds of phrases is tried branch by branch at every word start;
    the trie tries one branch per distinct next character. Longer continuations come first
    (greedy), so the longest form at a position wins and shorter ones are found by lookup.
    """
    root: dict[str, Any] = {}
    for sequence in sequences:
        node = root
        for token in sequence:
            node = node.setdefault(token, {})
        node[""] = {}  # end of a form
    return _node_source(root)


def _node_source(node: dict[str, Any]) -> str:
    # Characters first, then separators, then stems: a stem must not swallow a longer literal.
    children = sorted((token for token in node if token), key=lambda t: (t == _STAR, t == _SEP, t))
    branches = [_token_source(token) + _node_source(node[token]) for token in children]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return f"(?:{body})?" if len(branches) == 1 else body + "?"
    return body


def _literal_key(text: str) -> str:
    return _SEPARATORS.sub(" ", text)


_P = TypeVar("_P")


class _Matcher(Generic[_P]):
    """All forms of one case rule compiled into two alternations, and the way back to their owners.

    Literal and `*` forms share one alternation without groups, which `re` can skip through quickly;
    `re:` forms get their own. Both are searched at every word start (not only after the end of the
    previous match), so a long phrase of one topic does not hide a term of another topic inside it,
    and every form that matches at a start is reported, not only the longest.
    """

    def __init__(self, entries: Iterable[tuple[Form, str, _P]]) -> None:
        self.literals: dict[str, list[_P]] = {}
        self.stems: dict[str, list[tuple[re.Pattern[str], list[_P]]]] = {}
        self.regexes: list[tuple[re.Pattern[str], list[_P]]] = []
        compiled: dict[str, tuple[re.Pattern[str], list[_P]]] = {}
        sequences: set[tuple[str, ...]] = set()
        regex_sources: list[str] = []
        for form, case, payload in entries:
            if not form.regex:
                sequences.add(_tokens(_fold(form.text, case)))
            if not form.regex and "*" not in form.text:
                owners = self.literals.setdefault(_literal_key(_fold(form.text, case)), [])
            else:
                source = _form_source(form, case)
                if source not in compiled:
                    compiled[source] = (re.compile(source + r"(?!\w)"), [])
                    if form.regex:
                        regex_sources.append(source)
                        self.regexes.append(compiled[source])
                    else:
                        self.stems.setdefault(_fold(form.text, case)[0], []).append(compiled[source])
                owners = compiled[source][1]
            if payload not in owners:
                owners.append(payload)
        self.words = _alternation([_trie_source(sorted(sequences))] if sequences else [])
        self.special = _alternation(regex_sources)

    def finditer(self, folded: str) -> Iterator[tuple[int, int, list[_P]]]:
        """(start, end, owners) of every form found in a folded text, in order of start."""
        found: list[tuple[int, int, list[_P]]] = []
        if self.words is not None:
            for start, end in _starts(self.words, folded):
                text = folded[start:end]
                if text.isalnum():
                    owners = self.literals.get(text)
                    if owners:
                        found.append((start, end, owners))
                else:
                    # Shorter literals ending at an inner word end ("Google" in "Google Gemini").
                    ends = {match.start() for match in _WORD_END.finditer(folded, start + 1, end)} | {end}
                    for stop in sorted(ends):
                        owners = self.literals.get(_literal_key(folded[start:stop]))
                        if owners:
                            found.append((start, stop, owners))
                for pattern, owners in self.stems.get(folded[start], ()):
                    match = pattern.match(folded, start)
                    if match is not None:
                        found.append((start, match.end(), owners))
        if self.special is not None:
            for start, _ in _starts(self.special, folded):
                for pattern, owners in self.regexes:
                    match = pattern.match(folded, start)
                    if match is not None:
                        found.append((start, match.end(), owners))
        found.sort(key=lambda item: (item[0], item[1]))
        return iter(found)


_WORD_END = re.compile(r"(?<=\w)(?!\w)")


def _alternation(sources: Sequence[str]) -> re.Pattern[str] | None:
    return re.compile(r"(?<!\w)(?:" + "|".join(sources) + r")(?!\w)") if sources else None


def _starts(regex: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """Every word start where the regex matches (matches may overlap), with the match end."""
    position = 0
    while (match := regex.search(text, position)) is not None:
        yield match.span()
        position = match.start() + 1


@dataclass(frozen=True)
class _Use:
    """A term as one topic uses it (its own, or borrowed through `include`)."""

    topic: int
    concept: str
    weight: float
    groups: frozenset[str]
    vetoed_by: frozenset[int]  # topics whose exclusions veto a match of this term
    near: Near | None = None


class _Hit(NamedTuple):
    field: str
    start: int
    end: int
    use: _Use


@dataclass
class _Bucket:
    """The compiled matchers for one language: terms and exclusions, per case rule."""

    terms: dict[str, _Matcher[_Use]]
    exclusions: dict[str, _Matcher[int]]


class Tagger:
    """Tags texts with the topics of a taxonomy; the matchers are compiled once, here."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        started = time.perf_counter()
        self.taxonomy = taxonomy
        self._index = {topic.id: number for number, topic in enumerate(taxonomy.topics)}
        uses = list(self._uses())
        exclusions = [
            (form, exclusion.case, number)
            for number, topic in enumerate(taxonomy.topics)
            for exclusion in topic.exclusions
            for form in exclusion.forms
        ]
        languages = sorted(
            {form.language for _, _, form in uses} | {form.language for form, _, _ in exclusions}
        )
        self._buckets: dict[str, _Bucket] = {}
        for language in [*languages, ANY_LANGUAGE]:
            if language in self._buckets:
                continue
            wanted = {language, ANY_LANGUAGE}
            self._buckets[language] = _Bucket(
                {
                    case: _Matcher(
                        (form, term.case, use)
                        for term, use, form in uses
                        if term.case == case and form.language in wanted
                    )
                    for case in CASE_RULES
                },
                {
                    case: _Matcher(
                        (form, rule, topic)
                        for form, rule, topic in exclusions
                        if rule == case and form.language in wanted
                    )
                    for case in CASE_RULES
                },
            )
        log.debug(
            "tagger compiled %d topics, %d languages in %.1f ms",
            len(taxonomy.topics),
            len(self._buckets),
            (time.perf_counter() - started) * 1000,
        )

    def _uses(self) -> Iterator[tuple[Term, _Use, Form]]:
        for number, topic in enumerate(self.taxonomy.topics):
            for term in topic.terms:
                use = _Use(
                    number, term.concept_key, term.weight, frozenset(term.groups), frozenset({number}), term.near
                )
                for form in term.forms:
                    yield term, use, form
            for include in topic.includes:
                lender = self._index[include.topic]
                groups = frozenset({include.group} if include.group else ())
                for term in self.taxonomy.topics[lender].terms:
                    # Context words (`near`) only make sense beside their own topic's terms.
                    if term.weight < include.min_weight or term.near is not None:
                        continue
                    concept = f"{include.topic}/{term.concept_key}"
                    use = _Use(number, concept, include.weight, groups, frozenset({number, lender}))
                    for form in term.forms:
                        yield term, use, form

    def topics(self) -> tuple[Topic, ...]:
        """The topics this tagger reports."""
        return self.taxonomy.topics

    def tag(self, source: str, source_language: str, translation: str | None = None) -> tuple[Tag, ...]:
        """Topics of a text (and of its English translation), best first."""
        language = _primary_language(source_language)
        fields: list[tuple[str, str, str]] = [(SOURCE, source, language)]
        if translation:
            fields.append((TRANSLATION, translation, "en"))
        texts = {name: text for name, text, _ in fields}
        hits: dict[int, list[_Hit]] = {}
        for name, text, field_language in fields:
            bucket = self._buckets.get(field_language, self._buckets[ANY_LANGUAGE])
            for hit in self._hits(name, text, bucket):
                hits.setdefault(hit.use.topic, []).append(hit)
        tags = []
        for number, topic_hits in hits.items():
            tag = self._score(self.taxonomy.topics[number], topic_hits, texts)
            if tag is not None:
                tags.append(tag)
        tags.sort(key=lambda tag: (-tag.score, tag.topic))
        return tuple(tags)

    def _hits(self, field: str, text: str, bucket: _Bucket) -> Iterator[_Hit]:
        if not text:
            return
        folded = _Folded.of(text)
        views = {CASE_INSENSITIVE: folded.insensitive, CASE_SENSITIVE: folded.sensitive}
        vetoes: dict[int, _Spans] = {}
        for case, matcher in bucket.exclusions.items():
            for start, end, topics in matcher.finditer(views[case]):
                span = folded.original(start, end)
                for topic in topics:
                    vetoes.setdefault(topic, _Spans()).add(span)
        for case, term_matcher in bucket.terms.items():
            for start, end, uses in term_matcher.finditer(views[case]):
                span = folded.original(start, end)
                for use in uses:
                    if vetoes and any(topic in vetoes and vetoes[topic].overlaps(span) for topic in use.vetoed_by):
                        continue
                    yield _Hit(field, span[0], span[1], use)

    def _score(self, topic: Topic, hits: list[_Hit], texts: Mapping[str, str]) -> Tag | None:
        hits = _in_context(hits, topic.requires, texts)
        hits = _outermost(hits)
        if not hits:
            return None
        counts: dict[str, dict[str, int]] = {}
        weights: dict[str, float] = {}
        for hit in hits:
            per_field = counts.setdefault(hit.use.concept, {})
            per_field[hit.field] = per_field.get(hit.field, 0) + 1
            weights[hit.use.concept] = max(weights.get(hit.use.concept, 0.0), hit.use.weight)
        decay = self.taxonomy.repeat_decay
        total = 0.0
        for concept, per_field in counts.items():
            # The translation restates the source: a concept counts as often as in its richer field.
            repeats = max(per_field.values())
            total += weights[concept] * (1 - decay**repeats) / (1 - decay)
        score = round(1 - math.exp(-total / self.taxonomy.saturation), 3)
        if score <= 0 or score < topic.threshold:
            return None
        evidence = tuple(
            Evidence(texts[hit.field][hit.start : hit.end], hit.field, hit.start, hit.end)
            for hit in sorted(hits, key=lambda hit: (hit.field != SOURCE, hit.start, hit.end))
        )
        return Tag(topic.id, topic.label, score, evidence)


def _primary_language(code: str) -> str:
    """'pt-BR' -> 'pt'; anything empty falls back to language-independent terms only."""
    primary = code.strip().lower().replace("_", "-").split("-")[0]
    return primary or ANY_LANGUAGE


class _Spans:
    """Sorted spans of one kind in one text, for overlap and proximity questions."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.longest = 0
        self._sorted = True

    def add(self, span: tuple[int, int]) -> None:
        self._sorted = self._sorted and (not self.spans or self.spans[-1] <= span)
        self.spans.append(span)
        self.longest = max(self.longest, span[1] - span[0])

    def near(self, start: int, end: int, distance: int) -> bool:
        """Whether a span lies within `distance` characters of [start, end) (0: overlapping)."""
        if not self._sorted:
            self.spans.sort()
            self._sorted = True
        index = bisect.bisect_left(self.spans, (start - distance - self.longest, 0))
        while index < len(self.spans) and self.spans[index][0] <= end + distance:
            other_start, other_end = self.spans[index]
            if max(other_start, start) - min(other_end, end) <= distance:
                return True
            index += 1
        return False

    def overlaps(self, span: tuple[int, int]) -> bool:
        """Whether a span shares at least one character with [start, end)."""
        return self.near(span[0], span[1], -1)


def _outermost(hits: list[_Hit]) -> list[_Hit]:
    """Drop matches lying inside a longer match of the same topic, and repeats of the same span."""
    kept: list[_Hit] = []
    ordered = sorted(hits, key=lambda h: (h.field, h.start, -h.end, -h.use.weight, h.use.concept))
    reach: dict[str, int] = {}
    for hit in ordered:
        if hit.end <= reach.get(hit.field, -1):
            continue
        reach[hit.field] = hit.end
        kept.append(hit)
    return kept


def _in_context(hits: list[_Hit], requires: Requirement | None, texts: Mapping[str, str]) -> list[_Hit]:
    """The hits whose `near` context and whose topic's `requires` co-occurrence are satisfied."""
    if requires is None and not any(hit.use.near for hit in hits):
        return hits
    kept: list[_Hit] = []
    for field in sorted({hit.field for hit in hits}):
        field_hits = [hit for hit in hits if hit.field == field]
        around = _Neighbourhood(field_hits, texts[field])
        for hit in field_hits:
            near = hit.use.near
            if near is not None and not any(around.has(group, hit, near.within) for group in near.groups):
                continue
            if requires is not None and not all(around.has(g, hit, requires.within) for g in requires.groups):
                continue
            kept.append(hit)
    return kept


class _Neighbourhood:
    """Where each group matched in one field: is there a match of group g near this hit?"""

    def __init__(self, hits: list[_Hit], text: str) -> None:
        self.text = text
        self.spans: dict[str, _Spans] = {}
        for hit in sorted(hits, key=lambda hit: (hit.start, hit.end)):
            for group in hit.use.groups:
                self.spans.setdefault(group, _Spans()).add((hit.start, hit.end))
        self._bounds: list[int] | None = None
        self._sentences: dict[str, set[int]] = {}

    def has(self, group: str, hit: _Hit, within: int | Literal["sentence"]) -> bool:
        if group in hit.use.groups:
            return True
        spans = self.spans.get(group)
        if spans is None:
            return False
        if isinstance(within, int):
            return spans.near(hit.start, hit.end, within)
        if group not in self._sentences:
            self._sentences[group] = {self.sentence(start) for start, _ in spans.spans}
        return self.sentence(hit.start) in self._sentences[group]

    def sentence(self, position: int) -> int:
        """The number of the sentence a position falls in."""
        if self._bounds is None:
            self._bounds = [match.end() for match in _SENTENCE_END.finditer(self.text)]
        return bisect.bisect_right(self._bounds, position)


# --------------------------------------------------------------------------- views


def _forms_by_language(forms: Iterable[Form]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for form in forms:
        grouped.setdefault(form.language, []).append(form.as_written())
    order = sorted(grouped, key=lambda language: (language == ANY_LANGUAGE, language))
    return {language: grouped[language] for language in order}


def taxonomy_as_dict(taxonomy: Taxonomy) -> dict[str, Any]:
    """A JSON-able view of the taxonomy, for GET /v1/topics."""
    topics = []
    for topic in taxonomy.topics:
        topics.append(
            {
                "id": topic.id,
                "label": topic.label,
                "description": topic.description,
                "threshold": topic.threshold,
                "terms": _forms_by_language(form for term in topic.terms for form in term.forms),
                "exclusions": _forms_by_language(
                    form for exclusion in topic.exclusions for form in exclusion.forms
                ),
                "includes": [
                    {"topic": include.topic, "group": include.group, "weight": include.weight}
                    for include in topic.includes
                ],
                "requires": (
                    {"groups": list(topic.requires.groups), "within": topic.requires.within}
                    if topic.requires is not None
                    else None
                ),
            }
        )
    return {
        "scoring": {"saturation": taxonomy.saturation, "repeat_decay": taxonomy.repeat_decay},
        "topics": topics,
    }
