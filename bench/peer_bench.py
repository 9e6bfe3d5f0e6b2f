"""ponte and its closest peer, LibreTranslate, side by side in one run, cell by cell (make bench-peer).

    make bench-peer                                  # writes the "peer" section of bench/RESULTS.md
    python bench/peer_bench.py --quick --out -       # a smoke run (a few requests a cell), print only

The peer: LibreTranslate 1.9.6 from PyPI in its own virtualenv (.venv-peer, built once by bench/peer/setup.sh,
git-ignored), started as its Docker entrypoint starts it (gunicorn + wsgi:app, its gunicorn_conf.py) with 2
workers, `ARGOS_INTRA_THREADS=1` (its best setting on 2 cores), worker recycling off (recycled workers hang in
onnxruntime at exit), offline: its packages come from the same .argosmodel as ponte's, installed into an isolated
home, with a 2 KB rule-based sentence splitter (bench/peer/rule_sbd_pt.onnx) where MiniSBD would download one.

ponte: `python -m service serve` with its defaults and 2 workers; its sentence and document caches are off
(PONTE_CACHE_SIZE=0, PONTE_DOCUMENT_CACHE_CHARS=0), as the load repeats texts across rounds, and the peer's
cache of the previous request is defeated by the generator's nonce (bench/load.py).

Cells: news passages (tests/data/tagging_eval.jsonl: 107 real Portuguese news passages, 132-717 characters)
and the seed article (tests/data/article_pt.txt), each at concurrency 1 and 4, for
- translate: ponte POST /v1/translate {"text", "source_language": "pt"} vs the peer's /translate {"source": "pt"};
- analyze: ponte POST /v1/analyze (detects, translates, tags) vs the peer's /translate {"source": "auto"}
  (detects and translates: the closest thing it does);
- engine: ponte /v1/translate at c=1 on the news vs the service's engine class translating one text per call
  with 2 replicas (bench/engine_ref.py), the reference of `make bench`;
- ceiling: the engine class given every news passage's sentences in one call (defaults, and without repair) vs
  the peer at c=4: what no server over this engine and these decoding options can beat at full load.
Both servers run for the whole run; each cell alternates them (A B, then B A, ...) so that both see the same
machine state, and the ratio is the median over rounds of the per-round ratios of texts/s. Absolute figures
from a shared machine are noise; the ratios hold.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
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

FIXTURE = ROOT / "tests" / "fixtures" / "translate-pt_en-ponte_test-1_0.argosmodel"
NEWS = ROOT / "tests" / "data" / "tagging_eval.jsonl"
SEED = ROOT / "tests" / "data" / "article_pt.txt"
PEER_DIR = ROOT / ".venv-peer"
SBD = ROOT / "bench" / "peer" / "rule_sbd_pt.onnx"
OUT = ROOT / "bench" / "out"
LT_VERSION = "1.9.6"

# Installs the package into the peer's isolated ARGOS_PACKAGES_DIR with argostranslate's own installer (no index,
# no network). LibreTranslate's boot updates the package index (network) whenever fewer than 2 packages are
# installed; a real `--load-only pt,en` deployment has both directions, so an en->pt copy of the same weights
# is added (never called here).
_INSTALL = """
import json, os, shutil, sys
from pathlib import Path
import argostranslate.package as package
package.install_from_path(Path(sys.argv[1]))
folder = Path(os.environ["ARGOS_PACKAGES_DIR"])
pt_en = [p for p in folder.iterdir() if (p / "metadata.json").exists()
         and json.loads((p / "metadata.json").read_text())["from_code"] == "pt"][0]
placeholder = folder / "translate-en_pt-placeholder"
if not placeholder.exists():
    shutil.copytree(pt_en, placeholder)
    meta = json.loads((placeholder / "metadata.json").read_text())
    meta.update(from_code="en", from_name="English", to_code="pt", to_name="Portuguese",
                package_version="0.0.0-placeholder")
    (placeholder / "metadata.json").write_text(json.dumps(meta, indent=4))
print("peer packages:", sorted((p.from_code, p.to_code, p.package_version) for p in package.get_installed_packages()))
"""


def setup_peer(peer_dir: Path) -> None:
    """Build the peer's virtualenv once (a stamp file skips it afterwards)."""
    subprocess.run(["bash", str(ROOT / "bench" / "peer" / "setup.sh"), str(peer_dir)], check=True, timeout=1800)


