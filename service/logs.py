"""One logging configuration for the service and the CLI."""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"


def configure_logging(level: str = "INFO") -> None:
    """Send log records to stderr once; calling again only changes the level."""
    root = logging.getLogger()
    if not any(getattr(h, "_ponte", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        handler._ponte = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
