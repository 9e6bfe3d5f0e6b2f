"""Translation quality on the held-out pt/en set, and how well score and flags point at bad sentences.

    make eval-translation                 # the fixture package
    python tools/eval_translation.py --model X.argosmodel --measure

Prints corpus chrF/BLEU without and with self-repair, the mean sentence chrF of flagged and unflagged
sentences, the ROC AUC of `score` separating sentences with chrF < 30 from the rest, and the share of
outputs with a looping n-gram on the held-out set and on the bench workload. --measure also prints the
reference-side statistics the quality thresholds were chosen from.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sacrebleu  # noqa: E402

from service.core.packages import install_archive  # noqa: E402
from service.core.segment import split_sentences  # noqa: E402
from service.core.translate import ArgosTranslator, DecodingOptions, SentenceResult, looping_ngram  # noqa: E402

HELDOUT = ROOT / "tests" / "data" / "heldout_pt_en.tsv"
DEFAULT_MODEL = ROOT / "tests" / "fixtures" / "translate-pt_en-ponte_test-1_0.argosmodel"
WORKLOAD = ROOT / "bench" / "workload_pt.jsonl"
SEED = ROOT / "tests" / "data" / "article_pt.txt"
BAD_CHRF = 30.0
log = logging.getLogger("eval_translation")


def load_pairs(path: Path = HELDOUT) -> list[tuple[str, str]]:
    """(Portuguese, English) pairs of the held-out set."""
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    return [(cols[0], cols[1]) for cols in (row.split("\t") for row in rows if row.strip())]


def workload_sentences() -> list[str]:
    """The bench workload's sentences (seed article first), one list per text."""
    texts = [SEED.read_text(encoding="utf-8")]
    texts += [json.loads(line)["text"] for line in WORKLOAD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [s.text for t in texts for s in split_sentences(t).sentences]


def roc_auc(scores: list[float], positive: list[bool]) -> float:
    """Probability that a positive has a higher score than a negative (ties count half)."""
    pos = [s for s, p in zip(scores, positive, strict=True) if p]
    neg = [s for s, p in zip(scores, positive, strict=True) if not p]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def evaluate(engine: ArgosTranslator, pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Corpus and per-sentence numbers of one engine over the pairs."""
    results: list[SentenceResult] = engine.translate_scored([pt for pt, _ in pairs])
    hyps = [r.text for r in results]
    refs = [en for _, en in pairs]
    chrfs = [sacrebleu.sentence_chrf(h, [r]).score for h, r in zip(hyps, refs, strict=True)]
    flagged = [c for c, r in zip(chrfs, results, strict=True) if r.flags]
    clean = [c for c, r in zip(chrfs, results, strict=True) if not r.flags]
    good = [c >= BAD_CHRF for c in chrfs]
    return {
        "chrF": sacrebleu.corpus_chrf(hyps, [refs]).score,
        "BLEU": sacrebleu.corpus_bleu(hyps, [refs]).score,
        "flagged": len(flagged), "unflagged": len(clean),
        "chrF flagged": statistics.fmean(flagged) if flagged else float("nan"),
        "chrF unflagged": statistics.fmean(clean) if clean else float("nan"),
        "AUC(score, chrF>=30)": roc_auc([r.score or 0.0 for r in results], good),
        "bad share": 1 - sum(good) / len(good),
        "looping share": loop_share(engine, results),
    }


def loop_share(engine: ArgosTranslator, results: list[SentenceResult]) -> float:
    """Share of outputs with a looping n-gram by the engine's own rule."""
    rules = engine.options.quality
    pieces = [engine.tokenizer.pieces([r.text])[0] for r in results]
    return sum(looping_ngram(p, rules.repeat_max_ngram, rules.repeat_min_count) for p in pieces) / max(1, len(pieces))


def measure_references(engine: ArgosTranslator, pairs: list[tuple[str, str]]) -> None:
    """Reference-side facts the quality thresholds come from."""
    rules = engine.options.quality
    ratios = sorted(len(en) / len(pt) for pt, en in pairs if len(pt) >= rules.length_min_chars)
    cut = [0.005, 0.01, 0.05, 0.5, 0.95, 0.99, 0.995]
    print(f"reference length ratio en/pt, inputs >= {rules.length_min_chars} chars ({len(ratios)}): "
          + ", ".join(f"p{q * 100:g}={ratios[min(len(ratios) - 1, int(q * len(ratios)))]:.2f}" for q in cut))
    for n in (2, 3, 4):
        for count in (2, 3, 4):
            refs = sum(looping_ngram(engine.tokenizer.pieces([en])[0], n, count) for _, en in pairs)
            print(f"references with an n<={n} gram repeated {count}x back to back: {refs}/{len(pairs)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--measure", action="store_true", help="print the reference statistics behind the thresholds")
    args = parser.parse_args()
    pairs = load_pairs()
    with tempfile.TemporaryDirectory() as tmp:
        package = install_archive(args.model, Path(tmp))
        options = DecodingOptions()
        plain = ArgosTranslator(package, replace(options, repair=False))
        repairing = ArgosTranslator(package, options)
        if args.measure:
            measure_references(plain, pairs)
        print(f"held-out set: {len(pairs)} pairs ({HELDOUT.relative_to(ROOT)}); model {package.name}")
        for label, engine in (("without repair", plain), ("with repair", repairing)):
            numbers = evaluate(engine, pairs)
            print(f"{label:15s} " + "  ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                             for k, v in numbers.items()))
        sentences = workload_sentences()
        for label, engine in (("without repair", plain), ("with repair", repairing)):
            engine.translate(sentences[:4])  # warm-up
            started = time.process_time()
            results = engine.translate_scored(sentences)
            spent = time.process_time() - started
            print(f"bench workload {label}: {len(sentences)} sentences, looping share "
                  f"{loop_share(engine, results):.3f}, engine CPU {spent:.2f} s")
    return 0


if __name__ == "__main__":
    logging.basicConfig(format="%(message)s")
    raise SystemExit(main())
