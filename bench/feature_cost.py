"""What each default feature costs: ponte with every default on against ponte with one feature off, same run.

    python bench/feature_cost.py                 # writes the "features" section of bench/RESULTS.md
    python bench/feature_cost.py --quick --out - # a smoke run, print only

Each row starts a second server with one setting changed (or, for detection and tagging, sends the same texts to
/v1/translate with the source language given instead of /v1/analyze) and measures it against the all-defaults
server on the news passages (tests/data/tagging_eval.jsonl), at concurrency 1 and 4, alternating the two (A B,
then B A) so that both see the same machine state. The cost is the median over rounds of on/off - 1 in texts/s:
what turning the feature on takes away from throughput (negative: the feature makes it faster). Both servers:
2 workers, sentence and document caches off (the load repeats texts across rounds).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import load_texts, run_load  # noqa: E402
from results import publish  # noqa: E402

from service.core.packages import install_archive  # noqa: E402
from tests.server import Server  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "translate-pt_en-ponte_test-1_0.argosmodel"
NEWS = ROOT / "tests" / "data" / "tagging_eval.jsonl"
BASE = {"PONTE_CACHE_SIZE": "0", "PONTE_DOCUMENT_CACHE_CHARS": "0", "PONTE_WORKERS": "2"}
ANALYZE = ("/v1/analyze", {"text": "{text}"}, "translation.text")
TRANSLATE = ("/v1/translate", {"text": "{text}", "source_language": "pt"}, "text")
# feature, what "off" means, the off server's settings (None: the defaults server), the off request
FEATURES: list[tuple[str, str, dict[str, str] | None, tuple[str, dict[str, str], str]]] = [
    ("self-repair of loops", "PONTE_REPAIR=false", {"PONTE_REPAIR": "false"}, ANALYZE),
    ("shared engine calls across requests", "PONTE_BATCH_WAIT_MS=0", {"PONTE_BATCH_WAIT_MS": "0"}, ANALYZE),
    ("engine slices (deadline, fairness)", "PONTE_SLICE_TOKENS=1000000", {"PONTE_SLICE_TOKENS": "1000000"}, ANALYZE),
    ("nginx front", "PONTE_FRONT=none (gunicorn alone)", {"PONTE_FRONT": "none"}, ANALYZE),
    ("detection and tagging", "/v1/translate with source_language", None, TRANSLATE),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=FIXTURE)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--requests", type=int, default=80, help="requests per run (x2 at c=4)")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="hard bound of one run")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 round, 8 requests a run")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"), help="results file, or - for none")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.requests = 1, 8
    began = time.monotonic()
    news = load_texts(NEWS)
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ponte-features-") as tmp:
        work = Path(tmp)
        packages = work / "packages"
        install_archive(args.model, packages)
        defaults = Server(packages, work / "defaults.log", **BASE)
        defaults.start(ready_within=180)
        index = 0
        try:
            for feature, off_means, env, (path, template, field) in FEATURES:
                other = defaults if env is None else Server(packages, work / f"off-{len(rows)}.log", **BASE, **env)
                if other is not defaults:
                    other.start(ready_within=180)
                try:
                    cells: list[str] = []
                    for concurrency in (1, 4):
                        requests = args.requests * (2 if concurrency == 4 else 1)
                        on_rates: list[float] = []
                        off_rates: list[float] = []
                        for r in range(args.rounds):
                            for which in (("on", "off") if r % 2 == 0 else ("off", "on")):
                                server, (endpoint, body, expect) = (
                                    (defaults, ANALYZE) if which == "on" else (other, (path, template, field)))
                                assert server.process is not None
                                result = run_load(server.url, endpoint, news, template=body, expect_field=expect,
                                                  concurrency=concurrency, requests=requests,
                                                  duration=args.max_seconds, pid=server.process.pid,
                                                  first_index=index, label=f"{feature} {which} c={concurrency}")
                                index += requests + result["warmup_requests"]
                                if result["errors"] or result["warmup_errors"]:
                                    raise RuntimeError(f"{result['label']}: {result['error_samples']}")
                                (on_rates if which == "on" else off_rates).append(result["texts_per_s"])
                                print(f"  {result['label']:<52} {result['texts_per_s']:7.2f} texts/s", flush=True)
                        costs = [1 - on / off for on, off in zip(on_rates, off_rates, strict=True)]
                        cells.append(f"{statistics.median(on_rates):.2f} / {statistics.median(off_rates):.2f} | "
                                     f"**{100 * statistics.median(costs):+.0f}%** "
                                     f"({', '.join(f'{100 * c:+.0f}' for c in costs)})")
                    rows.append(f"| {feature} | {off_means} | {cells[0]} | {cells[1]} |")
                finally:
                    if other is not defaults:
                        other.stop()
        finally:
            defaults.stop()
    elapsed = time.monotonic() - began
    lines = [
        "## What each default feature costs (`python bench/feature_cost.py`)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M')}, {elapsed / 60:.0f} min, model `{args.model.name}`, news passages "
        f"(`tests/data/tagging_eval.jsonl`), POST /v1/analyze with every default on against the same with one "
        f"feature off, alternating, {args.rounds} round(s), {args.requests} requests a run at c=1 "
        f"({2 * args.requests} at c=4), 2 workers, caches off; loadavg at the end {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores. Cost = 1 - on/off in texts/s (the share of throughput the feature takes; per round "
        "in brackets; negative: the feature speeds things up).",
        "",
        "| feature | off means | c=1 texts/s on / off | c=1 cost | c=4 texts/s on / off | c=4 cost |",
        "|---|---|---|---|---|---|",
        *rows,
    ]
    publish("features", "\n".join(lines), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
