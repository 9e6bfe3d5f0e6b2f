"""API keys and gunicorn's bounds through a real server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.server import Server
from tests.test_security import KEY, TEXT, bearer

# --- through a real gunicorn server ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def keyed_server(packages_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(packages_dir, tmp_path_factory.mktemp("keyed-server") / "server.log", PONTE_WORKERS="1",
                    PONTE_API_KEYS=KEY)
    server.start(ready_within=60)
    yield server
    server.stop()


@pytest.mark.slow
def test_keys_and_bounds_over_http(keyed_server: Server) -> None:
    url = keyed_server.url
    refused = requests.post(url + "/v1/detect", json={"text": TEXT}, timeout=30)
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert requests.post(url + "/v1/detect", json={"text": TEXT}, headers=bearer(KEY), timeout=30).status_code == 200
    assert requests.get(url + "/healthz", timeout=30).status_code == 200
    # gunicorn's own bounds, documented in openapi.yaml
    assert requests.get(url + "/healthz?" + "a" * 5000, timeout=30).status_code == 414
    assert requests.get(url + "/healthz", headers={"X-Big": "a" * 9000}, timeout=30).status_code == 431
    many = {f"X-H{i}": "1" for i in range(110)}
    assert requests.get(url + "/healthz", headers=many, timeout=30).status_code == 431
    assert "API keys are off" not in keyed_server.log()
