"""deploy/: the Grafana dashboard has Grafana's shape, and every metric its panels and the alert rules query
is one that ponte really exports (scraped from /metrics after traffic, never from a list kept by hand)."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from prometheus_client.parser import text_string_to_metric_families

from service.core.translate import CachingTranslator
from service.web import create_app
from tests.conftest import FakeTranslator, make_settings

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "deploy" / "grafana" / "ponte.json"
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yaml"
METRIC = re.compile(r"\bponte_[a-z0-9_]+\b")
# Labels Prometheus adds at scrape time; `le` is the histogram's own.
SCRAPE_LABELS = {"job", "instance"}
LABEL_LISTS = re.compile(r"\b(?:by|on|without|ignoring|group_left|group_right)\s*\(([^)]*)\)")
MATCHERS = re.compile(r"\{([^}]*)\}")


def _dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return loaded


def _panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))


def _dashboard_queries() -> list[str]:
    dashboard = _dashboard()
    queries = [t["expr"] for p in _panels(dashboard["panels"]) for t in p.get("targets", [])]
    queries += [v["definition"] for v in dashboard["templating"]["list"] if v["type"] == "query"]
    return queries


def _alert_queries() -> list[str]:
    rules = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def test_dashboard_has_grafanas_shape() -> None:
    dashboard = _dashboard()
    assert isinstance(dashboard["schemaVersion"], int) and dashboard["schemaVersion"] >= 36
    assert dashboard["title"] and dashboard["uid"]
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    for variable in variables.values():
        if variable["type"] == "query":
            assert variable["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, variable["name"]
    panels = list(_panels(dashboard["panels"]))
    assert len({p["id"] for p in panels}) == len(panels)
    graphs = [p for p in panels if p["type"] != "row"]
    assert len(graphs) >= 8
    for panel in graphs:
        assert panel["type"] in {"timeseries", "stat", "gauge", "bargauge", "table"}, panel["title"]
        grid = panel["gridPos"]
        assert {"h", "w", "x", "y"} <= set(grid) and grid["x"] + grid["w"] <= 24, panel["title"]
        # every panel and target reads the datasource chosen in the variable, never a fixed uid
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert panel["targets"], panel["title"]
        assert len({t["refId"] for t in panel["targets"]}) == len(panel["targets"])
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${datasource}"
            assert METRIC.search(target["expr"]), target["expr"]


def test_dashboard_covers_what_operators_need() -> None:
    queries = " ".join(_dashboard_queries())
    for needed in ("ponte_http_requests_total", "ponte_http_request_duration_seconds_bucket",
                   "ponte_translated_characters_total", "ponte_translated_sentences_total",
                   "ponte_translation_cache_hits_total", "ponte_model_ready", "ponte_workers",
                   "ponte_worker_exits_total"):
        assert needed in queries, needed


def _gunicorn_metrics() -> dict[str, set[str]]:
    """Counters gunicorn.conf.py defines (they exist only under gunicorn), as exported sample names."""
    tree = ast.parse((ROOT / "gunicorn.conf.py").read_text(encoding="utf-8"))
    names = [node.args[0].value for node in ast.walk(tree)
             if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Counter"
             and isinstance(node.args[0], ast.Constant)]
    assert names, "gunicorn.conf.py defines no Counter any more"
    return {f"{name}_total": set() for name in names}


def _scrape(app: Flask) -> dict[str, set[str]]:
    """Sample names of /metrics and the labels each carries."""
    text = app.test_client().get("/metrics").get_data(as_text=True)
    exported: dict[str, set[str]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            exported.setdefault(sample.name, set()).update(sample.labels)
    return exported


@pytest.fixture
def exported(packages_dir: Path, seed_article: str) -> dict[str, set[str]]:
    """What the app exports after some traffic: analyses (sharing sentences: cache hits), errors, a 404."""
    # Fake engines behind the real sentence cache, as argos_engine_factory puts it in front of real ones.
    app = create_app(make_settings(packages_dir),
                     engine_factory=lambda package: CachingTranslator(FakeTranslator(package), 100))
    client = app.test_client()
    for text in (seed_article, seed_article + "\nMais uma frase no fim."):
        assert client.post("/v1/analyze", json={"text": text}).status_code == 200
    assert client.post("/v1/translate", json={"text": "O código foi publicado ontem."}).status_code == 200
    assert client.post("/v1/analyze", json={"text": ""}).status_code == 422
    assert client.get("/no-such-path").status_code == 404
    return {**_scrape(app), **_gunicorn_metrics()}


@pytest.mark.parametrize("source", ["dashboard", "alerts"])
def test_every_queried_metric_and_label_is_exported(exported: dict[str, set[str]], source: str) -> None:
    queries = _dashboard_queries() if source == "dashboard" else _alert_queries()
    assert queries
    for query in queries:
        names = set(METRIC.findall(query))
        assert names, query
        missing = names - set(exported)
        assert not missing, f"{sorted(missing)} not exported, in: {query}"
        labels = set().union(*(exported[n] for n in names)) | SCRAPE_LABELS
        used = {label.strip() for group in LABEL_LISTS.findall(query) for label in group.split(",") if label.strip()}
        used |= {m.split("=")[0].rstrip("!~").strip() for group in MATCHERS.findall(query)
                 for m in group.split(",") if "=" in m}
        assert used <= labels, f"labels {sorted(used - labels)} not on {sorted(names)}, in: {query}"
