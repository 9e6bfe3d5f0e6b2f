"""Metrics and logs through a real gunicorn server whose workers are recycled."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.contract import check_response
from tests.server import Server, concurrently
from tests.test_metrics import samples, value

# --- several gunicorn workers ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def recycling_server(packages_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """2 workers that are recycled every ~40 requests: samples of dead workers must still count."""
    server = Server(packages_dir, tmp_path_factory.mktemp("metrics-server") / "server.log",
                    PONTE_MAX_REQUESTS="40", PONTE_MAX_REQUESTS_JITTER="10",
                    PONTE_MAX_CLIENT_REQUESTS="256")  # one client sends 120 at once here: not the limit under test
    server.start(ready_within=60)
    yield server
    server.stop()


def get(server: Server, path: str) -> requests.Response:
    response = requests.get(server.url + path, timeout=30)
    check_response("GET", path, response, response.status_code, response.headers["Content-Type"].split(";")[0],
                   response.text)
    return response


def recycled(server: Server, timeout: float = 30.0) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """The metrics once a recycled worker's replacement has started and both workers are live again."""
    deadline = time.monotonic() + timeout
    while True:
        scraped = samples(get(server, "/metrics").text)
        if value(scraped, "ponte_worker_starts_total") > 2 and value(scraped, "ponte_workers") == 2:
            return scraped
        if time.monotonic() > deadline:
            return scraped  # the assertions that follow say what is missing
        time.sleep(0.1)


@pytest.mark.slow
def test_several_workers_add_up(recycling_server: Server) -> None:
    sent = 120

    def send(i: int) -> int:  # a new connection each: requests spread over both workers and their recycling
        return requests.post(recycling_server.url + "/v1/detect", timeout=30, headers={"Connection": "close"},
                             json={"text": f"O arquivo {i} foi salvo com sucesso."}).status_code

    assert concurrently(sent, send) == [200] * sent

    # A recycled worker's replacement starts after the request that ended its predecessor: wait for that event
    # (the replacement counted, both workers live again) instead of assuming it happened by the time of a scrape.
    scraped = recycled(recycling_server)
    assert value(scraped, "ponte_http_requests_total", route="/v1/detect", status="200") == sent
    assert value(scraped, "ponte_http_request_duration_seconds_count", route="/v1/detect") == sent
    assert value(scraped, "ponte_workers") == 2  # live workers only (dead ones are marked so)
    assert value(scraped, "ponte_worker_starts_total") > 2  # the first two, then recycled ones
    assert value(scraped, "ponte_worker_exits_total") >= 1

    # both workers served: the request log names the process of each line
    log_lines = [json.loads(line) for line in recycling_server.log().splitlines() if line.startswith("{")]
    pids = {line["pid"] for line in log_lines
            if line["logger"] == "service.request" and line["route"] == "/v1/detect"}
    assert len(pids) >= 2


@pytest.mark.slow
def test_server_logs_are_json_lines_without_text(recycling_server: Server) -> None:
    secret = "Texto confidencial do cliente sobre a fusão."
    response = requests.post(recycling_server.url + "/v1/detect", json={"text": secret},
                             headers={"X-Request-ID": "soak-check-1"}, timeout=30)
    assert response.headers["X-Request-ID"] == "soak-check-1"
    # nginx writes its line once the answer is sent, a moment after the client has it
    recycling_server.wait_for_log('"logger": "nginx.access", "message": "POST 200", "request_id": "soak-check-1"')
    lines = [line for line in recycling_server.log().splitlines() if line.strip()]
    # every line, gunicorn's too, is JSON; but the CLI's own line before it execs gunicorn
    parsed = [json.loads(line) for line in lines if "starting gunicorn" not in line]
    assert len(parsed) >= len(lines) - 1
    assert any(p["logger"] == "gunicorn.error" for p in parsed)
    mine = [p for p in parsed if p.get("request_id") == "soak-check-1"]
    app = [p for p in mine if p["logger"] == "service.request"]
    assert len(app) == 1 and app[0]["status"] == 200 and app[0]["text_length"] == len(secret)
    # and nginx's line of the same request, from its first byte to its last
    assert [p["status"] for p in mine if p["logger"] == "nginx.access"] == [200]
    assert "confidencial" not in recycling_server.log()
