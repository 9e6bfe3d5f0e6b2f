"""The tagger on the labelled set of real passages (tests/data/tagging_eval.jsonl): a regression floor.

The full per-topic report is `make eval-tags` (tools/eval_tags.py, whose counting this test shares);
this only fails when quality drops below the floor.
"""

from __future__ import annotations

from service.core.tagging import Tagger, default_taxonomy_path, load_taxonomy
from tools.eval_tags import evaluate, load_records


def test_micro_f1_and_unrelated_floor() -> None:
    records = load_records()
    assert len(records) >= 80
    scores = evaluate(records, Tagger(load_taxonomy(default_taxonomy_path())))
    _, _, f1 = scores.micro()
    assert f1 >= 0.85, f"micro-F1 {f1:.3f}"
    share = scores.untagged / scores.unrelated
    assert share >= 0.9, f"{scores.untagged}/{scores.unrelated} unrelated passages untagged"
