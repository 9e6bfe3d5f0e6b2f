"""The engine's threads start at a lower CPU priority than the request threads (service/core/translate/priority.py)."""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

import pytest

from service.core.translate.priority import built_at_priority
from service.web import create_app
from tests.conftest import make_settings

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="nice values per thread are Linux's")


def nice_of(thread_id: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, thread_id)


def threads_at(nice: int) -> set[int]:
    """This process's threads (their ids) at that nice value."""
    found = set()
    for name in os.listdir("/proc/self/task"):
        try:
            if nice_of(int(name)) == nice:
                found.add(int(name))
        except ProcessLookupError:  # ended meanwhile
            continue
    return found


def test_the_build_runs_at_the_priority_and_the_threads_it_starts_inherit_it() -> None:
    seen: dict[str, int] = {}

    def build() -> str:
        seen["builder"] = nice_of(threading.get_native_id())
        started = threading.Thread(target=lambda: seen.setdefault("started", nice_of(threading.get_native_id())))
        started.start()
        started.join()
        return "built"

    before = nice_of(threading.get_native_id())
    assert built_at_priority(before + 3, build) == "built"
    assert seen == {"builder": before + 3, "started": before + 3}
    assert nice_of(threading.get_native_id()) == before  # the caller keeps its own


def test_nice_0_builds_in_the_calling_thread() -> None:
    assert built_at_priority(0, threading.get_native_id) == threading.get_native_id()


def test_the_engine_replicas_run_at_the_setting_and_the_request_threads_do_not(packages_dir: Path) -> None:
    nice = 13  # a value no other test's engine uses
    before = threads_at(nice)
    app = create_app(make_settings(packages_dir, engine_nice=nice, inter_threads=2))
    replicas = threads_at(nice) - before
    assert len(replicas) == 2, "one thread per CTranslate2 replica, started at PONTE_ENGINE_NICE"
    assert threading.get_native_id() not in replicas
    response = app.test_client().post("/v1/translate", json={"text": "O governo aprovou a lei.",
                                                             "source_language": "pt"})
    assert response.status_code == 200 and response.get_json()["text"]


def test_a_refused_nice_value_still_builds_and_says_so(monkeypatch: pytest.MonkeyPatch,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    def refuse(*_: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "setpriority", refuse)
    assert built_at_priority(5, lambda: "built") == "built"
    assert "nice 5 refused" in caplog.text


def test_nice_1_is_already_a_new_thread_and_its_name_says_why() -> None:
    def build() -> tuple[int, str]:
        return threading.get_native_id(), threading.current_thread().name

    before = nice_of(threading.get_native_id())
    builder, name = built_at_priority(1, build)
    assert builder != threading.get_native_id()
    assert name == "ponte-low-priority_0"  # ThreadPoolExecutor's names: the prefix, then the worker's number
    assert nice_of(threading.get_native_id()) == before


def test_a_refused_nice_value_is_logged_with_the_systems_reason(monkeypatch: pytest.MonkeyPatch,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    def refuse(*_: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "setpriority", refuse)
    with caplog.at_level(logging.WARNING, logger="service.core.translate.priority"):
        assert built_at_priority(5, lambda: "built") == "built"
    assert [r.getMessage() for r in caplog.records] == ["the engine's threads keep the request threads' CPU priority: "
                                                        "nice 5 refused ([Errno 1] Operation not permitted)"]
