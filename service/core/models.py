"""The models of one worker: which pairs are installed, their loading state, and the engines."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from service.core.exceptions import ModelNotReadyError, UnsupportedLanguageError
from service.core.packages import InstalledPackage, scan_packages
from service.core.translate import SentenceTranslator

log = logging.getLogger(__name__)

ModelStatus = Literal["loading", "ready", "failed"]
LOADING: Final = "loading"
READY: Final = "ready"
FAILED: Final = "failed"
WARM_UP_TEXT = "Olá."


@dataclass(frozen=True)
class ModelState:
    """What a worker knows about one installed package."""

    package: str
    version: str
    source_language: str
    target_language: str
    status: ModelStatus
    detail: str | None = None


EngineFactory = Callable[[InstalledPackage], SentenceTranslator]
# Told of every model state as it changes (found, ready, failed): the metrics keep their gauges current by it.
StateListener = Callable[[ModelState], None]


class ModelRegistry:
    """Installed packages into one target language, loaded once per worker, reached by source language."""

    def __init__(self, packages_dir: Path, target: str, factory: EngineFactory,
                 required: Iterable[str] = ("pt",), on_change: StateListener | None = None) -> None:
        self.packages_dir = packages_dir
        self.target = target
        self.required = tuple(required)
        self._factory = factory
        self._on_change = on_change
        self._lock = threading.Lock()
        self._states: dict[str, ModelState] = {}
        self._engines: dict[str, SentenceTranslator] = {}
        self._scan_error: str | None = None
        self._packages: dict[str, InstalledPackage] = {}
        self.scanned = False
        self.loading_off = False  # PONTE_MODEL_LOADING=off: models are listed, never loaded

    def scan(self) -> None:
        """Find the installed packages into the target language; unusable folders are reported as failed."""
        good, broken = scan_packages(self.packages_dir)
        found: list[ModelState] = []
        with self._lock:
            for pkg in good:
                if pkg.to_code != self.target:
                    continue
                if pkg.from_code in self._states:
                    log.warning("two packages for %s->%s; using %s", pkg.from_code, pkg.to_code,
                                self._states[pkg.from_code].package)
                    continue
                self._states[pkg.from_code] = ModelState(pkg.name, pkg.version, pkg.from_code, pkg.to_code, LOADING)
                self._packages[pkg.from_code] = pkg
                found.append(self._states[pkg.from_code])
            for bad in broken:
                log.error("unusable package folder %s: %s", bad.path, bad.reason)
                self._states[f"?{bad.name}"] = ModelState(bad.name, "", "und", self.target, FAILED, bad.reason)
                found.append(self._states[f"?{bad.name}"])
            self.scanned = True
        for state in found:
            self._announce(state)

    def load_all(self) -> None:
        """Load and warm up every package; a failure marks that model failed and leaves the rest working."""
        if not self.scanned:
            self.scan()
        for code, package in sorted(self._packages.items()):
            started = time.perf_counter()
            try:
                engine = self._factory(package)
                warm = engine.translate([WARM_UP_TEXT])
                if len(warm) != 1:
                    raise RuntimeError("warm-up translation returned no sentence")
            except Exception as exc:
                log.exception("loading %s failed", package.name)
                self._set(code, FAILED, f"{type(exc).__name__}: {exc}")
                continue
            with self._lock:
                self._engines[code] = engine
            self._set(code, READY, None)
            log.info("model %s (%s->%s) ready in %.2f s", package.name, code, self.target,
                     time.perf_counter() - started)

    def load_in_background(self) -> threading.Thread:
        """Start loading in a thread (after the worker has forked). Not a daemon: a process that ends while a
        model loads waits for the load to finish, since CTranslate2 aborts the process (SIGABRT) when its
        threads are torn down in the middle of loading."""
        thread = threading.Thread(target=self._load_safely, name="ponte-model-loader", daemon=False)
        thread.start()
        return thread

    def _load_safely(self) -> None:
        try:
            self.load_all()
        except Exception as exc:  # a scan failure must show in /readyz, not kill the thread silently
            log.exception("model loading failed")
            with self._lock:
                self._scan_error = f"{type(exc).__name__}: {exc}"

    def _set(self, code: str, status: ModelStatus, detail: str | None) -> None:
        with self._lock:
            old = self._states[code]
            state = ModelState(old.package, old.version, old.source_language, old.target_language, status, detail)
            self._states[code] = state
        self._announce(state)

    def _announce(self, state: ModelState) -> None:
        if self._on_change is not None:
            self._on_change(state)

    def states(self) -> list[ModelState]:
        """Every known model and its state, sorted by source language."""
        with self._lock:
            return sorted(self._states.values(), key=lambda s: (s.source_language, s.package))

    def not_ready_reason(self) -> str | None:
        """None when every installed model is loaded and warmed up; otherwise why not."""
        with self._lock:
            if self._scan_error:
                return f"model loading failed: {self._scan_error}"
            if not self.scanned:
                return "models are being discovered"
            states = list(self._states.values())
            missing = [c for c in self.required if c not in self._states]
        if missing:
            pairs = ", ".join(f"{c}->{self.target}" for c in missing)
            return f"no installed package for {pairs} in {self.packages_dir.name or self.packages_dir}"
        pending = [s for s in states if s.status != READY]
        if pending and self.loading_off:
            return "model loading is off (PONTE_MODEL_LOADING=off): detect and tag only"
        if pending:
            return "; ".join(f"{s.package}: {s.status}" + (f" ({s.detail})" if s.detail else "") for s in pending)
        return None

    def languages(self) -> tuple[str, ...]:
        """Source languages with an installed package."""
        with self._lock:
            return tuple(sorted(c for c in self._states if not c.startswith("?")))

    def engine(self, language: str) -> SentenceTranslator:
        """The engine for language->target, or why there is none."""
        with self._lock:
            engine = self._engines.get(language)
            state = self._states.get(language)
        if engine is not None:
            return engine
        if state is not None:
            raise ModelNotReadyError(language, self.target, state.status, state.detail)
        if language in self.required:
            raise ModelNotReadyError(language, self.target, "not installed", None)
        raise UnsupportedLanguageError(language, self.target, self.languages())
