"""ponte benchmark: the raw engine limit vs the service, on the same workload, in the same run.

    make bench                      # the fixture model, writes bench/RESULTS.md
    python bench/bench.py --model X.argosmodel --out -   # another model, print only

Absolute times on shared machines are noise; the ratios to the engine limit measured in the same run
are what to compare. Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.settings import apply_process_defaults, load_settings  # noqa: E402

apply_process_defaults()  # this process loads CTranslate2 itself (the engine limit)

import requests  # noqa: E402

from service.core.packages import check_package_dir, install_archive  # noqa: E402
from service.core.segment import split_sentences  # noqa: E402
from service.core.tagging import Tagger, default_taxonomy_path, load_taxonomy  # noqa: E402
from tests.server import Server  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from results import write_head  # noqa: E402

DEFAULT_MODEL = ROOT / "tests" / "fixtures" / "translate-pt_en-ponte_test-1_0.argosmodel"
WORKLOAD = ROOT / "bench" / "workload_pt.jsonl"
SEED = ROOT / "tests" / "data" / "article_pt.txt"
SEED_HTML = ROOT / "tests" / "data" / "article_pt.html"  # the same article as HTML (same sentences)


def load_workload() -> list[str]:
    texts = [SEED.read_text(encoding="utf-8")]
    texts += [json.loads(line)["text"] for line in WORKLOAD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


# ---------------------------------------------------------------- engine limit


def _engine_worker(package_dir: str, texts: list[list[str]], intra: int, inter: int, batch: int,
                   repeats: int, queue: Any) -> None:
    """Translate each group of sentences with the service's engine class (one call per group, as the
    service does per request), without HTTP, detection or tagging."""
    from service.core.translate import ArgosTranslator
    from service.engines import decoding_options

    settings = load_settings(environ={}, max_batch_size=batch)
    translator = ArgosTranslator(check_package_dir(Path(package_dir)), decoding_options(settings),
                                 intra_threads=intra, inter_threads=inter)
    translator.translate(texts[0][:4])  # warm-up
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        for group in texts:
            translator.translate(group)
        best = min(best, time.perf_counter() - started)
    queue.put(best)


def engine_time(package_dir: Path, texts: list[list[str]], *, processes: int, intra: int, inter: int, batch: int,
                repeats: int = 3) -> float:
    """Wall time to translate the groups of sentences with `processes` processes sharing them (best of repeats):
    one group is one engine call (as the service makes per request)."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    shares = [texts[i::processes] for i in range(processes)]
    procs = [ctx.Process(target=_engine_worker, args=(str(package_dir), share, intra, inter, batch, repeats, queue))
             for share in shares]
    for p in procs:
        p.start()
    times = [queue.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    return max(times)


# ---------------------------------------------------------------- service


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))
    return ordered[index]


def post(url: str, payload: dict[str, Any]) -> float:
    started = time.perf_counter()
    response = requests.post(url, json=payload, timeout=600)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} -> {response.status_code}: {response.text[:300]}")
    return elapsed


