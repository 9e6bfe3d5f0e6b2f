"""A gunicorn gthread worker that reads each request whole before a thread touches it, with lanes.

gunicorn's gthread worker hands a connection to a thread as soon as its first byte arrives; the thread then
blocks on the socket until the headers and body are in. Eight clients sending a byte a second (or a body
shorter than its Content-Length) held every thread of 2 workers x 4 threads, /healthz included. Here the
worker's event loop reads the request into memory without blocking (as nginx buffers), bounded in time
(PONTE_CLIENT_HEADER_TIMEOUT, PONTE_CLIENT_BODY_TIMEOUT: 408 and close past them) and in size (the body
limit, or the file limit on the file routes; past it gunicorn and the app refuse it as before), and only then
gives it to a thread:

- health lane: GET /healthz and /readyz, one thread of their own, so probes answer whatever else runs;
- small lane: bodies up to PONTE_SMALL_BODY_BYTES, their own threads, so short requests never queue behind
  long documents for a thread (the engine itself is shared fairly: service/core/batching.py slices);
- the gunicorn thread pool for everything else.

Only plain HTTP/1.x is buffered; TLS and HTTP/2 connections take gunicorn's own path.
"""

from __future__ import annotations

import contextlib
import errno
import selectors
import socket
import time
from concurrent import futures
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

_HEALTH_PATHS = (b"/healthz", b"/readyz")
_FILE_PATHS = (b"/v1/translate/file", b"/v1/analyze/file")  # bodies up to the file limit
_MAX_HEAD = 64 * 1024  # gunicorn refuses far smaller heads (limit_request_line, fields); past this, let it
_TIMEOUT_BODY = (b'{"type": "urn:ponte:problem:request-timeout", "title": "Request timeout", "status": 408, '
                 b'"detail": "The request did not arrive in time (PONTE_CLIENT_HEADER_TIMEOUT, '
                 b'PONTE_CLIENT_BODY_TIMEOUT)."}')
_TIMEOUT_RESPONSE = (b"HTTP/1.1 408 Request Timeout\r\nContent-Type: application/problem+json\r\n"
                     b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(_TIMEOUT_BODY)) + _TIMEOUT_BODY


@dataclass
class Incoming:
    """A request being read by the event loop; `done()` says whether it is whole (or hopeless to wait for)."""

    started: float
    header_timeout: float
    body_timeout: float
    max_body: int
    data: bytearray = field(default_factory=bytearray)
    head_end: int = -1
    body_length: int | None = None  # None: no body; -1: chunked
    path: bytes = b""
    method: bytes = b""
    max_file_body: int = 0  # the body limit of the file routes (0: max_body)

    def deadline(self) -> float:
        """When the client's time to send this request is up."""
        return self.started + (self.header_timeout if self.head_end < 0 else self.body_timeout)

    def _parse_head(self) -> None:
        end = self.data.find(b"\r\n\r\n")
        if end < 0:
            return
        self.head_end = end + 4
        lines = bytes(self.data[:end]).split(b"\r\n")
        parts = lines[0].split(b" ")
        if len(parts) == 3:
            self.method, self.path = parts[0], parts[1].split(b"?", 1)[0]
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"transfer-encoding" and b"chunked" in value.lower():
                self.body_length = -1
            elif name == b"content-length" and self.body_length != -1:
                try:
                    self.body_length = int(value.strip())
                except ValueError:
                    self.body_length = None  # gunicorn answers 400 for it

    def _chunked_complete(self) -> bool:
        position = self.head_end
        data = self.data
        while True:
            line_end = data.find(b"\r\n", position)
            if line_end < 0:
                return False
            try:
                size = int(bytes(data[position:line_end]).split(b";", 1)[0].strip() or b"x", 16)
            except ValueError:
                return True  # malformed: gunicorn says so
            if size == 0:
                return data.find(b"\r\n\r\n", line_end) >= 0 or data.endswith(b"\r\n\r\n")
            position = line_end + 2 + size + 2
            if position > len(data):
                return False

    def done(self) -> bool:
        """Whole request in, or enough for gunicorn and the app to refuse it (too long a head or body)."""
        if self.head_end < 0:
            self._parse_head()
            if self.head_end < 0:
                return len(self.data) > _MAX_HEAD
        body = len(self.data) - self.head_end
        limit = max(self.max_body, self.max_file_body) if self.path in _FILE_PATHS else self.max_body
        if self.body_length is None:
            return True
        if self.body_length == -1:
            return body > limit or self._chunked_complete()
        return self.body_length > limit or body >= self.body_length

    def lane(self, small_body: int) -> str:
        """health, small or default."""
        if self.method in (b"GET", b"HEAD") and self.path in _HEALTH_PATHS:
            return "health"
        if self.body_length is None or 0 <= self.body_length <= small_body:
            return "small"
        return "default"


