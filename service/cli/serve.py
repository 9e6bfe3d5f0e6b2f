"""`python -m service serve` (gunicorn behind nginx) and `probe` (the container's health check)."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from service.cli.children import parent_death_signal
from service.cli.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from service.cli.front import listen_address, prepare, run_folder
from service.settings import Settings, env_name

log = logging.getLogger("service")

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def serve(settings: Settings, _: argparse.Namespace) -> int:
    """gunicorn, with nginx in front of it unless PONTE_FRONT=none."""
    argv = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF)]
    if settings.front == "none":
        log.info("starting gunicorn on %s:%d with %d workers", settings.host, settings.port, settings.workers)
        os.execv(sys.executable, argv)  # noqa: S606 (replace this process with gunicorn)
        return EXIT_FAILED  # not reached
    return _serve_behind_nginx(settings, argv)


def _serve_behind_nginx(settings: Settings, argv: list[str]) -> int:
    """Run gunicorn on a private unix socket and nginx on PONTE_HOST:PONTE_PORT in front of it; stop both when
    either stops or a signal says so (SIGTERM or SIGINT: nginx finishes its requests first, then gunicorn)."""
    listen = listen_address(settings.host, settings.port)
    run_dir = run_folder()
    socket_path = run_dir / "gunicorn.sock"
    try:
        nginx_command = prepare(settings, listen=listen, upstream=f"unix:{socket_path}", run_dir=run_dir)
    except RuntimeError as exc:
        shutil.rmtree(run_dir, ignore_errors=True)
        log.error("%s", exc)
        return EXIT_USAGE
    # the app sits behind one more proxy: X-Forwarded-For and X-Request-Start come from nginx
    env = {**os.environ, env_name("proxy_hops"): str(settings.proxy_hops + 1)}
    stopping: list[int] = []

    def on_signal(signum: int, _: object) -> None:
        stopping.append(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, on_signal)
    log.info("starting gunicorn (%d workers) behind nginx on %s", settings.workers, listen)
    # both end gracefully when this process is killed outright (SIGKILL), instead of living on without it
    gunicorn = subprocess.Popen([*argv, "--bind", f"unix:{socket_path}"], env=env,  # noqa: S603
                                preexec_fn=lambda: parent_death_signal(signal.SIGTERM))
    nginx: subprocess.Popen[bytes] | None = None
    try:
        while nginx is None and not stopping and gunicorn.poll() is None:
            if socket_path.exists():  # nginx opens the port once the app can be reached
                nginx = subprocess.Popen(nginx_command, stderr=subprocess.PIPE,  # noqa: S603
                                         preexec_fn=lambda: parent_death_signal(signal.SIGQUIT))
                threading.Thread(target=_relay, args=(nginx,), name="nginx-log", daemon=True).start()
            else:
                time.sleep(0.05)
        while not stopping and gunicorn.poll() is None and (nginx is None or nginx.poll() is None):
            time.sleep(0.2)
            if stopping and stopping[-1] == signal.SIGHUP:  # reload both: new config, new workers
                stopping.pop()
                gunicorn.send_signal(signal.SIGHUP)
                if nginx is not None:
                    nginx.send_signal(signal.SIGHUP)
        if not stopping:
            log.error("%s exited (%s); stopping the other", "gunicorn" if gunicorn.poll() is not None else "nginx",
                      gunicorn.poll() if gunicorn.poll() is not None else nginx.poll() if nginx else None)
        return _stop(settings, gunicorn, nginx, failed=not stopping)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


_NGINX_LEVELS = {b"emerg": logging.ERROR, b"alert": logging.ERROR, b"crit": logging.ERROR, b"error": logging.WARNING,
                 b"warn": logging.WARNING, b"notice": logging.INFO, b"info": logging.INFO}
_nginx_log = logging.getLogger("nginx.error")


def _relay(nginx: subprocess.Popen[bytes]) -> None:
    """nginx's stderr into the one log: its access lines are JSON already and pass as they are; its error lines
    ("2026/12/04 00:51:51 [error] 17508#17508: *9 client intended to send too large body...") become log records
    (nginx's `error` is a client's mistake: a warning here)."""
    assert nginx.stderr is not None
    for raw in nginx.stderr:
        if raw.startswith(b"{"):
            sys.stderr.buffer.write(raw)
            sys.stderr.buffer.flush()
            continue
        level = next((value for name, value in _NGINX_LEVELS.items() if b"[" + name + b"]" in raw[:40]), logging.INFO)
        _nginx_log.log(level, "%s", raw.decode("utf-8", "replace").rstrip())


def _stop(settings: Settings, gunicorn: subprocess.Popen[bytes], nginx: subprocess.Popen[bytes] | None, *,
          failed: bool) -> int:
    """nginx first (SIGQUIT: it stops accepting and lets its requests finish, which gunicorn still serves), then
    gunicorn (SIGTERM: graceful); each gets PONTE_GRACEFUL_TIMEOUT and a margin before it is killed."""
    grace = settings.graceful_timeout + 5
    if nginx is not None and nginx.poll() is None:
        nginx.send_signal(signal.SIGQUIT)
        _wait(nginx, grace)
    if gunicorn.poll() is None:
        gunicorn.send_signal(signal.SIGTERM)
    code = _wait(gunicorn, grace)
    return EXIT_FAILED if failed else code


def _wait(process: subprocess.Popen[bytes], seconds: float) -> int:
    try:
        return process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


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
