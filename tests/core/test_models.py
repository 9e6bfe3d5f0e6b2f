"""The model registry: what is installed, each model's state (announced as it changes), and the engines."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from service.core.exceptions import ModelNotReadyError, UnsupportedLanguageError
from service.core.models import FAILED, LOADING, READY, ModelRegistry, ModelState
from tests.conftest import FakeFactory, FakeTranslator


class Recorder:
    """A state listener that keeps every announcement, in order."""

    def __init__(self) -> None:
        self.states: list[ModelState] = []

    def __call__(self, state: ModelState) -> None:
        self.states.append(state)

    def statuses(self) -> list[str]:
        return [s.status for s in self.states]


def test_scan_announces_each_package_as_loading(packages_dir: Path) -> None:
    heard = Recorder()
    registry = ModelRegistry(packages_dir, "en", FakeFactory(), on_change=heard)
    assert registry.not_ready_reason() == "models are being discovered"
    registry.scan()
    assert heard.statuses() == [LOADING]
    assert heard.states[0].source_language == "pt" and heard.states[0].package.startswith("translate-pt_en")
    assert registry.languages() == ("pt",)
    assert "loading" in (registry.not_ready_reason() or "")


def test_load_all_warms_up_and_announces_ready(packages_dir: Path) -> None:
    heard = Recorder()
    factory = FakeFactory()
    registry = ModelRegistry(packages_dir, "en", factory, on_change=heard)
    registry.load_all()
    assert heard.statuses() == [LOADING, READY]
    assert registry.not_ready_reason() is None
    engine = registry.engine("pt")
    assert isinstance(engine, FakeTranslator)
    assert factory.engines["pt"].calls[0] == ["Olá."]  # the warm-up translation ran before READY


def test_a_failing_model_is_failed_with_its_reason(packages_dir: Path) -> None:
    heard = Recorder()
    registry = ModelRegistry(packages_dir, "en", FakeFactory(fail=True), on_change=heard)
    registry.load_all()
    assert heard.statuses() == [LOADING, FAILED]
    assert "model.bin is corrupt" in (heard.states[-1].detail or "")
    with pytest.raises(ModelNotReadyError, match="failed"):
        registry.engine("pt")
    assert "failed" in (registry.not_ready_reason() or "")


def test_a_warm_up_that_returns_nothing_fails_the_model(packages_dir: Path) -> None:
    class Mute(FakeTranslator):
        def translate(self, sentences: object) -> list[str]:
            return []

    registry = ModelRegistry(packages_dir, "en", lambda package: Mute(package))
    registry.load_all()
    assert [s.status for s in registry.states()] == [FAILED]


def test_unknown_language_is_unsupported_but_a_required_missing_one_is_not_ready(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path, "en", FakeFactory(), required=("pt",))
    registry.load_all()
    with pytest.raises(UnsupportedLanguageError) as unsupported:
        registry.engine("de")
    assert unsupported.value.available == ()
    with pytest.raises(ModelNotReadyError, match="not installed"):
        registry.engine("pt")
    assert "no installed package for pt->en" in (registry.not_ready_reason() or "")


def test_a_broken_package_folder_is_reported_not_fatal(packages_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "packages"
    shutil.copytree(packages_dir, folder)
    (folder / "not-a-package").mkdir()
    heard = Recorder()
    registry = ModelRegistry(folder, "en", FakeFactory(), on_change=heard)
    registry.load_all()
    by_package = {s.package: s.status for s in registry.states()}
    assert by_package["not-a-package"] == FAILED
    assert READY in by_package.values()
    assert registry.languages() == ("pt",)  # the broken folder is no language
    assert {s.package for s in heard.states} == set(by_package)


def test_background_loading_ends_ready_and_is_not_a_daemon(packages_dir: Path) -> None:
    """Not a daemon: a process ending while a model loads waits for it (CTranslate2 aborts otherwise)."""
    gate = threading.Event()

    class Slow(FakeTranslator):
        def translate(self, sentences: object) -> list[str]:
            gate.wait(10)
            return super().translate(sentences)  # type: ignore[arg-type]

    heard = Recorder()
    registry = ModelRegistry(packages_dir, "en", lambda package: Slow(package), on_change=heard)
    registry.scan()
    thread = registry.load_in_background()
    assert not thread.daemon
    assert registry.states()[0].status == LOADING
    gate.set()
    thread.join(10)
    assert heard.statuses() == [LOADING, READY]
