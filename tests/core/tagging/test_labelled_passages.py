"""The tagger on labelled passages, counted by tools/eval_tags.evaluate (the counting behind `make eval-tags`).

tests/data/tagging_eval.jsonl holds real passages labelled before any tuning: a regression floor on held-out
text. tests/data/tagging_tuning.jsonl holds passages written while tuning the default taxonomy (a few in
English, some with a translation, `also_ok` for defensible extras): they guard against regressions when the
taxonomy is edited, but were used for tuning, so they are no measure of quality on real news.
"""

from __future__ import annotations

from typing import Any

import pytest

from service.core.tagging import Tagger
from tests.core.tagging.conftest import assert_offsets
from tools.check_eval_set import TOPICS
from tools.eval_tags import TUNING_FILE, evaluate, load_records

TUNING = load_records(TUNING_FILE)


def tag(tagger: Tagger, record: dict[str, Any]) -> tuple[Any, ...]:
    return tagger.tag(record["text"], record.get("language", "pt"), record.get("translation"))


def test_micro_f1_and_unrelated_floor(tagger: Tagger) -> None:
    records = load_records()
    assert len(records) >= 80
    scores = evaluate(records, tagger)
    _, _, f1 = scores.micro()
    assert f1 >= 0.85, f"micro-F1 {f1:.3f}"
    share = scores.untagged / scores.unrelated
    assert share >= 0.9, f"{scores.untagged}/{scores.unrelated} unrelated passages untagged"


def test_tuning_passages_micro_f1(tagger: Tagger) -> None:
    scores = evaluate(TUNING, tagger)
    _, _, f1 = scores.micro()
    assert f1 >= 0.9, scores.errors


@pytest.mark.parametrize("record", [r for r in TUNING if not r["labels"]], ids=lambda r: str(r["id"]))
def test_unrelated_tuning_passages_get_no_tags(tagger: Tagger, record: dict[str, Any]) -> None:
    assert tag(tagger, record) == ()


def test_tuning_evidence_slices_back_out_of_its_field(tagger: Tagger) -> None:
    for record in TUNING:
        assert_offsets(tag(tagger, record), record["text"], record.get("translation"))


def test_tuning_records_are_well_formed() -> None:
    assert len(TUNING) >= 200
    assert len({r["id"] for r in TUNING}) == len(TUNING)
    for record in TUNING:
        assert set(record) <= {"id", "text", "labels", "also_ok", "language", "translation"}, record["id"]
        assert set(record["labels"]) | set(record.get("also_ok", ())) <= set(TOPICS), record["id"]
        assert record.get("language", "pt") in ("pt", "en"), record["id"]
