"""A corrupt model through the real engine factory: the worker starts, /readyz says why, translation answers
503, detection and tagging keep working, and no file path leaks into a response."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from service.web import create_app
from tests.api.test_errors import assert_problem
from tests.conftest import make_settings
from tests.contract import ContractClient

TEXT = "A Nvidia lançou um novo chip de inteligência artificial para centros de dados."


@pytest.fixture(params=["*/model/model.bin", "*/sentencepiece.model"])
def corrupt_packages(request: pytest.FixtureRequest, own_packages_dir: Path) -> Path:
    (victim,) = own_packages_dir.glob(request.param)
    victim.write_bytes(b"this is not a model" * 100)
    return own_packages_dir


@pytest.mark.parametrize("loading", ["eager", "background"])
def test_corrupt_model_file(corrupt_packages: Path, loading: str) -> None:
    app = create_app(make_settings(corrupt_packages, model_loading=loading))  # the real engine factory
    client = ContractClient(app.test_client())
    assert client.get("/healthz").status_code == 200
    deadline = time.monotonic() + 60
    while "loading" in client.get("/readyz").get_data(as_text=True) and time.monotonic() < deadline:
        time.sleep(0.1)
    ready = assert_problem(client.get("/readyz"), 503, "not-ready")
    assert ready["models"][0]["status"] == "failed"
    assert ready["models"][0]["detail"]
    for path in ("/v1/translate", "/v1/analyze"):
        response = client.post(path, json={"text": TEXT})
        body = assert_problem(response, 503, "model-unavailable")
        assert response.headers["Retry-After"]
        assert "failed" in body["detail"]
    assert client.post("/v1/detect", json={"text": TEXT}).get_json()["code"] == "pt"
    assert isinstance(client.post("/v1/tag", json={"text": TEXT}).get_json()["tags"], list)
    for response in (client.get("/readyz"), client.post("/v1/translate", json={"text": TEXT})):
        text = response.get_data(as_text=True)
        assert str(corrupt_packages) not in text and "model.bin'" not in text and "/tmp" not in text, text
