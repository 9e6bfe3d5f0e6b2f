"""The service against its engine on an Argos-size model (make bench-argos-size).

    make bench-argos-size                           # writes the "argos-size" section of bench/RESULTS.md
    python bench/argos_size.py --quick --out -      # a smoke run, print only

The fixture model is ~10x faster per sentence than a real Argos model, so the service's own per-request work
weighs ~10x more beside it than in production. This cell states that work where the engine costs what a real
one does: a Transformer of the real packages' shape (6+6 layers, d_model 512, 8 heads, FFN 2048, int8, the
fixture's SentencePiece vocabulary) with random weights, built by tools/build_argos_size_model.py into build/
(git-ignored) when missing. Random weights never end a sentence, so every sentence decodes to its decoding
bound in the service and in the reference alike: the same, known work (pessimistic: a real model stops
earlier). Every sentence is then flagged `truncated`, so the service's self-repair (on by default) re-decodes
every one of them; the reference is the service's own engine class with the same settings, so it does the
same, and a second reference without repair shows what repair costs on this workload.

Workload: the N shortest news passages of tests/data/tagging_eval.jsonl (1-2 sentences each). Measured in
alternating rounds, same window: the engine class translating one text per call with 2 replicas
(bench/engine_ref.py), with and without repair; `python -m service serve` (defaults, 2 workers, caches off)
under POST /v1/translate (source_language pt) at concurrency 1 and 4 (bench/load.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from engine_ref import engine_seconds, sentences_of  # noqa: E402
from load import load_texts, run_load  # noqa: E402
from results import publish  # noqa: E402

from service.core.packages import install_archive  # noqa: E402
from tests.server import Server  # noqa: E402

MODEL = ROOT / "build" / "argos-size" / "translate-pt_en-argos_size-1_0.argosmodel"
NEWS = ROOT / "tests" / "data" / "tagging_eval.jsonl"
OUT = ROOT / "bench" / "out"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=MODEL, help="built when missing (the default path only)")
    parser.add_argument("--texts", type=int, default=8, help="the N shortest news passages")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=300.0, help="hard bound of one service run")
    parser.add_argument("--quick", action="store_true", help="smoke run: 3 texts, 1 round")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"), help="results file, or - for none")
    args = parser.parse_args()
    if args.quick:
        args.texts, args.rounds = 3, 1
    began = time.monotonic()
    if not args.model.exists():
        subprocess.run([sys.executable, str(ROOT / "tools" / "build_argos_size_model.py"), "--out", str(args.model)],
                       check=True, timeout=900)
    news = load_texts(NEWS)
    texts = sorted(news, key=len)[:args.texts]
    groups = sentences_of(texts)
    work = OUT / f"argos-size-{time.strftime('%Y%m%d-%H%M%S')}"
    packages = work / "packages"
    package = install_archive(args.model, packages)
    server = Server(packages, work / "server.log", PONTE_CACHE_SIZE="0", PONTE_DOCUMENT_CACHE_CHARS="0",
                    PONTE_WORKERS="2")
    engine: dict[str, list[float]] = {"defaults": [], "repair off": []}
    service: dict[int, list[dict[str, Any]]] = {1: [], 4: []}
    try:
        server.start(ready_within=300)
        assert server.process is not None
        index = 0
        for r in range(args.rounds):
            steps = ["engine defaults", "engine repair off", "service 1", "service 4"]
            for step in (steps if r % 2 == 0 else steps[::-1]):
                if step.startswith("engine"):
                    name = step.removeprefix("engine ")
                    env = {"PONTE_REPAIR": "false"} if name == "repair off" else {}
                    seconds = engine_seconds(package.path, groups, replicas=2, env=env)[0]
                    engine[name].append(seconds / len(texts))
                    print(f"  engine ({name}), one text per call: {1000 * seconds / len(texts):.0f} ms per text",
                          flush=True)
                else:
                    concurrency = int(step.split()[1])
                    requests = len(texts) * (2 if concurrency > 1 else 1)
                    result = run_load(server.url, "/v1/translate", texts,
                                      template={"text": "{text}", "source_language": "pt"}, expect_field="text",
                                      concurrency=concurrency, requests=requests, warmup=1 if r == 0 else 0,
                                      duration=args.max_seconds, first_index=index, pid=server.process.pid,
                                      label=f"service c={concurrency}")
                    index += requests + result["warmup_requests"]
                    if result["errors"]:
                        raise RuntimeError(f"{result['label']}: {result['error_samples']}")
                    service[concurrency].append(result)
                    print(f"  service /v1/translate c={concurrency}: {result['texts_per_s']:.3f} texts/s, mean "
                          f"latency {result['latency_mean_ms']:.0f} ms", flush=True)
    finally:
        server.stop()
        shutil.rmtree(packages, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    (work / "runs.json").write_text(json.dumps({"engine_s_per_text": engine, "service": service}, indent=1) + "\n")

    per_text = {name: statistics.median(v) for name, v in engine.items()}
    c1 = service[1]
    c1_latency = statistics.median(r["latency_mean_ms"] for r in c1) / 1000
    c1_rate = statistics.median(r["texts_per_s"] for r in c1)
    c4_rate = statistics.median(r["texts_per_s"] for r in service[4])
    ratios = [r["texts_per_s"] * e for r, e in zip(c1, engine["defaults"], strict=False)]
    overhead_ms = 1000 * (c1_latency - per_text["defaults"])
    sentences = sum(len(g) for g in groups)
    model_mb = sum(f.stat().st_size for f in package.model_dir.rglob("*") if f.is_file()) / 2**20 \
        if package.model_dir.exists() else args.model.stat().st_size / 2**20
    lines = [
        "## Argos-size model: the service against its engine (`make bench-argos-size`)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M')}, {(time.monotonic() - began) / 60:.0f} min, {args.rounds} alternating "
        f"round(s); model `{args.model.name}` (6+6 layers, d_model 512, int8, random weights: every sentence "
        f"decodes to its bound and is repaired; {model_mb:.0f} MB); the {len(texts)} shortest news passages "
        f"({sentences} sentences); loadavg at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
        "",
        "| measurement | s per text | texts/s | service / engine |",
        "|---|---|---|---|",
        f"| engine class, one text per call, 2 replicas (defaults: beam 4, repair on) | {per_text['defaults']:.2f} | "
        f"{1 / per_text['defaults']:.3f} | 1.00 |",
        f"| the same, repair off | {per_text['repair off']:.2f} | {1 / per_text['repair off']:.3f} | "
        f"{per_text['repair off'] / per_text['defaults']:.2f} of the defaults' time |",
        f"| service POST /v1/translate, c=1 (mean latency) | {c1_latency:.2f} | {c1_rate:.3f} | "
        f"**{statistics.median(ratios):.2f}x** ({', '.join(f'{x:.2f}' for x in ratios)}) |",
        f"| service POST /v1/translate, c=4 | | {c4_rate:.3f} | {c4_rate * per_text['defaults']:.2f}x |",
        "",
        f"Per-request overhead at c=1 (service latency minus the engine's time for the same text): "
        f"{overhead_ms:.0f} ms = {100 * overhead_ms / (1000 * c1_latency):.1f}% of the request. Raw figures: "
        "`bench/out/` (git-ignored).",
    ]
    publish("argos-size", "\n".join(lines), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
