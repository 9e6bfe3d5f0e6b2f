"""The image has one name: what `make image` tags is what deploy/kubernetes, the docs and the container checks use;
every command block the docs mark for the check is run by it (tests/integration/container)."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import yaml

from tests.integration.container.conftest import DOC_IMAGE, doc_blocks
from tests.server import ROOT

DOCS = [ROOT / "README.md", ROOT / "models" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
K8S = ROOT / "deploy" / "kubernetes"
# a docker/podman command naming the image without its tag
UNTAGGED = r"(?:docker|podman)[^\n`]*?(?:-t|--tag)\s+ponte(?!:)\b|\bponte (?:analyze|merge|models)\b"


def built_image() -> str:
    """The name `make image` gives the image (make -n prints the command with IMAGE expanded)."""
    dry = subprocess.run(["make", "--no-print-directory", "-n", "image"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    match = re.search(r"IMAGE=(\S+) bash tools/container/image.sh", dry)
    assert match, dry
    return match[1]


def test_the_build_names_the_image_after_the_project_version() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert built_image() == f"ponte:{version}" == DOC_IMAGE


def test_manifests_name_the_built_image() -> None:
    image = built_image()
    name, tag = image.split(":")
    found = []
    for path in K8S.glob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text("utf-8")):
            if doc and doc.get("kind") in {"Deployment", "Job"}:
                found += [(path.name, c["image"]) for c in doc["spec"]["template"]["spec"]["containers"]]
    assert {f for f in found if f[0] in {"deployment.yaml", "job-indexed.yaml"}} == {
        ("deployment.yaml", image), ("job-indexed.yaml", image)}
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text("utf-8"))
    assert kustomization["images"] == [{"name": name, "newTag": tag}]


def test_docs_name_the_built_image() -> None:
    image = built_image()
    for path in DOCS:
        text = path.read_text("utf-8")
        named = set(re.findall(r"\bponte:[0-9][\w.+-]*", text))
        assert named <= {image}, f"{path.name}: {named}"
        untagged = re.findall(UNTAGGED, text)
        assert not untagged, f"{path.name}: {untagged}"


def test_every_marked_block_is_run_by_the_container_checks() -> None:
    blocks = doc_blocks()
    assert {"serve", "pipeline", "shards", "stream", "install-model", "serve-mounted"} <= set(blocks)
    used = set()
    for path in (ROOT / "tests" / "integration" / "container").glob("test_*.py"):
        used |= set(re.findall(r'doc_command\("([^"]+)"\)', path.read_text("utf-8")))
    assert used == set(blocks)
    for name, body in blocks.items():
        assert DOC_IMAGE in body, name
        assert "podman run" in body, name


def test_the_dockerfile_base_is_an_argument_with_the_official_default() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    assert "ARG BASE_IMAGE=python:3.11-slim\n" in dockerfile
    froms = re.findall(r"^FROM (\S+)", dockerfile, re.MULTILINE)
    assert froms == ["${BUILD_IMAGE}", "${BASE_IMAGE}"]
    assert "ARG BUILD_IMAGE=${BASE_IMAGE}\n" in dockerfile
    assert Path(ROOT / "wheels" / "README.md").is_file()  # the wheelhouse folder the build copies must exist
