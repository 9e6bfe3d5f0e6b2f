"""Start a library's threads at a lower CPU priority than the threads serving requests.

On Linux the nice value belongs to a thread, and a thread starts with its creator's (pthreads(7), sched(7)). So an
object built in a short-lived thread whose nice value was raised has every thread it starts, then or later, at that
value, and the process's other threads keep theirs. ponte builds the CTranslate2 translator this way: when the
cores are busy, a health check or a short request's Python work runs before the engine's batch compute instead of
taking turns with it. Raising a nice value needs no privilege; elsewhere than Linux nothing changes.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


def _lower_this_thread(nice: int) -> None:
    """Raise this thread's nice value; where the system refuses (a sandbox's seccomp filter), keep it and say so."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except OSError as exc:
        log.warning("the engine's threads keep the request threads' CPU priority: nice %d refused (%s)", nice, exc)


def built_at_priority(nice: int, build: Callable[[], T]) -> T:
    """`build()`, called in a new thread at nice value `nice` (0: called here, as it is)."""
    if nice <= 0 or not sys.platform.startswith("linux"):
        return build()
    with ThreadPoolExecutor(1, thread_name_prefix="ponte-low-priority", initializer=_lower_this_thread,
                            initargs=(nice,)) as builder:
        return builder.submit(build).result()
