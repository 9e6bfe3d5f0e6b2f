"""The deadline of the work done for one request, carried in a context variable: set by the web layer when the
request starts (from its first byte), checked by the engine layers before each piece of work and while waiting."""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager

from service.core.exceptions import CoreError


class DeadlineExceededError(CoreError):
    """The request's deadline passed before its translation was done."""


_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("ponte_deadline", default=None)


@contextmanager
def deadline(seconds: float | None, *, started: float | None = None) -> Iterator[None]:
    """Give the work done in this block (in this thread) `seconds` from `started` (time.monotonic(); now when
    None); None: no deadline."""
    origin = time.monotonic() if started is None else started
    token = _deadline.set(None if seconds is None else origin + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining() -> float | None:
    """Seconds left before the current block's deadline (negative once past), None without a deadline."""
    at = _deadline.get()
    return None if at is None else at - time.monotonic()


def check_deadline() -> None:
    """Raise DeadlineExceededError when the current block's deadline has passed."""
    left = remaining()
    if left is not None and left < 0:
        raise DeadlineExceededError("the request ran out of time (PONTE_REQUEST_DEADLINE) before its translation "
                                    "was done; retry later or send a shorter text")
