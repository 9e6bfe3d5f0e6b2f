"""The taxonomy as data: topics, terms and their forms, the rules between them, and what tagging returns.

The format of the taxonomy file is documented in docs/taxonomy.md and at the top of
service/data/taxonomy.yaml; loader.py reads and validates it into these frozen dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Literal

SOURCE = "source"
TRANSLATION = "translation"
ANY_LANGUAGE = "any"
CASE_INSENSITIVE = "insensitive"
CASE_SENSITIVE = "sensitive"
CASE_RULES = (CASE_INSENSITIVE, CASE_SENSITIVE)
SENTENCE: Final = "sentence"
REGEX_PREFIX = "re:"

DEFAULT_SATURATION = 1.0
DEFAULT_REPEAT_DECAY = 0.5


@dataclass(frozen=True)
class Evidence:
    """One located match: `term == (source or translation)[start:end]`."""

    term: str
    field: str
    start: int
    end: int


@dataclass(frozen=True)
class IptcRef:
    """An IPTC Media Topic that a topic maps to: its QCode, its (en-GB) label and how the two relate."""

    code: str
    label: str
    relation: str  # exact, broader or narrower: the IPTC concept compared with the topic (iptc.RELATIONS)


@dataclass(frozen=True)
class Tag:
    """A topic found in a text, with its score in [0, 1] and the evidence behind it."""

    topic: str
    label: str
    score: float
    evidence: tuple[Evidence, ...]
    iptc: tuple[IptcRef, ...] = ()


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
    iptc: tuple[IptcRef, ...] = ()


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
    """A taxonomy file that cannot be used; the one-line message names the file (and line), topic and problem."""

    def __init__(self, source: str, problem: str, topic: str | None = None, line: int | None = None) -> None:
        self.source = source
        self.topic = topic
        self.problem = problem
        self.line = line
        at = f"{source}:{line}" if line is not None else source
        where = f"topic {topic!r}: " if topic is not None else ""
        super().__init__(f"{at}: {where}{problem}")


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
                "iptc": [
                    {"code": ref.code, "label": ref.label, "relation": ref.relation} for ref in topic.iptc
                ],
            }
        )
    return {
        "scoring": {"saturation": taxonomy.saturation, "repeat_decay": taxonomy.repeat_decay},
        "topics": topics,
    }
