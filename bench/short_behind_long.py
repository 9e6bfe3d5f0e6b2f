"""How long a short /v1/analyze waits while other clients keep the engine busy with long documents.

8 clients send unique 80-sentence analyses back to back from 127.0.0.1 (each under the per-client limit only
together: nginx lets one address have PONTE_MAX_CLIENT_REQUESTS in progress), and a probe from 127.0.0.2 sends
a one-sentence analysis every 0.2 s; caches off, 2 workers, the fixture model, the supported deployment (nginx in
front). Prints the long analyses completed and the short one's latency (p50, p90, worst).

    python bench/short_behind_long.py [SECONDS]      # default 40
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.core.packages import install_archive  # noqa: E402
from tests.abuse.attacks import PROBE_ADDRESS, SHORT, Target, post_json  # noqa: E402
from tests.conftest import FIXTURE_MODEL  # noqa: E402
from tests.server import Server  # noqa: E402


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 40.0
    work = Path(tempfile.mkdtemp(prefix="ponte-short-behind-long-"))
    install_archive(FIXTURE_MODEL, work / "packages")
    server = Server(work / "packages", work / "server.log", PONTE_CACHE_SIZE="0", PONTE_DOCUMENT_CACHE_CHARS="0")
    server.start()
    assert server.process is not None
    target = Target("127.0.0.1", server.port, server.log, server.process.pid)
    until = time.monotonic() + seconds
    sent = [0]
    lock = threading.Lock()
    statuses: list[int] = []
    latencies: list[float] = []

    def long_client() -> None:
        while time.monotonic() < until:
            with lock:
                sent[0] += 1
                number = sent[0]
            text = " ".join(f"O governo {number} aprovou a lei número {i} sobre dados {number}." for i in range(80))
            statuses.append(post_json(target, "/v1/analyze", {"text": text, "source_language": "pt"}, 120)[0])

    def probe() -> None:
        time.sleep(2.0)  # the long clients first
        while time.monotonic() < until:
            started = time.perf_counter()
            post_json(target, "/v1/analyze", SHORT, 30, PROBE_ADDRESS)
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.2)

    threads = [threading.Thread(target=long_client) for _ in range(8)] + [threading.Thread(target=probe)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.stop()
    latencies.sort()
    sys.stdout.write(f"long analyses: {statuses.count(200)} answered 200, others {sorted(set(statuses) - {200})}; "
                     f"short: n={len(latencies)} p50={statistics.median(latencies):.0f} "
                     f"p90={latencies[int(0.9 * (len(latencies) - 1))]:.0f} worst={latencies[-1]:.0f} ms\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
