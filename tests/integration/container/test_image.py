"""The image as built: its size, what is in it, and the service it runs (read-only, non-root, offline at start,
the same answers as `make run`, its health check)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.integration.container.conftest import (
    OFFLINE,
    Container,
    doc_command,
    podman,
    run_detached,
    run_service,
)
from tests.server import Server, serving

# Budgets of issue 23: the image on the Debian-made base with the test package, and `podman run` to ready.
MAX_IMAGE_MB = 420
MAX_START_TO_READY_S = 10.0
SEED = Path(__file__).resolve().parents[2] / "data" / "article_pt.txt"
FILES = Path(__file__).resolve().parents[2] / "data" / "files"
HEAVY = ["torch", "stanza", "spacy", "minisbd", "onnxruntime", "pip", "setuptools"]


def without_timings(analysis: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in analysis.items() if k != "timings_ms"}


def test_image_size(image: str) -> None:
    size = int(podman("image", "inspect", "--format", "{{.Size}}", image).stdout)
    print(f"\n[container-check] image {image}: {size / 1e6:.0f} MB (budget {MAX_IMAGE_MB} MB)")
    assert size <= MAX_IMAGE_MB * 1_000_000


def test_runtime_is_lean_and_every_compiled_library_loads(image: str) -> None:
    """No heavy or build-time package; every extension module of the virtualenv imports (the stripped ones too)."""
    code = (
        "import importlib, importlib.util, json, pathlib, sys, sysconfig\n"
        "site = pathlib.Path(sysconfig.get_paths()['purelib'])\n"
        "names = sorted({'.'.join(p.relative_to(site).with_suffix('').with_suffix('').parts)\n"
        "                for p in site.rglob('*.so') if '.libs' not in str(p.relative_to(site).parts[0])})\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        f"heavy = [n for n in {HEAVY!r} if importlib.util.find_spec(n)]\n"
        "print(json.dumps({'extensions': names, 'heavy': heavy, 'python': sys.version.split()[0]}))\n"
    )
    out = json.loads(podman("run", "--rm", *OFFLINE, "--no-healthcheck", "--entrypoint", "python", image,
                            "-c", code).stdout)
    assert out["heavy"] == []
    assert "ctranslate2._ext" in out["extensions"] and len(out["extensions"]) >= 5, out["extensions"]


@pytest.fixture(scope="module")
def host_server(packages_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`make run` on this machine: `python -m service serve` over the same test package."""
    yield from serving(packages_dir, tmp_path_factory.mktemp("host") / "server.log")


@pytest.fixture(scope="module")
def service(image: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Container, float]]:
    """The service started with the documented command (every hardening flag), and its start-to-ready time."""
    started: list[Container] = []
    try:
        container = run_service(doc_command("serve"), tmp_path_factory.mktemp("serve"), started, "serve")
        ready_after = container.wait_ready_over_http(60)
        print(f"\n[container-check] start to ready: {ready_after:.2f} s (budget {MAX_START_TO_READY_S:g} s)")
        yield container, ready_after
    finally:
        for container in started:
            container.remove()


def test_ready_within_budget(service: tuple[Container, float]) -> None:
    assert service[1] <= MAX_START_TO_READY_S


def test_runs_as_non_root_on_a_read_only_root_with_only_tmp_writable(service: tuple[Container, float]) -> None:
    container, _ = service
    assert container.exec("id", "-u").stdout.strip() == "10001"
    # every path the process may write, outside the pseudo file systems: /tmp (the tmpfs) and what is under it
    writable = container.exec("find", "/", "(", "-path", "/proc", "-o", "-path", "/sys", "-o", "-path", "/dev", ")",
                              "-prune", "-o", "-writable", "-print", check=False).stdout.split()
    assert writable and all(p == "/tmp" or p.startswith("/tmp/") for p in writable), writable
    mounts = container.exec("cat", "/proc/mounts").stdout.splitlines()
    by_point = {line.split()[1]: line.split() for line in mounts}
    assert by_point["/"][3].split(",")[0] == "ro"
    assert by_point["/tmp"][0] == "tmpfs" and by_point["/tmp"][3].split(",")[0] == "rw"
    assert container.exec("touch", "/home/ponte/x", check=False).returncode != 0


def test_start_up_logs_no_error(service: tuple[Container, float]) -> None:
    """Nothing at start tried to write outside /tmp or failed (argostranslate's folders, gunicorn's control socket)."""
    container, _ = service
    logs = container.logs()
    assert "Read-only file system" not in logs
    bad = [line for line in logs.splitlines() if '"level": "ERROR"' in line or '"level": "CRITICAL"' in line]
    assert bad == []


def test_seed_article_over_http_equals_make_run(service: tuple[Container, float], host_server: Server) -> None:
    container, _ = service
    body = {"text": SEED.read_text(encoding="utf-8")}
    inside = requests.post(f"{container.url}/v1/analyze", json=body, timeout=120)
    outside = requests.post(f"{host_server.url}/v1/analyze", json=body, timeout=120)
    assert inside.status_code == outside.status_code == 200
    assert without_timings(inside.json()) == without_timings(outside.json())
    assert inside.json()["translation"]["translated"] is True


@pytest.mark.parametrize("kind", sorted(p.name for p in FILES.iterdir() if p.is_dir()))
def test_a_file_of_each_format_translates_as_outside(kind: str, service: tuple[Container, float],
                                                      host_server: Server) -> None:
    """POST /v1/translate/file on the read-only root (uploads may be spooled to /tmp): the bytes `make run` gives."""
    container, _ = service
    sample = sorted(p for p in (FILES / kind).iterdir() if p.is_file() and not p.name.endswith((".md", ".json")))[0]
    answers = [requests.post(f"{url}/v1/translate/file", files={"file": (sample.name, sample.read_bytes())},
                             data={"source_language": "pt"}, timeout=120) for url in (container.url, host_server.url)]
    assert answers[0].status_code == answers[1].status_code == 200, (answers[0].text[:300], answers[1].text[:300])
    assert answers[0].content == answers[1].content


def test_no_connection_but_the_served_ones(service: tuple[Container, float]) -> None:
    """After start-up and a request: the container's sockets are its listener and inbound connections only."""
    container, _ = service
    tables = {name: container.exec("cat", f"/proc/net/{name}").stdout.splitlines()[1:]
              for name in ("tcp", "tcp6", "udp", "udp6")}
    assert tables["udp"] == tables["udp6"] == []  # no DNS lookup, no other datagram
    for line in tables["tcp"] + tables["tcp6"]:
        local, _remote, state = line.split()[1:4]
        assert state == "0A" or local.endswith(":1F90"), line  # listening, or a connection to port 8080


def test_healthcheck_passes(service: tuple[Container, float]) -> None:
    container, _ = service
    result = podman("healthcheck", "run", container.name, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_healthcheck_fails_without_a_model(image: str, tmp_path: Path, containers: list[Container]) -> None:
    """An empty packages folder mounted over the baked-in one: alive, unready, unhealthy; no network needed."""
    empty = tmp_path / "no-packages"
    empty.mkdir()
    container = run_detached([*OFFLINE, "--volume", f"{empty}:/opt/argos/packages:ro"], containers, "nomodel")
    container.wait_until("/healthz", 200)
    status, body = container.http("/readyz")
    assert status == 503 and body["type"] == "urn:ponte:problem:not-ready", body
    assert "pt" in json.dumps(body)
    result = podman("healthcheck", "run", container.name, check=False)
    assert result.returncode != 0 and "unhealthy" in result.stdout + result.stderr
