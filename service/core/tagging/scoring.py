"""Where a tag is scored: a topic's hits, filtered by context, become a Tag with a score in [0, 1] or nothing."""

from __future__ import annotations

import math
from collections.abc import Mapping

from service.core.tagging.context import in_context
from service.core.tagging.hits import Field, Hit
from service.core.tagging.taxonomy import SOURCE, Evidence, Tag, Taxonomy, Topic

# Evidence spans listed per tag and field, in text order.
MAX_EVIDENCE = 50


def score_topic(taxonomy: Taxonomy, topic: Topic, hits: list[Hit], fields: Mapping[str, Field]) -> Tag | None:
    """The tag of one topic from its hits in `fields`, or None below its threshold."""
    hits = in_context(hits, topic.requires, fields)
    hits = _outermost(hits)
    if not hits:
        return None
    counts: dict[str, dict[str, int]] = {}
    weights: dict[str, float] = {}
    for hit in hits:
        per_field = counts.setdefault(hit.use.concept, {})
        per_field[hit.field] = per_field.get(hit.field, 0) + 1
        weights[hit.use.concept] = max(weights.get(hit.use.concept, 0.0), hit.use.weight)
    decay = taxonomy.repeat_decay
    total = 0.0
    for concept, per_field in counts.items():
        # The translation restates the source: a concept counts as often as in its richer field.
        repeats = max(per_field.values())
        total += weights[concept] * (1 - decay**repeats) / (1 - decay)
    score = round(1 - math.exp(-total / taxonomy.saturation), 3)
    if score <= 0 or score < topic.threshold:
        return None
    ordered = sorted(hits, key=lambda hit: (hit.field != SOURCE, hit.start, hit.end))
    shown: dict[str, int] = {}
    evidence: list[Evidence] = []
    for hit in ordered:
        # the score counts every hit; the answer lists the first MAX_EVIDENCE of each field (a 100,000-character
        # text repeating one term had 2,941 spans for one tag)
        if shown.get(hit.field, 0) < MAX_EVIDENCE:
            shown[hit.field] = shown.get(hit.field, 0) + 1
            evidence.append(Evidence(fields[hit.field].text[hit.start : hit.end], hit.field, hit.start, hit.end))
    return Tag(topic.id, topic.label, score, tuple(evidence), topic.iptc)


def _outermost(hits: list[Hit]) -> list[Hit]:
    """Drop matches lying inside a longer match of the same topic, and repeats of the same span."""
    kept: list[Hit] = []
    ordered = sorted(hits, key=lambda h: (h.field, h.start, -h.end, -h.use.weight, h.use.concept))
    reach: dict[str, int] = {}
    for hit in ordered:
        if hit.end <= reach.get(hit.field, -1):
            continue
        reach[hit.field] = hit.end
        kept.append(hit)
    return kept