class LibreTranslate(Server):
    """LibreTranslate under gunicorn on a loopback socket this process holds, offline, in an isolated home
    (started and stopped like ponte's test server, tests/server.py, with its own command and readiness check)."""

    def __init__(self, peer_dir: Path, model: Path, work: Path, *, workers: int = 2, intra_threads: int = 1) -> None:
        work = work.resolve()  # the peer runs in its source folder: every path it is given must be absolute
        home = work / "home"
        super().__init__(home / "argos-packages", work / "libretranslate.log")
        self.peer_dir, self.model, self.workers = peer_dir, model, workers
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("LT_", "ARGOS_", "PONTE_", "XDG_", "PROMETHEUS_", "GUNICORN_"))}
        self.env.update({
            "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"), "ARGOS_PACKAGES_DIR": str(home / "argos-packages"),
            "ARGOS_CHUNK_TYPE": "MINISBD",  # what its docker entrypoint sets
            "ARGOS_INTRA_THREADS": str(intra_threads),
            "LT_HOST": "127.0.0.1", "LT_PORT": str(self.port), "LT_LOAD_ONLY": "pt,en",
            "PROMETHEUS_MULTIPROC_DIR": str(work / "prometheus"),
        })

    def install(self) -> None:
        """The package and the sentence splitter, into the isolated home."""
        python = str(self.peer_dir / "venv" / "bin" / "python")
        subprocess.run([python, "-c", _INSTALL, str(self.model)], env=self.env, check=True, timeout=600)
        minisbd = Path(self.env["XDG_DATA_HOME"]) / "argos-translate" / "minisbd"
        minisbd.mkdir(parents=True, exist_ok=True)
        shutil.copy(SBD, minisbd / "pt.onnx")  # where argostranslate.sbd points MiniSBD's cache

    def start(self, ready_within: float = 180.0) -> float:
        """Start gunicorn as the peer's entrypoint does; wait until /languages answers."""
        import requests

        prometheus = Path(self.env["PROMETHEUS_MULTIPROC_DIR"])
        shutil.rmtree(prometheus, ignore_errors=True)
        prometheus.mkdir(parents=True)
        argv = [str(self.peer_dir / "venv" / "bin" / "gunicorn"), "-c", "scripts/gunicorn_conf.py",
                "--workers", str(self.workers), "--max-requests", "0", "--timeout", "2400",
                "--bind", f"fd://{self.socket.fileno()}", "wsgi:app()"]
        started = time.monotonic()
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(argv, cwd=self.peer_dir / "src", env=self.env, stdout=self._log,
                                        stderr=subprocess.STDOUT, pass_fds=[self.socket.fileno()])
        while time.monotonic() - started < ready_within:
            if self.process.poll() is not None:
                raise RuntimeError(f"LibreTranslate exited with {self.process.returncode}:\n{self.log()[-3000:]}")
            try:
                if requests.get(f"{self.url}/languages", timeout=2).status_code == 200:
                    if "Updating language models" in self.log():  # its boot went for the package index
                        raise RuntimeError("LibreTranslate tried to download its package index: not the offline "
                                           f"set-up measured here (see {self.log_path})")
                    return time.monotonic() - started
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"LibreTranslate not ready within {ready_within} s:\n{self.log()[-3000:]}")

    def stop(self, timeout: float = 40.0) -> int | None:
        """Stop the master; then KILL any of its own workers still alive (they can hang in onnxruntime's
        destructor at exit)."""
        if self.process is None:
            return None
        workers = _children(self.process.pid)
        code = super().stop(timeout)
        for pid in workers:
            try:
                if "gunicorn" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"):
                    os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.process = None
        return code


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False)
    return [int(p) for p in out.stdout.split()]


# ------------------------------------------------------------------------------------------------ the cells

PONTE_BODY = {"translate": {"text": "{text}", "source_language": "pt"}, "analyze": {"text": "{text}"}}
PONTE_FIELD = {"translate": "text", "analyze": "translation.text"}
PEER_BODY = {"translate": {"q": "{text}", "source": "pt", "target": "en", "format": "text"},
             "analyze": {"q": "{text}", "source": "auto", "target": "en", "format": "text"}}


