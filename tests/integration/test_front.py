"""The supported deployment: nginx in front of gunicorn (`serve`), as a client and an operator see it."""

from __future__ import annotations

import json
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from service.cli.front import nginx_binary
from tests.server import Server

pytestmark = pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (tools/nginx_setup.sh)")


@pytest.fixture(scope="module")
def server(packages_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(packages_dir, tmp_path_factory.mktemp("front") / "server.log")
    running.start()
    yield running
    running.stop()


def _lines(server: Server, request_id: str) -> list[dict[str, object]]:
    found = []
    for line in server.log().splitlines():
        if request_id in line and line.startswith("{"):
            found.append(json.loads(line))
    return found


def _histogram_sum(server: Server) -> float:
    text = requests.get(server.url + "/metrics", timeout=10).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith('ponte_http_request_duration_seconds_sum{method="POST",route="/v1/detect"'))


def test_time_is_counted_from_the_first_byte(server: Server) -> None:
    before = _histogram_sum(server)
    body = json.dumps({"text": "O governo aprovou a nova lei de proteção de dados."}).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"POST /v1/detect HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"X-Request-ID: slow-body-1\r\nConnection: close\r\nContent-Length: "
                     + str(len(body)).encode() + b"\r\n\r\n" + body[:10])
        time.sleep(1.5)  # the client is slow: nginx waits, no thread does
        sock.sendall(body[10:])
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200")
    time.sleep(0.3)
    lines = _lines(server, "slow-body-1")
    app = next(line for line in lines if line.get("logger") == "service.request")
    front = next(line for line in lines if line.get("logger") == "nginx.access")
    assert float(app["duration_ms"]) >= 1400 and float(app["read_ms"]) >= 1400  # type: ignore[arg-type]
    assert float(front["request_time_s"]) >= 1.4  # type: ignore[arg-type]
    assert _histogram_sum(server) - before >= 1.4


@pytest.mark.parametrize(("head", "status"), [
    (b"POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n", 413),
    (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431),
    (b"POST /v1/analyze HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x10\r\n", 400),
])
def test_the_front_refuses_with_problem_documents(server: Server, head: bytes, status: int) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head)
        answer = sock.recv(65536)
    first, _, rest = answer.partition(b"\r\n")
    assert first.startswith(b"HTTP/1.1 %d" % status)
    headers, _, body = rest.partition(b"\r\n\r\n")
    assert b"Content-Type: application/problem+json" in headers
    assert json.loads(body)["status"] == status


def test_one_client_is_held_to_its_requests_in_progress(server: Server) -> None:
    socks = []
    payload = json.dumps({"text": "O governo aprovou a lei. " * 200, "source_language": "pt"}).encode()
    for _ in range(20):
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        sock.sendall(b"POST /v1/translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                     + str(len(payload)).encode() + b"\r\nConnection: close\r\n\r\n" + payload)
        socks.append(sock)
    statuses = []
    for sock in socks:
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        statuses.append(int(answer[9:12]))
        sock.close()
    assert 429 in statuses and statuses.count(200) >= 8  # PONTE_MAX_CLIENT_REQUESTS (8) at a time
    assert requests.get(server.url + "/healthz", timeout=5).status_code == 200


def test_killing_serve_takes_nginx_and_gunicorn_with_it(packages_dir: Path, tmp_path: Path) -> None:
    running = Server(packages_dir, tmp_path / "server.log")
    running.start()
    assert running.process is not None
    children = [int(p) for p in Path(f"/proc/{running.process.pid}/task/{running.process.pid}/children")
                .read_text().split()]
    assert len(children) == 2  # gunicorn's arbiter and nginx's master
    running.process.send_signal(signal.SIGKILL)
    running.process.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.2)
    alive = [pid for pid in children if _alive(pid)]
    running.stop()
    assert not alive


def _alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for whoever adopted it does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
