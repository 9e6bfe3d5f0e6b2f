"""gunicorn settings for ponte, derived from the PONTE_* settings (service/config.py)."""

import os

# Before CTranslate2 is imported anywhere: its bundled libgomp can deadlock recycled workers and
# oversubscribes 2 cores (FACTS.md); one OpenMP thread per worker is the measured best layout.
os.environ.setdefault("OMP_NUM_THREADS", "1")

from service.config import load_settings

_settings = load_settings()

wsgi_app = "service.wsgi:app"
bind = [f"{_settings.host}:{_settings.port}"]
workers = _settings.workers
worker_class = "gthread"
threads = _settings.threads
# Models are loaded in each worker after the fork: CTranslate2 translators are not fork-safe.
preload_app = False
timeout = _settings.timeout
graceful_timeout = _settings.graceful_timeout
max_requests = _settings.max_requests
max_requests_jitter = _settings.max_requests_jitter
accesslog = "-"
errorlog = "-"
loglevel = _settings.log_level.lower()
# Bounded request line and headers (gunicorn's own limits, stated here so they are visible).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
