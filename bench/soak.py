"""ponte soak test: a bounded storm of good and bad requests against gunicorn with recycling workers.

    make soak                                 # 5 minutes, concurrency 8, 2 workers, the fixture model
    python bench/soak.py --seconds 60         # a short run
    python bench/soak.py --json soak.json     # also write the figures as JSON

It starts its own server on 127.0.0.1 (loopback only: it never sends to any other address), with 2 workers
recycled every PONTE_MAX_REQUESTS (+ jitter) requests, and sends a weighted mix of valid Portuguese,
malformed, oversized and non-Portuguese requests at a fixed concurrency, each with a timeout. Passes when:

- no unexpected 5xx (every answer has the status its kind of request must get),
- no deadlock: every request is answered within the timeout,
- no request lost: as many answers as requests sent (a reset or refused connection is a lost request),
- RSS of each worker grows at most 10% from its first sample after warm-up to its last,
- the server's own /metrics counted exactly the requests that were answered.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from prometheus_client.parser import text_string_to_metric_families  # noqa: E402

from service.core.packages import install_archive  # noqa: E402
from tests.server import Server  # noqa: E402

DEFAULT_MODEL = ROOT / "tests" / "fixtures" / "translate-pt_en-ponte_test-1_0.argosmodel"
ARTICLE = (ROOT / "tests" / "data" / "article_pt.txt").read_text(encoding="utf-8")
# Paragraphs long enough to be detected as Portuguese (the article ends with a short "Fonte: ..." line).
PARAGRAPHS = [p for p in ARTICLE.split("\n") if len(p) >= 40]
SHORT_PT = [
    "O arquivo foi salvo com sucesso.", "Não foi possível abrir a pasta.", "O pacote não está instalado.",
    "Deseja remover todos os arquivos selecionados?", "A conexão com o servidor foi perdida.",
    "Clique aqui para configurar a impressora.", "A senha está incorreta.", "O disco está cheio.",
]
GERMAN = "Der Vertrag wurde gestern vom Parlament in Berlin unterzeichnet und tritt im Januar in Kraft."
ENGLISH = "The contract was signed yesterday by the parliament and comes into force in January."
JSON_HEADERS = {"Content-Type": "application/json"}
WARM_UP_SECONDS = 15.0  # a replacement worker loads its model and fills its caches first


@dataclass(frozen=True)
class Kind:
    """One kind of request: how to send it, how often, and the statuses it may get."""

    name: str
    weight: int
    method: str
    path: str
    expected: frozenset[int]
    body: Any = None  # a JSON-able object, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)


def kinds(max_body_bytes: int, max_chars: int) -> list[Kind]:
    ok = frozenset({200})
    return [
        Kind("analyze-article", 6, "POST", "/v1/analyze", ok, {"text": "\n".join(PARAGRAPHS[:4])}),
        Kind("analyze-paragraph", 10, "POST", "/v1/analyze", ok, {"text": "PARAGRAPH"}),
        # short text is not reliably detected: the caller says it is Portuguese
        Kind("translate-short", 14, "POST", "/v1/translate", ok, {"text": "SHORT", "source_language": "pt"}),
        Kind("detect", 8, "POST", "/v1/detect", ok, {"text": "PARAGRAPH"}),
        Kind("tag", 6, "POST", "/v1/tag", ok, {"text": "PARAGRAPH"}),
        Kind("batch", 4, "POST", "/v1/analyze/batch", ok,
             {"documents": [{"text": s, "source_language": "pt"} for s in SHORT_PT[:3]]
              + [{"text": PARAGRAPHS[5]}, {"text": ""}, {"text": GERMAN}]}),
        Kind("english", 4, "POST", "/v1/analyze", ok, {"text": ENGLISH}),
        Kind("german", 5, "POST", "/v1/analyze", frozenset({422}), {"text": GERMAN}),
        Kind("undetectable", 3, "POST", "/v1/analyze", frozenset({422}), {"text": "12345 67890 !!! ###"}),
        Kind("malformed-json", 5, "POST", "/v1/analyze", frozenset({400}), b'{"text": "ol\xc3\xa1"', JSON_HEADERS),
        Kind("not-utf8", 2, "POST", "/v1/translate", frozenset({400}), b'{"text": "\xff\xfe"}', JSON_HEADERS),
        Kind("wrong-media-type", 4, "POST", "/v1/analyze", frozenset({415}), b"text=ola",
             {"Content-Type": "application/x-www-form-urlencoded"}),
        Kind("unknown-field", 4, "POST", "/v1/translate", frozenset({422}), {"text": "Olá", "colour": "red"}),
        Kind("blank-text", 2, "POST", "/v1/detect", frozenset({422}), {"text": "   \n "}),
        Kind("oversized-body", 3, "POST", "/v1/analyze", frozenset({413}),
             b'{"text": "' + b"a" * (max_body_bytes + 100) + b'"}', JSON_HEADERS),
        Kind("too-many-chars", 2, "POST", "/v1/analyze", frozenset({422}), {"text": "a" * (max_chars + 1)}),
        Kind("deep-json", 1, "POST", "/v1/analyze", frozenset({400}), b"[" * 50_000, JSON_HEADERS),
        Kind("not-found", 2, "GET", "/v1/nothing", frozenset({404})),
        Kind("wrong-method", 2, "DELETE", "/v1/analyze", frozenset({405})),
        Kind("readyz", 1, "GET", "/readyz", ok),
        Kind("languages", 1, "GET", "/v1/languages", ok),
    ]


@dataclass
class Tally:
    """Everything the senders saw, under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0
    answered: int = 0
    timeouts: int = 0
    lost: list[str] = field(default_factory=list)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)


