"""`python -m service serve` (gunicorn with gunicorn.conf.py) and `probe` (the container's health check)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

from service.cli.exits import EXIT_FAILED, EXIT_OK
from service.settings import Settings

log = logging.getLogger("service")

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def serve(settings: Settings, _: argparse.Namespace) -> int:
    argv = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF)]
    log.info("starting gunicorn on %s:%d with %d workers", settings.host, settings.port, settings.workers)
    os.execv(sys.executable, argv)  # noqa: S606 (replace this process with gunicorn)
    return EXIT_FAILED  # not reached


def probe(settings: Settings, args: argparse.Namespace) -> int:
    """GET /readyz (or --path) on the local server: the container's health check."""
    host = "127.0.0.1" if settings.host in {"0.0.0.0", "::", ""} else settings.host
    url = f"http://{host}:{settings.port}{args.path}"
    try:
        with urllib.request.urlopen(url, timeout=args.timeout) as response:
            log.debug("%s -> %d", url, response.status)
            return EXIT_OK
    except urllib.error.HTTPError as exc:
        log.error("%s -> %d: %s", url, exc.code, exc.read().decode("utf-8", "replace")[:500])
    except (urllib.error.URLError, OSError) as exc:
        log.error("%s: %s", url, exc)
    return EXIT_FAILED
