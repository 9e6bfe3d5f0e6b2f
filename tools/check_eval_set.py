#!/usr/bin/env python3
"""Validate tests/data/tagging_eval.jsonl (stdlib only).

Checks: every line is a JSON object; required keys present and non-empty;
ids unique; texts unique; labels drawn from the seven topic ids (no
duplicates); variant is pt-BR or pt-PT; source_url (and optional via) is an
http(s) URL; optional note is a string; text is roughly 1-6 sentences.
Warns on unknown keys and on leftover footnote markers such as "[4]".
Prints counts per topic, unrelated (no labels), variant, outlet and licence.

Exit status: 0 if no errors, 1 otherwise. With --strict, also fails when a
topic has fewer than --min-per-topic positives, there are fewer than
--min-unrelated unrelated passages, or fewer than --min-total passages.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

TOPICS = (
    "open-source",
    "artificial-intelligence",
    "ai-policy",
    "big-tech",
    "semiconductors",
    "markets",
    "cybersecurity",
)
REQUIRED = ("id", "text", "labels", "variant", "source_url", "outlet", "licence", "retrieved")
OPTIONAL = ("via", "note")
_FOOTNOTE = re.compile(r"\[\d{1,3}\]")
VARIANTS = ("pt-BR", "pt-PT")
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "tests" / "data" / "tagging_eval.jsonl"

# Rough sentence splitter: end punctuation followed by space + capital/quote/digit.
_SENT_END = re.compile(r"[.!?…](?:[\"”’»)\]]*)\s+(?=[A-ZÀ-ÖØ-Þ\"“«(0-9])")
# Abbreviations that must not count as sentence ends.
_ABBR = re.compile(r"\b(?:Sr|Sra|Dr|Dra|Prof|n|nº|art|arts|etc|ex|p|pp|vs|Lda|S\.A|Inc|Ltd|Jr)\.\s", re.I)


def count_sentences(text: str) -> int:
    t = _ABBR.sub(lambda m: m.group(0).replace(".", "·"), text.strip())
    parts = [p for p in _SENT_END.split(t) if p.strip()]
    return max(1, len(parts))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", nargs="?", default=str(DEFAULT_PATH))
    ap.add_argument("--max-sentences", type=int, default=6)
    ap.add_argument("--strict", action="store_true", help="also enforce the size targets below")
    ap.add_argument("--min-per-topic", type=int, default=10)
    ap.add_argument("--min-unrelated", type=int, default=30)
    ap.add_argument("--min-total", type=int, default=100)
    args = ap.parse_args(argv)

    errors: list[str] = []
    warnings: list[str] = []
    ids: set[str] = set()
    texts: dict[str, str] = {}
    topic_counts: Counter[str] = Counter()
    variant_counts: Counter[str] = Counter()
    outlet_counts: Counter[str] = Counter()
    licence_counts: Counter[str] = Counter()
    n_unrelated = 0
    n = 0

    path = Path(args.path)
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                warnings.append(f"line {lineno}: blank line")
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"line {lineno}: invalid JSON ({exc})")
                continue
            if not isinstance(rec, dict):
                errors.append(f"line {lineno}: not a JSON object")
                continue
            n += 1
            where = f"line {lineno} ({rec.get('id', '?')})"
            for key in REQUIRED:
                if key not in rec:
                    errors.append(f"{where}: missing key {key!r}")
                elif key != "labels" and (not isinstance(rec[key], str) or not rec[key].strip()):
                    errors.append(f"{where}: {key!r} must be a non-empty string")
            rid = rec.get("id")
            if isinstance(rid, str):
                if rid in ids:
                    errors.append(f"{where}: duplicate id")
                ids.add(rid)
            labels = rec.get("labels")
            if not isinstance(labels, list):
                errors.append(f"{where}: labels must be a list")
                labels = []
            bad = [x for x in labels if x not in TOPICS]
            if bad:
                errors.append(f"{where}: unknown labels {bad}")
            if len(set(labels)) != len(labels):
                errors.append(f"{where}: duplicate labels")
            for x in set(labels) & set(TOPICS):
                topic_counts[x] += 1
            if not labels:
                n_unrelated += 1
            variant = rec.get("variant")
            if variant not in VARIANTS:
                errors.append(f"{where}: variant must be one of {VARIANTS}, got {variant!r}")
            else:
                variant_counts[variant] += 1
            url = rec.get("source_url", "")
            if isinstance(url, str) and not re.match(r"^https?://\S+$", url):
                errors.append(f"{where}: source_url is not an http(s) URL")
            if "via" in rec and not (isinstance(rec["via"], str) and re.match(r"^https?://\S+$", rec["via"])):
                errors.append(f"{where}: via must be an http(s) URL")
            if "note" in rec and not (isinstance(rec["note"], str) and rec["note"].strip()):
                errors.append(f"{where}: note must be a non-empty string")
            unknown = sorted(set(rec) - set(REQUIRED) - set(OPTIONAL))
            if unknown:
                warnings.append(f"{where}: unknown keys {unknown}")
            text = rec.get("text", "")
            if isinstance(text, str) and text.strip():
                key = " ".join(text.split())
                if key in texts:
                    errors.append(f"{where}: same text as {texts[key]}")
                texts.setdefault(key, str(rid))
                if _FOOTNOTE.search(text):
                    warnings.append(f"{where}: footnote marker left in text")
                ns = count_sentences(text)
                if ns > args.max_sentences:
                    errors.append(f"{where}: ~{ns} sentences (> {args.max_sentences})")
                if len(text) > 1500:
                    warnings.append(f"{where}: long text ({len(text)} chars)")
            if isinstance(rec.get("outlet"), str):
                outlet_counts[rec["outlet"]] += 1
            if isinstance(rec.get("licence"), str):
                licence_counts[rec["licence"]] += 1

    print(f"file: {path}")
    print(f"passages: {n}")
    print("per topic (positives):")
    for t in TOPICS:
        print(f"  {t:<24} {topic_counts[t]}")
    print(f"unrelated (no labels):     {n_unrelated}")
    print(f"variants: {dict(variant_counts)}")
    print("outlets:")
    for o, k in outlet_counts.most_common():
        print(f"  {k:>3}  {o}")
    print("licences:")
    for lic, k in licence_counts.most_common():
        print(f"  {k:>3}  {lic}")

    short = [t for t in TOPICS if topic_counts[t] < args.min_per_topic]
    targets: list[str] = []
    if short:
        targets.append(f"topics below {args.min_per_topic} positives: {', '.join(short)}")
    if n_unrelated < args.min_unrelated:
        targets.append(f"unrelated passages {n_unrelated} < {args.min_unrelated}")
    if n < args.min_total:
        targets.append(f"total passages {n} < {args.min_total}")
    for w in warnings:
        print(f"WARNING: {w}")
    for tmsg in targets:
        print(f"{'ERROR' if args.strict else 'TARGET NOT MET'}: {tmsg}")
    for e in errors:
        print(f"ERROR: {e}")
    if errors or (args.strict and targets):
        return 1
    print("OK: format checks passed" + ("" if not targets else " (size targets not met; see above)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
