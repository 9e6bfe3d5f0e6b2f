"""The Tagger: compiles a taxonomy's forms into matchers once, finds their hits in a text and its translation,
drops the hits an exclusion vetoes, and hands each topic's hits to scoring.py.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

from service.core.tagging.folding import Folded
from service.core.tagging.hits import Field, Hit, Spans, Use
from service.core.tagging.matcher import Matcher
from service.core.tagging.scoring import score_topic
from service.core.tagging.taxonomy import (
    ANY_LANGUAGE,
    CASE_INSENSITIVE,
    CASE_RULES,
    CASE_SENSITIVE,
    SOURCE,
    TRANSLATION,
    Form,
    Tag,
    Taxonomy,
    Term,
    Topic,
)

log = logging.getLogger(__name__)


@dataclass
class _Bucket:
    """The compiled matchers for one language: terms and exclusions, per case rule."""

    terms: dict[str, Matcher[Use]]
    exclusions: dict[str, Matcher[int]]


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
                    case: Matcher(
                        (form, term.case, use)
                        for term, use, form in uses
                        if term.case == case and form.language in wanted
                    )
                    for case in CASE_RULES
                },
                {
                    case: Matcher(
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

    def _uses(self) -> Iterator[tuple[Term, Use, Form]]:
        for number, topic in enumerate(self.taxonomy.topics):
            for term in topic.terms:
                use = Use(
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
                    use = Use(number, concept, include.weight, groups, frozenset({number, lender}))
                    for form in term.forms:
                        yield term, use, form

    def topics(self) -> tuple[Topic, ...]:
        """The topics this tagger reports."""
        return self.taxonomy.topics

    def tag(self, source: str, source_language: str, translation: str | None = None) -> tuple[Tag, ...]:
        """Topics of a text (and of its English translation), best first."""
        language = _primary_language(source_language)
        fields = {SOURCE: Field(source, language)}
        if translation:
            fields[TRANSLATION] = Field(translation, "en")
        hits: dict[int, list[Hit]] = {}
        for name, field in fields.items():
            bucket = self._buckets.get(field.language, self._buckets[ANY_LANGUAGE])
            for hit in self._hits(name, field.text, bucket):
                hits.setdefault(hit.use.topic, []).append(hit)
        tags = []
        for number, topic_hits in hits.items():
            tag = score_topic(self.taxonomy, self.taxonomy.topics[number], topic_hits, fields)
            if tag is not None:
                tags.append(tag)
        tags.sort(key=lambda tag: (-tag.score, tag.topic))
        return tuple(tags)

    def _hits(self, field: str, text: str, bucket: _Bucket) -> Iterator[Hit]:
        if not text:
            return
        folded = Folded.of(text)
        views = {CASE_INSENSITIVE: folded.insensitive, CASE_SENSITIVE: folded.sensitive}
        vetoes: dict[int, Spans] = {}
        for case, matcher in bucket.exclusions.items():
            for start, end, topics in matcher.finditer(views[case]):
                span = folded.original(start, end)
                for topic in topics:
                    vetoes.setdefault(topic, Spans()).add(span)
        for case, term_matcher in bucket.terms.items():
            for start, end, uses in term_matcher.finditer(views[case]):
                span = folded.original(start, end)
                for use in uses:
                    if vetoes and any(topic in vetoes and vetoes[topic].overlaps(span) for topic in use.vetoed_by):
                        continue
                    yield Hit(field, span[0], span[1], use)


def _primary_language(code: str) -> str:
    """'pt-BR' -> 'pt'; anything empty falls back to language-independent terms only."""
    primary = code.strip().lower().replace("_", "-").split("-")[0]
    return primary or ANY_LANGUAGE
