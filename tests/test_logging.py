"""One JSON log line per request, the X-Request-ID in every line of a request, and no text in the logs."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.logs import FIELDS, JsonFormatter, TextFormatter, configure_logging, gunicorn_logconfig, stream_handler
from service.web import create_app
from tests.conftest import FakeFactory, make_settings
from tests.contract import ContractClient

SECRET_TEXT = "O contrato sigiloso da Petrobras foi assinado ontem em Brasília."


class Lines:
    """What ponte's JSON handler writes, parsed."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    def all(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines() if line.strip()]

    def requests(self) -> list[dict[str, Any]]:
        return [line for line in self.all() if line["logger"] == "service.request"]

    def raw(self) -> str:
        return self.stream.getvalue()


@pytest.fixture
def lines() -> Iterator[Lines]:
    """Capture the root logger through a JSON handler like the server's."""
    stream = io.StringIO()
    handler = stream_handler("json")
    handler.stream = stream  # type: ignore[attr-defined]
    handler._ponte = False  # type: ignore[attr-defined]  # not the app's own: create_app must not touch it
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    try:
        yield Lines(stream)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def app_client(packages_dir: Path, factory: FakeFactory | None = None, **overrides: Any) -> ContractClient:
    return ContractClient(create_app(make_settings(packages_dir, **overrides), engine_factory=factory or FakeFactory())
                          .test_client())


def test_one_json_line_per_request_with_its_facts(packages_dir: Path, lines: Lines) -> None:
    client = app_client(packages_dir)
    response = client.post("/v1/analyze", json={"text": SECRET_TEXT}, headers={"X-Request-ID": "req-42"})
    assert response.status_code == 200
    client.get("/healthz")
    requests = lines.requests()
    assert len(requests) == 2
    line = requests[0]
    assert line["request_id"] == "req-42"
    assert line["method"] == "POST" and line["route"] == "/v1/analyze" and line["status"] == 200
    assert line["text_length"] == len(SECRET_TEXT)
    assert line["language"] == "pt"
    assert line["documents"] == 1
    assert line["duration_ms"] > 0
    assert line["level"] == "INFO" and line["pid"] and line["ts"].endswith("Z")
    assert requests[1]["route"] == "/healthz" and requests[1]["request_id"] != "req-42"


def test_text_is_never_logged_by_default(packages_dir: Path, lines: Lines) -> None:
    client = app_client(packages_dir)
    for path in ("/v1/analyze", "/v1/translate", "/v1/detect", "/v1/tag"):
        client.post(path, json={"text": SECRET_TEXT})
    client.post("/v1/analyze/batch", json={"documents": [{"text": SECRET_TEXT}, {"text": ""}]})
    client.post("/v1/analyze", json={"text": SECRET_TEXT, "colour": "red"})
    assert len(lines.requests()) == 6
    assert "sigiloso" not in lines.raw()
    assert "Petrobras" not in lines.raw()


def test_text_is_logged_when_the_debug_setting_says_so(packages_dir: Path, lines: Lines) -> None:
    client = app_client(packages_dir, log_text=True)
    client.post("/v1/detect", json={"text": SECRET_TEXT})
    assert lines.requests()[0]["text"] == SECRET_TEXT


@pytest.mark.parametrize(("sent", "kept"), [
    ("abc-DEF_1.2", True),
    ("x" * 128, True),
    ("x" * 129, False),
    ("has space", False),
    ("semi;colon", False),
    ("", False),
    ("naïve", False),
])
def test_request_id_is_echoed_only_when_valid(client: ContractClient, sent: str, kept: bool) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": sent})
    echoed = response.headers["X-Request-ID"]
    if kept:
        assert echoed == sent
    else:
        assert echoed != sent
        assert len(echoed) == 32 and all(c in "0123456789abcdef" for c in echoed)  # uuid4 hex


def test_request_id_is_generated_fresh_each_time(client: ContractClient) -> None:
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(5)}
    assert len(ids) == 5


def test_every_line_of_a_request_carries_its_id(app: Any, fake_factory: FakeFactory, lines: Lines) -> None:
    def explode(sentences: Any) -> list[str]:
        raise KeyError("boom")

    fake_factory.engines["pt"].translate = explode  # type: ignore[method-assign]
    response = ContractClient(app.test_client()).post("/v1/translate", json={"text": SECRET_TEXT},
                                                      headers={"X-Request-ID": "trace-me"})
    assert response.status_code == 500
    assert response.get_json()["instance"] == "urn:ponte:request:trace-me"
    mine = [line for line in lines.all() if line.get("request_id") == "trace-me"]
    loggers = {line["logger"] for line in mine}
    assert {"service.web.errors", "service.request"} <= loggers
    error = next(line for line in mine if line["logger"] == "service.web.errors")
    assert "Traceback" in error["exception"] and "KeyError" in error["exception"]
    assert lines.requests()[-1]["level"] == "WARNING"  # a 5xx answer


def test_lines_outside_requests_have_no_id(lines: Lines) -> None:
    logging.getLogger("service.test").warning("hello %s", "there")
    line = lines.all()[-1]
    assert line["message"] == "hello there" and "request_id" not in line


def test_text_format_for_people() -> None:
    record = logging.LogRecord("service.x", logging.INFO, __file__, 1, "GET %s", ("/healthz",), None)
    setattr(record, FIELDS, {"status": 200})
    line = TextFormatter().format(record)
    assert "GET /healthz" in line and "status=200" in line and "[None]" in line
    assert json.loads(JsonFormatter().format(record))["status"] == 200


def test_configure_logging_installs_one_handler() -> None:
    root = logging.getLogger()
    configure_logging("INFO", "json")
    configure_logging("DEBUG", "text")
    ours = [h for h in root.handlers if getattr(h, "_ponte", False)]
    assert len(ours) == 1 and isinstance(ours[0].formatter, TextFormatter)
    configure_logging("INFO", "json")
    assert isinstance(ours[0].formatter, JsonFormatter)


def test_gunicorn_logs_go_through_the_same_handler() -> None:
    config = gunicorn_logconfig("INFO", "json")
    assert config["loggers"]["gunicorn.error"]["handlers"] == ["ponte"]
    assert config["handlers"]["ponte"]["()"] == "service.logs.stream_handler"
