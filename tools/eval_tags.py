"""Per-topic precision, recall and F1 of the tagger on the labelled set (tests/data/tagging_eval.jsonl).

    make eval-tags            # or: python tools/eval_tags.py [--file F] [--taxonomy T] [--errors]

Each passage is tagged from its `text` in its `language` (default pt) and, only where the record gives one,
its English `translation`; the real set has neither, so it is tagged as a pipeline without a model would.
A topic in a record's optional `also_ok` (a defensible extra) counts neither for nor against the tagger.
The passages written while tuning the taxonomy are scored the same way: --file tests/data/tagging_tuning.jsonl.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.core.tagging import Tagger, default_taxonomy_path, load_taxonomy  # noqa: E402
from tools.check_eval_set import TOPICS  # noqa: E402  (the label vocabulary of the set)

DEFAULT_FILE = ROOT / "tests" / "data" / "tagging_eval.jsonl"
TUNING_FILE = ROOT / "tests" / "data" / "tagging_tuning.jsonl"


@dataclass
class Scores:
    """Counts of the tagger against the labels, per topic."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    unrelated: int = 0
    untagged: int = 0
    errors: list[str] = field(default_factory=list)

    def micro(self) -> tuple[float, float, float]:
        """Micro-averaged precision, recall and F1 over the default topics."""
        return prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values()))


def prf(t: int, p: int, n: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from true positives, false positives and false negatives."""
    precision = t / (t + p) if t + p else 1.0
    recall = t / (t + n) if t + n else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load_records(path: Path = DEFAULT_FILE) -> list[dict[str, Any]]:
    """The labelled passages."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(records: list[dict[str, Any]], tagger: Tagger) -> Scores:
    """Tag each passage and count agreements with its labels."""
    scores = Scores()
    for record in records:
        gold = set(record["labels"]) & set(TOPICS)
        tags = tagger.tag(record["text"], record.get("language", "pt"), record.get("translation"))
        tagged = {t.topic for t in tags} & set(TOPICS)
        found = tagged - (set(record.get("also_ok", ())) - gold)
        for topic in TOPICS:
            if topic in gold and topic in found:
                scores.tp[topic] += 1
            elif topic in found:
                scores.fp[topic] += 1
                scores.errors.append(f"FP {topic:24} {record['id']}: {record['text'][:100]}")
            elif topic in gold:
                scores.fn[topic] += 1
                scores.errors.append(f"FN {topic:24} {record['id']}: {record['text'][:100]}")
        if not record["labels"]:
            scores.unrelated += 1
            scores.untagged += not tagged
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--taxonomy", type=Path, default=default_taxonomy_path())
    parser.add_argument("--errors", action="store_true", help="list every false positive and false negative")
    args = parser.parse_args()

    records = load_records(args.file)
    scores = evaluate(records, Tagger(load_taxonomy(args.taxonomy)))
    if args.errors:
        for line in scores.errors:
            print(line)
    shown = args.file.relative_to(ROOT) if args.file.is_relative_to(ROOT) else args.file
    print(f"{len(records)} passages from {shown}")
    print(f"{'topic':24} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    tp, fp, fn = scores.tp, scores.fp, scores.fn
    for topic in TOPICS:
        p, r, f = prf(tp[topic], fp[topic], fn[topic])
        print(f"{topic:24} {p:6.3f} {r:6.3f} {f:6.3f} {tp[topic]:4d} {fp[topic]:4d} {fn[topic]:4d}")
    p, r, f = scores.micro()
    print(f"{'micro':24} {p:6.3f} {r:6.3f} {f:6.3f} {sum(tp.values()):4d} {sum(fp.values()):4d} {sum(fn.values()):4d}")
    share = scores.untagged / scores.unrelated if scores.unrelated else 1.0
    print(f"unrelated passages with no tag: {scores.untagged}/{scores.unrelated} = {share:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