def ratio_summary(ponte: list[dict[str, Any]], other: list[float]) -> dict[str, Any]:
    """Per-round ratios of ponte's texts/s to the other's, their median and range."""
    ratios = [p["texts_per_s"] / o for p, o in zip(ponte, other, strict=True) if o]
    return {"ratio": statistics.median(ratios) if ratios else float("nan"), "ratios": ratios}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=FIXTURE)
    parser.add_argument("--news", type=Path, default=NEWS, help="news passages (.jsonl with a text field)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per cell")
    parser.add_argument("--news-requests", type=int, default=107, help="requests per news run")
    parser.add_argument("--seed-requests", type=int, default=8, help="requests per seed-article run (x2 at c=4)")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="hard bound of one run")
    parser.add_argument("--budget-minutes", type=float, default=45.0,
                        help="past this, cells get no more rounds than their first (the run stays bounded)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 round, 12 news and 2 seed requests")
    parser.add_argument("--peer-dir", type=Path, default=PEER_DIR)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"), help="results file, or - for none")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.news_requests, args.seed_requests = 1, 12, 2

    began = time.monotonic()
    setup_peer(args.peer_dir)
    work = OUT / f"peer-{time.strftime('%Y%m%d-%H%M%S')}"
    work.mkdir(parents=True)
    news = load_texts(args.news)
    seed = load_texts(SEED)
    packages = work / "ponte-packages"
    install_archive(args.model, packages)

    ponte = Server(packages, work / "ponte.log", PONTE_CACHE_SIZE="0", PONTE_DOCUMENT_CACHE_CHARS="0",
                   PONTE_WORKERS="2")
    (work / "peer").mkdir()
    peer = LibreTranslate(args.peer_dir, args.model, work / "peer")
    peer.install()
    runs: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    try:
        ponte.start(ready_within=180)
        peer.start()
        assert ponte.process is not None and peer.process is not None
        index = 0  # cycling offset: successive runs start where the last one stopped

        def measure(server: str, kind: str, texts: list[str], concurrency: int, requests: int) -> dict[str, Any]:
            nonlocal index
            if server == "ponte":
                assert ponte.process is not None
                result = run_load(ponte.url, f"/v1/{kind}", texts, template=PONTE_BODY[kind],
                                  expect_field=PONTE_FIELD[kind], concurrency=concurrency, requests=requests,
                                  duration=args.max_seconds, pid=ponte.process.pid, first_index=index,
                                  label=f"ponte {kind} c={concurrency}")
            else:
                assert peer.process is not None
                result = run_load(peer.url, "/translate", texts, template=PEER_BODY[kind],
                                  expect_field="translatedText", concurrency=concurrency, requests=requests,
                                  duration=args.max_seconds, pid=peer.process.pid, first_index=index,
                                  label=f"peer {kind} c={concurrency}")
            index += requests + result["warmup_requests"]
            if result["errors"] or result["warmup_errors"]:
                raise RuntimeError(f"{result['label']}: errors {result['error_samples'] or result['warmup_errors']}")
            runs.append(result)
            print(f"  {result['label']:<28} {result['texts_per_s']:8.2f} texts/s  p50 "
                  f"{result['latency_ms']['p50']:8.1f} ms  ({result['ok']} requests, {result['wall_s']:.1f} s)",
                  flush=True)
            return result

        for workload, texts, base in (("news", news, args.news_requests), ("seed", seed, args.seed_requests)):
            for kind in ("translate", "analyze"):
                for concurrency in (1, 4):
                    requests = base if workload == "news" or concurrency == 1 else 2 * base
                    print(f"cell {workload} {kind} c={concurrency}", flush=True)
                    ours: list[dict[str, Any]] = []
                    theirs: list[dict[str, Any]] = []
                    for r in range(args.rounds):
                        if r and time.monotonic() - began > 60 * args.budget_minutes:
                            print(f"  budget of {args.budget_minutes} min spent: {r} round(s) only", flush=True)
                            break
                        for server in (("ponte", "peer") if r % 2 == 0 else ("peer", "ponte")):
                            got = measure(server, kind, texts, concurrency, requests)
                            (ours if server == "ponte" else theirs).append(got)
                    summary = ratio_summary(ours, [t["texts_per_s"] for t in theirs])
                    rows.append({"cell": f"/v1/{kind}, {workload}, c={concurrency}", "kind": "peer",
                                 "ponte": statistics.median(o["texts_per_s"] for o in ours),
                                 "other": statistics.median(t["texts_per_s"] for t in theirs),
                                 "ponte_p50": statistics.median(o["latency_ms"]["p50"] for o in ours),
                                 "other_p50": statistics.median(t["latency_ms"]["p50"] for t in theirs), **summary})

        # ponte /v1/translate at c=1 vs the engine class translating one text per call (2 replicas), alternating
        print("cell news translate c=1 vs the engine, one text per call", flush=True)
        texts = news[:args.news_requests]
        groups = sentences_of(texts)
        ours, engine_rates = [], []
        for r in range(args.rounds):
            if r and time.monotonic() - began > 60 * args.budget_minutes:
                break
            for who in (("ponte", "engine") if r % 2 == 0 else ("engine", "ponte")):
                if who == "ponte":
                    ours.append(measure("ponte", "translate", texts, 1, len(texts)))
                else:
                    seconds = engine_seconds(packages / args.model.stem, groups, replicas=2)[0]
                    engine_rates.append(len(texts) / seconds)
                    print(f"  {'engine, one text per call':<28} {engine_rates[-1]:8.2f} texts/s", flush=True)
        summary = ratio_summary(ours, engine_rates)
        rows.append({"cell": "/v1/translate, news, c=1", "kind": "engine",
                     "ponte": statistics.median(o["texts_per_s"] for o in ours),
                     "other": statistics.median(engine_rates), "ponte_p50": statistics.median(
                         o["latency_ms"]["p50"] for o in ours), "other_p50": None, **summary})
        # the ceiling at full load: the engine class given every news passage's sentences in one call (the largest
        # batches there are, 2 replicas, nothing else), against the peer at c=4 on the same passages. No server
        # over this engine and these decoding options can go faster than it; with PONTE_REPAIR=false, without
        # the repair of loops (a default)
        print("cell news c=4: the peer vs the engine given everything in one call", flush=True)
        whole = [[sentence for group in groups for sentence in group]]
        peer_rates: list[float] = []
        ceilings: dict[str, list[float]] = {"defaults": [], "PONTE_REPAIR=false": []}
        for r in range(args.rounds):
            if r and time.monotonic() - began > 60 * args.budget_minutes:
                break
            for who in (("peer", "engine") if r % 2 == 0 else ("engine", "peer")):
                if who == "peer":
                    peer_rates.append(measure("peer", "translate", texts, 4, len(texts))["texts_per_s"])
                    continue
                for name, env in (("defaults", {}), ("PONTE_REPAIR=false", {"PONTE_REPAIR": "false"})):
                    seconds = engine_seconds(packages / args.model.stem, whole, replicas=2, env=env)[0]
                    ceilings[name].append(len(texts) / seconds)
                    print(f"  {'engine, all in one call':<28} {ceilings[name][-1]:8.2f} texts/s ({name})", flush=True)
        for name, rates in ceilings.items():
            ratios = [c / p for c, p in zip(rates, peer_rates, strict=False)]
            rows.append({"cell": f"engine, news all in one call ({name})", "kind": "ceiling",
                         "ponte": statistics.median(rates), "other": statistics.median(peer_rates),
                         "ponte_p50": None, "other_p50": None, "ratios": ratios, "ratio": statistics.median(ratios)})
        peer_rss = max(r.get("server", {}).get("peak_rss_mib", 0) for r in runs if r["label"].startswith("peer"))
        ponte_rss = max(r.get("server", {}).get("peak_rss_mib", 0) for r in runs if r["label"].startswith("ponte"))
    finally:
        ponte.stop()
        peer.stop()
    elapsed = time.monotonic() - began
    (work / "runs.json").write_text(json.dumps({"rows": rows, "runs": runs}, indent=1, ensure_ascii=False) + "\n")

    lines = [
        "## Side by side with the peer (`make bench-peer`)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M')}, {elapsed / 60:.0f} min, model `{args.model.name}`, {args.rounds} "
        f"alternating round(s) per cell, {args.news_requests} news / {args.seed_requests} seed requests per run, "
        f"loadavg at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores. Peer: LibreTranslate {LT_VERSION}, "
        "2 workers, `ARGOS_INTRA_THREADS=1`; ponte: defaults, 2 workers, caches off. News: "
        f"`{args.news.relative_to(ROOT) if args.news.is_relative_to(ROOT) else args.news}` ({len(news)} passages).",
        "",
        "| cell | ponte texts/s | peer (or engine) texts/s | ponte / other (median; per round) | ponte p50 ms | "
        "other p50 ms |",
        "|---|---|---|---|---|---|",
    ]
    others = {"engine": "engine, one text per call (2 replicas)", "ceiling": "LibreTranslate, news, c=4",
              "peer": "LibreTranslate"}
    for row in rows:
        per_round = ", ".join(f"{r:.2f}" for r in row["ratios"])
        ponte_p50 = "" if row["ponte_p50"] is None else f"{row['ponte_p50']:.0f}"
        other_p50 = "" if row["other_p50"] is None else f"{row['other_p50']:.0f}"
        lines.append(f"| {row['cell']} vs {others[row['kind']]} | {row['ponte']:.2f} | {row['other']:.2f} | "
                     f"**{row['ratio']:.2f}x** ({per_round}) | {ponte_p50} | {other_p50} |")
    lines += ["", "The last rows are the ceiling at full load: no server over this engine class and its default "
              "decoding options goes faster than the engine given every passage in one call, so at c=4 ponte can be "
              "at most that many times the peer."]
    lines += ["", f"Peak RSS of the whole server (master + 2 workers): ponte {ponte_rss:.0f} MiB, peer {peer_rss:.0f} "
              "MiB. Raw figures of every run: `bench/out/` (git-ignored)."]
    publish("peer", "\n".join(lines), args.out)
    shutil.rmtree(packages, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
