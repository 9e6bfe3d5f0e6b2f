"""End to end through a real gunicorn server with the real offline model: what `make run` serves."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.contract import check_response
from tests.server import Server, concurrently, serving

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(packages_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # one client sends 12 requests at once here: the per-client limit is not what these tests are about
    yield from serving(packages_dir, tmp_path_factory.mktemp("server") / "server.log", PONTE_MAX_CLIENT_REQUESTS="64")


def call(server: Server, method: str, path: str, **kwargs) -> requests.Response:
    response = requests.request(method, server.url + path, timeout=60, **kwargs)
    content_type = response.headers.get("Content-Type", "").split(";")[0]
    body = response.json() if content_type.endswith("json") else response.text
    check_response(method, path, response, response.status_code, content_type, body)
    return response


def test_seed_article_end_to_end(server: Server, seed_article: str) -> None:
    response = call(server, "POST", "/v1/analyze", json={"text": seed_article, "id": "seed"})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "seed"
    assert body["language"]["code"] == "pt"
    assert body["language"]["reliable"] is True
    sentences = body["translation"]["sentences"]
    assert len(sentences) == 17  # the segmenter's count for the seed article (tests/core/test_segment.py)
    assert all(s["source"] and s["target"] for s in sentences)
    assert "".join(s["source"] for s in sentences).replace(" ", "") == seed_article.replace("\n", "").replace(" ", "")
    assert body["translation"]["text"].count("\n") >= 11  # paragraph breaks kept
    topics = {t["topic"] for t in body["tags"]}
    assert {"open-source", "artificial-intelligence", "ai-policy", "big-tech"} <= topics
    for tag in body["tags"]:
        for ev in tag["evidence"]:
            text = seed_article if ev["field"] == "source" else body["translation"]["text"]
            assert text[ev["start"]:ev["end"]] == ev["term"]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("POST", "/v1/analyze", {"data": "{oops", "headers": {"Content-Type": "application/json"}}, 400),
        ("POST", "/v1/analyze", {"data": "text=olá", "headers": {"Content-Type": "text/plain"}}, 415),
        ("POST", "/v1/analyze", {"json": {"text": "olá", "extra": 1}}, 422),
        ("POST", "/v1/analyze", {"json": {"text": ""}}, 422),
        ("POST", "/v1/analyze", {"json": {"text": "x" * 100_001}}, 422),
        ("POST", "/v1/analyze", {"data": b"{" + b" " * (1024 * 1024 + 10) + b"}",
                                 "headers": {"Content-Type": "application/json"}}, 413),
        ("GET", "/v1/nowhere", {}, 404),
        ("DELETE", "/v1/analyze", {}, 405),
        ("POST", "/v1/analyze", {"json": {"text": "Der Vertrag wurde gestern vom Parlament unterzeichnet."}}, 422),
    ],
)
def test_errors_over_http(server: Server, method: str, path: str, kwargs: dict, status: int) -> None:
    response = call(server, method, path, **kwargs)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert call(server, "GET", "/healthz").status_code == 200


def test_every_endpoint_over_http(server: Server) -> None:
    for path in ("/healthz", "/readyz", "/v1/languages", "/v1/topics", "/openapi.yaml"):
        assert call(server, "GET", path).status_code == 200
    assert call(server, "POST", "/v1/detect", json={"text": "O arquivo foi salvo."}).status_code == 200
    assert call(server, "POST", "/v1/translate", json={"text": "O arquivo foi salvo."}).status_code == 200
    assert call(server, "POST", "/v1/tag", json={"text": "A Nvidia lançou um novo chip."}).status_code == 200


def test_concurrent_requests_all_answered(server: Server) -> None:
    def worker(i: int) -> int:
        return requests.post(server.url + "/v1/translate", json={"text": f"O arquivo {i} não foi encontrado."},
                             timeout=60).status_code

    assert concurrently(12, worker) == [200] * 12


def test_graceful_shutdown_finishes_in_flight_requests(packages_dir: Path, seed_article: str,
                                                        tmp_path: Path) -> None:
    server = Server(packages_dir, tmp_path / "server.log", PONTE_WORKERS="1", PONTE_CACHE_SIZE="0",
                    PONTE_DOCUMENT_CACHE_CHARS="0", PONTE_LOG_LEVEL="DEBUG")
    server.start()
    answers: list[int] = []
    text = "\n".join([seed_article] * 3)
    request = threading.Thread(target=lambda: answers.append(
        requests.post(server.url + "/v1/analyze", json={"text": text}, timeout=120).status_code))
    request.start()
    server.wait_for_log("POST /v1/analyze started")  # the worker has the request
    code = server.stop(timeout=60)
    request.join()
    assert answers == [200]
    assert code == 0
