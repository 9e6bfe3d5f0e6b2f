"""Reading a JSON body: which content types are JSON, what each unreadable body is told, and reading stops at the
limit whatever the client sends."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask, jsonify
from werkzeug.exceptions import RequestEntityTooLarge

from service.problems import ApiError, from_api_error
from service.web.body import json_body


def _app(limit: int = 1000) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = limit

    @app.post("/")
    def echo() -> Any:
        return jsonify(json_body())

    @app.errorhandler(ApiError)
    def problem(exc: ApiError) -> Any:
        return jsonify(from_api_error(exc)), exc.status

    return app


@pytest.mark.parametrize(("content_type", "status"), [
    ("application/json", 200),
    ("application/json; charset=utf-8", 200),
    ("application/merge-patch+json", 200),  # any application/...+json is JSON
    ("application/vnd.ponte+json", 200),
    ("application/jsonx", 415),
    ("text/json", 415),
    ("application/json+xml", 415),
    ("text/plain+json", 415),
])
def test_json_content_types(content_type: str, status: int) -> None:
    response = _app().test_client().post("/", data=b'{"a": 1}', content_type=content_type)
    assert response.status_code == status
    if status == 200:
        assert response.get_json() == {"a": 1}
    else:
        assert response.get_json()["detail"] == f"the body must be application/json, got {content_type}"


def test_no_content_type_is_named() -> None:
    response = _app().test_client().post("/", data=b'{"a": 1}')
    assert response.status_code == 415
    assert response.get_json()["detail"] == "the body must be application/json, got no Content-Type"


@pytest.mark.parametrize(("body", "detail"), [
    (b'{"a": \xff}', "the body is not UTF-8: invalid start byte at byte 6"),
    (b'{"a": 1', "the body is not valid JSON: Expecting ',' delimiter at line 1 column 8"),
    (b"[" * 100_000, "the body is nested too deeply"),
    (b'{"a": ' + b"1" * 101 + b"}", "the body is not JSON ponte reads: a number has 101 digits; the limit is 100"),
])
def test_each_unreadable_body_says_why(body: bytes, detail: str) -> None:
    response = _app(limit=200_000).test_client().post("/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["detail"] == detail


class _Counting(io.BytesIO):
    """A client's stream that notes how many bytes the server took from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, size: int | None = -1) -> bytes:
        block = super().read(size)
        self.taken += len(block)
        return block


@pytest.mark.parametrize("limit", [10, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 200_000])
def test_a_chunked_body_is_read_no_further_than_one_byte_past_the_limit(limit: int) -> None:
    stream = _Counting(b" " * (limit + 300_000))
    context = _app(limit).test_request_context("/", method="POST", input_stream=stream,
                                               content_type="application/json",
                                               headers={"Transfer-Encoding": "chunked"})
    with context, pytest.raises(RequestEntityTooLarge):
        json_body()
    assert stream.taken == limit + 1
