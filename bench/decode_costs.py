"""What the engine's trust signals cost: return_scores, and self-repair, in engine CPU time on the workload.

    OMP_NUM_THREADS=1 python bench/decode_costs.py

CPU time of the process (not wall time): the machine is shared, and with one intra thread per replica
CPU time is what a signal adds. Calls are interleaved and the best of --repeats is kept.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from eval_translation import DEFAULT_MODEL, workload_sentences  # noqa: E402

from service.core.packages import install_archive  # noqa: E402
from service.core.translate import ArgosTranslator, DecodingOptions  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    sentences = workload_sentences()
    with tempfile.TemporaryDirectory() as tmp:
        package = install_archive(args.model, Path(tmp))
        engine = ArgosTranslator(package, DecodingOptions(repair=False))
        repairing = ArgosTranslator(package, DecodingOptions())
        sources = [list(p) for p in engine.tokenizer.pieces(sentences)]

        def raw(scores: bool) -> None:
            # the engine's own call shape, scores on or off, one sub-batch per bound
            for start in range(0, len(sources), 32):
                engine._translator.translate_batch(
                    sources[start:start + 32], beam_size=4, length_penalty=0.2, max_decoding_length=256,
                    replace_unknowns=True, return_scores=scores, return_end_token=True)

        runs = {
            "translate_batch, return_scores=False": lambda: raw(False),
            "translate_batch, return_scores=True": lambda: raw(True),
            "engine, repair off": lambda: engine.translate_scored(sentences),
            "engine, repair on": lambda: repairing.translate_scored(sentences),
        }
        best = dict.fromkeys(runs, float("inf"))
        for _ in range(args.repeats):
            for name, run in runs.items():
                started = time.process_time()
                run()
                best[name] = min(best[name], time.process_time() - started)
    print(f"{len(sentences)} sentences, {package.name}, best of {args.repeats}, process CPU seconds")
    for name, seconds in best.items():
        print(f"  {name:40s} {seconds:.3f}")
    names = list(best)
    print(f"scores cost: {100 * (best[names[1]] / best[names[0]] - 1):+.1f}%")
    print(f"repair cost: {100 * (best[names[3]] / best[names[2]] - 1):+.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
