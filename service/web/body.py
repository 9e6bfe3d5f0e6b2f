"""Reading a JSON request body: content type, size and syntax errors become problems."""

from __future__ import annotations

import json
from typing import Any

from flask import request

from service.problems import MalformedJson, UnsupportedMediaType


def json_body() -> Any:
    """The parsed JSON body of the current request, or an ApiError (415, 400; 413 comes from Flask)."""
    mimetype = request.mimetype
    if mimetype != "application/json" and not (mimetype.startswith("application/") and mimetype.endswith("+json")):
        shown = mimetype or "no Content-Type"
        raise UnsupportedMediaType(f"the body must be application/json, got {shown}")
    raw = request.get_data(cache=False)
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise MalformedJson(f"the body is not UTF-8: {exc.reason} at byte {exc.start}") from None
    except RecursionError:
        raise MalformedJson("the body is nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise MalformedJson(f"the body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
