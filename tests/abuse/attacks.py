"""Hostile clients against a real server on 127.0.0.1, each attack with a probe measuring a normal client.

`make abuse` runs every attack for PONTE_ABUSE_SECONDS (default 20) and prints the table; tests/integration/
test_abuse.py runs the same with a few seconds each. All traffic goes to 127.0.0.1, bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import requests

SHORT = {"text": "O governo aprovou a nova lei de proteção de dados.", "source_language": "pt"}
SLOW_SOCKETS = 12  # more than 2 workers x (4 + 2 + 1) threads
EMOJI = ("👩\u200d💻 " * 40000)[:100000]


@dataclass
class Probe:
    """What a normal client saw while an attack ran: worst latencies and every status."""

    health_ms: list[float] = field(default_factory=list)
    short_ms: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def worst(self, values: list[float]) -> float:
        return max(values) if values else float("inf")


def _timed(call: Callable[[], requests.Response], into: list[float], statuses: list[int]) -> None:
    started = time.perf_counter()
    try:
        status = call().status_code
    except requests.RequestException:
        status = 0  # no answer within the client timeout
    into.append((time.perf_counter() - started) * 1000.0)
    statuses.append(status)


@contextmanager
def probing(url: str) -> Iterator[Probe]:
    """Call /healthz and a short /v1/analyze in a loop (one of each at a time) until the block ends."""
    probe = Probe()
    stop = threading.Event()

    def loop(call: Callable[[], requests.Response], into: list[float]) -> None:
        while not stop.is_set():
            _timed(call, into, probe.statuses)
            stop.wait(0.2)

    threads = [threading.Thread(target=loop, args=(lambda: requests.get(url + "/healthz", timeout=20),
                                                   probe.health_ms)),
               threading.Thread(target=loop, args=(lambda: requests.post(url + "/v1/analyze", json=SHORT, timeout=20),
                                                   probe.short_ms))]
    for thread in threads:
        thread.start()
    try:
        yield probe
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.settimeout(0.05)
    return sock


def _closed(sock: socket.socket) -> bool:
    try:
        return sock.recv(4096) == b""
    except (TimeoutError, BlockingIOError):
        return False
    except OSError:
        return True


def slow_headers(port: int, seconds: float) -> str:
    """SLOW_SOCKETS connections sending their headers a byte every 0.5 s."""
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
    socks = [_connect(port) for _ in range(SLOW_SOCKETS)]
    deadline = time.monotonic() + seconds
    position = 0
    while time.monotonic() < deadline and position < len(head):
        for sock in socks:
            with suppress(OSError):
                sock.send(head[position:position + 1])
        position += 1
        time.sleep(0.5)
    closed = sum(_closed(s) for s in socks)
    for sock in socks:
        sock.close()
    return f"{closed}/{SLOW_SOCKETS} closed by the server"


def short_bodies(port: int, seconds: float) -> str:
    """SLOW_SOCKETS POSTs announcing 100 bytes and sending 10, then idle; reconnect when closed."""
    request = (b"POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Content-Length: 100\r\n\r\n{\"text\": \"")
    deadline = time.monotonic() + seconds
    opened = 0
    socks: list[socket.socket] = []
    while time.monotonic() < deadline:
        socks = [s for s in socks if not _closed(s)]
        while len(socks) < SLOW_SOCKETS:
            sock = _connect(port)
            sock.send(request)
            socks.append(sock)
            opened += 1
        time.sleep(0.5)
    for sock in socks:
        sock.close()
    return f"{opened} connections opened"


def chunked_over_limit(url: str) -> int:
    """A chunked body of 1.2 MiB (over the 1 MiB limit): the status."""
    def body() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(12):
            yield b"a" * 100_000
        yield b'"}'
    return requests.post(url + "/v1/analyze", data=body(), headers={"Content-Type": "application/json"},
                         timeout=60).status_code


def long_documents(url: str, seconds: float, text: str, clients: int = 4) -> str:
    """`clients` clients posting a costly 100k-character text in a loop: their statuses."""
    seen: list[int] = []
    deadline = time.monotonic() + seconds

    def loop() -> None:
        while time.monotonic() < deadline:
            try:
                seen.append(requests.post(url + "/v1/analyze", json={"text": text, "source_language": "pt"},
                                          timeout=max(5.0, deadline - time.monotonic() + 90)).status_code)
            except requests.RequestException:
                seen.append(0)

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return "statuses " + ",".join(str(s) for s in sorted(set(seen)))


def hostile_inputs(url: str) -> str:
    """Findings 4, 7, 8 over HTTP: the statuses."""
    big = '{"text": "x", "id": ' + "9" * 5000 + "}"
    out = [requests.post(url + "/v1/analyze", data=big, headers={"Content-Type": "application/json"},
                         timeout=20).status_code,
           requests.post(url + "/v1/analyze/batch", json={"documents": [SHORT, None]}, timeout=20).status_code,
           requests.post(url + "/v1/tag", json={"text": "A lei", "language": "pt\n"}, timeout=20).status_code]
    return "number/null item/pt\\n: " + "/".join(str(s) for s in out)


def bad_files(url: str, seconds: float) -> str:
    """Every bad file of tests/core/files/bad_files.py posted to /v1/translate/file (in a loop for `seconds`), and
    a file over PONTE_MAX_FILE_BYTES: the distinct 'slug:status' answers."""
    import warnings

    from tests.core.files.bad_files import bad_files as make

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        files = make()
    seen: set[str] = set()
    deadline = time.monotonic() + seconds
    while True:
        for name, (filename, data) in files.items():
            response = requests.post(url + "/v1/translate/file", files={"file": (filename, data)}, timeout=30)
            seen.add(f"{name}={response.json().get('type', '').rsplit(':', 1)[-1]}:{response.status_code}")
        if time.monotonic() > deadline:
            break
    huge = requests.post(url + "/v1/translate/file", files={"file": ("big.docx", b"PK" + b"\0" * (21 << 20))},
                         timeout=60)
    seen.add(f"over the limit={huge.status_code}")
    return "; ".join(sorted(seen))


def worker_rss_mb(server_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker (children of the arbiter, itself a child of `serve`)."""
    def children(pid: int) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == pid:
                    found.append(int(entry.name))
        return found

    def rss(pid: int) -> float:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
        return 0.0

    pids = children(server_pid)
    workers = [w for p in pids for w in children(p)] or pids
    return sorted(rss(w) for w in workers)


