"""Candidate for larger engine batches under the same-answer rule: pad every sentence to the top of its length
bucket, adding a filler source of exactly that length when no sentence of the sub-batch has it, so that a sentence
is computed over the same padded length alone and in any company. Does it keep the same answer, and what does it
cost against today's sub-batches of one exact length (service/core/translate/engine.py)?

    OMP_NUM_THREADS=1 CT2_USE_MKL=0 ONEDNN_MAX_CPU_ISA=AVX2 python bench/bucket_padding.py same-answer
    OMP_NUM_THREADS=1 CT2_USE_MKL=1 python bench/bucket_padding.py same-answer --sentences 40
    OMP_NUM_THREADS=1 python bench/bucket_padding.py cost

same-answer: each sentence (the looping corpus of the determinism tests, then news sentences) is translated alone
(with its filler) and then 3 times in a shuffled sub-batch of 1-6 other sentences of its bucket (a filler when none
has the bucket's length); a trial differs when its best hypothesis or its score to 4 decimals differs. The same run
without fillers (padding to the sub-batch's longest, as CTranslate2 does) is the control: it must differ.

cost: 40 engine calls shaped like a worker's at c=4 (the sentences of 2 news passages, tests/data/tagging_eval.jsonl),
each call's sub-batches posted to 2 replicas asynchronously as ArgosTranslator._decode does, beam 4, the decoding bound
of the sub-batch's length; then all of their sentences in one call. Wall seconds, best of 3, layouts interleaved.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.core.packages import install_archive  # noqa: E402
from service.core.segment import split_sentences  # noqa: E402
from service.core.translate import ArgosTranslator, DecodingOptions  # noqa: E402
from service.core.translate.engine import bucket_length  # noqa: E402
from tests.conftest import FIXTURE_MODEL  # noqa: E402

LOOPING = ROOT / "tests" / "data" / "looping_pt.jsonl"
NEWS = ROOT / "tests" / "data" / "tagging_eval.jsonl"
MAX_TOKENS = 200  # the engine's max_input_tokens: longer sentences are cut into chunks of at most this
MAX_POSITIONS = 510  # the fixture model has 512 position encodings

Pieces = list[str]
Key = Callable[[int], int]


def exact(n: int) -> int:
    return n


def power_of_two(n: int) -> int:
    return max(8, 1 << (n - 1).bit_length())


def bound_bucket(n: int) -> int:
    """The bucket the decoding bound is computed from today (4 steps within a power of two)."""
    return max(8, bucket_length(n, 4))


KEYS: dict[str, Key] = {"exact": exact, "bound bucket": bound_bucket, "power of two": power_of_two}


def filler(top: int, longest: Pieces) -> Pieces:
    """A source of exactly `top` pieces: the sub-batch's longest sentence, then full stops."""
    return (longest + ["\u2581."] * top)[:top]


class Engine:
    def __init__(self, translator: object) -> None:
        self.translator = translator

    def decode(self, chunks: list[Pieces], key: Key, fill: bool) -> int:
        """The chunks in sub-batches of one key value (a filler added to reach the bucket's top); how many."""
        groups: dict[int, list[Pieces]] = {}
        for chunk in chunks:
            groups.setdefault(key(len(chunk)), []).append(chunk)
        pending = []
        for top, group in groups.items():
            batch = list(group)
            if fill and max(map(len, group)) < top:
                batch.append(filler(top, max(group, key=len)))
            pending.append(self.run(batch, top, asynchronous=True))
        for results in pending:
            for item in results:
                item.result()
        return len(groups)

    def run(self, batch: list[Pieces], top: int, asynchronous: bool = False) -> list:  # type: ignore[type-arg]
        return self.translator.translate_batch(  # type: ignore[attr-defined, no-any-return]
            batch, beam_size=4, length_penalty=0.2, max_decoding_length=min(MAX_POSITIONS, math.ceil(top * 2) + 10),
            replace_unknowns=True, return_scores=True, return_end_token=True, batch_type="examples",
            asynchronous=asynchronous)

    def best(self, batch: list[Pieces], top: int) -> list[tuple[tuple[str, ...], float]]:
        return [(tuple(r.hypotheses[0]), round(r.scores[0], 4)) for r in self.run(batch, top)]


