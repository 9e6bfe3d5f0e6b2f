"""The built image, run for real with podman: the commands of docs/container.md and docs/kubernetes.md as written.

Skipped unless PONTE_CONTAINER_TESTS=1: `make container-check` builds the image first (`make image`) and sets it,
with PONTE_IMAGE (the image's name) and CONTAINERS_CONF (podman's settings for hosts like CI's).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.server import ROOT

DOCS = [ROOT / "docs" / "container.md", ROOT / "docs" / "kubernetes.md"]
BLOCK = re.compile(r"<!--\s*container-check:\s*(\S+)\s*-->\s*\n\s*```sh\n(.*?)\n\s*```", re.DOTALL)
DOC_IMAGE = "ponte:0.1.0"  # the name the docs give; tests/test_container_docs.py checks it is the Makefile's
IMAGE = os.environ.get("PONTE_IMAGE", DOC_IMAGE)
# The name the docs give the service's container and the host port they publish on: replaced by each test's own.
DOC_NAME, DOC_PORT = "--name ponte ", "127.0.0.1:8080:"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    skip = pytest.mark.skip(reason="container tests: set PONTE_CONTAINER_TESTS=1 (make container-check)")
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents and os.environ.get("PONTE_CONTAINER_TESTS") != "1":
            item.add_marker(skip)


def doc_blocks() -> dict[str, str]:
    """The blocks marked `<!-- container-check: NAME -->` in the docs, by name."""
    found: dict[str, str] = {}
    for path in DOCS:
        for name, body in BLOCK.findall(path.read_text(encoding="utf-8")):
            assert name not in found, f"{path.name}: two blocks named {name}"
            found[name] = body
    return found


def doc_command(name: str) -> str:
    """A marked block as the shell runs it, naming the image under test."""
    return doc_blocks()[name].replace(DOC_IMAGE, IMAGE)


def podman(*args: str, check: bool = True, timeout: float = 300, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["podman", *args], capture_output=True, text=True, timeout=timeout, check=False, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"podman {shlex.join(args)} -> {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def shell(command: str, cwd: Path, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a documented command as a user would paste it, in `cwd`."""
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=cwd, capture_output=True, text=True,
                            timeout=timeout, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"{command}\n-> {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def unique(prefix: str) -> str:
    return f"ponte-check-{prefix}-{uuid.uuid4().hex[:8]}"


@dataclass
class Container:
    """A detached container, removed with everything it wrote when the test is done."""

    name: str
    port: int | None = None
    started: float = field(default_factory=time.monotonic)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def exec(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return podman("exec", self.name, *args, check=check, timeout=60)

    def http(self, path: str) -> tuple[int, dict[str, Any]]:
        """GET a path from inside the container (works with --network none too)."""
        code = ("import json, sys, urllib.error, urllib.request\n"
                "try:\n"
                f"    r = urllib.request.urlopen('http://127.0.0.1:8080{path}', timeout=10)\n"
                "except urllib.error.HTTPError as e:\n"
                "    r = e\n"
                "print(r.status)\nprint(r.read().decode())\n")
        status, body = self.exec("python", "-c", code).stdout.split("\n", 1)
        return int(status), json.loads(body)

    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = json.loads(podman("inspect", "--format", "{{json .State}}", self.name).stdout)
        return state

    def logs(self) -> str:
        result = podman("logs", self.name, check=False)
        return result.stdout + result.stderr

    def wait_until(self, path: str, status: int, within: float = 60) -> float:
        """Poll `path` from inside until it answers `status`; the seconds since the container was started."""
        deadline = self.started + within
        while time.monotonic() < deadline:
            if not self.state()["Running"]:
                raise AssertionError(f"{self.name} exited:\n{self.logs()}")
            try:
                if self.http(path)[0] == status:
                    return time.monotonic() - self.started
            except (AssertionError, ValueError):
                pass  # not listening yet
            time.sleep(0.2)
        raise AssertionError(f"{self.name}: {path} not {status} within {within} s:\n{self.logs()}")

    def wait_ready_over_http(self, within: float = 60) -> float:
        """Poll /readyz through the published port; the seconds from `podman run` to the first 200."""
        deadline = self.started + within
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return time.monotonic() - self.started
            except (requests.ConnectionError, requests.Timeout):
                pass
            if not self.state()["Running"]:
                raise AssertionError(f"{self.name} exited:\n{self.logs()}")
            time.sleep(0.1)
        raise AssertionError(f"{self.name}: /readyz not 200 within {within} s:\n{self.logs()}")

    def remove(self) -> None:
        podman("rm", "--force", "--time", "5", self.name, check=False)


@pytest.fixture
def containers() -> Iterator[list[Container]]:
    """The containers a test starts; all removed at its end, passed or failed."""
    started: list[Container] = []
    yield started
    for container in started:
        container.remove()


def run_service(command: str, cwd: Path, started: list[Container], prefix: str) -> Container:
    """A documented `podman run --detach --name ponte ... --publish 127.0.0.1:8080:8080` with its own name and port."""
    assert DOC_NAME in command and DOC_PORT in command, command
    container = Container(unique(prefix), free_port())
    started.append(container)
    command = command.replace(DOC_NAME, f"--name {container.name} ").replace(DOC_PORT, f"127.0.0.1:{container.port}:")
    container.started = time.monotonic()
    shell(command, cwd)
    return container


def run_detached(args: list[str], started: list[Container], prefix: str) -> Container:
    """`podman run --detach` with these arguments (before the image) and the image's default command."""
    container = Container(unique(prefix))
    started.append(container)
    container.started = time.monotonic()
    podman("run", "--detach", "--name", container.name, *args, IMAGE)
    return container


# Flags of a hardened run with no network, as the docs give them.
OFFLINE = ["--network", "none", "--read-only", "--read-only-tmpfs=false", "--tmpfs", "/tmp", "--cap-drop", "ALL",
           "--security-opt", "no-new-privileges"]


def variant_package(source: Path, target: Path, name: str, version: str) -> Path:
    """The test package under another name and version: a package that cannot be mistaken for the baked-in one."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            _, _, rest = info.filename.partition("/")
            data = old.read(info)
            if rest == "metadata.json":
                metadata = json.loads(data)
                metadata["package_version"] = version
                data = json.dumps(metadata, indent=2).encode()
            new.writestr(f"{name}/{rest}", data)
    return target


@pytest.fixture(scope="session")
def image() -> str:
    assert shutil.which("podman"), "podman is not installed (make container-check installs it)"
    assert podman("image", "exists", IMAGE, check=False).returncode == 0, f"{IMAGE} is not built: make image"
    return IMAGE
