"""Models at run time: a package installed into a host folder with the image and mounted is served without a
rebuild; a damaged one is a clear 503 for the service and exit 3 for the pipeline step."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests

from tests.conftest import FIXTURE_MODEL
from tests.integration.container.conftest import (
    OFFLINE,
    Container,
    doc_command,
    podman,
    run_service,
    shell,
    variant_package,
)

MOUNTED = "translate-pt_en-ponte_mounted-1_1"
OWNER = (4321, 4321)
TEXT = "O arquivo não foi encontrado."


@pytest.fixture(scope="module")
def workspace(image: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documented install: the package (a renamed copy of the test package, standing for a real one, under the
    file name the docs use) installed into packages/ by the image itself, as the folder's owner."""
    root = tmp_path_factory.mktemp("models")
    variant_package(FIXTURE_MODEL, root / "translate-pt_en-1_9.argosmodel", MOUNTED, "1.1")
    (root / "packages").mkdir()
    os.chown(root / "packages", *OWNER)  # an operator's folder: the documented command runs as its owner
    shell(doc_command("install-model"), root)
    installed = root / "packages" / MOUNTED
    assert (installed / "metadata.json").is_file()
    assert (installed.stat().st_uid, installed.stat().st_gid) == OWNER
    return root


def test_a_mounted_package_is_served_without_rebuild(workspace: Path, containers: list[Container]) -> None:
    container = run_service(doc_command("serve-mounted"), workspace, containers, "mounted")
    container.wait_ready_over_http(60)
    languages = requests.get(f"{container.url}/v1/languages", timeout=10).json()
    assert MOUNTED in str(languages) and "ponte_test" not in str(languages), languages
    answer = requests.post(f"{container.url}/v1/analyze", json={"text": TEXT}, timeout=60)
    assert answer.status_code == 200 and answer.json()["translation"]["translated"] is True


@pytest.fixture(scope="module")
def corrupt(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the installed folder whose model.bin is damaged."""
    root = tmp_path_factory.mktemp("corrupt")
    packages = root / "packages"
    shell(f"cp -a {workspace / 'packages'} {packages}", root)
    (packages / MOUNTED / "model" / "model.bin").write_bytes(b"this is not a model" * 100)
    return root


def test_a_corrupt_package_is_a_clear_503_and_unhealthy(corrupt: Path, containers: list[Container]) -> None:
    container = run_service(doc_command("serve-mounted"), corrupt, containers, "corrupt")
    container.wait_until("/healthz", 200)
    for _ in range(300):  # the load is tried in the background: wait for its verdict
        status, body = container.http("/readyz")
        if "loading" not in str(body):
            break
    assert status == 503 and body["type"] == "urn:ponte:problem:not-ready", body
    (model,) = body["models"]
    assert model["package"] == MOUNTED and model["status"] == "failed" and model["detail"], model
    answer = requests.post(f"{container.url}/v1/translate", json={"text": TEXT}, timeout=30)
    assert answer.status_code == 503 and answer.json()["type"] == "urn:ponte:problem:model-unavailable"
    assert answer.headers["Retry-After"]
    health = podman("healthcheck", "run", container.name, check=False)
    assert health.returncode != 0


def test_a_corrupt_package_stops_the_pipeline_step_with_exit_3(image: str, corrupt: Path) -> None:
    data = corrupt / "data"
    data.mkdir()
    (data / "in.jsonl").write_text(f'{{"id": "a", "text": "{TEXT}"}}\n', encoding="utf-8")
    os.chown(data, *OWNER)
    result = podman("run", "--rm", *OFFLINE, "--no-healthcheck", "--user", f"{OWNER[0]}:{OWNER[1]}",
                    "--volume", f"{corrupt / 'packages'}:/opt/argos/packages:ro", "--volume", f"{data}:/data", image,
                    "analyze", "--input", "/data/in.jsonl", "--output", "/data/out.jsonl", check=False)
    assert result.returncode == 3, result.stderr
    assert MOUNTED in result.stderr, result.stderr
