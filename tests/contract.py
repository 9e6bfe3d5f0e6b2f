"""Check real responses against openapi.yaml: every route documented, every body valid."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from werkzeug.test import TestResponse

SPEC_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"


@cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def validator(ref: str) -> Draft202012Validator:
    """A validator for one `#/components/...` schema, resolving refs inside the spec."""
    root = {"components": spec()["components"], "$ref": ref}
    return Draft202012Validator(root)


def schema_errors(instance: Any, ref: str) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(ref).iter_errors(instance)]


def find_operation(method: str, path: str) -> dict[str, Any] | None:
    for template, item in spec()["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in item:
            operation: dict[str, Any] = item[method.lower()]
            return operation
    return None


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        parts = node["$ref"].lstrip("#/").split("/")
        target: Any = spec()
        for part in parts:
            target = target[part]
        node = target
    return node


def check_response(method: str, path: str, response: TestResponse | Any, status: int, content_type: str,
                   body: Any) -> None:
    """Raise AssertionError when a response does not conform to the contract."""
    operation = find_operation(method, path)
    if operation is None:
        # undocumented path or method: must be a problem document (404/405)
        assert status in (404, 405), f"{method} {path} answered {status} but is not in openapi.yaml"
        assert content_type == "application/problem+json", content_type
        errors = schema_errors(body, "#/components/schemas/Problem")
        assert not errors, errors
        return
    responses = operation["responses"]
    documented = responses.get(str(status))
    assert documented is not None, f"{method} {path}: status {status} is not documented"
    documented = _resolve(documented)
    media = documented.get("content", {})
    assert content_type in media, f"{method} {path} {status}: {content_type} not in {list(media)}"
    schema = media[content_type]["schema"]
    if schema.get("$ref", "").endswith("/BinaryFile"):
        assert isinstance(body, bytes | str) and body, f"{method} {path} {status}: an empty file"
    elif "$ref" in schema:
        errors = schema_errors(body, schema["$ref"])
        assert not errors, f"{method} {path} {status}: {errors}"
    elif schema.get("type") == "string":
        assert isinstance(body, str)


class ContractClient:
    """A Flask test client whose every response is checked against openapi.yaml."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def open(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        response = self.client.open(path, method=method, **kwargs)
        content_type = response.mimetype
        if content_type in ("application/json", "application/problem+json"):
            body: Any = response.get_json(force=True)
        elif content_type.startswith("text/") and content_type not in ("text/vtt", "text/x-gettext-translation"):
            body = response.get_data(as_text=True)
        else:
            body = response.get_data()  # a file
        check_response(method, path, response, response.status_code, content_type, body)
        return response

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.open("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        return self.open("POST", path, **kwargs)