def run_concurrent(url: str, texts: list[str], concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = list(pool.map(lambda t: post(url, {"text": t}), texts))
    wall = time.perf_counter() - started
    return {"wall": wall, "texts_s": len(texts) / wall, "p50": percentile(latencies, 0.5),
            "p95": percentile(latencies, 0.95)}


def worker_pids(serve: int) -> list[int]:
    """The gunicorn workers under `python -m service serve`: the children of its child that is not nginx (serve
    starts nginx and the gunicorn master side by side; gunicorn's alone with PONTE_FRONT=none)."""
    def children(pid: int) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False)
        return [int(p) for p in out.stdout.split()]

    def is_nginx(pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"nginx")
        except OSError:
            return False

    masters = [pid for pid in children(serve) if not is_nginx(pid)]
    workers = [worker for master in masters for worker in children(master)]
    return workers or masters


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"), help="markdown file, or - for none")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the workload per service measurement")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="gunicorn workers of the service")
    parser.add_argument("--env", action="append", default=[], metavar="PONTE_X=V",
                        help="extra settings for the service under test (repeatable)")
    args = parser.parse_args()

    texts = load_workload()
    chars = sum(len(t) for t in texts)
    sentences_per_text = [[s.text for s in split_sentences(t, "pt").sentences] for t in texts]
    all_sentences = [s for sents in sentences_per_text for s in sents]
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="ponte-bench-"))
    packages = work / "packages"
    package = install_archive(args.model, packages)
    model_mb = sum(f.stat().st_size for f in package.model_dir.rglob("*") if f.is_file()) / 2**20
    settings = load_settings(environ={})
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    say(f"workload: {len(texts)} texts, {len(all_sentences)} sentences, {chars} characters; model {package.name} "
        f"({model_mb:.1f} MB); beam {settings.beam_size}; {cores} cores")

    # 1. the engine limit: best layout for the cores
    layouts = {
        f"{cores} proc x 1 intra thread": dict(processes=cores, intra=1, inter=1, batch=settings.max_batch_size),
        f"1 proc x {cores} intra threads": dict(processes=1, intra=cores, inter=1, batch=settings.max_batch_size),
        f"1 proc x {cores} replicas (inter_threads)": dict(
            processes=1, intra=1, inter=cores, batch=settings.max_batch_size),
    }
    # (a) throughput: all sentences of the workload in one call per process
    engine: dict[str, float] = {}
    for name, layout in layouts.items():
        engine[name] = engine_time(package.path, [all_sentences] if layout["processes"] == 1 else
                                   [all_sentences[i::cores] for i in range(cores)], **layout)
        say(f"engine, whole workload, {name}: {engine[name]:.3f} s = {len(texts) / engine[name]:.2f} texts/s")
    best_layout = min(engine, key=lambda k: engine[k])
    limit = len(texts) / engine[best_layout]
    # (b) one text at a time, both cores on each text: the reference for concurrency 1
    one_at_a_time = {name: engine_time(package.path, sentences_per_text, **dict(layout, processes=1))
                     for name, layout in layouts.items() if layout["processes"] == 1}
    for name, seconds in one_at_a_time.items():
        say(f"engine, one text per call, {name}: {seconds:.3f} s = {len(texts) / seconds:.2f} texts/s")
    sequential_limit = len(texts) / min(one_at_a_time.values())
    seed_engine = min(engine_time(package.path, sentences_per_text[:1], **dict(layout, processes=1))
                      for layout in layouts.values() if layout["processes"] == 1)
    say(f"engine limit: {limit:.2f} texts/s ({best_layout}); one text per call: {sequential_limit:.2f} texts/s; "
        f"seed article alone: {seed_engine * 1000:.0f} ms")

    # 2. the service, cache off for throughput
    rows: list[tuple[str, float, float, float, float]] = []
    extra = dict(item.split("=", 1) for item in args.env)
    # one client at concurrency 16: PONTE_MAX_CLIENT_REQUESTS must let it
    extra.setdefault("PONTE_MAX_CLIENT_REQUESTS", "64")
    server = Server(packages, work / "server.log", PONTE_CACHE_SIZE="0", PONTE_DOCUMENT_CACHE_CHARS="0",
                    PONTE_WORKERS=str(args.workers), **extra)
    server.start(ready_within=120)
    try:
        url = server.url + "/v1/analyze"
        for _ in range(2):
            post(url, {"text": texts[1]})
        for concurrency in (1, 4, 16):
            runs = [run_concurrent(url, texts, concurrency) for _ in range(args.rounds)]
            best = max(runs, key=lambda r: r["texts_s"])
            rows.append((f"/v1/analyze c={concurrency}", best["texts_s"], best["texts_s"] * chars / len(texts),
                         best["p50"] * 1000, best["p95"] * 1000))
        batch_times = []
        for _ in range(args.rounds):
            batch_times.append(post(server.url + "/v1/analyze/batch",
                                    {"documents": [{"text": t} for t in texts[:64]]}))
        batch_wall = min(batch_times)
        rows.append(("/v1/analyze/batch", len(texts[:64]) / batch_wall, chars / batch_wall, batch_wall * 1000,
                     max(batch_times) * 1000))
        seed_lat = [post(url, {"text": texts[0]}) for _ in range(5)]
        seed_p50 = statistics.median(seed_lat)
        # HTML vs the same article as plain text, paired (alternating) so that both see the same load
        plain, html = SEED.read_text(encoding="utf-8"), SEED_HTML.read_text(encoding="utf-8")
        paired: dict[str, list[float]] = {"text": [], "html": []}
        for _ in range(10):
            paired["text"].append(post(url, {"text": plain}))
            paired["html"].append(post(url, {"text": html, "format": "html"}))
        html_p50, text_p50 = statistics.median(paired["html"]), statistics.median(paired["text"])
        rss = [peak_rss_mb(pid) for pid in worker_pids(server.process.pid)]  # type: ignore[union-attr]
    finally:
        server.stop()

    # 3. cache hits
    cached = Server(packages, work / "server-cache.log", PONTE_WORKERS=str(args.workers), **extra)
    cached.start(ready_within=120)
    try:
        url = cached.url + "/v1/analyze"
        post(url, {"text": texts[0]})
        hits = [post(url, {"text": texts[0]}) for _ in range(30)]
    finally:
        cached.stop()

    # 4. tagging cost
    tagger = Tagger(load_taxonomy(default_taxonomy_path()))
    long_text = ("\n".join(texts) * (100_000 // chars + 1))[:100_000]
    tag_runs = []
    for text in (texts[0], long_text):
        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            tagger.tag(text, "pt", None)
            best = min(best, time.perf_counter() - started)
        tag_runs.append(best)

    say()
    say("| measurement | texts/s | chars/s | p50 ms | p95 ms | x engine limit |")
    say("|---|---|---|---|---|---|")
    say(f"| engine limit ({best_layout}) | {limit:.2f} | {limit * chars / len(texts):.0f} | | | 1.00 |")
    say(f"| engine, one text per call | {sequential_limit:.2f} | {sequential_limit * chars / len(texts):.0f} | | | "
        f"{sequential_limit / limit:.2f} |")
    for name, tps, cps, p50, p95 in rows:
        extra = f" ({tps / sequential_limit:.2f} x one text per call)" if name.endswith("c=1") else ""
        say(f"| {name} | {tps:.2f} | {cps:.0f} | {p50:.0f} | {p95:.0f} | {tps / limit:.2f}{extra} |")
    say()
    say(f"- seed article alone: service p50 {seed_p50 * 1000:.0f} ms vs engine {seed_engine * 1000:.0f} ms "
        f"= {seed_p50 / seed_engine:.2f} x")
    say(f"- HTML article vs the same article as plain text (/v1/analyze, 10 paired requests): p50 "
        f"{html_p50 * 1000:.0f} ms vs {text_p50 * 1000:.0f} ms = {html_p50 / text_p50:.2f} x (target <= 1.15 x)")
    say(f"- cache hit (seed article repeated): p50 {statistics.median(hits) * 1000:.1f} ms, "
        f"p95 {percentile(hits, 0.95) * 1000:.1f} ms")
    say(f"- peak RSS per worker: {', '.join(f'{r:.0f} MB' for r in rss)} (model {model_mb:.1f} MB; "
        f"target <= model + 150 MB)")
    say(f"- tagging: seed article {tag_runs[0] * 1000:.2f} ms, 100,000 characters {tag_runs[1] * 1000:.1f} ms")
    say(f"- machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}")

    if args.out != "-":
        header = ["# Benchmark results", "", f"Command: `make bench` ({time.strftime('%Y-%m-%d')})", ""]
        out = Path(args.out)
        # a hand-written "## Notes" section of an earlier RESULTS.md is kept, and the sections other benchmarks
        # own (make bench-peer, make bench-argos-size: bench/results.py)
        write_head("\n".join(header + lines), out)
        print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