def sentences_of(path: Path, field: str, limit: int | None = None) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()[:limit]
    if field == "sentences":
        return [s for line in lines for s in json.loads(line)["sentences"]]
    return [s.text for line in lines for s in split_sentences(json.loads(line)["text"]).sentences]


def same_answer(engine: Engine, pieces: list[Pieces], key: Key, count: int, fill: bool) -> tuple[int, int]:
    rng = random.Random(1)
    by_bucket: dict[int, list[Pieces]] = {}
    for p in pieces:
        by_bucket.setdefault(key(len(p)), []).append(p)
    differ = trials = 0
    for p in pieces[:count]:
        top = key(len(p))
        alone = engine.best([p] + ([filler(top, p)] if fill and len(p) < top else []), top)[0]
        for _ in range(3):
            batch = [p, *rng.sample(by_bucket[top], min(len(by_bucket[top]), rng.randint(1, 6)))]
            if fill and max(map(len, batch)) < top:
                batch.append(filler(top, max(batch, key=len)))
            rng.shuffle(batch)
            trials += 1
            differ += engine.best(batch, top)[batch.index(p)] != alone
    return differ, trials


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["same-answer", "cost"])
    parser.add_argument("--sentences", type=int, default=80, help="sentences checked (same-answer)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        package = install_archive(FIXTURE_MODEL, Path(tmp))
        ours = ArgosTranslator(package, DecodingOptions(), inter_threads=2)
        engine = Engine(ours._translator)  # our own engine's CTranslate2 Translator, called in our own shape
        if args.what == "same-answer":
            texts = sentences_of(LOOPING, "sentences") + sentences_of(NEWS, "text", 40)
            pieces = [list(p)[:MAX_TOKENS] for p in ours.tokenizer.pieces(texts) if p]
            print("| sub-batches by | filler | trials that differ from alone |")
            print("|---|---|---|")
            for fill in (False, True):
                differ, trials = same_answer(engine, pieces, power_of_two, args.sentences, fill)
                print(f"| power of two | {'yes' if fill else 'no (control)'} | {differ} of {trials} |", flush=True)
            return 0
        passages = [json.loads(line)["text"] for line in NEWS.read_text(encoding="utf-8").splitlines()]
        per_text = [[list(p)[:MAX_TOKENS] for p in ours.tokenizer.pieces([s.text for s in split_sentences(t).sentences])
                     if p] for t in passages]
        rng = random.Random(0)
        calls = [[p for text in rng.sample(per_text, 2) for p in text] for _ in range(40)]
        pooled = [p for call in calls for p in call]
        layouts = [(name, KEYS[name], fill) for name, fill in
                   (("exact", False), ("bound bucket", True), ("power of two", True), ("power of two", False))]
        best: dict[str, float] = {}
        groups: dict[str, float] = {}
        for _ in range(3):
            for shape, sets in (("40 calls", calls), ("one call", [pooled])):
                for name, key, fill in layouts:
                    label = f"{shape} | {name} | {'filler' if fill else 'none'}"
                    started = time.perf_counter()
                    made = sum(engine.decode(chunks, key, fill) for chunks in sets)
                    best[label] = min(best.get(label, math.inf), time.perf_counter() - started)
                    groups[label] = made / len(sets)
        print(f"{len(pooled)} sentences; best of 3 wall seconds, 2 replicas")
        print("| calls | sub-batches by | filler | sub-batches a call | wall s | vs exact |")
        print("|---|---|---|---|---|---|")
        for label, seconds in best.items():
            reference = best[label.split(" |")[0] + " | exact | none"]
            print(f"| {label} | {groups[label]:.1f} | {seconds:.2f} | {seconds / reference:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
