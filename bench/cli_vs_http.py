"""Throughput of `python -m service analyze` on a file vs the HTTP API on the same documents.

    .venv/bin/python bench/cli_vs_http.py                       # the fixture model, beam from PONTE_BEAM_SIZE (4)
    .venv/bin/python bench/cli_vs_http.py --model X.argosmodel --copies 2

Documents: the seed article, bench/workload_pt.jsonl and tests/data/tagging_eval.jsonl (all distinct
Portuguese), `--copies` times with distinct ids. The sentence and document caches are off on both
sides (PONTE_CACHE_SIZE=0, PONTE_DOCUMENT_CACHE_CHARS=0), so repeated copies are translated again.
HTTP: `python -m service serve` with 2 workers (tests/server.py), one POST /v1/analyze per document
at concurrency 4. CLI: one process per run, timed from start to exit (model load included) and,
separately, without the fixed start-up cost (the same command on an empty input). Best of
`--repeats`, the modes interleaved. Loopback only; every wait is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from service.core.packages import install_archive  # noqa: E402
from tests.server import Server  # noqa: E402

DEFAULT_MODEL = ROOT / "tests" / "fixtures" / "translate-pt_en-ponte_test-1_0.argosmodel"
SOURCES = [ROOT / "bench" / "workload_pt.jsonl", ROOT / "tests" / "data" / "tagging_eval.jsonl"]
SEED = ROOT / "tests" / "data" / "article_pt.txt"


def load_documents(copies: int) -> list[dict[str, Any]]:
    texts = [SEED.read_text(encoding="utf-8")]
    for path in SOURCES:
        if path.is_file():
            texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [{"id": f"c{copy}-{i:03d}", "text": text} for copy in range(copies) for i, text in enumerate(texts)]


def start_server(packages: Path, work: Path, env: dict[str, str]) -> Server:
    """`serve` with 2 workers and the cache off; a few tries, as a loaded machine can miss the readiness wait."""
    extra = {"PONTE_CACHE_SIZE": "0", "PONTE_DOCUMENT_CACHE_CHARS": "0"}
    if "PONTE_BEAM_SIZE" in env:
        extra["PONTE_BEAM_SIZE"] = env["PONTE_BEAM_SIZE"]
    for attempt in range(3):
        server = Server(packages, work / f"server-{attempt}.log", **extra)
        try:
            server.start(ready_within=120)
            return server
        except (RuntimeError, requests.RequestException) as exc:
            server.stop()
            print(f"server start failed ({type(exc).__name__}); retrying", flush=True)
    raise RuntimeError("the server did not start")


def run_cli(env: dict[str, str], source: Path, out: Path, workers: int, threads: int) -> float:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "service", "analyze", "-i", str(source), "-o", str(out),
                             "--no-progress", "--workers", str(workers), "--threads", str(threads)],
                            cwd=ROOT, env=env, capture_output=True, timeout=1800, check=False)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"analyze exited {result.returncode}:\n{result.stderr.decode()[-2000:]}")
    return wall


def post(session: requests.Session, url: str, doc: dict[str, Any]) -> None:
    response = session.post(url, json=doc, timeout=600)
    if response.status_code != 200:
        raise RuntimeError(f"{url} -> {response.status_code}: {response.text[:300]}")


def run_http(url: str, docs: list[dict[str, Any]], concurrency: int) -> float:
    sessions = [requests.Session() for _ in range(concurrency)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(lambda pair: post(sessions[pair[0] % concurrency], url, pair[1]), enumerate(docs)))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--copies", type=int, default=3, help="passes over the distinct documents")
    parser.add_argument("--repeats", type=int, default=2, help="runs per measurement (best is kept)")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    docs = load_documents(args.copies)
    chars = sum(len(d["text"]) for d in docs)
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="ponte-cli-bench-"))
    packages = work / "packages"
    package = install_archive(args.model, packages)
    source = work / "in.jsonl"
    source.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    empty = work / "empty.jsonl"
    empty.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PONTE_", "ARGOS_"))}
    env.update(PONTE_PACKAGES_DIR=str(packages), PONTE_CACHE_SIZE="0", PONTE_DOCUMENT_CACHE_CHARS="0")
    for name in ("PONTE_BEAM_SIZE",):
        if name in os.environ:
            env[name] = os.environ[name]
    beam = env.get("PONTE_BEAM_SIZE", "4")
    print(f"{len(docs)} documents ({len(docs) // args.copies} distinct x {args.copies}), {chars} characters; "
          f"model {package.name}; beam {beam}; caches off; {cores} cores; "
          f"{platform.machine()}, Python {platform.python_version()}; load average before: "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)

    layouts = [(1, cores), (cores, 1), (1, 1)] if cores > 1 else [(1, 1)]
    names = [f"analyze --workers {w} --threads {t}" for w, t in layouts]
    cli: dict[str, list[float]] = {name: [] for name in names}
    fixed: dict[str, list[float]] = {name: [] for name in names}
    http: list[float] = []
    server = start_server(packages, work, env)
    try:
        url = server.url + "/v1/analyze"
        run_http(url, docs[:8], args.concurrency)  # warm-up
        for _ in range(args.repeats):  # interleaved, so that other load on the machine hits every mode alike
            for name, (workers, threads) in zip(names, layouts, strict=True):
                cli[name].append(run_cli(env, source, work / "out.jsonl", workers, threads))
                fixed[name].append(run_cli(env, empty, work / "out-empty.jsonl", workers, threads))
            http.append(run_http(url, docs, args.concurrency))
    finally:
        server.stop()

    rows: list[tuple[str, float, float]] = []
    for name in names:
        wall, start_up = min(cli[name]), min(fixed[name])
        rows.append((f"`{name}` (whole run, {start_up:.1f} s of it start-up)", len(docs) / wall, wall))
        rows.append((f"`{name}` (without the start-up)", len(docs) / (wall - start_up), wall - start_up))
    rows.append((f"POST /v1/analyze, 2 workers, concurrency {args.concurrency} (server already up)",
                 len(docs) / min(http), min(http)))

    http_rate = rows[-1][1]
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print()
    print("| mode | docs/s | chars/s | wall s | x HTTP |")
    print("|---|---|---|---|---|")
    for name, rate, seconds in rows:
        print(f"| {name} | {rate:.1f} | {rate * chars / len(docs):.0f} | {seconds:.2f} | {rate / http_rate:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
