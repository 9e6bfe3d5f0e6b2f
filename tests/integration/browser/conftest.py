"""Browser tests: Debian's Chromium driven by Playwright against a real gunicorn server with the pages.

Skipped unless PONTE_BROWSER_TESTS=1 (`make test-browser` sets it and runs tools/browser_setup.sh).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.server import Server

CHROMIUM = "/usr/bin/chromium"
# No GPU, no QUIC, and none of Chromium's own calls home (updates, sync, field trials): only the page's requests.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
API_KEY = "browser-test-key-0123456789"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    skip = pytest.mark.skip(reason="browser tests: set PONTE_BROWSER_TESTS=1 (make test-browser)")
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if os.environ.get("PONTE_BROWSER_TESTS") != "1":
                item.add_marker(skip)


def _serve(packages_dir: Path, log: Path, **env: str) -> Iterator[Server]:
    server = Server(packages_dir, log, **env)
    server.start()
    try:
        yield server
    finally:
        assert server.stop() == 0, server.log()


@pytest.fixture(scope="session")
def server(packages_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Open server (no keys)."""
    yield from _serve(packages_dir, tmp_path_factory.mktemp("ui-open") / "server.log")


@pytest.fixture(scope="session")
def keyed_server(packages_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server that needs an API key everywhere but on the pages, their files and the contract."""

    # the default open paths: the pages and their assets are open by themselves (service/web/security.py)
    yield from _serve(packages_dir, tmp_path_factory.mktemp("ui-keys") / "server.log", PONTE_API_KEYS=API_KEY)


@dataclass
class Browser:
    """One page, with every request it made and every console error it logged."""

    page: Any
    base: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def errors_except_status(self, *statuses: int) -> list[str]:
        """Console errors, less Chromium's own line for an expected HTTP error status of a fetch."""
        expected = tuple(f"status of {s} " for s in statuses)
        return [e for e in self.console_errors if not (e.startswith("Failed to load resource") and any(
            x in e for x in expected))]

    def axe(self) -> list[dict[str, Any]]:
        """axe-core's serious and critical violations on the current page."""
        self.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate("async () => (await axe.run(document)).violations")
        return [v for v in result if v["impact"] in {"serious", "critical"}]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def _open(chromium: Any, base: str, **context_args: Any) -> Iterator[Browser]:
    context = chromium.new_context(**context_args)
    page = context.new_page()
    seen = Browser(page, base)
    context.on("request", lambda r: seen.requests.append(r.url))
    page.on("console", lambda m: seen.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.console_errors.append(f"uncaught: {e}"))
    try:
        yield seen
    finally:
        context.close()
        outside = [u for u in seen.requests if not u.startswith(base + "/") and not u.startswith("data:")]
        assert outside == [], "requests that left the server under test"


@pytest.fixture
def browser(chromium: Any, server: Server) -> Iterator[Browser]:
    yield from _open(chromium, server.url, viewport={"width": 1280, "height": 900})


@pytest.fixture
def keyed_browser(chromium: Any, keyed_server: Server) -> Iterator[Browser]:
    yield from _open(chromium, keyed_server.url, viewport={"width": 1280, "height": 900})


@pytest.fixture
def a11y_browser(chromium: Any, server: Server) -> Iterator[Browser]:
    """CSP bypassed in this context only, so that axe-core can be injected as an inline script."""
    yield from _open(chromium, server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True)


@pytest.fixture
def phone(chromium: Any, server: Server) -> Iterator[Browser]:
    yield from _open(chromium, server.url, viewport={"width": 390, "height": 844}, is_mobile=True,
                     has_touch=True, device_scale_factor=2)
