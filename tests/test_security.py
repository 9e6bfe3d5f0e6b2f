"""API keys, rate limits, response headers, debug off, and every error status as a problem document."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from service.problems import problem
from service.settings import ConfigError, load_settings
from service.web import create_app
from service.web.security import ApiKeys, is_loopback
from tests.api.test_errors import assert_problem
from tests.conftest import FakeFactory, make_settings
from tests.contract import ContractClient

KEY = "k3y-for-tests-0123456789abcdef"
OTHER_KEY = "another-key-for-tests-987654321"
TEXT = "O arquivo foi salvo com sucesso no disco rígido."


def client_for(packages_dir: Path, **overrides: Any) -> ContractClient:
    return ContractClient(create_app(make_settings(packages_dir, **overrides), engine_factory=FakeFactory())
                          .test_client())


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# --- API keys -------------------------------------------------------------------------------------------

def test_keys_are_off_by_default(client: ContractClient) -> None:
    assert client.post("/v1/detect", json={"text": TEXT}).status_code == 200


@pytest.mark.parametrize("headers", [
    {},
    bearer("wrong-key-0123456789abcdef"),
    bearer(KEY + "x"),
    {"Authorization": f"Basic {KEY}"},
    {"Authorization": "Bearer"},
    {"Authorization": KEY},
])
def test_missing_or_wrong_key_is_401(packages_dir: Path, headers: dict[str, str]) -> None:
    client = client_for(packages_dir, api_keys=(KEY,))
    response = client.post("/v1/detect", json={"text": TEXT}, headers=headers)
    body = assert_problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="ponte"')
    assert KEY not in response.get_data(as_text=True)
    assert body["instance"].startswith("urn:ponte:request:")


def test_right_key_passes(packages_dir: Path) -> None:
    client = client_for(packages_dir, api_keys=(OTHER_KEY, KEY))
    assert client.post("/v1/detect", json={"text": TEXT}, headers=bearer(KEY)).status_code == 200
    assert client.get("/v1/topics", headers={"Authorization": f"bearer  {OTHER_KEY} "}).status_code == 200


def test_open_paths_need_no_key_and_are_configurable(packages_dir: Path) -> None:
    client = client_for(packages_dir, api_keys=(KEY,))
    for path in ("/healthz", "/readyz", "/metrics"):
        assert client.get(path).status_code == 200, path
    assert client.get("/openapi.yaml").status_code == 200  # read by /docs before a key can be typed in
    without_pages = client_for(packages_dir, api_keys=(KEY,), ui=False)
    assert_problem(without_pages.get("/openapi.yaml"), 401, "unauthorized")
    closed = client_for(packages_dir, api_keys=(KEY,), auth_open_paths=("/healthz",))
    assert closed.get("/healthz").status_code == 200
    assert_problem(closed.get("/metrics"), 401, "unauthorized")
    assert closed.get("/metrics", headers=bearer(KEY)).status_code == 200


def test_keys_file_holds_digests(packages_dir: Path, tmp_path: Path) -> None:
    keys_file = tmp_path / "keys"
    keys_file.write_text(f"# the ops team\n{hashlib.sha256(KEY.encode()).hexdigest()}\n\n", encoding="utf-8")
    settings = load_settings(environ={"PONTE_API_KEYS_FILE": str(keys_file), "PONTE_PACKAGES_DIR": str(packages_dir),
                                      "PONTE_MODEL_LOADING": "off"})
    client = ContractClient(create_app(settings, engine_factory=FakeFactory()).test_client())
    assert client.post("/v1/detect", json={"text": TEXT}, headers=bearer(KEY)).status_code == 200
    assert_problem(client.post("/v1/detect", json={"text": TEXT}, headers=bearer(OTHER_KEY)), 401, "unauthorized")


def test_key_match_compares_digests() -> None:
    keys = ApiKeys(frozenset({hashlib.sha256(KEY.encode()).hexdigest()}))
    assert keys.match(KEY) == hashlib.sha256(KEY.encode()).hexdigest()[:8]
    assert keys.match(KEY[:-1]) is None
    assert keys.match("") is None
    assert not ApiKeys(frozenset()).enabled


@pytest.mark.parametrize(("environ", "message"), [
    ({"PONTE_API_KEYS": "short"}, "PONTE_API_KEYS: key #1 must be 16 to 512 characters"),
    ({"PONTE_API_KEYS": f"{KEY},has space in it 0123456789"}, "PONTE_API_KEYS: key #2"),
    ({"PONTE_API_KEYS_FILE": "/nonexistent/keys"}, "PONTE_API_KEYS_FILE: cannot read"),
    ({"PONTE_RATE_LIMIT": "lots"}, "PONTE_RATE_LIMIT='lots' is not a limit"),
    ({"PONTE_RATE_LIMIT": "0/minute"}, "PONTE_RATE_LIMIT='0/minute' is not a limit"),
    ({"PONTE_RATE_LIMIT_STORAGE_URI": "localhost"}, "PONTE_RATE_LIMIT_STORAGE_URI='localhost' is not a URI"),
    ({"PONTE_AUTH_OPEN_PATHS": "healthz"}, "PONTE_AUTH_OPEN_PATHS="),
    ({"PONTE_LOG_TEXT": "maybe"}, "PONTE_LOG_TEXT='maybe' is not valid"),
    ({"PONTE_LOG_FORMAT": "xml"}, "PONTE_LOG_FORMAT must be json or text"),
    ({"PONTE_PROXY_HOPS": "-1"}, "PONTE_PROXY_HOPS must be 0 or more"),
    ({"PROMETHEUS_MULTIPROC_DIR": "/nonexistent/metrics"}, "PROMETHEUS_MULTIPROC_DIR: no such folder"),
])
def test_bad_security_settings_name_the_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings(environ=environ)
    assert "space in it" not in str(caught.value) and "short" not in str(caught.value)  # keys never echoed


def test_keys_file_with_a_bad_line_is_refused(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys"
    keys_file.write_text(f"{hashlib.sha256(KEY.encode()).hexdigest()}\n{KEY}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="PONTE_API_KEYS_FILE: line 2 is not a sha256 hex digest") as caught:
        load_settings(environ={"PONTE_API_KEYS_FILE": str(keys_file)})
    assert KEY not in str(caught.value)


def test_settings_never_show_the_keys() -> None:
    assert KEY not in repr(load_settings(environ={"PONTE_API_KEYS": KEY}))


@pytest.mark.parametrize(("host", "warned"), [("0.0.0.0", True), ("10.1.2.3", True), ("::", True),
                                              ("127.0.0.1", False), ("localhost", False), ("::1", False)])
def test_warning_when_open_beyond_loopback(packages_dir: Path, caplog: pytest.LogCaptureFixture, host: str,
                                           warned: bool) -> None:
    caplog.set_level(logging.WARNING, logger="service.web.security")
    create_app(make_settings(packages_dir, host=host, model_loading="off"), engine_factory=FakeFactory())
    assert ("API keys are off" in caplog.text) is warned
    caplog.clear()
    create_app(make_settings(packages_dir, host=host, model_loading="off", api_keys=(KEY,)),
               engine_factory=FakeFactory())
    assert "API keys are off" not in caplog.text


def test_is_loopback() -> None:
    assert is_loopback("127.0.0.5") and is_loopback("[::1]") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org")


# --- rate limits ----------------------------------------------------------------------------------------

def test_rate_limit_is_429_with_retry_after(packages_dir: Path) -> None:
    client = client_for(packages_dir, rate_limit="3/minute")
    for _ in range(3):
        assert client.post("/v1/detect", json={"text": TEXT}).status_code == 200
    response = client.get("/v1/topics")  # one budget across routes
    assert_problem(response, 429, "too-many-requests")
    assert 1 <= int(response.headers["Retry-After"]) <= 61
    # probes and scrapes are not limited
    assert client.get("/healthz").status_code == 200
    assert client.get("/metrics").status_code == 200


def test_rate_limit_is_per_key_with_keys(packages_dir: Path) -> None:
    client = client_for(packages_dir, rate_limit="2/minute", api_keys=(KEY, OTHER_KEY))
    for _ in range(2):
        assert client.get("/v1/topics", headers=bearer(KEY)).status_code == 200
    assert_problem(client.get("/v1/topics", headers=bearer(KEY)), 429, "too-many-requests")
    assert client.get("/v1/topics", headers=bearer(OTHER_KEY)).status_code == 200
    # a wrong key is refused before it can spend anyone's budget
    assert_problem(client.get("/v1/topics", headers=bearer("not-a-key-0123456789abc")), 401, "unauthorized")


def test_rate_limit_is_per_client_address_without_keys(packages_dir: Path) -> None:
    client = client_for(packages_dir, rate_limit="1/minute")
    assert client.get("/v1/topics", environ_base={"REMOTE_ADDR": "127.0.0.2"}).status_code == 200
    assert_problem(client.get("/v1/topics", environ_base={"REMOTE_ADDR": "127.0.0.2"}), 429, "too-many-requests")
    assert client.get("/v1/topics", environ_base={"REMOTE_ADDR": "127.0.0.3"}).status_code == 200


def test_unreachable_shared_storage_falls_back_to_memory(packages_dir: Path) -> None:
    # nothing listens on loopback port 1: the limiter must keep counting in memory, not fail every request
    client = client_for(packages_dir, rate_limit="2/minute", rate_limit_storage_uri="redis://127.0.0.1:1/0")
    assert [client.get("/v1/topics").status_code for _ in range(3)] == [200, 200, 429]


def test_forwarded_address_is_trusted_only_with_proxy_hops(packages_dir: Path) -> None:
    behind = client_for(packages_dir, rate_limit="1/minute", proxy_hops=1)
    assert behind.get("/v1/topics", headers={"X-Forwarded-For": "192.0.2.1"}).status_code == 200
    assert behind.get("/v1/topics", headers={"X-Forwarded-For": "192.0.2.2"}).status_code == 200
    direct = client_for(packages_dir, rate_limit="1/minute")
    assert direct.get("/v1/topics", headers={"X-Forwarded-For": "192.0.2.1"}).status_code == 200
    assert_problem(direct.get("/v1/topics", headers={"X-Forwarded-For": "192.0.2.2"}), 429, "too-many-requests")


# --- every error status, headers, debug -----------------------------------------------------------------

@pytest.mark.parametrize(("status", "slug", "settings", "request_args"), [
    (401, "unauthorized", {"api_keys": (KEY,)}, ("POST", "/v1/analyze", {"json": {"text": TEXT}})),
    (413, "payload-too-large", {"max_body_bytes": 100}, ("POST", "/v1/analyze", {"json": {"text": "a" * 200}})),
    (415, "unsupported-media-type", {}, ("POST", "/v1/analyze", {"data": TEXT})),
    (422, "validation-error", {}, ("POST", "/v1/analyze", {"json": {"text": TEXT, "x": 1}})),
    (404, "not-found", {}, ("GET", "/v1/nothing", {})),
    (405, "method-not-allowed", {}, ("PUT", "/v1/analyze", {})),
    (400, "malformed-json", {}, ("POST", "/v1/analyze", {"data": "{", "content_type": "application/json"})),
])
def test_every_error_status_is_a_problem_with_safe_headers(packages_dir: Path, status: int, slug: str,
                                                           settings: dict[str, Any], request_args: tuple) -> None:
    client = client_for(packages_dir, **settings)
    method, path, kwargs = request_args
    response = client.open(method, path, **kwargs)
    body = assert_problem(response, status, slug)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert body["instance"] == f"urn:ponte:request:{response.headers['X-Request-ID']}"
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "/work/" not in text and ".py" not in text


def test_429_is_a_problem(packages_dir: Path) -> None:
    client = client_for(packages_dir, rate_limit="1/hour")
    client.get("/v1/topics")
    response = client.get("/v1/topics")
    assert_problem(response, 429, "too-many-requests")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("text", "shown"), [
    ("could not parse ModelProto from /tmp/x1/pkgs/pt_en/sentencepiece.model", "from .../sentencepiece.model"),
    ("Unable to open file 'model.bin' in model '/opt/models/pt_en/model'", "in model '.../model'"),
    ("see https://example.org/a/b", "see https://example.org/a/b"),
    ("the pt->en model is failed", "the pt->en model is failed"),
])
def test_server_errors_carry_no_file_path(text: str, shown: str) -> None:
    body = problem(503, "model-unavailable", "Model unavailable", text, models=[{"detail": text}])
    assert shown in body["detail"] and shown in body["models"][0]["detail"]
    assert problem(404, "not-found", "Not found", "There is no /v1/a/b here")["detail"].endswith("/v1/a/b here")


def test_every_success_has_nosniff(client: ContractClient) -> None:
    for path in ("/healthz", "/readyz", "/metrics", "/openapi.yaml", "/v1/topics", "/v1/languages"):
        assert client.get(path).headers["X-Content-Type-Options"] == "nosniff", path


def test_debug_is_never_on(packages_dir: Path, monkeypatch: pytest.MonkeyPatch, fake_factory: FakeFactory) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app: Flask = create_app(make_settings(packages_dir), engine_factory=fake_factory)
    assert app.debug is False
    assert app.config["PROPAGATE_EXCEPTIONS"] is False

    def explode(sentences: Any) -> list[str]:
        raise RuntimeError(f"boom in {__file__}")

    fake_factory.engines["pt"].translate = explode  # type: ignore[method-assign]
    response = ContractClient(app.test_client()).post("/v1/translate", json={"text": TEXT})
    assert_problem(response, 500, "internal-error")
    assert __file__ not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
