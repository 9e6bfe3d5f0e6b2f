"""Per-topic precision, recall and F1 of the tagger on the labelled set (tests/data/tagging_eval.jsonl).

    make eval-tags            # or: python tools/eval_tags.py [--file F] [--taxonomy T] [--errors]

Tags are computed on the Portuguese source only (no translation), as a pipeline without a model would.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.core.tagging import Tagger, default_taxonomy_path, load_taxonomy  # noqa: E402

DEFAULT_TOPICS = ("open-source", "artificial-intelligence", "ai-policy", "big-tech", "semiconductors", "markets",
                  "cybersecurity")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=ROOT / "tests" / "data" / "tagging_eval.jsonl")
    parser.add_argument("--taxonomy", type=Path, default=default_taxonomy_path())
    parser.add_argument("--errors", action="store_true", help="list every false positive and false negative")
    args = parser.parse_args()

    tagger = Tagger(load_taxonomy(args.taxonomy))
    records = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    unrelated = untagged = 0
    for record in records:
        gold = set(record["labels"]) & set(DEFAULT_TOPICS)
        found = {t.topic for t in tagger.tag(record["text"], "pt", None)} & set(DEFAULT_TOPICS)
        for topic in DEFAULT_TOPICS:
            if topic in gold and topic in found:
                tp[topic] += 1
            elif topic in found:
                fp[topic] += 1
                if args.errors:
                    print(f"FP {topic:24} {record['id']}: {record['text'][:100]}")
            elif topic in gold:
                fn[topic] += 1
                if args.errors:
                    print(f"FN {topic:24} {record['id']}: {record['text'][:100]}")
        if not record["labels"]:
            unrelated += 1
            untagged += not found

    def prf(t: int, p: int, n: int) -> tuple[float, float, float]:
        precision = t / (t + p) if t + p else 1.0
        recall = t / (t + n) if t + n else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    shown = args.file.relative_to(ROOT) if args.file.is_relative_to(ROOT) else args.file
    print(f"{len(records)} passages from {shown}")
    print(f"{'topic':24} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for topic in DEFAULT_TOPICS:
        p, r, f = prf(tp[topic], fp[topic], fn[topic])
        print(f"{topic:24} {p:6.3f} {r:6.3f} {f:6.3f} {tp[topic]:4d} {fp[topic]:4d} {fn[topic]:4d}")
    p, r, f = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    print(f"{'micro':24} {p:6.3f} {r:6.3f} {f:6.3f} {sum(tp.values()):4d} {sum(fp.values()):4d} {sum(fn.values()):4d}")
    share = untagged / unrelated if unrelated else 1.0
    print(f"unrelated passages with no tag: {untagged}/{unrelated} = {share:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
