"""Shared fixtures: settings, the offline Argos fixture package, apps with fake and real engines."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.core.packages import InstalledPackage, install_archive
from service.settings import Settings, apply_process_defaults, load_settings
from service.web import create_app
from tests.contract import ContractClient

apply_process_defaults()  # before any test loads CTranslate2

ROOT = Path(__file__).resolve().parents[1]
# PONTE_TEST_MODEL runs the suite over another pt->en package (the default is the committed fixture).
FIXTURE_MODEL = Path(os.environ.get("PONTE_TEST_MODEL") or ROOT / "tests" / "fixtures"
                     / "translate-pt_en-ponte_test-1_0.argosmodel")
SEED_ARTICLE = ROOT / "tests" / "data" / "article_pt.txt"


class FakeTranslator:
    """A deterministic stand-in for an engine: '[en] <sentence>', counting calls and sentences."""

    def __init__(self, package: InstalledPackage | None = None, name: str = "fake-pt_en", version: str = "1.0") -> None:
        self.name = package.name if package else name
        self.version = package.version if package else version
        self.calls: list[list[str]] = []

    def translate(self, sentences: Sequence[str]) -> list[str]:
        self.calls.append(list(sentences))
        return [f"[en] {s}" for s in sentences]


class FakeFactory:
    """Engine factory for the registry: builds FakeTranslators and remembers them."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.engines: dict[str, FakeTranslator] = {}

    def __call__(self, package: InstalledPackage) -> FakeTranslator:
        if self.fail:
            raise RuntimeError("model.bin is corrupt")
        engine = FakeTranslator(package)
        self.engines[package.from_code] = engine
        return engine


@pytest.fixture(scope="session")
def fixture_model() -> Path:
    assert FIXTURE_MODEL.is_file(), f"missing test model {FIXTURE_MODEL}; see tests/fixtures/README.md"
    return FIXTURE_MODEL


@pytest.fixture(scope="session")
def packages_dir(tmp_path_factory: pytest.TempPathFactory, fixture_model: Path) -> Path:
    """A packages folder with the real fixture pt->en package installed (shared, do not modify)."""
    target = tmp_path_factory.mktemp("argos-packages")
    install_archive(fixture_model, target)
    return target


@pytest.fixture
def own_packages_dir(tmp_path: Path, packages_dir: Path) -> Path:
    """A private copy of the installed packages, for tests that change them."""
    target = tmp_path / "packages"
    shutil.copytree(packages_dir, target)
    return target


@pytest.fixture(scope="session")
def seed_article() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


def make_settings(packages_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"packages_dir": packages_dir, "model_loading": "eager"}
    values.update(overrides)
    return load_settings(environ={}, **values)


@pytest.fixture
def fake_factory() -> FakeFactory:
    return FakeFactory()


@pytest.fixture
def app(packages_dir: Path, fake_factory: FakeFactory) -> Flask:
    """The app over the installed fixture package, with a fake engine (fast, counts calls)."""
    return create_app(make_settings(packages_dir), engine_factory=fake_factory)


@pytest.fixture
def client(app: Flask) -> ContractClient:
    return ContractClient(app.test_client())


@pytest.fixture(scope="session")
def real_app(packages_dir: Path) -> Flask:
    """The app with the real CTranslate2 engine over the fixture package."""
    return create_app(make_settings(packages_dir))


@pytest.fixture
def real_client(real_app: Flask) -> Iterator[ContractClient]:
    yield ContractClient(real_app.test_client())


__all__ = ["FakeFactory", "FakeTranslator", "FlaskClient", "make_settings"]
