"""PONTE_RATE_LIMIT across replicas: two real servers sharing one real Redis count one client together."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests

from tests.server import Server

LIMIT = 5
TEXT = "O governo anunciou hoje um novo plano para a economia do país."


def _free_port() -> int:
    # redis-server cannot take an inherited socket; a port taken in between makes it exit, and we try another
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private redis-server on a free loopback port, a child of this test: no persistence, its own folder."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (tools/redis_setup.sh installs it)")
    folder = tmp_path_factory.mktemp("redis")
    for _ in range(3):
        port = _free_port()
        log = (folder / "redis.log").open("wb")
        process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                    "--appendonly", "no", "--dir", str(folder)], stdout=log, stderr=subprocess.STDOUT)
        client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1)
        deadline = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < deadline:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        if process.poll() is None:
            break
        log.close()  # the port was taken in the meantime: another one
    else:
        pytest.fail(f"redis-server did not start:\n{(folder / 'redis.log').read_text(errors='replace')}")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        process.terminate()
        process.wait(10)
        log.close()


@pytest.fixture(scope="module")
def two_replicas(redis_url: str, packages_dir: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    folder = tmp_path_factory.mktemp("replicas")
    servers = [Server(packages_dir, folder / f"{name}.log", PONTE_WORKERS="1", PONTE_INTER_THREADS="1",
                      PONTE_RATE_LIMIT=f"{LIMIT}/minute", PONTE_RATE_LIMIT_STORAGE_URI=redis_url)
               for name in ("a", "b")]
    try:
        for server in servers:
            server.start(ready_within=90)
        yield servers[0], servers[1]
    finally:
        for server in servers:
            server.stop()


def detect(server: Server) -> requests.Response:
    return requests.post(server.url + "/v1/detect", json={"text": TEXT}, timeout=30)


@pytest.mark.slow
def test_the_limit_holds_for_both_replicas_together(two_replicas: tuple[Server, Server], redis_url: str) -> None:
    a, b = two_replicas
    # 3 to A and 2 to B: the 5 allowed per minute, though each replica saw fewer than 5
    assert [detect(s).status_code for s in (a, a, a, b, b)] == [200] * LIMIT
    sixth = detect(b)
    assert sixth.status_code == 429, sixth.text
    assert sixth.headers["Content-Type"] == "application/problem+json"
    assert int(sixth.headers["Retry-After"]) >= 1
    assert detect(a).status_code == 429  # and A knows it too
    # the count lives in Redis, not in either server
    store = redis.Redis.from_url(redis_url)
    keys = [key for key in store.scan_iter() if store.type(key) in (b"string", b"zset")]
    assert keys, "no rate-limit counter in Redis"
    assert "rate limit 5/minute" in a.log() and "(storage redis)" in b.log()