class BufferingThreadWorker(ThreadWorker):  # type: ignore[misc]
    """gthread, with requests read whole by the event loop and dispatched by lane (see the module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from service.settings import load_settings

        settings = load_settings()
        self.header_timeout = float(settings.client_header_timeout)
        self.body_timeout = float(settings.client_body_timeout)
        self.max_body = settings.max_body_bytes
        self.max_file_body = settings.max_file_bytes + settings.max_body_bytes
        self.small_body = settings.small_body_bytes
        self.small_threads = settings.small_threads
        self.incoming: dict[Any, Incoming] = {}
        self.lanes: dict[str, futures.ThreadPoolExecutor] = {}

    def init_process(self) -> None:
        """Start the lanes' thread pools beside gunicorn's."""
        self.lanes = {
            "health": futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="health"),
            "small": futures.ThreadPoolExecutor(max_workers=self.small_threads, thread_name_prefix="small"),
        }
        super().init_process()

    def enqueue_req(self, conn: Any) -> None:
        """Read the request without a thread first (plain HTTP/1.x on a connection with nothing read ahead)."""
        buffered = conn.parser is not None and conn.parser.unreader.buf.getvalue()
        if self.cfg.is_ssl or buffered or getattr(conn, "is_http2", False):
            self._submit(conn, "default")
            return
        conn.sock.setblocking(False)
        self.incoming[conn] = Incoming(time.monotonic(), self.header_timeout, self.body_timeout, self.max_body,
                                       max_file_body=self.max_file_body)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._readable, conn))

    def _submit(self, conn: Any, lane: str) -> None:
        pool = self.lanes.get(lane) or self.tpool
        assert pool is not None  # init_process made it
        fs = pool.submit(self.handle, conn)
        fs.add_done_callback(lambda fut: self.method_queue.defer(self.finish_request, conn, fut))

    def _drop(self, conn: Any, answer: bytes = b"") -> None:
        self.incoming.pop(conn, None)
        with contextlib.suppress(OSError, KeyError, ValueError):
            self.poller.unregister(conn.sock)
        if answer:
            with contextlib.suppress(OSError):
                conn.sock.send(answer)
        self.nr_conns -= 1
        conn.close()

    def _readable(self, conn: Any, client: socket.socket) -> None:
        state = self.incoming[conn]
        try:
            chunk = conn.sock.recv(256 * 1024)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
                return
            self._drop(conn)
            return
        if not chunk:
            self._drop(conn)
            return
        state.data += chunk
        if not state.done():
            return
        del self.incoming[conn]
        self.poller.unregister(conn.sock)
        conn.ponte_buffer = bytes(state.data)
        self._submit(conn, state.lane(self.small_body))

    def handle(self, conn: Any) -> Any:
        """Put the bytes the event loop read back in front of gunicorn's parser, then let gunicorn serve."""
        data = getattr(conn, "ponte_buffer", b"")
        if data:
            conn.ponte_buffer = b""
            conn.sock.setblocking(True)
            conn.init()
            conn.parser.unreader.unread(data)
            conn.data_ready = True
        return super().handle(conn)

    def murder_pending(self) -> None:
        """Also close requests whose client ran out of time (408), as nginx does."""
        super().murder_pending()
        now = time.monotonic()
        for conn in [c for c, state in self.incoming.items() if state.deadline() <= now]:
            self._drop(conn, _TIMEOUT_RESPONSE)
