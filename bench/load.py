#!/usr/bin/env python3
"""Closed-loop HTTP load generator for translation services (standard library only, loopback only).

C client threads, each with its own keep-alive connection, send POSTs back to back until N requests
have been sent or T seconds have passed (whichever bound comes first; both are hard caps). Every
response must be 2xx with a non-empty body and, with --expect-field, a non-empty value there.

    python bench/load.py --url http://127.0.0.1:PORT --endpoint /v1/translate \
        --template '{"text": "{text}", "source_language": "pt"}' --expect-field text \
        --workload tests/data/tagging_eval.jsonl -c 4 -n 107 --pid SERVER_PID

Workload: .jsonl (one object per line, field --field, default "text") or any other file = one text.
Texts are sent in order, cycling (request i gets text i mod len(texts)).

Cache busting (--nonce, default "trailing-space"): request i appends 1+(i mod 16) spaces to every line
of its text. SentencePiece strips trailing whitespace and sentence splitters ignore it, so the model does
identical work, but a cache keyed on the raw string (argostranslate's CachedTranslation remembers the
previous request's paragraphs) misses. Character counts use the original text. --nonce none measures a
cache on purpose.

Request body: --template is JSON; a string value containing "{text}" gets the text substituted (a value
that is exactly "{text}" becomes the text itself).

Output (stdout and --out): requests, ok, errors, wall_s, texts_per_s, chars_per_s, latency_ms
p50/p90/p99/max/mean (successful requests), peak RSS and PSS (MiB, summed over --pid and its
descendants), the client's CPU seconds (the generator shares the cores with the server), loadavg.
bench/peer_bench.py, bench/argos_size.py and bench/request_profile.py call `run_load` directly.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

MAX_REQUESTS = 100_000  # absolute caps, whatever the arguments say
MAX_SECONDS = 3600.0


def load_texts(path: Path, field_name: str = "text") -> list[str]:
    """The texts of a .jsonl workload (one object per line), or a whole file as one text."""
    if path.suffix == ".jsonl":
        return [json.loads(line)[field_name] for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    return [path.read_text(encoding="utf-8")]


def add_nonce(text: str, i: int, mode: str) -> str:
    """The text with 1+(i mod 16) trailing spaces on every line (no model work changes, raw-string caches miss)."""
    if mode == "none":
        return text
    pad = " " * (1 + i % 16)
    return "\n".join(line + pad for line in text.split("\n"))


def fill(template: Any, text: str) -> Any:
    """The template with "{text}" replaced in every string value."""
    if isinstance(template, dict):
        return {k: fill(v, text) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, text) for v in template]
    if isinstance(template, str):
        if template == "{text}":
            return text
        if "{text}" in template:
            return template.replace("{text}", text)
    return template


def tree_pids(root: int) -> list[int]:
    """root and all its descendants, from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                ppid = int(stat[stat.rfind(")") + 2:].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(children.get(pid, []))
    return out


def mem_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB; zeros when it is gone."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


class MemSampler(threading.Thread):
    """Peak RSS/PSS summed over a process tree, sampled every `interval` seconds."""

    def __init__(self, pid: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.halt = threading.Event()
        self.peak_rss = self.peak_pss = self.max_procs = 0
        self.start_rss: int | None = None
        self.start_pss = 0

    def sample(self) -> None:
        pids = tree_pids(self.pid)
        rss = pss = 0
        for pid in pids:
            r, p = mem_kb(pid)
            rss += r
            pss += p
        if self.start_rss is None:
            self.start_rss, self.start_pss = rss, pss
        self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
        self.max_procs = max(self.max_procs, len(pids))

    def run(self) -> None:
        while not self.halt.is_set():
            self.sample()
            self.halt.wait(self.interval)


def percentile(ordered: list[float], q: float) -> float | None:
    """Linear-interpolated percentile of sorted values."""
    if not ordered:
        return None
    k = (len(ordered) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def check_loopback(host: str) -> None:
    """Refuse any target that is not on this machine."""
    for info in socket.getaddrinfo(host, None):
        if not ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback:
            raise SystemExit(f"refusing non-loopback target {host} ({info[4][0]})")


def check_response(status: int, data: bytes, expect_field: str) -> str | None:
    """None when the response is a success with the expected non-empty field, else what is wrong."""
    if not 200 <= status < 300:
        return f"HTTP {status}: {data[:120]!r}"
    if not data.strip():
        return "empty body"
    if expect_field:
        try:
            value: Any = json.loads(data)
            for key in expect_field.split("."):  # a dotted path reaches into objects
                value = value[key]
        except (ValueError, KeyError, TypeError) as exc:
            return f"no {expect_field}: {type(exc).__name__} {data[:120]!r}"
        values = value if isinstance(value, list) else [value]
        if not values or any(not (isinstance(v, str) and v.strip()) for v in values):
            return f"empty {expect_field}"
    return None


@dataclass
class _Phase:
    latencies: list[float] = field(default_factory=list)
    ok: int = 0
    errors: int = 0
    chars: int = 0
    out_bytes: int = 0
    error_samples: list[str] = field(default_factory=list)
    sent: int = 0
    wall_s: float = 0.0


def run_load(url: str, endpoint: str, texts: list[str], *, body: Callable[[str], Any] | None = None,
             template: Any = None, concurrency: int = 1, requests: int | None = None, duration: float | None = None,
             warmup: int | None = None, nonce: str = "trailing-space", expect_field: str = "",
             timeout: float = 300.0, pid: int | None = None, rss_interval: float = 0.2, label: str = "",
             first_index: int = 0) -> dict[str, Any]:
    """Send the texts in a closed loop at `concurrency`; the measured figures as a dict (see the module doc).
    `first_index` offsets the cycling (and the nonce) so that successive runs do not repeat one another."""
    if not requests and not duration:
        raise ValueError("give requests and/or duration")
    if body is None:
        body = lambda text: fill(template, text)  # noqa: E731
    n_cap = min(requests or MAX_REQUESTS, MAX_REQUESTS)
    t_cap = min(duration or MAX_SECONDS, MAX_SECONDS)
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise SystemExit("http:// URLs only")
    check_loopback(parts.hostname)
    host, port = parts.hostname, parts.port or 80
    path = (parts.path.rstrip("/") + endpoint) or "/"
    headers = {"Content-Type": "application/json"}

    def make_request(i: int) -> tuple[bytes, int]:
        source = texts[i % len(texts)]
        built = body(add_nonce(source, i, nonce))
        payload = built if isinstance(built, bytes) else json.dumps(built, ensure_ascii=False).encode("utf-8")
        return payload, len(source)

    def phase(first: int, count: int, deadline_s: float) -> _Phase:
        lock = threading.Lock()
        state = {"next": first}
        end = first + count
        started = time.perf_counter()
        stats = _Phase()
        last = [started]

        def worker() -> None:
            conn: http.client.HTTPConnection | None = None
            while True:
                with lock:
                    i = state["next"]
                    if i >= end or time.perf_counter() - started >= deadline_s:
                        break
                    state["next"] += 1
                payload, nchars = make_request(i)
                t0 = time.perf_counter()
                data = b""
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection(host, port, timeout=timeout)
                    conn.request("POST", path, body=payload, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                    err = check_response(response.status, data, expect_field)
                    if response.getheader("Connection", "").lower() == "close":
                        conn.close()
                        conn = None
                except (OSError, http.client.HTTPException) as exc:
                    err = f"{type(exc).__name__}: {exc}"
                    if conn is not None:
                        conn.close()
                    conn = None
                t1 = time.perf_counter()
                with lock:
                    last[0] = max(last[0], t1)
                    if err is None:
                        stats.ok += 1
                        stats.latencies.append((t1 - t0) * 1000)
                        stats.chars += nchars
                        stats.out_bytes += len(data)
                    else:
                        stats.errors += 1
                        if len(stats.error_samples) < 5:
                            stats.error_samples.append(err)
            if conn is not None:
                conn.close()

        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stats.wall_s = last[0] - started
        stats.sent = state["next"] - first
        return stats

    warm_n = 2 * concurrency if warmup is None else warmup
    load_before = os.getloadavg()
    warm_errors: list[str] = []
    if warm_n:
        warm = phase(first_index, warm_n, t_cap)
        warm_errors = warm.error_samples
    sampler = None
    if pid:
        sampler = MemSampler(pid, rss_interval)
        sampler.sample()
        sampler.start()
    cpu0 = os.times()
    s = phase(first_index + warm_n, n_cap, t_cap)
    cpu1 = os.times()
    if sampler:
        sampler.halt.set()
        sampler.join()
        sampler.sample()
    lat = sorted(s.latencies)
    wall = s.wall_s or float("nan")
    result: dict[str, Any] = {
        "label": label, "url": url + endpoint, "n_texts": len(texts), "concurrency": concurrency,
        "bound": {"requests": requests, "duration_s": duration}, "nonce": nonce, "warmup_requests": warm_n,
        "warmup_errors": warm_errors,
        "requests": s.sent, "ok": s.ok, "errors": s.errors, "error_samples": s.error_samples,
        "wall_s": round(wall, 3),
        "texts_per_s": round(s.ok / wall, 3),
        "chars_per_s": round(s.chars / wall, 1),
        "latency_ms": {k: (None if (v := percentile(lat, q)) is None else round(v, 1))
                       for k, q in (("p50", .5), ("p90", .9), ("p99", .99), ("max", 1.0))},
        "latency_mean_ms": round(sum(lat) / len(lat), 1) if lat else None,
        "mean_response_bytes": round(s.out_bytes / s.ok, 1) if s.ok else None,
        "client_cpu_s": round((cpu1.user - cpu0.user) + (cpu1.system - cpu0.system), 3),
        "loadavg_before": load_before, "loadavg_after": os.getloadavg(),
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    if sampler:
        result["server"] = {"pid": pid, "procs": sampler.max_procs,
                            "start_rss_mib": round((sampler.start_rss or 0) / 1024, 1),
                            "peak_rss_mib": round(sampler.peak_rss / 1024, 1),
                            "start_pss_mib": round(sampler.start_pss / 1024, 1),
                            "peak_pss_mib": round(sampler.peak_pss / 1024, 1)}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="base URL (loopback only)")
    parser.add_argument("--endpoint", default="/v1/translate")
    parser.add_argument("--template", default='{"text": "{text}"}', help="JSON body template, or @file")
    parser.add_argument("--workload", type=Path, required=True)
    parser.add_argument("--field", default="text")
    parser.add_argument("--concurrency", "-c", type=int, default=1)
    parser.add_argument("--requests", "-n", type=int, help="stop after N measured requests")
    parser.add_argument("--duration", "-t", type=float, help="stop issuing requests after T seconds")
    parser.add_argument("--warmup", type=int, default=None, help="unmeasured requests first (default 2*C)")
    parser.add_argument("--nonce", choices=["trailing-space", "none"], default="trailing-space")
    parser.add_argument("--expect-field", default="", help="dotted JSON path that must be non-empty")
    parser.add_argument("--timeout", type=float, default=300, help="per-request timeout, s")
    parser.add_argument("--pid", type=int, help="server PID: peak RSS/PSS summed over its process tree")
    parser.add_argument("--label", default="")
    parser.add_argument("--out", type=Path, help="write the JSON result here too")
    args = parser.parse_args()
    if not args.requests and not args.duration:
        parser.error("give --requests and/or --duration")
    raw = Path(args.template[1:]).read_text() if args.template.startswith("@") else args.template
    result = run_load(args.url, args.endpoint, load_texts(args.workload, args.field), template=json.loads(raw),
                      concurrency=args.concurrency, requests=args.requests, duration=args.duration,
                      warmup=args.warmup, nonce=args.nonce, expect_field=args.expect_field, timeout=args.timeout,
                      pid=args.pid, label=args.label)
    out = json.dumps(result, indent=1, ensure_ascii=False)
    print(out)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(out + "\n")
    return 0 if result["ok"] and not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
