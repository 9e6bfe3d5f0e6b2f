"""Reading a JSON request body: content type, size and syntax errors become problems."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from service.jsonin import decode, parse
from service.problems import UnsupportedMediaType

_BLOCK = 64 * 1024


def _raw_body() -> bytes:
    """The body bytes; a body without Content-Length (chunked) is counted as it arrives, and 413 past the limit
    (werkzeug would stop reading at the limit and hand over a cut body)."""
    if request.content_length is not None:
        return request.get_data(cache=False)  # werkzeug answers 413 from the header alone
    limit: int = current_app.config["MAX_CONTENT_LENGTH"]
    stream = request.environ["wsgi.input"]
    blocks: list[bytes] = []
    size = 0
    while block := stream.read(min(_BLOCK, limit + 1 - size)):
        blocks.append(block)
        size += len(block)
        if size > limit:
            raise RequestEntityTooLarge()
    return b"".join(blocks)


def json_body() -> Any:
    """The parsed JSON body of the current request, or an ApiError (415, 400; 413 comes from Flask)."""
    mimetype = request.mimetype
    if mimetype != "application/json" and not (mimetype.startswith("application/") and mimetype.endswith("+json")):
        shown = mimetype or "no Content-Type"
        raise UnsupportedMediaType(f"the body must be application/json, got {shown}")
    return parse(decode(_raw_body(), "the body"), "the body")