def unique_texts(url: str, count: int, server_pid: int) -> list[list[float]]:
    """`count` unique 100k-character Portuguese-like texts; worker RSS after each tenth."""
    samples = [worker_rss_mb(server_pid)]
    words = ["governo", "lei", "dados", "proteção", "empresa", "mercado", "cidade", "saúde", "escola", "rio"]
    for i in range(count):
        sentence_words = [words[(i * 7 + k * 3) % len(words)] + str(i) for k in range(12)]
        sentence = " ".join(sentence_words).capitalize() + ". "
        text = (sentence * (100_000 // len(sentence) + 1))[:100_000]
        requests.post(url + "/v1/analyze", json={"text": text, "source_language": "pt"}, timeout=300)
        if (i + 1) % max(1, count // 10) == 0:
            samples.append(worker_rss_mb(server_pid))
    return samples


@dataclass
class Row:
    attack: str
    outcome: str
    probe: Probe


def run_suite(url: str, port: int, seconds: float) -> list[Row]:
    """Every attack with the probe running beside it."""
    rows = []
    attacks: list[tuple[str, Callable[[], str]]] = [
        ("slow headers (12 sockets, 1 byte/0.5 s)", lambda: slow_headers(port, seconds)),
        ("short bodies (12 sockets, CL 100, 10 sent)", lambda: short_bodies(port, seconds)),
        ("chunked body 1.2 MiB", lambda: f"status {chunked_over_limit(url)}"),
        ("100k chars emoji+ZWJ x4 clients", lambda: long_documents(url, seconds, EMOJI)),
        ("100k chars 'X{i}. ' x4 clients",
         lambda: long_documents(url, seconds, "".join(f"X{i}. " for i in range(20000))[:100000])),
        ("hostile inputs (5000 digits, null item, pt\\n)", lambda: hostile_inputs(url)),
        ("bad files (zip/XML bombs, encrypted, wrong type, 0 bytes, 21 MiB)", lambda: bad_files(url, seconds)),
    ]
    for name, attack in attacks:
        with probing(url) as probe:
            outcome = attack()
        rows.append(Row(name, outcome, probe))
    return rows


def table(rows: list[Row]) -> str:
    """The Markdown table of the suite."""
    lines = ["| attack | outcome | /healthz worst ms | short analyze worst ms | probe statuses |",
             "|---|---|---|---|---|"]
    for row in rows:
        statuses = ",".join(f"{s}x{row.probe.statuses.count(s)}" for s in sorted(set(row.probe.statuses)))
        lines.append(f"| {row.attack} | {row.outcome} | {row.probe.worst(row.probe.health_ms):.0f} | "
                     f"{row.probe.worst(row.probe.short_ms):.0f} | {statuses} |")
    return "\n".join(lines)


def main() -> int:
    """Start a server over the fixture model and run the suite."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("PONTE_ABUSE_SECONDS", "20")))
    parser.add_argument("--memory-texts", type=int, default=int(os.environ.get("PONTE_ABUSE_TEXTS", "200")))
    parser.add_argument("--worker-class", default=None, help="e.g. gthread, to measure gunicorn's own worker")
    args = parser.parse_args()
    from service.core.packages import install_archive
    from tests.conftest import FIXTURE_MODEL
    from tests.server import Server

    work = Path(tempfile.mkdtemp(prefix="ponte-abuse-"))
    install_archive(FIXTURE_MODEL, work / "packages")
    env = {}
    if args.worker_class:
        env["GUNICORN_CMD_ARGS"] = f"--worker-class {args.worker_class}"
    server = Server(work / "packages", work / "server.log", **env)
    if args.worker_class:
        server.env["GUNICORN_CMD_ARGS"] += f" --bind fd://{server.socket.fileno()}"
    server.start()
    try:
        print(table(run_suite(server.url, server.port, args.seconds)))
        if args.memory_texts:
            assert server.process is not None
            samples = unique_texts(server.url, args.memory_texts, server.process.pid)
            print(json.dumps({"worker_rss_mb_every_tenth": samples}))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
