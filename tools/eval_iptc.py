"""Agreement of ponte's tags, mapped to IPTC Media Topics by the taxonomy, with an editor's IPTC choice.

    make eval-iptc            # or: python tools/eval_iptc.py [--taxonomy T] [--errors]

The check set (tests/data/iptc_check.jsonl, see tests/data/README.md) gives, for every passage of
tests/data/tagging_eval.jsonl and bench/workload_pt.jsonl, the Media Topics an editor chose from the text.
Two measures, each over tags (a passage with two tags counts twice):

  labels  the passage's own topic labels (tagging_eval.jsonl, labelled by someone else before the mapping
          existed), each mapped through the taxonomy: does the mapping say what the editor said?
  tagger  the tags the tagger gives each passage (source text only, as tools/eval_tags.py does): the same
          question end to end, so a wrong tag counts against it too.

A tag agrees when the editor's choice implies its mapping. An editor's code implies itself and every broader
concept above it (IPTC's hierarchy). Every `exact` and `broader` code of the topic must be implied (the topic
lies inside each of them); a topic mapped only to `narrower` codes (each covers part of it) needs one of them.
`strict` asks more: each needed code must be one the editor chose, not only one above it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.core.tagging import IptcRef, Tagger, Taxonomy, default_taxonomy_path, load_taxonomy  # noqa: E402
from service.core.tagging.iptc import Vocabulary, vocabulary  # noqa: E402

CHECK_SET = ROOT / "tests" / "data" / "iptc_check.jsonl"


@dataclass
class Agreement:
    """Tags that agree with the editor, per topic, and the ones that do not."""

    agree: Counter[str] = field(default_factory=Counter)
    strict: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def rate(self, strict: bool = False) -> float:
        """The share of tags that agree (1.0 when there is no tag)."""
        hits = self.strict if strict else self.agree
        return sum(hits.values()) / sum(self.total.values()) if self.total else 1.0


def implied(code: str, chosen: Iterable[str], vocab: Vocabulary, strict: bool = False) -> bool:
    """Whether the editor's codes imply `code`: one of them is `code` or (unless strict) lies below it."""
    return any(c == code or (not strict and code in vocab.ancestors(c)) for c in chosen)


def agrees(refs: Sequence[IptcRef], chosen: Sequence[str], vocab: Vocabulary, strict: bool = False) -> bool:
    """Whether a tag mapped to `refs` agrees with the editor's `chosen` codes (see the module docstring)."""
    needed = [ref.code for ref in refs if ref.relation in ("exact", "broader")]
    if needed:
        return all(implied(code, chosen, vocab, strict) for code in needed)
    return any(implied(ref.code, chosen, vocab, strict) for ref in refs)


def load_check_set(path: Path = CHECK_SET) -> list[dict[str, Any]]:
    """The editor's choices joined with their passages (text, and topic labels where the source has them)."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    passages: dict[str, dict[str, Any]] = {}
    for source in sorted({record["source"] for record in records}):
        for line in (ROOT / source).read_text(encoding="utf-8").splitlines():
            if line.strip():
                passage = json.loads(line)
                passages[passage["id"]] = passage
    return [{**passages[record["id"]], **record} for record in records]


def measure(pairs: Iterable[tuple[str, str, Sequence[str]]], taxonomy: Taxonomy, vocab: Vocabulary) -> Agreement:
    """Count agreement over (passage id, topic, editor's codes) triples."""
    result = Agreement()
    for passage, topic, chosen in pairs:
        refs = taxonomy.topic(topic).iptc
        result.total[topic] += 1
        if agrees(refs, chosen, vocab):
            result.agree[topic] += 1
        else:
            mapped = ", ".join(f"{ref.code} {ref.label} ({ref.relation})" for ref in refs)
            editor = ", ".join(f"{code} {vocab.concepts[code].label}" for code in chosen)
            result.misses.append(f"{passage:8} {topic:24} mapped: {mapped} | editor: {editor}")
        result.strict[topic] += agrees(refs, chosen, vocab, strict=True)
    return result


def by_labels(records: list[dict[str, Any]], taxonomy: Taxonomy, vocab: Vocabulary) -> Agreement:
    """The passages' own topic labels, mapped."""
    return measure(((r["id"], topic, r["iptc"]) for r in records for topic in r.get("labels", ())), taxonomy, vocab)


def by_tagger(records: list[dict[str, Any]], taxonomy: Taxonomy, vocab: Vocabulary) -> Agreement:
    """The tagger's tags on each passage, mapped."""
    tagger = Tagger(taxonomy)
    triples = ((r["id"], tag.topic, r["iptc"]) for r in records
               for tag in tagger.tag(r["text"], r.get("language", "pt"), r.get("translation")))
    return measure(triples, taxonomy, vocab)


def _report(name: str, result: Agreement) -> list[str]:
    lines = [f"{name}: {sum(result.agree.values())}/{sum(result.total.values())} tags agree = {result.rate():.1%}"
             f" (strict {result.rate(strict=True):.1%})"]
    for topic in sorted(result.total):
        lines.append(f"  {topic:24} {result.agree[topic]:3}/{result.total[topic]:<3} strict {result.strict[topic]:3}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print both agreements; with --errors, the tags that disagree."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--taxonomy", type=Path, default=default_taxonomy_path())
    parser.add_argument("--errors", action="store_true", help="list the tags that disagree")
    args = parser.parse_args(argv)
    taxonomy, vocab = load_taxonomy(args.taxonomy), vocabulary()
    records = load_check_set()
    print(f"{len(records)} passages; IPTC Media Topics {vocab.release}")
    for name, measured in (("labels", by_labels), ("tagger", by_tagger)):
        result = measured(records, taxonomy, vocab)
        print("\n".join(_report(name, result)))
        if args.errors:
            print("\n".join(f"  ! {miss}" for miss in result.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
