"""The model registry: what is installed, each model's state (announced as it changes), and the engines."""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from service.core import models
from service.core.exceptions import ModelNotReadyError, UnsupportedLanguageError
from service.core.models import FAILED, LOADING, READY, ModelRegistry, ModelState
from service.core.packages import BrokenPackage, InstalledPackage
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


# What the registry says and logs, with the packages a scan finds given directly (no files: FakeFactory needs none).

def package(from_code: str, name: str | None = None, to_code: str = "en") -> InstalledPackage:
    folder = name or f"translate-{from_code}_{to_code}-1_0"
    return InstalledPackage(folder, "1.0", from_code, to_code, Path("/nowhere") / folder)


def scanning(monkeypatch: pytest.MonkeyPatch, good: list[InstalledPackage],
             broken: tuple[BrokenPackage, ...] = ()) -> None:
    monkeypatch.setattr(models, "scan_packages", lambda folder: (list(good), list(broken)))


class FailingFor(FakeFactory):
    """Builds fake engines, but fails for one source language."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def __call__(self, package: InstalledPackage) -> FakeTranslator:
        if package.from_code == self.code:
            raise RuntimeError(f"no model for {self.code}")
        return super().__call__(package)


def test_a_new_registry_is_neither_scanned_nor_off(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path, "en", FakeFactory())
    assert registry.scanned is False
    assert registry.loading_off is False


def test_other_targets_are_skipped_and_the_scan_goes_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    scanning(monkeypatch, [package("de", to_code="fr"), package("pt")])
    registry = ModelRegistry(tmp_path, "en", FakeFactory())
    registry.scan()
    assert registry.languages() == ("pt",)


def test_a_second_package_for_a_pair_is_skipped_said_and_the_scan_goes_on(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    scanning(monkeypatch, [package("pt", "translate-pt_en-a"), package("pt", "translate-pt_en-b"), package("es")])
    registry = ModelRegistry(tmp_path, "en", FakeFactory())
    with caplog.at_level(logging.WARNING, logger="service.core.models"):
        registry.scan()
    assert registry.languages() == ("es", "pt")
    assert [s.package for s in registry.states()] == ["translate-es_en-1_0", "translate-pt_en-a"]
    assert [r.getMessage() for r in caplog.records] == ["two packages for pt->en; using translate-pt_en-a"]


def test_an_unusable_folder_is_logged_with_its_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    scanning(monkeypatch, [], (BrokenPackage("junk", Path("/packages/junk"), "junk: no metadata.json"),))
    registry = ModelRegistry(tmp_path, "en", FakeFactory())
    with caplog.at_level(logging.ERROR, logger="service.core.models"):
        registry.scan()
    assert [r.getMessage() for r in caplog.records] == [
        "unusable package folder /packages/junk: junk: no metadata.json"]


def test_a_failed_model_leaves_the_next_loading_and_both_are_logged(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    scanning(monkeypatch, [package("es"), package("pt")])
    ticks = iter([100.0, 200.0, 250.0])  # es starts; pt starts, pt ends 50 s later
    monkeypatch.setattr(models, "time", SimpleNamespace(perf_counter=lambda: next(ticks)))
    registry = ModelRegistry(tmp_path, "en", FailingFor("es"))
    with caplog.at_level(logging.INFO, logger="service.core.models"):
        registry.load_all()
    assert [(s.source_language, s.status, s.detail) for s in registry.states()] == [
        ("es", FAILED, "RuntimeError: no model for es"), ("pt", READY, None)]
    assert [r.getMessage() for r in caplog.records] == [
        "loading translate-es_en-1_0 failed", "model translate-pt_en-1_0 (pt->en) ready in 50.00 s"]


def test_an_empty_warm_up_fails_the_model_with_that_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    class Mute(FakeTranslator):
        def translate(self, sentences: object) -> list[str]:
            return []

    scanning(monkeypatch, [package("pt")])
    registry = ModelRegistry(tmp_path, "en", lambda package: Mute(package))
    registry.load_all()
    assert [s.detail for s in registry.states()] == ["RuntimeError: warm-up translation returned no sentence"]


def test_a_failing_scan_shows_in_the_reason_and_the_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    def unreadable(folder: Path) -> None:
        raise PermissionError("the packages folder is unreadable")

    monkeypatch.setattr(models, "scan_packages", unreadable)
    registry = ModelRegistry(tmp_path, "en", FakeFactory())
    with caplog.at_level(logging.ERROR, logger="service.core.models"):
        registry.load_in_background().join(10)
    assert registry.not_ready_reason() == "model loading failed: PermissionError: the packages folder is unreadable"
    assert [r.getMessage() for r in caplog.records] == ["model loading failed"]


def test_the_loader_thread_is_named_and_never_a_daemon_even_from_a_daemon(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path, "en", FakeFactory(), required=())
    loaders: list[threading.Thread] = []
    starter = threading.Thread(target=lambda: loaders.append(registry.load_in_background()), daemon=True)
    starter.start()
    starter.join(10)
    loaders[0].join(10)
    assert loaders[0].name == "ponte-model-loader"
    assert loaders[0].daemon is False


def test_every_missing_required_pair_is_named(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "packages", "en", FakeFactory(), required=("es", "pt"))
    registry.scan()
    assert registry.not_ready_reason() == "no installed package for es->en, pt->en in packages"


def test_every_pending_model_is_named_with_its_detail_if_any(monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    scanning(monkeypatch, [package("pt")], (BrokenPackage("junk", Path("/packages/junk"), "junk: no metadata.json"),))
    registry = ModelRegistry(tmp_path, "en", FakeFactory())
    registry.scan()
    assert registry.not_ready_reason() == "translate-pt_en-1_0: loading; junk: failed (junk: no metadata.json)"
    registry.loading_off = True
    assert registry.not_ready_reason() == "model loading is off (PONTE_MODEL_LOADING=off): detect and tag only"


def test_not_ready_and_unsupported_errors_name_the_pair_and_the_reason(packages_dir: Path) -> None:
    registry = ModelRegistry(packages_dir, "en", FakeFactory(fail=True))
    registry.load_all()
    with pytest.raises(ModelNotReadyError) as failed:
        registry.engine("pt")
    assert (failed.value.language, failed.value.target, failed.value.status, failed.value.detail) == (
        "pt", "en", FAILED, "RuntimeError: model.bin is corrupt")
    assert str(failed.value) == "the pt->en model is failed: RuntimeError: model.bin is corrupt"
    with pytest.raises(UnsupportedLanguageError) as unsupported:
        registry.engine("de")
    assert (unsupported.value.language, unsupported.value.target, unsupported.value.available) == ("de", "en", ("pt",))
