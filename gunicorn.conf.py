"""gunicorn settings for ponte, derived from the PONTE_* settings (service/settings.py)."""

import os
import shutil
import sys
import tempfile
from pathlib import Path

from service.settings import ConfigError, apply_process_defaults, load_settings

# Before CTranslate2 is imported anywhere (when gunicorn is started directly, not by `serve`).
apply_process_defaults()
# Before prometheus_client is imported anywhere: a fresh folder per server start, where every worker
# writes its samples and from which /metrics merges them (stale files of an earlier run would add up).
_METRICS_PREFIX = "ponte-metrics-"


def _sweep_stale_metrics_dirs() -> None:
    """Remove the folders of earlier servers that were killed before they could clean up."""
    for folder in Path(tempfile.gettempdir()).glob(_METRICS_PREFIX + "*"):
        try:
            pid = int((folder / "arbiter.pid").read_text())
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError):
            continue  # no marker yet, or not ours to judge


_sweep_stale_metrics_dirs()
_metrics_dir = Path(tempfile.mkdtemp(prefix=_METRICS_PREFIX))
(_metrics_dir / "arbiter.pid").write_text(str(os.getpid()))
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_metrics_dir)

from prometheus_client import Counter  # noqa: E402
from prometheus_client.multiprocess import mark_process_dead  # noqa: E402

from service.logs import gunicorn_logconfig  # noqa: E402

try:
    _settings = load_settings()
except ConfigError as exc:  # one line, not gunicorn's traceback of its config file (`serve` checked already)
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    sys.stderr.write(f"configuration error: {exc}\n")
    sys.exit(2)

wsgi_app = "service.web.wsgi:app"
bind = [f"{_settings.host}:{_settings.port}"]
workers = _settings.workers
# gthread whose event loop reads each request whole before a thread serves it, with a health lane and a
# small-request lane: slow clients hold no thread (service/web/worker.py).
worker_class = "service.web.worker.BufferingThreadWorker"
threads = _settings.threads
# Models are loaded in each worker after the fork: CTranslate2 translators are not fork-safe.
preload_app = False
timeout = _settings.timeout
graceful_timeout = _settings.graceful_timeout
max_requests = _settings.max_requests
max_requests_jitter = _settings.max_requests_jitter
# ponte logs one JSON line per request itself (service/requestlog.py); gunicorn's own messages go
# through the same handler and format (service/logs.py).
accesslog = None
errorlog = "-"
loglevel = _settings.log_level.lower()
logconfig_dict = gunicorn_logconfig(_settings.log_level, _settings.log_format)
# Bounded request line and headers (gunicorn's own limits, stated here so they are visible and
# documented in openapi.yaml): over them gunicorn answers 414/431 before the app sees the request.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# No control socket (gunicorn >= 25.1's `gunicornc` interface, which ponte does not use): by default it is made at
# ~/.gunicorn/gunicorn.ctl, one path shared by every server of a user, and on a read-only root (the image) the
# arbiter logs an error for it at each start.
control_socket_disable = True


# Worker lifecycle metrics (the others are in service/metrics.py). Not registered anywhere: in multiprocess
# mode every sample goes to a file of _metrics_dir, and /metrics reads them all from there.
_worker_starts = Counter("ponte_worker_starts", "Worker processes started (the first ones and every restart).",
                         registry=None)
_worker_exits = Counter("ponte_worker_exits", "Worker processes that exited (recycled, crashed, timed out or "
                        "stopped); while the server runs, each exit is a restart.", registry=None)


# Workers forked by this arbiter so far (the child inherits the count at its fork).
_forked = 0


def pre_fork(server, worker):
    """In the arbiter, before each fork."""
    global _forked
    _forked += 1


def post_fork(server, worker):
    """In the new worker: count the start. A replacement (recycled or crashed worker) loads its models
    before it accepts requests: the other workers are serving, and a worker that accepts translations it
    cannot do yet would answer them 503. Only the first workers load in the background, so that the
    health check answers while the service starts."""
    _worker_starts.inc()
    if _forked > server.num_workers and _settings.model_loading == "background":
        os.environ["PONTE_MODEL_LOADING"] = "eager"


def child_exit(server, worker):
    """In the arbiter: count the exit and drop the worker's live gauges (ponte_workers, ponte_model_*)."""
    mark_process_dead(worker.pid, str(_metrics_dir))
    _worker_exits.inc()


def on_exit(server):
    """The samples belong to this server run only."""
    shutil.rmtree(_metrics_dir, ignore_errors=True)
