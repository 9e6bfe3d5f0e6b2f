"""nginx in front of gunicorn: its configuration rendered from the settings, and nginx found and run.

nginx is the HTTP front of the supported deployment because the measurement of issue 21 (docs/operations.md,
"Slow and hostile clients") left no other candidate standing: it reads each request whole and each answer whole
with its own timeouts, sizes and per-client limits, so no client speed reaches a gunicorn thread. `serve` runs it
beside gunicorn (gunicorn on a private unix socket); `front` runs it alone, in front of PONTE_UPSTREAM (the
Kubernetes sidecar).
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from service.cli.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from service.settings import Settings

log = logging.getLogger("service")

TEMPLATE = Path(__file__).resolve().parents[1] / "data" / "nginx.conf.template"
# Debian installs nginx in /usr/sbin, which is not on a non-root user's PATH.
_PLACES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")
MISSING = ("nginx is not installed: `make run` installs it (tools/nginx_setup.sh: Debian's nginx-light), or "
           "`apt-get install nginx-light`; to serve without it behind a proxy of your own, set PONTE_FRONT=none")


def nginx_binary() -> str | None:
    """The nginx executable, or None."""
    found = shutil.which("nginx")
    return found or next((place for place in _PLACES if os.access(place, os.X_OK)), None)


def listen_address(host: str, port: int) -> str:
    """An nginx `listen` address for PONTE_HOST and PONTE_PORT."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def render(settings: Settings, *, listen: str, upstream: str, run_dir: Path) -> str:
    """The nginx configuration for these settings: nginx on `listen`, sending requests to `upstream`."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    nofile = hard if hard != resource.RLIM_INFINITY else 65536
    nofile = min(nofile, 65536)
    values = {
        "RUN_DIR": str(run_dir),
        "NOFILE": str(nofile),
        # each proxied request holds two descriptors; keep room for nginx's own files
        "WORKER_CONNECTIONS": str(max(64, min(16384, nofile - 64))),
        "ERROR_LOG_LEVEL": "warn",
        "ACCESS_LOG": "/dev/stderr ponte",
        "LISTEN": listen,
        "UPSTREAM": upstream,
        "HEADER_TIMEOUT": f"{settings.client_header_timeout:g}",
        "BODY_TIMEOUT": f"{settings.client_body_timeout:g}",
        "GRACEFUL_TIMEOUT": str(settings.graceful_timeout),
        "MAX_BODY_BYTES": str(settings.max_body_bytes),
        "MAX_FILE_BODY_BYTES": str(settings.max_file_bytes + settings.max_body_bytes),
        "MAX_CLIENT_REQUESTS": str(settings.max_client_requests),
        # answers beyond nginx's memory buffers go to files under RUN_DIR while a slow client reads them
        "MAX_ANSWER_FILE": "256m",
        "UPSTREAM_TIMEOUT": str(int(settings.request_deadline) + 30),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    return text


def run_folder() -> Path:
    """A fresh folder for nginx's configuration, pid and temporary files (and gunicorn's socket, under `serve`)."""
    run_dir = Path(tempfile.mkdtemp(prefix="ponte-front-"))
    # nginx started as root runs its workers as `nobody`: they must reach the folder (temporary files, socket)
    run_dir.chmod(0o755)
    return run_dir


def prepare(settings: Settings, *, listen: str, upstream: str, run_dir: Path) -> list[str]:
    """Write the configuration into `run_dir` and check it with `nginx -t`; the command that runs nginx. Raises
    RuntimeError with nginx's words when it refuses, or when nginx is not installed."""
    nginx = nginx_binary()
    if nginx is None:
        raise RuntimeError(MISSING)
    config = run_dir / "nginx.conf"
    config.write_text(render(settings, listen=listen, upstream=upstream, run_dir=run_dir), encoding="utf-8")
    command = [nginx, "-e", "stderr", "-p", str(run_dir), "-c", str(config)]
    checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True, check=False)  # noqa: S603
    if checked.returncode != 0:
        raise RuntimeError(f"nginx refused its configuration: {checked.stderr.strip()}")
    return command


def front(settings: Settings, args: argparse.Namespace) -> int:
    """`python -m service front`: nginx alone in front of PONTE_UPSTREAM (the sidecar), or --print its config."""
    listen = listen_address(settings.host, settings.port)
    upstream = settings.upstream
    if args.print:
        shown = Path(tempfile.gettempdir()) / "ponte-front-XXXX"
        sys.stdout.write(render(settings, listen=listen, upstream=upstream, run_dir=shown))
        return EXIT_OK
    try:
        command = prepare(settings, listen=listen, upstream=upstream, run_dir=run_folder())
    except RuntimeError as exc:
        log.error("%s", exc)
        return EXIT_USAGE
    log.info("nginx on %s in front of %s", listen, upstream)
    os.execv(command[0], command)  # noqa: S606 (replace this process with nginx)
    return EXIT_FAILED  # not reached
