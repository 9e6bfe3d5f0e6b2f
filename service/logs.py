"""One logging configuration for the service, gunicorn and the CLI: JSON lines (or text), with the request id."""

from __future__ import annotations

import json
import logging
import sys
import time
from contextvars import ContextVar
from typing import Any

FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(process)d] [%(request_id)s] %(name)s: %(message)s"

# The id of the request being handled in this thread (set by service.web.requestlog, read by every log line).
request_id_var: ContextVar[str | None] = ContextVar("ponte_request_id", default=None)

# Attribute a record carries its structured fields in: log.info("...", extra={FIELDS: {...}}).
FIELDS = "ponte_fields"

_RESERVED = {"ts", "level", "logger", "pid", "message", "request_id", "exception"}


def current_request_id() -> str | None:
    """The id of the request this thread is handling, if any."""
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    """Stamp every record with the current request id (or None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, pid, message, request_id, the record's fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        created = time.gmtime(record.created)
        body: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", created) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            body["request_id"] = request_id
        extra = getattr(record, FIELDS, None)
        if isinstance(extra, dict):
            body.update({k: v for k, v in extra.items() if k not in _RESERVED})
        if record.exc_info:
            body["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            body["exception"] = record.exc_text
        if record.stack_info:
            body["stack"] = self.formatStack(record.stack_info)
        return json.dumps(body, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The human format, with the request id and the record's fields as key=value."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        line = super().format(record)
        extra = getattr(record, FIELDS, None)
        if isinstance(extra, dict) and extra:
            line += " " + " ".join(f"{k}={v}" for k, v in extra.items())
        return line


def stream_handler(fmt: str = "json") -> logging.Handler:
    """A stderr handler in the given format (json or text), marked as ponte's."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(RequestIdFilter())
    handler._ponte = True  # type: ignore[attr-defined]
    return handler


def configure_logging(level: str = "INFO", fmt: str = "text") -> None:
    """Send log records to stderr once; calling again only changes the level and format."""
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "_ponte", False)]
    if not ours:
        root.addHandler(stream_handler(fmt))
    else:
        for handler in ours:
            handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root.setLevel(level)


def gunicorn_logconfig(level: str, fmt: str) -> dict[str, Any]:
    """gunicorn's `logconfig_dict`: its own messages go through the same handler as the app's."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": level, "handlers": ["ponte"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["ponte"], "propagate": False},
            # ponte writes one line per request itself (service/web/requestlog.py)
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        },
        "handlers": {"ponte": {"()": "service.logs.stream_handler", "fmt": fmt}},
        "formatters": {},
    }
