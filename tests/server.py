"""A real gunicorn server for integration tests, started the way `make run` starts it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


def listening_socket() -> socket.socket:
    """A loopback socket already bound to a free port and listening: handed to the server, so that no other
    process can take the port between choosing it and binding it (no bind-then-release race)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def refusing_socket() -> socket.socket:
    """A loopback socket bound to a port but not listening: connections to that port are refused, and no other
    process can start listening there while the caller holds it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


class Server:
    """`python -m service serve` on a loopback port, with its log kept for failures: nginx in front of gunicorn (the
    supported deployment), or gunicorn alone with PONTE_FRONT=none."""

    def __init__(self, packages_dir: Path, log_path: Path, **env: str) -> None:
        self.log_path = log_path
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PONTE_")}
        self.env.update({"PONTE_HOST": "127.0.0.1", "PONTE_PACKAGES_DIR": str(packages_dir), "PONTE_WORKERS": "2"})
        self.env.update(env)
        self.front = self.env.get("PONTE_FRONT", "nginx") != "none"
        self.process: subprocess.Popen[bytes] | None = None
        self._reserve()

    def _reserve(self) -> None:
        self.socket = listening_socket()
        self.port: int = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.env["PONTE_PORT"] = str(self.port)
        if not self.front:  # gunicorn takes the socket we hold instead of binding the port itself (no race)
            self.env["GUNICORN_CMD_ARGS"] = f"--bind fd://{self.socket.fileno()}"

    def start(self, ready_within: float = 60.0) -> float:
        """Start and wait for /readyz 200; return the seconds it took. nginx binds its port itself: the port held
        until then is let go just before, and in the rare case another process takes it first, a new one is
        tried."""
        for _ in range(3):
            if self.front:
                self.socket.close()
            try:
                return self._start(ready_within)
            except RuntimeError as exc:
                if "Address already in use" not in str(exc):
                    raise
                self._reserve()
        raise RuntimeError("no free port after three tries")

    def _start(self, ready_within: float) -> float:
        started = time.monotonic()
        # appending: nginx opens the same file again (its access log is /dev/stderr), and every writer must add at
        # the end rather than at an offset of its own
        self._log = self.log_path.open("ab")
        passed = [] if self.front else [self.socket.fileno()]
        self.process = subprocess.Popen([sys.executable, "-m", "service", "serve"], cwd=ROOT, env=self.env,
                                        stdout=self._log, stderr=subprocess.STDOUT, pass_fds=passed)
        while time.monotonic() - started < ready_within:
            if self.process.poll() is not None:
                self._log.close()
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log()}")
            try:
                if requests.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return time.monotonic() - started
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or workers still booting
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"not ready within {ready_within} s:\n{self.log()}")

    def stop(self, timeout: float = 30.0) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        self.socket.close()
        return self.process.returncode

    def wait_for_log(self, text: str, timeout: float = 30.0) -> None:
        """Poll the server's log until `text` appears in it (a synchronisation point, not a sleep)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log():
                return
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not in the server log within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def serving(packages_dir: Path, log_path: Path, ready_within: float = 60.0, **env: str) -> Iterator[Server]:
    """A started server for a fixture to yield from; stopped afterwards."""
    running = Server(packages_dir, log_path, **env)
    running.start(ready_within=ready_within)
    yield running
    running.stop()


def concurrently(count: int, task: Callable[[int], int]) -> list[int]:
    """Run task(0..count-1) in as many threads at once; their results (HTTP statuses, say) in completion order."""
    results: list[int] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        result = task(i)
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
