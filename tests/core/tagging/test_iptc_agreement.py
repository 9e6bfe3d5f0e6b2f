"""The check set of an editor's IPTC choices, and the agreement of the mapped topics with it (tools/eval_iptc.py)."""

from __future__ import annotations

import json

import pytest

from service.core.tagging import IptcRef, default_taxonomy_path, load_taxonomy
from service.core.tagging.iptc import vocabulary
from tools import eval_iptc

AI = IptcRef("medtop:20001298", "artificial intelligence", "exact")
POLICY = IptcRef("medtop:20000621", "government policy", "broader")
AI_BROADER = IptcRef("medtop:20001298", "artificial intelligence", "broader")
MARKET = IptcRef("medtop:20000385", "market and exchange", "narrower")
ECONOMY = IptcRef("medtop:20000344", "economy", "narrower")


@pytest.mark.parametrize(
    ("refs", "chosen", "agree", "strict"),
    [
        ((AI,), ["medtop:20001298"], True, True),
        ((AI,), ["medtop:20000763"], False, False),  # the editor chose the broader IT concept: not implied
        ((AI_BROADER, POLICY), ["medtop:20001298", "medtop:20000636"], True, False),  # regulation of industry < policy
        ((AI_BROADER, POLICY), ["medtop:20001298", "medtop:20000621"], True, True),
        ((AI_BROADER, POLICY), ["medtop:20001298", "medtop:20000640"], False, False),  # a summit is not a policy
        ((AI_BROADER, POLICY), ["medtop:20000636"], False, False),  # both broader codes are needed
        ((MARKET, ECONOMY), ["medtop:20000370"], True, False),  # inflation lies under economy
        ((MARKET, ECONOMY), ["medtop:20000385"], True, True),
        ((MARKET, ECONOMY), ["medtop:20000178"], False, False),  # corporate earnings: business information
        ((), ["medtop:20000178"], False, False),
    ],
)
def test_agreement_rule(refs: tuple[IptcRef, ...], chosen: list[str], agree: bool, strict: bool) -> None:
    vocab = vocabulary()
    assert eval_iptc.agrees(refs, chosen, vocab) is agree
    assert eval_iptc.agrees(refs, chosen, vocab, strict=True) is strict


def test_the_check_set_covers_its_passages_with_current_codes() -> None:
    vocab = vocabulary()
    raw = [json.loads(line) for line in eval_iptc.CHECK_SET.read_text(encoding="utf-8").splitlines()]
    records = eval_iptc.load_check_set()
    assert len(records) == len(raw) == 155 and len({r["id"] for r in records}) == 155
    for source in {r["source"] for r in raw}:
        ids = {json.loads(line)["id"] for line in (eval_iptc.ROOT / source).read_text("utf-8").splitlines() if line}
        assert ids == {r["id"] for r in raw if r["source"] == source}, source  # every passage of each source
    for record in records:
        assert record["text"] and 1 <= len(record["iptc"]) <= 4, record["id"]
        for code, label in zip(record["iptc"], record["labels_en"], strict=True):
            assert not vocab.concepts[code].retired and vocab.concepts[code].label == label, (record["id"], code)


def test_the_mapped_topic_labels_agree_with_the_editor_on_at_least_90_percent_of_tags() -> None:
    taxonomy = load_taxonomy(default_taxonomy_path())
    result = eval_iptc.by_labels(eval_iptc.load_check_set(), taxonomy, vocabulary())
    assert sum(result.total.values()) == 90
    assert result.rate() >= 0.90, "\n".join(result.misses)


@pytest.mark.slow
def test_the_tagger_mapped_tags_agreement_is_measured() -> None:
    result = eval_iptc.by_tagger(eval_iptc.load_check_set(), load_taxonomy(default_taxonomy_path()), vocabulary())
    # the measured figure (docs/taxonomy.md) is 80.0 %; the floor catches a broken mapping or tagger, not noise
    assert result.rate() >= 0.75, "\n".join(result.misses)