def send(server_url: str, kind: Kind, rng: random.Random, timeout: float, tally: Tally) -> None:
    body = kind.body
    if isinstance(body, dict) and body.get("text") in ("PARAGRAPH", "SHORT"):
        pool = PARAGRAPHS if body["text"] == "PARAGRAPH" else SHORT_PT
        body = {**body, "text": rng.choice(pool)}
    kwargs: dict[str, Any] = {"timeout": timeout, "headers": {"Connection": "close", **kind.headers}}
    if isinstance(body, bytes):
        kwargs["data"] = body
    elif body is not None:
        kwargs["json"] = body
    with tally.lock:
        tally.sent += 1
    started = time.perf_counter()
    try:
        response = requests.request(kind.method, server_url + kind.path, **kwargs)
    except requests.Timeout:
        with tally.lock:
            tally.timeouts += 1
            tally.lost.append(f"{kind.name}: timeout after {timeout} s")
        return
    except requests.RequestException as exc:
        with tally.lock:
            tally.lost.append(f"{kind.name}: {type(exc).__name__}: {str(exc)[:200]}")
        return
    elapsed = time.perf_counter() - started
    with tally.lock:
        tally.answered += 1
        tally.latencies.append(elapsed)
        tally.statuses[(kind.name, response.status_code)] += 1
        if response.status_code not in kind.expected:
            tally.unexpected.append(f"{kind.name}: {response.status_code} {response.text[:300]}")


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: processes whose parent is the master."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            pids.append(int(entry.name))
    return sorted(pids)


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def sample_rss(master: int, stop: threading.Event, interval: float, samples: dict[int, list[tuple[float, int]]],
               started: float) -> None:
    while not stop.wait(interval):
        now = time.monotonic() - started
        for pid in worker_pids(master):
            rss = rss_kib(pid)
            if rss is not None:
                samples.setdefault(pid, []).append((now, rss))


def metric_sum(text: str, name: str) -> float:
    return sum(s.value for family in text_string_to_metric_families(text) for s in family.samples if s.name == name)


