"""Resident memory of a real server's processes: the figures behind deploy/kubernetes's memory limit.

    .venv/bin/python bench/worker_memory.py                       # the fixture model, 2 workers
    .venv/bin/python bench/worker_memory.py --model X.argosmodel --workers 2 --requests 40

Starts `python -m service serve` (tests/server.py) on a loopback port, reads VmRSS, VmHWM (peak) and PSS
(smaps_rollup) of the arbiter and each worker after /readyz, then after `--requests` analyses of the seed
article (distinct texts, so the caches fill as in use). Linux only (/proc).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.core.packages import install_archive  # noqa: E402
from tests.server import Server  # noqa: E402

log = logging.getLogger("bench.worker_memory")


def memory_mb(pid: int) -> dict[str, float]:
    """RSS, peak RSS and PSS of one process, in MB."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    rollup = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
    return {"rss": round(int(status["VmRSS"].split()[0]) / 1024, 1),
            "peak_rss": round(int(status["VmHWM"].split()[0]) / 1024, 1),
            "pss": round(int(rollup["Pss"].split()[0]) / 1024, 1)}


def snapshot(server: Server) -> dict[str, object]:
    """The arbiter's and its workers' memory."""
    assert server.process is not None
    arbiter = server.process.pid
    workers = [int(p) for p in Path(f"/proc/{arbiter}/task/{arbiter}/children").read_text().split()]
    return {"arbiter": memory_mb(arbiter), "workers": [memory_mb(w) for w in workers]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=ROOT / "tests/fixtures/translate-pt_en-ponte_test-1_0.argosmodel")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with tempfile.TemporaryDirectory() as folder:
        packages = Path(folder) / "packages"
        install_archive(args.model, packages)
        server = Server(packages, Path(folder) / "server.log", PONTE_WORKERS=str(args.workers),
                        PONTE_INTER_THREADS=str(args.workers))
        server.start(ready_within=120)
        try:
            ready = snapshot(server)
            text = (ROOT / "tests/data/article_pt.txt").read_text(encoding="utf-8")
            for i in range(args.requests):
                answer = requests.post(server.url + "/v1/analyze", json={"id": str(i), "text": f"{text} {i}"},
                                       timeout=120)
                answer.raise_for_status()
            loaded = snapshot(server)
        finally:
            server.stop()
    result = {"model": args.model.name, "workers": args.workers, "requests": args.requests,
              "ready": ready, "after_requests": loaded}
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
