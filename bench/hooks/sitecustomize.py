"""An observer of CTranslate2 calls for the profile (bench/request_profile.py), on when BENCH_ENGINE_LOG_DIR is set.

bench/request_profile.py puts this folder on PYTHONPATH of the server it starts, so every Python process of that server
(the gunicorn master and its workers) imports this module at start-up. When `ctranslate2` is imported, its
`Translator` is replaced by a thin proxy that
- appends one JSON line per translate_batch / score_batch call to BENCH_ENGINE_LOG_DIR/engine-<pid>.jsonl
  (the batch size actually run, the beam, the decoding bound, the source lengths): the batch-size histogram;
- makes every call into the engine, and every wait for an asynchronous result, pass through the functions
  `ctranslate2_call` and `ctranslate2_wait` below, so that a sampling profiler sees where the engine's time
  is, whatever the service's engine code calls its own functions.
Arguments and results pass through untouched: the service does exactly what it does without the proxy. Nothing
of the service is changed or imported; a service that does not use ctranslate2.Translator is simply not observed.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

LOG_DIR = os.environ.get("BENCH_ENGINE_LOG_DIR", "")
_lock = threading.Lock()
_files: dict[int, int] = {}


def _log(record: dict[str, Any]) -> None:
    pid = os.getpid()
    with _lock:
        fd = _files.get(pid)
        if fd is None:  # a forked worker writes its own file
            fd = os.open(os.path.join(LOG_DIR, f"engine-{pid}.jsonl"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            _files[pid] = fd
        os.write(fd, (json.dumps(record) + "\n").encode())


def _note(op: str, batch: Sequence[Sequence[str]], kwargs: dict[str, Any]) -> None:
    lengths = [len(x) for x in batch]
    _log({"t": time.time(), "op": op, "examples": len(lengths), "max_tokens": max(lengths, default=0),
          "tokens": sum(lengths), "beam": kwargs.get("beam_size"), "bound": kwargs.get("max_decoding_length"),
          "max_batch_size": kwargs.get("max_batch_size"), "asynchronous": bool(kwargs.get("asynchronous"))})


def ctranslate2_call(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Every engine call passes here (a frame the profile attributes to the engine)."""
    return method(*args, **kwargs)


def ctranslate2_wait(method: Callable[[], Any]) -> Any:
    """Every wait for an asynchronous engine result passes here."""
    return method()


class _AsyncResult:
    """An asynchronous result whose result() is seen as engine time."""

    __slots__ = ("_inner",)

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def result(self) -> Any:
        return ctranslate2_wait(self._inner.result)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _observed(real: type) -> type:
    class Translator:
        """ctranslate2.Translator, observed (see the module's doc)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._inner = real(*args, **kwargs)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._inner, name)

        def _call(self, op: str, batch: Sequence[Sequence[str]], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
            _note(op, batch, kwargs)
            out = ctranslate2_call(getattr(self._inner, op), batch, *args, **kwargs)
            if kwargs.get("asynchronous"):
                return [_AsyncResult(item) for item in out]
            return out

        def translate_batch(self, source: Sequence[Sequence[str]], *args: Any, **kwargs: Any) -> Any:
            return self._call("translate_batch", source, args, kwargs)

        def score_batch(self, source: Sequence[Sequence[str]], *args: Any, **kwargs: Any) -> Any:
            return self._call("score_batch", source, args, kwargs)

    Translator.__qualname__ = Translator.__name__ = "Translator"
    return Translator


class _Finder(importlib.abc.MetaPathFinder):
    """Wrap ctranslate2.Translator right after ctranslate2 is imported (before anyone can use it)."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != "ctranslate2":
            return None
        sys.meta_path.remove(self)
        try:
            from importlib.util import find_spec
            spec = find_spec(fullname)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            original(module)
            module.Translator = _observed(module.Translator)  # type: ignore[attr-defined]
            sys.meta_path[:] = [f for f in sys.meta_path if f is not self]

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if LOG_DIR:
    sys.meta_path.insert(0, _Finder())
