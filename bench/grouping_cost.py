"""What the same-answer rule costs the engine: sub-batches of one exact source length (no padding) against the
sub-batches of one decoding bound that came before (sources of several lengths, padded).

    OMP_NUM_THREADS=1 python bench/grouping_cost.py [--repeats 5]

The bench workload (the seed article and bench/workload_pt.jsonl) in the engine's own call shape: beam 4, each
sub-batch bounded by its length bucket, posted asynchronously to 2 replicas and then collected, as
ArgosTranslator._decode does. Two layouts of the calls: one call per text (as /v1/analyze at c=1 sends them) and
every sentence in one call (as /v1/analyze/batch and the CLI pool them). Process CPU seconds and wall seconds,
best of --repeats, the two groupings interleaved.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from eval_translation import DEFAULT_MODEL, SEED, WORKLOAD  # noqa: E402

from service.core.packages import install_archive  # noqa: E402
from service.core.segment import split_sentences  # noqa: E402
from service.core.translate import ArgosTranslator, DecodingOptions  # noqa: E402
from service.core.translate.engine import bucket_length  # noqa: E402


def texts() -> list[list[str]]:
    """The workload's sentences, one list per text."""
    raw = [SEED.read_text(encoding="utf-8")]
    raw += [json.loads(line)["text"] for line in WORKLOAD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [[s.text for s in split_sentences(t).sentences] for t in raw]


def groups_of(chunks: list[list[str]], key: Callable[[int], int], size: int) -> list[list[int]]:
    """Longest first, consecutive chunks of one key value together, at most `size` a group."""
    order = sorted(range(len(chunks)), key=lambda i: len(chunks[i]), reverse=True)
    groups: list[list[int]] = []
    for i in order:
        if groups and len(groups[-1]) < size and key(groups[-1][0]) == key(i):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        package = install_archive(args.model, Path(tmp))
        options = DecodingOptions()
        engine = ArgosTranslator(package, options, inter_threads=2)
        translator = engine._translator  # our own engine's CTranslate2 Translator (the call shape is ours too)
        per_text = [[list(p) for p in engine.tokenizer.pieces(sentences)] for sentences in texts()]
        pooled = [chunk for chunks in per_text for chunk in chunks]

        def decode(chunks: list[list[str]], exact: bool) -> None:
            size = min(options.max_batch_size, -(-len(chunks) // 2))
            key = (lambda i: len(chunks[i])) if exact else (lambda i: engine.bound(len(chunks[i])))
            pending = [translator.translate_batch(
                [chunks[i] for i in group], max_batch_size=size, batch_type="examples", beam_size=options.beam_size,
                length_penalty=options.length_penalty, max_decoding_length=engine.bound(len(chunks[group[0]])),
                replace_unknowns=True, return_scores=True, return_end_token=True, asynchronous=True)
                for group in groups_of(chunks, key, size)]
            for results in pending:
                for item in results:
                    item.result()

        runs: dict[str, Callable[[], None]] = {
            "one call per text, one exact length a sub-batch": lambda: [decode(c, True) for c in per_text] and None,
            "one call per text, one bound a sub-batch (padded)": lambda: [decode(c, False) for c in per_text] and None,
            "all sentences in one call, one exact length": lambda: decode(pooled, True),
            "all sentences in one call, one bound (padded)": lambda: decode(pooled, False),
        }
        cpu = dict.fromkeys(runs, float("inf"))
        wall = dict.fromkeys(runs, float("inf"))
        for _ in range(args.repeats):
            for name, run in runs.items():
                started, began = time.process_time(), time.perf_counter()
                run()
                cpu[name] = min(cpu[name], time.process_time() - started)
                wall[name] = min(wall[name], time.perf_counter() - began)
        sizes = {exact: [len(g) for g in groups_of(pooled, (lambda i: len(pooled[i])) if exact else
                                                   (lambda i: engine.bound(len(pooled[i]))), 32)]
                 for exact in (True, False)}
    print(f"{len(pooled)} sentences in {len(per_text)} texts, {package.name}, 2 replicas, best of {args.repeats}; "
          f"bucket_length(37, 4) = {bucket_length(37, 4)}")
    print("| layout | process CPU s | wall s |")
    print("|---|---|---|")
    for name in runs:
        print(f"| {name} | {cpu[name]:.3f} | {wall[name]:.3f} |")
    names = list(runs)
    for a, b in ((0, 1), (2, 3)):
        print(f"{names[a]} vs padded: CPU {100 * (cpu[names[a]] / cpu[names[b]] - 1):+.1f}%, "
              f"wall {100 * (wall[names[a]] / wall[names[b]] - 1):+.1f}%")
    for exact, label in ((True, "exact length"), (False, "bound")):
        print(f"pooled sub-batches by {label}: {len(sizes[exact])}, mean {len(pooled) / len(sizes[exact]):.1f} "
              "sentences each")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