def soak_defaults(seconds: float) -> dict[str, Any]:
    """Recycling and RSS sampling for a run of this length: 6000 (+1000) requests and 2 s for 5 minutes."""
    max_requests = max(100, round(20 * seconds))
    return {"max_requests": max_requests, "jitter": max_requests // 6, "rss_interval": min(2.0, seconds / 150)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=300.0, help="how long to send requests (default 300)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    # The recycling and RSS sampling defaults scale with --seconds, so that a short run (SOAK_SECONDS=30 make soak)
    # also recycles its workers, and still measures the RSS of the first ones (see --warm-up). At 110-160
    # requests/s per worker (2 cores), a worker lives 1/8 to 1/5 of the run: 40-55 s in 5 minutes, 4-6 s in 30 s.
    parser.add_argument("--max-requests", type=int, default=None,
                        help="PONTE_MAX_REQUESTS of each worker (default 20 per second of the run: 6000 for 300 s)")
    parser.add_argument("--jitter", type=int, default=None,
                        help="PONTE_MAX_REQUESTS_JITTER (default a sixth of --max-requests: 1000 for 300 s)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a request may take (deadlock check)")
    parser.add_argument("--warm-up", type=float, default=WARM_UP_SECONDS,
                        help="seconds of a replacement worker's life before its RSS baseline is taken (it loads "
                             "the model first); the workers already serving when the soak starts are warm: theirs "
                             "is taken after a twentieth of the run, at most this")
    parser.add_argument("--rss-interval", type=float, default=None,
                        help="seconds between RSS samples (default: 2, or the run / 150 if shorter)")
    parser.add_argument("--max-rss-growth", type=float, default=0.10)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= 3600 or not 1 <= args.concurrency <= 64:
        parser.error("--seconds must be 1..3600 and --concurrency 1..64")
    defaults = soak_defaults(args.seconds)
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)

    work = Path(tempfile.mkdtemp(prefix="ponte-soak-"))
    packages = work / "packages"
    install_archive(args.model, packages)
    server = Server(packages, work / "server.log", PONTE_WORKERS=str(args.workers),
                    PONTE_MAX_REQUESTS=str(args.max_requests), PONTE_MAX_REQUESTS_JITTER=str(args.jitter),
                    PONTE_MAX_CLIENT_REQUESTS=str(args.concurrency))  # one client at --concurrency: let it
    assert server.url.startswith("http://127.0.0.1:")  # loopback only
    boot = server.start(ready_within=120)
    assert server.process is not None
    master = server.process.pid
    print(f"server ready in {boot:.1f} s at {server.url}; log {server.log_path}", flush=True)

    # the requests the server answered before the soak (readiness polls, this scrape) are not the soak's
    counted_before = metric_sum(requests.get(server.url + "/metrics", timeout=30).text, "ponte_http_requests_total") + 1
    mix = kinds(1024 * 1024, 100_000)
    weights = [k.weight for k in mix]
    tally = Tally()
    rss: dict[int, list[tuple[float, int]]] = {}
    stop_sampling = threading.Event()
    started = time.monotonic()
    sampler = threading.Thread(target=sample_rss, args=(master, stop_sampling, args.rss_interval, rss, started),
                               daemon=True)
    sampler.start()
    deadline = started + args.seconds
    warm_at_start = set(worker_pids(master))  # loaded and warmed up: /readyz was 200

    def sender(index: int) -> None:
        rng = random.Random(args.seed * 1000 + index)
        while time.monotonic() < deadline:
            send(server.url, rng.choices(mix, weights)[0], rng, args.timeout, tally)

    senders = [threading.Thread(target=sender, args=(i,), name=f"soak-{i}") for i in range(args.concurrency)]
    for t in senders:
        t.start()
    next_report = started + 30
    while any(t.is_alive() for t in senders):
        time.sleep(0.5)
        if time.monotonic() >= next_report:
            next_report += 30
            with tally.lock:
                print(f"  {time.monotonic() - started:5.0f} s: sent {tally.sent}, answered {tally.answered}, "
                      f"unexpected {len(tally.unexpected)}, lost {len(tally.lost)}, workers {worker_pids(master)}",
                      flush=True)
        if time.monotonic() > deadline + args.timeout + 30:
            break  # a sender is stuck beyond its own timeout: a deadlock, reported below
    stuck = [t.name for t in senders if t.is_alive()]
    elapsed = time.monotonic() - started
    stop_sampling.set()
    sampler.join(5)

    metrics_text = requests.get(server.url + "/metrics", timeout=30).text
    counted = metric_sum(metrics_text, "ponte_http_requests_total") - counted_before
    starts = metric_sum(metrics_text, "ponte_worker_starts_total")
    exits = metric_sum(metrics_text, "ponte_worker_exits_total")
    exit_code = server.stop(timeout=60)
    log_text = server.log()

    # RSS per worker: from its first sample after warm-up to its last one
    rss_rows = []
    for pid, points in sorted(rss.items()):
        born = points[0][0]
        warm_up = min(args.warm_up, args.seconds / 20) if pid in warm_at_start else args.warm_up
        after = [(t, v) for t, v in points if t - born >= warm_up]
        if len(after) < 2:
            rss_rows.append({"pid": pid, "samples": len(points), "first_kib": points[0][1],
                             "last_kib": points[-1][1], "baseline_kib": None, "growth": None})
            continue
        growth = after[-1][1] / after[0][1] - 1.0
        rss_rows.append({"pid": pid, "samples": len(points), "first_kib": points[0][1], "baseline_kib": after[0][1],
                         "last_kib": after[-1][1], "lived_s": round(points[-1][0] - born, 1),
                         "growth": round(growth, 4)})
    measured = [r for r in rss_rows if r["growth"] is not None]
    worst_growth = max((r["growth"] for r in measured), default=None)

    server_5xx = sum(n for (_, status), n in tally.statuses.items() if status >= 500)
    latencies = sorted(tally.latencies)
    figures: dict[str, Any] = {
        "seconds": round(elapsed, 1), "concurrency": args.concurrency, "workers": args.workers,
        "max_requests": args.max_requests, "jitter": args.jitter,
        "sent": tally.sent, "answered": tally.answered, "lost": len(tally.lost), "timeouts": tally.timeouts,
        "requests_per_second": round(tally.answered / elapsed, 1),
        "unexpected": len(tally.unexpected), "5xx": server_5xx,
        "latency_ms": {
            "p50": round(1000 * statistics.median(latencies), 1) if latencies else None,
            "p95": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
            "max": round(1000 * latencies[-1], 1) if latencies else None,
        },
        "statuses": {f"{name} {status}": n for (name, status), n in sorted(tally.statuses.items())},
        "metrics_counted": int(counted), "worker_starts": int(starts), "worker_exits": int(exits),
        "workers_seen": len(rss), "rss": rss_rows, "worst_rss_growth": worst_growth,
        "stuck_senders": stuck, "server_exit_code": exit_code,
        "tracebacks_in_log": log_text.count("Traceback"),
        "examples_unexpected": tally.unexpected[:10], "examples_lost": tally.lost[:10],
    }
    checks = {
        "no unexpected status (and so no unexpected 5xx)": not tally.unexpected and server_5xx == 0,
        "no deadlock (every request answered within the timeout)": tally.timeouts == 0 and not stuck,
        "no request lost (sent == answered)": tally.sent == tally.answered and not tally.lost,
        f"RSS growth after warm-up <= {args.max_rss_growth:.0%} per worker": (
            bool(measured) and worst_growth is not None and worst_growth <= args.max_rss_growth),
        "workers were recycled": starts > args.workers,
        "/metrics counted every answered request": int(counted) == tally.answered,
        "server stopped cleanly": exit_code == 0,
    }
    figures["checks"] = checks

    print(json.dumps({k: v for k, v in figures.items() if k not in {"rss", "statuses"}}, indent=2))
    print("statuses:", json.dumps(figures["statuses"], indent=1))
    print("RSS per worker (KiB):")
    for row in rss_rows:
        print(f"  pid {row['pid']}: first {row['first_kib']}, baseline {row['baseline_kib']}, "
              f"last {row['last_kib']}, growth {row['growth']}, lived {row.get('lived_s')} s")
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
