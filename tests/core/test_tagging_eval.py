"""The tagger on the labelled set of real passages (tests/data/tagging_eval.jsonl): a regression floor.

The full per-topic report is `make eval-tags`; this only fails when quality drops below the floor.
"""

from __future__ import annotations

import json
from pathlib import Path

from service.core.tagging import Tagger, default_taxonomy_path, load_taxonomy

EVAL = Path(__file__).resolve().parents[1] / "data" / "tagging_eval.jsonl"
TOPICS = {"open-source", "artificial-intelligence", "ai-policy", "big-tech", "semiconductors", "markets",
          "cybersecurity"}


def test_micro_f1_and_unrelated_floor() -> None:
    tagger = Tagger(load_taxonomy(default_taxonomy_path()))
    records = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) >= 80
    tp = fp = fn = unrelated = untagged = 0
    for record in records:
        gold = set(record["labels"]) & TOPICS
        found = {t.topic for t in tagger.tag(record["text"], "pt")} & TOPICS
        tp += len(gold & found)
        fp += len(found - gold)
        fn += len(gold - found)
        if not gold:
            unrelated += 1
            untagged += not found
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.85, f"micro-F1 {f1:.3f}"
    assert untagged / unrelated >= 0.9, f"{untagged}/{unrelated} unrelated passages untagged"
