"""The pages for people (service/web/ui.py): registered only when enabled, strict headers, no inline script."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from service.web import create_app, ui
from tests.conftest import FakeFactory, make_settings

PAGES = ["/", "/docs"]


@pytest.fixture
def ui_app(packages_dir: Path) -> Flask:
    return create_app(make_settings(packages_dir), engine_factory=FakeFactory())  # the pages are on by default


def _get(app: Flask, path: str, **kwargs: Any) -> TestResponse:
    """GET and close the response (file answers stream from an open file until closed)."""
    with app.test_client().get(path, **kwargs) as response:
        response.get_data()
        return response


def _csp(header: str) -> dict[str, list[str]]:
    directives = [d.split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


@pytest.mark.parametrize("path", [*PAGES, "/ui/static/app.js", "/ui/static/vendor/swagger-ui/swagger-ui.css",
                                  "/ui/static/no-such-file.js"])
def test_strict_headers(ui_app: Flask, path: str) -> None:
    response = _get(ui_app, path, headers={"Origin": "https://elsewhere.example"})
    csp = _csp(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in source for sources in csp.values() for source in sources)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert not [h for h in response.headers.keys() if h.lower().startswith("access-control-")]  # noqa: SIM118


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_html(ui_app: Flask, path: str) -> None:
    response = _get(ui_app, path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"


# /static/...: the app's own static route would serve the same folder (service/web/static) if it had one.
@pytest.mark.parametrize("path", [*PAGES, "/ui/static/app.js", "/static/app.js"])
def test_disabled_pages_are_not_there(packages_dir: Path, path: str) -> None:
    app = create_app(make_settings(packages_dir, ui=False), engine_factory=FakeFactory())
    response = _get(app, path)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["type"] == "urn:ponte:problem:not-found"


class _ScriptFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self.handlers: list[str] = []
        self.sources: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handlers += [f"{tag} {name}" for name, _ in attrs if name.startswith("on")]
        values = dict(attrs)
        self.sources += [v for k, v in attrs if k in {"src", "href"} and v]
        if tag == "script":
            self._in_script = "src" not in values
            if self._in_script:
                self.inline.append("<script> without src")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(data.strip()[:40])


@pytest.mark.parametrize("name", ["index.html", "docs.html"])
def test_pages_have_no_inline_script_and_load_only_local_files(ui_app: Flask, name: str) -> None:
    finder = _ScriptFinder()
    finder.feed((ui.STATIC_DIR / name).read_text(encoding="utf-8"))
    assert finder.inline == []
    assert finder.handlers == []
    for source in finder.sources:
        if source.startswith("#"):
            continue
        assert source.startswith("/"), source  # never another origin
        assert _get(ui_app, source).status_code == 200, source


def test_public_paths_cover_every_static_file_and_the_pages() -> None:
    paths = ui.public_paths()
    assert {"/", "/docs", "/openapi.yaml", "/ui/static/app.js",
            "/ui/static/vendor/swagger-ui/swagger-ui-bundle.js"} <= paths
    assert len([p for p in paths if p.startswith(ui.STATIC_URL)]) == sum(
        1 for p in ui.STATIC_DIR.rglob("*") if p.is_file())


def test_pages_load_without_a_key_while_the_api_needs_one(packages_dir: Path) -> None:
    key = "k3y-for-tests-0123456789abcdef"
    app = create_app(make_settings(packages_dir, api_keys=(key,)), engine_factory=FakeFactory())
    for path in ("/", "/docs", "/ui/static/app.js", "/openapi.yaml"):
        assert _get(app, path).status_code == 200, path
    with app.test_client() as client:
        assert client.post("/v1/detect", json={"text": "O arquivo foi salvo."}).status_code == 401
        answered = client.post("/v1/detect", json={"text": "O arquivo foi salvo."},
                               headers={"Authorization": f"Bearer {key}"})
        assert answered.status_code == 200
