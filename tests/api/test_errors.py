"""Every error leaves as application/problem+json with its status, and the app keeps serving."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from service.web import create_app
from tests.conftest import FakeFactory, make_settings
from tests.contract import ContractClient

PROBLEM = "application/problem+json"


def assert_problem(response, status: int, slug: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["type"] == f"urn:ponte:problem:{slug}"
    assert body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(
    ("data", "content_type", "status", "slug"),
    [
        ("{not json", "application/json", 400, "malformed-json"),
        ('{"text": "ol\u00e1"', "application/json", 400, "malformed-json"),
        (b"\xff\xfe{}", "application/json", 400, "malformed-json"),
        ("[" * 100_000, "application/json", 400, "malformed-json"),
        ("text=ola", "application/x-www-form-urlencoded", 415, "unsupported-media-type"),
        ('{"text": "olá"}', "text/plain", 415, "unsupported-media-type"),
        ('{"text": "olá"}', None, 415, "unsupported-media-type"),
        ('{"text": "olá", "colour": "red"}', "application/json", 422, "validation-error"),
        ('{"text": ""}', "application/json", 422, "validation-error"),
        ('{"text": "   \\n  "}', "application/json", 422, "validation-error"),
        ("{}", "application/json", 422, "validation-error"),
        ('{"text": 42}', "application/json", 422, "validation-error"),
        ('["olá"]', "application/json", 422, "validation-error"),
        ('"olá"', "application/json", 422, "validation-error"),
        ('{"text": "olá", "source_language": "Portuguese"}', "application/json", 422, "validation-error"),
        ('{"text": "olá", "id": 7}', "application/json", 422, "validation-error"),
    ],
)
@pytest.mark.parametrize("path", ["/v1/analyze", "/v1/translate", "/v1/detect", "/v1/tag"])
def test_bad_requests_are_problems(client: ContractClient, path: str, data, content_type, status, slug) -> None:
    if path in ("/v1/detect", "/v1/tag") and "source_language" in str(data):
        status, slug = 422, "validation-error"  # unknown field there
    if path != "/v1/analyze" and '"id"' in str(data):
        status, slug = 422, "validation-error"
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(path, data=data, headers=headers)
    assert_problem(response, status, slug)
    # and the app still serves
    assert client.get("/healthz").status_code == 200


def test_field_errors_point_at_the_field(client: ContractClient) -> None:
    body = assert_problem(client.post("/v1/analyze", json={"text": "olá", "colour": "red"}), 422, "validation-error")
    assert {"pointer": "/colour", "detail": "Unknown field."} in body["errors"]
    body = assert_problem(client.post("/v1/analyze", json={}), 422, "validation-error")
    assert body["errors"][0]["pointer"] == "/text"


def test_text_over_max_chars_is_422(packages_dir: Path) -> None:
    client = ContractClient(create_app(make_settings(packages_dir, max_chars=50), engine_factory=FakeFactory())
                            .test_client())
    body = assert_problem(client.post("/v1/analyze", json={"text": "a" * 51}), 422, "validation-error")
    assert "limit is 50" in body["errors"][0]["detail"]
    assert client.post("/v1/analyze", json={"text": "O arquivo foi salvo com sucesso no disco."}).status_code == 200


def test_body_over_max_bytes_is_413(packages_dir: Path) -> None:
    client = ContractClient(create_app(make_settings(packages_dir, max_body_bytes=1000), engine_factory=FakeFactory())
                            .test_client())
    body = assert_problem(client.post("/v1/analyze", json={"text": "x" * 2000}), 413, "payload-too-large")
    assert "1000 bytes" in body["detail"] and "PONTE_MAX_BODY_BYTES" in body["detail"]  # the limit, stated
    assert client.get("/healthz").status_code == 200


def test_unknown_path_is_404(client: ContractClient) -> None:
    body = assert_problem(client.get("/v1/nothing"), 404, "not-found")
    assert "/v1/nothing" in body["detail"]
    assert_problem(client.post("/v2/analyze", json={"text": "olá"}), 404, "not-found")


@pytest.mark.parametrize(("method", "path"), [("GET", "/v1/analyze"), ("PUT", "/v1/translate"),
                                              ("DELETE", "/v1/topics"), ("POST", "/healthz")])
def test_wrong_method_is_405_with_allow(client: ContractClient, method: str, path: str) -> None:
    response = client.open(method, path)
    assert_problem(response, 405, "method-not-allowed")
    assert response.headers["Allow"]


def test_unsupported_language_is_422_naming_it(client: ContractClient) -> None:
    response = client.post("/v1/analyze", json={"text": "Der Vertrag wurde gestern vom Parlament in Berlin "
                                                        "unterzeichnet und tritt im Januar in Kraft."})
    body = assert_problem(response, 422, "unsupported-language")
    assert body["language"] == "de"
    assert "'de'" in body["detail"]
    forced = assert_problem(client.post("/v1/translate", json={"text": "hola", "source_language": "es"}),
                            422, "unsupported-language")
    assert forced["language"] == "es"


def test_undetectable_text_is_422(client: ContractClient) -> None:
    assert_problem(client.post("/v1/analyze", json={"text": "12345 67890 !!!"}), 422, "language-not-detected")


def test_missing_model_is_503_while_detect_and_tag_work(tmp_path: Path) -> None:
    empty = tmp_path / "no-packages"
    empty.mkdir()
    client = ContractClient(create_app(make_settings(empty), engine_factory=FakeFactory()).test_client())
    text = "A Meta lançou o Llama 3 como modelo de código aberto, disse a empresa nesta terça-feira."
    response = client.post("/v1/analyze", json={"text": text})
    body = assert_problem(response, 503, "model-unavailable")
    assert response.headers["Retry-After"]
    assert "pt->en" in body["detail"]
    assert_problem(client.post("/v1/translate", json={"text": text}), 503, "model-unavailable")
    assert client.post("/v1/detect", json={"text": text}).get_json()["code"] == "pt"
    tags = {t["topic"] for t in client.post("/v1/tag", json={"text": text}).get_json()["tags"]}
    assert "big-tech" in tags
    ready = assert_problem(client.get("/readyz"), 503, "not-ready")
    assert "no installed package for pt->en" in ready["detail"]


def test_failed_model_load_is_503_and_readyz_says_why(packages_dir: Path) -> None:
    client = ContractClient(create_app(make_settings(packages_dir), engine_factory=FakeFactory(fail=True))
                            .test_client())
    body = assert_problem(client.post("/v1/translate", json={"text": "O arquivo foi salvo."}), 503,
                          "model-unavailable")
    assert "failed" in body["detail"]
    ready = assert_problem(client.get("/readyz"), 503, "not-ready")
    assert ready["models"][0]["status"] == "failed"
    assert "model.bin is corrupt" in ready["models"][0]["detail"]


def test_unexpected_error_is_500_without_internals(app: Flask, fake_factory: FakeFactory,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    engine = fake_factory.engines["pt"]

    def explode(sentences):
        raise KeyError("/secret/path/model.bin")

    engine.translate = explode  # type: ignore[method-assign]
    client = ContractClient(app.test_client())
    response = client.post("/v1/translate", json={"text": "O arquivo foi salvo no disco."})
    body = assert_problem(response, 500, "internal-error")
    assert "secret" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert "unexpected error" in caplog.text
    assert client.get("/healthz").status_code == 200
    assert body["detail"]


def test_model_loading_off_says_so(packages_dir: Path) -> None:
    client = ContractClient(create_app(make_settings(packages_dir, model_loading="off"),
                                       engine_factory=FakeFactory()).test_client())
    ready = assert_problem(client.get("/readyz"), 503, "not-ready")
    assert "PONTE_MODEL_LOADING=off" in ready["detail"]
    assert client.post("/v1/detect", json={"text": "O arquivo foi salvo no disco com sucesso."}).status_code == 200
