"""The contract: openapi.yaml is a valid OpenAPI document and the app serves exactly its routes."""

from __future__ import annotations

from flask import Flask
from openapi_spec_validator import validate

from tests.contract import spec


def test_spec_is_valid_openapi() -> None:
    validate(spec())


def test_every_route_is_in_the_spec_and_back(app: Flask) -> None:
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in {"static", "ui.static"}:  # the pages' assets (CSS, JS) are not API operations
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            served.add((rule.rule, method.lower()))
    documented = {(path, method) for path, item in spec()["paths"].items() for method in item
                  if method in {"get", "post", "put", "delete", "patch"}}
    assert served == documented


def test_every_operation_documents_its_errors() -> None:
    for path, item in spec()["paths"].items():
        for method, operation in item.items():
            if method == "post":
                assert {"400", "413", "415", "422", "500"} <= set(operation["responses"]), (path, method)
