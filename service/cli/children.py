"""Child processes that end with their parent, even when the parent is killed outright (Linux)."""

from __future__ import annotations

import ctypes
import signal

_PR_SET_PDEATHSIG = 1


def parent_death_signal(signum: int = signal.SIGKILL) -> bool:
    """Ask Linux to send this process `signum` when its parent ends (even by SIGKILL); False elsewhere."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0)
    except (OSError, AttributeError):  # not Linux
        return False
