"""Precision and recall of the protected-span rules (service/core/terms/spans.py) on labelled news sentences.

tests/data/spans/news_spans_pt.txt holds Portuguese news sentences (CC0, written for ponte) with the spans a
reader would keep as written marked `[[kind:text]]` (v version, u url, e email, h handle, p path, c code);
`[[v?:text]]` marks a span either answer is fine for (an acronym and a number, `PEC 45`): a rule span there
counts neither way. A rule span is right when its kind, start and end are those of a marked span.

    python tools/eval_spans.py                 # the table, per kind, and every wrong span
    python tools/eval_spans.py --half dev      # even lines only (the half the rules were tuned on)
    python tools/eval_spans.py --half held-out # odd lines only

"Ordinary words frozen" counts the rule spans no label asks for that hold a lower-case word or a word with a
Portuguese accent (`tem 200`, `Fórmula 1`): text the engine should have translated and that would reach the
English untouched.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service.core.terms.spans import CODE, EMAIL, HANDLE, PATH, URL, VERSION, find_spans
from tools.eval_tags import Scores as TagScores
from tools.eval_tags import prf

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "spans" / "news_spans_pt.txt"
KINDS = {"v": VERSION, "u": URL, "e": EMAIL, "h": HANDLE, "p": PATH, "c": CODE}
_MARK = re.compile(r"\[\[(v\?|[vuehpc]):(.+?)\]\]")
_ORDINARY = re.compile(r"\b[a-zà-ÿ]{2,}\b|\b\w*[áéíóúâêôãõçà]\w*\b")


@dataclass(frozen=True)
class Labelled:
    """A sentence and its marked spans: (kind, start, end); `optional` spans count neither way."""

    number: int  # line number in the file
    text: str
    spans: tuple[tuple[str, int, int], ...]
    optional: tuple[tuple[int, int], ...]


def parse_line(number: int, line: str) -> Labelled:
    """The sentence without its marks, and the marked spans' offsets in it."""
    text: list[str] = []
    spans: list[tuple[str, int, int]] = []
    optional: list[tuple[int, int]] = []
    position = 0
    length = 0
    for match in _MARK.finditer(line):
        before = line[position:match.start()]
        text.append(before)
        length += len(before)
        inner = match.group(2)
        start, end = length, length + len(inner)
        if match.group(1) == "v?":
            optional.append((start, end))
        else:
            spans.append((KINDS[match.group(1)], start, end))
        text.append(inner)
        length = end
        position = match.end()
    text.append(line[position:])
    return Labelled(number, "".join(text), tuple(spans), tuple(optional))


def load(path: Path = CORPUS) -> list[Labelled]:
    """Every labelled sentence of the file (comments and blank lines skipped)."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.startswith("#"):
            out.append(parse_line(number, line))
    return out


@dataclass
class Scores(TagScores):
    """Counts per kind (tp, fp, fn as the tagger's evaluation counts them), and the wrong spans for reading."""

    ordinary: int = 0

    def precision(self, kind: str) -> float:
        return prf(self.tp[kind], self.fp[kind], self.fn[kind])[0]

    def recall(self, kind: str) -> float:
        return prf(self.tp[kind], self.fp[kind], self.fn[kind])[1]


def evaluate(records: list[Labelled]) -> Scores:
    """Compare the rule spans of every sentence with its marks."""
    scores = Scores()
    for record in records:
        found = {(s.kind, s.start, s.end) for s in find_spans(record.text)
                 if not any(s.start < b and a < s.end for a, b in record.optional)}
        gold = set(record.spans)
        for kind, _, _ in found & gold:
            scores.tp[kind] += 1
        for kind, start, end in sorted(found - gold, key=lambda s: s[1]):
            scores.fp[kind] += 1
            span = record.text[start:end]
            ordinary = bool(_ORDINARY.search(span))
            scores.ordinary += ordinary
            scores.errors.append(f"line {record.number}: extra {kind} {span!r}{' (ordinary word)' if ordinary else ''}"
                                 f" in {record.text!r}")
        for kind, start, end in sorted(gold - found, key=lambda s: s[1]):
            scores.fn[kind] += 1
            scores.errors.append(f"line {record.number}: missed {kind} {record.text[start:end]!r} in {record.text!r}")
    return scores


def half(records: list[Labelled], which: str) -> list[Labelled]:
    """`dev`: even-numbered sentences, `held-out`: odd ones, `all`: every one."""
    if which == "all":
        return records
    return [r for i, r in enumerate(records) if (i % 2 == 0) == (which == "dev")]


def table(scores: Scores) -> str:
    """A Markdown table: precision and recall per kind."""
    lines = ["| kind | marked | found right | found wrong | missed | precision | recall |",
             "|---|---|---|---|---|---|---|"]
    for kind in KINDS.values():
        marked = scores.tp[kind] + scores.fn[kind]
        lines.append(f"| {kind} | {marked} | {scores.tp[kind]} | {scores.fp[kind]} | {scores.fn[kind]} | "
                     f"{scores.precision(kind):.3f} | {scores.recall(kind):.3f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--half", choices=["all", "dev", "held-out"], default="all")
    args = parser.parse_args()
    records = half(load(), args.half)
    scores = evaluate(records)
    out = sys.stdout
    out.write(f"{len(records)} sentences ({args.half})\n\n{table(scores)}\n\n")
    out.write(f"ordinary words frozen: {scores.ordinary}\n")
    for error in scores.errors:
        out.write(f"- {error}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
