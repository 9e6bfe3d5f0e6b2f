"""deploy/kubernetes: valid for the newest Kubernetes versions, and in step with what the service serves and reads."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path, PurePosixPath
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml
from flask import Flask
from kubernetes_validate.utils import all_versions  # type: ignore[import-untyped]

from service import shards
from service.cli import analyze as cli_analyze
from service.core.tagging import load_taxonomy
from service.settings import ConfigError, Settings, api_key_digests, env_name, load_settings
from service.web import create_app
from tests.conftest import FakeFactory, make_settings

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "kubernetes"
# Every API version the manifests are checked against: the two newest minor versions the validator bundles.
VERSIONS = sorted({".".join(v.split(".")[:2]) for v in all_versions()},
                  key=lambda v: tuple(int(p) for p in v.split(".")))[-2:]
# What one gunicorn worker needs with a real Argos-size model (docs/kubernetes.md, "Sizing"): ~150 MB of
# worker (measured with the test package) + ~130 MB of CTranslate2 translator; plus the arbiter.
WORKER_MB, ARBITER_MB = 280, 40


# ---------------------------------------------------------------- what the service reads and serves
# The two lookups the manifests are checked against; re-point them when the settings or the app move.


def settings_env_names() -> set[str]:
    """Every environment variable the settings module reads."""
    return {env_name(f.name) for f in fields(Settings)} | {"ARGOS_PACKAGES_DIR"}


def served_get_paths(app: Flask) -> set[str]:
    """Every path the app answers GET on."""
    return {rule.rule for rule in app.url_map.iter_rules() if "GET" in (rule.methods or set())}


# ---------------------------------------------------------------- reading the manifests


def manifest_files() -> list[Path]:
    return sorted(p for p in K8S.rglob("*.yaml") if p.name != "kustomization.yaml")


def documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def one(path: Path, kind: str) -> dict[str, Any]:
    found = [doc for doc in documents(path) if doc["kind"] == kind]
    assert len(found) == 1, f"{path.name}: expected one {kind}"
    return found[0]


def container(workload: dict[str, Any], name: str = "ponte") -> dict[str, Any]:
    containers: list[dict[str, Any]] = workload["spec"]["template"]["spec"]["containers"]
    return next(c for c in containers if c["name"] == name)


def env_of(c: dict[str, Any]) -> dict[str, Any]:
    return {item["name"]: item.get("value", item.get("valueFrom")) for item in c.get("env", [])}


@pytest.fixture(scope="module")
def deployment() -> dict[str, Any]:
    return one(K8S / "deployment.yaml", "Deployment")


@pytest.fixture(scope="module")
def job() -> dict[str, Any]:
    return one(K8S / "job-indexed.yaml", "Job")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    packages = tmp_path_factory.mktemp("no-packages")  # fake engines: the routes do not depend on models
    return create_app(make_settings(packages, model_loading="off"), engine_factory=FakeFactory())


def dockerfile_value(pattern: str) -> str:
    match = re.search(pattern, (ROOT / "Dockerfile").read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"Dockerfile: {pattern!r} not found"
    return match[1]


# ---------------------------------------------------------------- schema validation


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: str(p.relative_to(K8S)))
def test_manifest_is_valid(path: Path, version: str) -> None:
    docs = documents(path)
    assert docs
    for doc in docs:
        kubernetes_validate.validate(doc, f"{version}.0", strict=True)


def test_versions_are_the_newest_two() -> None:
    assert len(VERSIONS) == 2 and VERSIONS[-1] == ".".join(all_versions()[-1].split(".")[:2])


def kustomize(directory: Path) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed: the kustomize builds are not checked")
    result = subprocess.run([kubectl, "kustomize", str(directory)], capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="module")
def with_redis() -> Iterator[Path]:
    """An overlay as a user writes one: the base plus the redis component (kustomize wants relative paths)."""
    with tempfile.TemporaryDirectory() as folder:
        overlay = Path(folder)
        base = Path(os.path.relpath(K8S, overlay))
        (overlay / "kustomization.yaml").write_text(yaml.safe_dump(
            {"resources": [str(base)], "components": [str(base / "redis")]}))
        yield overlay


@pytest.mark.parametrize("version", VERSIONS)
def test_kustomize_base_is_valid(version: str) -> None:
    docs = kustomize(K8S)
    assert sorted(d["kind"] for d in docs) == ["ConfigMap", "Deployment", "HorizontalPodAutoscaler",
                                               "PodDisruptionBudget", "Secret", "Service"]
    for doc in docs:
        kubernetes_validate.validate(doc, f"{version}.0", strict=True)


@pytest.mark.parametrize("version", VERSIONS)
def test_kustomize_with_redis_is_valid(with_redis: Path, version: str) -> None:
    docs = kustomize(with_redis)
    for doc in docs:
        kubernetes_validate.validate(doc, f"{version}.0", strict=True)
    ponte = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "ponte")
    env = env_of(container(ponte))
    assert set(env) <= settings_env_names()
    # the storage URI names the Redis Service and its port
    redis = next(d for d in docs if d["kind"] == "Service" and d["metadata"]["name"] == "ponte-redis")
    uri = env["PONTE_RATE_LIMIT_STORAGE_URI"]
    assert uri == f"redis://{redis['metadata']['name']}:{redis['spec']['ports'][0]['port']}/0"
    assert load_settings(environ={"PONTE_RATE_LIMIT": env["PONTE_RATE_LIMIT"],
                                  "PONTE_RATE_LIMIT_STORAGE_URI": uri}).rate_limit == env["PONTE_RATE_LIMIT"]


# ---------------------------------------------------------------- the Deployment against the service


def test_every_env_var_is_a_setting(deployment: dict[str, Any]) -> None:
    names = set(env_of(container(deployment)))
    unknown = names - settings_env_names()
    assert not unknown, f"deployment.yaml sets variables the service does not read: {sorted(unknown)}"


def test_redis_component_sets_only_settings() -> None:
    component = yaml.safe_load((K8S / "redis" / "kustomization.yaml").read_text(encoding="utf-8"))
    patches = [yaml.safe_load(p["patch"]) for p in component["patches"]]
    names = {name for patch in patches for name in env_of(container(patch))}
    assert names == {"PONTE_RATE_LIMIT", "PONTE_RATE_LIMIT_STORAGE_URI"}
    assert names <= settings_env_names()


def probes(c: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {kind: c[kind]["httpGet"] for kind in ("startupProbe", "readinessProbe", "livenessProbe")}


def test_probes_are_served_and_open(deployment: dict[str, Any], app: Flask) -> None:
    c = container(deployment)
    paths = {kind: probe["path"] for kind, probe in probes(c).items()}
    assert paths == {"startupProbe": "/readyz", "readinessProbe": "/readyz", "livenessProbe": "/healthz"}
    for path in paths.values():
        assert path in served_get_paths(app)
        # with API keys or a rate limit on, the kubelet (which sends no key) must still get through
        assert path in Settings().auth_open_paths


def test_readiness_probe_answers_only_when_ready(app: Flask, tmp_path: Path, packages_dir: Path) -> None:
    assert app.test_client().get("/readyz").status_code == 503  # no model: unready, yet alive
    assert app.test_client().get("/healthz").status_code == 200
    ready = create_app(make_settings(packages_dir), engine_factory=FakeFactory())
    assert ready.test_client().get("/readyz").status_code == 200


def test_ports_agree(deployment: dict[str, Any]) -> None:
    c = container(deployment)
    env = env_of(c)
    listens = int(env.get("PONTE_PORT", dockerfile_value(r"PONTE_PORT=(\d+)")))
    assert load_settings(environ={"PONTE_PORT": str(listens)}).port == listens
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    assert list(ports.values()) == [listens]
    for probe in probes(c).values():
        assert ports.get(probe["port"], probe["port"]) == listens
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert int(annotations["prometheus.io/port"]) == listens
    service = one(K8S / "service.yaml", "Service")
    assert [p["targetPort"] for p in service["spec"]["ports"]] == ["http"] and "http" in ports
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]


def test_runs_as_the_image_user_on_a_read_only_root(deployment: dict[str, Any]) -> None:
    uid = int(dockerfile_value(r"^USER (\d+)"))
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == uid
    c = container(deployment)
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    volumes = {v["name"]: v for v in pod["volumes"]}
    writable = {m["mountPath"] for m in c["volumeMounts"] if "emptyDir" in volumes[m["name"]]}
    # the prometheus multiprocess folder (tempfile in gunicorn.conf.py) and gunicorn's heartbeat files; nothing else
    # (argostranslate's folders are in the image: make container-check runs it with only /tmp writable)
    assert writable == {tempfile.gettempdir()}


def test_termination_waits_for_the_preStop_sleep_and_gunicorn(deployment: dict[str, Any]) -> None:
    pod = deployment["spec"]["template"]["spec"]
    c = container(deployment)
    graceful = load_settings(environ={"PONTE_GRACEFUL_TIMEOUT": env_of(c)["PONTE_GRACEFUL_TIMEOUT"]}).graceful_timeout
    sleep = c["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert sleep >= 5  # long enough for the endpoint removal to reach the proxies
    assert pod["terminationGracePeriodSeconds"] > sleep + graceful


def test_resources_fit_the_workers(deployment: dict[str, Any]) -> None:
    c = container(deployment)
    env = env_of(c)
    workers = int(env["PONTE_WORKERS"])
    assert int(env["PONTE_INTER_THREADS"]) == workers
    requests, limits = c["resources"]["requests"], c["resources"]["limits"]
    assert requests == limits  # Guaranteed QoS
    assert int(limits["cpu"]) == workers  # one worker per CPU of the limit
    number, unit = re.fullmatch(r"(\d+)(Mi|Gi)", limits["memory"]).groups()  # type: ignore[union-attr]
    memory_mib = int(number) * (1024 if unit == "Gi" else 1)
    assert memory_mib >= workers * WORKER_MB + ARBITER_MB


def test_taxonomy_configmap_is_mounted_where_the_setting_points(deployment: dict[str, Any], tmp_path: Path) -> None:
    c = container(deployment)
    configmap = one(K8S / "configmap-taxonomy.yaml", "ConfigMap")
    path = PurePosixPath(env_of(c)["PONTE_TAXONOMY"])
    mount = next(m for m in c["volumeMounts"] if PurePosixPath(m["mountPath"]) == path.parent)
    volume = next(v for v in deployment["spec"]["template"]["spec"]["volumes"] if v["name"] == mount["name"])
    assert volume["configMap"]["name"] == configmap["metadata"]["name"]
    assert path.name in configmap["data"]
    local = tmp_path / path.name
    local.write_text(configmap["data"][path.name], encoding="utf-8")
    assert [t.id for t in load_taxonomy(local).topics] == ["sports"]


def test_api_keys_secret_is_mounted_and_fails_closed(deployment: dict[str, Any], tmp_path: Path) -> None:
    c = container(deployment)
    secret = one(K8S / "secret-api-keys.yaml", "Secret")
    path = PurePosixPath(env_of(c)["PONTE_API_KEYS_FILE"])
    mount = next(m for m in c["volumeMounts"] if PurePosixPath(m["mountPath"]) == path.parent)
    volume = next(v for v in deployment["spec"]["template"]["spec"]["volumes"] if v["name"] == mount["name"])
    assert volume["secret"]["secretName"] == secret["metadata"]["name"]
    local = tmp_path / path.name
    local.write_text(secret["stringData"][path.name], encoding="utf-8")
    with pytest.raises(ConfigError, match="holds no key digest"):  # as shipped: no key, no start
        api_key_digests(Settings(api_keys_file=local))
    digest = hashlib.sha256(b"a-key-of-at-least-16-chars").hexdigest()
    local.write_text(secret["stringData"][path.name] + digest + "\n", encoding="utf-8")
    assert api_key_digests(Settings(api_keys_file=local)) == {digest}


def test_hpa_and_pdb_target_the_deployment(deployment: dict[str, Any]) -> None:
    hpa = one(K8S / "hpa.yaml", "HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                             "name": deployment["metadata"]["name"]}
    assert "replicas" not in deployment["spec"]  # the HPA owns it
    pdb = one(K8S / "pdb.yaml", "PodDisruptionBudget")
    assert pdb["spec"]["selector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    assert hpa["spec"]["minReplicas"] > pdb["spec"]["maxUnavailable"]  # a drain never takes the last pod


# ---------------------------------------------------------------- the Indexed Job


def option(args: list[str], name: str) -> str:
    return args[args.index(name) + 1]


def test_indexed_job_shards_by_completion_index(job: dict[str, Any]) -> None:
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    assert spec["backoffLimitPerIndex"] >= 1
    assert 1 <= spec["parallelism"] <= spec["completions"]
    c = container(job)
    args = c["args"]
    assert args[0] == "analyze" and "--resume" in args
    assert int(option(args, "--shards")) == spec["completions"]
    assert f"$({shards.INDEX_VARIABLE})" in option(args, "--output")
    env = env_of(c)
    assert env[shards.INDEX_VARIABLE] == {"fieldRef": {
        "fieldPath": "metadata.annotations['batch.kubernetes.io/job-completion-index']"}}
    assert set(env) - {shards.INDEX_VARIABLE} <= settings_env_names()


def test_indexed_job_failure_policy(job: dict[str, Any]) -> None:
    spec = job["spec"]
    assert spec["template"]["spec"]["restartPolicy"] == "Never"
    rules = spec["podFailurePolicy"]["rules"]
    assert rules[0] == {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}
    fail_job = {code for rule in rules if rule["action"] == "FailJob" for code in rule["onExitCodes"]["values"]}
    assert fail_job == {cli_analyze.EXIT_USAGE, cli_analyze.EXIT_NO_MODEL, cli_analyze.EXIT_FAILED}
    # exit 4 (stopped early), 130 and 143 (interrupted, terminated) are retried: --resume continues them
    assert not fail_job & {cli_analyze.EXIT_STOPPED, cli_analyze.EXIT_INTERRUPTED, cli_analyze.EXIT_TERMINATED}
    assert {rule["onExitCodes"]["containerName"] for rule in rules if "onExitCodes" in rule} == {"ponte"}


def test_indexed_job_runs_as_the_image_user_on_a_read_only_root(job: dict[str, Any]) -> None:
    pod = job["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsUser"] == int(dockerfile_value(r"^USER (\d+)"))
    c = container(job)
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    mounts = {m["mountPath"] for m in c["volumeMounts"]}
    assert tempfile.gettempdir() in mounts
    output = PurePosixPath(option(c["args"], "--output"))
    assert any(output.is_relative_to(m) for m in mounts - {tempfile.gettempdir()})
