"""service/spark.py's result types against openapi.yaml (plain data: runs without pyspark)."""

from __future__ import annotations

from typing import Any

import pytest

from service.spark import ANALYSIS_SPEC, PROBLEM_SPEC, Spec, _parse_json_row, _pick
from tests.contract import spec

SIMPLE = {"string": "string", "number": "double", "integer": "long", "boolean": "boolean"}


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec()
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def contract_spec(node: dict[str, Any]) -> Spec:
    """The Spark spec a contract schema calls for: objects by their properties in order, nullable unions and
    `oneOf [X, null]` as X (every Spark field is nullable)."""
    node = resolve(node)
    if "oneOf" in node:
        options = [resolve(o) for o in node["oneOf"] if resolve(o).get("type") != "null"]
        assert len(options) == 1, node
        return contract_spec(options[0])
    kind = node["type"]
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        assert len(kinds) == 1, node
        kind = kinds[0]
    if kind == "object":
        return {name: contract_spec(sub) for name, sub in node["properties"].items()}
    if kind == "array":
        return [contract_spec(node["items"])]
    return SIMPLE[kind]


def as_ordered(s: Spec) -> Any:
    """A spec with dict order made visible (Spark struct field order is part of the type)."""
    if isinstance(s, dict):
        return [(k, as_ordered(v)) for k, v in s.items()]
    if isinstance(s, list):
        return [as_ordered(s[0])]
    return s


def test_analysis_struct_is_the_contract_analysis() -> None:
    expected = contract_spec({"$ref": "#/components/schemas/Analysis"})
    assert as_ordered(ANALYSIS_SPEC) == as_ordered(expected)


def test_problem_struct_fields_are_contract_problem_fields() -> None:
    problem = resolve({"$ref": "#/components/schemas/Problem"})
    for name in problem["required"]:
        assert name in PROBLEM_SPEC, name
    for name, sub in PROBLEM_SPEC.items():
        assert as_ordered(sub) == as_ordered(contract_spec(problem["properties"][name])), name


@pytest.mark.parametrize(("value", "want"), [
    ({"type": "t", "title": "T", "status": 422, "detail": "d", "language": "es"},
     {"type": "t", "title": "T", "status": 422, "detail": "d", "errors": None}),
    ({"type": "t", "title": "T", "status": 422, "detail": "d", "errors": [{"pointer": "/text", "detail": "x"}]},
     {"type": "t", "title": "T", "status": 422, "detail": "d", "errors": [{"pointer": "/text", "detail": "x"}]}),
])
def test_pick_keeps_the_spec_fields_only(value: dict[str, Any], want: dict[str, Any]) -> None:
    assert _pick(value, PROBLEM_SPEC) == want


@pytest.mark.parametrize("entry", ["service.web", "service.web.wsgi", "service.cli", "service.__main__"])
def test_web_and_cli_never_import_spark(entry: str) -> None:
    from tests.test_layers import closure

    reached = closure(entry)
    assert "service.spark" not in reached and not any(name.startswith("pyspark") for name in reached)


@pytest.mark.parametrize(("row", "says"), [
    ('{"text": "x", "id": ' + "9" * 5000 + "}", "5000 digits"),  # int() past its limit: a ValueError, not a 500
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"text": ', "not valid JSON"),
    (42, "not a JSON string"),
])
def test_a_bad_json_row_is_its_own_problem_not_a_failed_task(row: Any, says: str) -> None:
    item, problem = _parse_json_row(row)
    assert item is None and problem is not None
    assert problem["type"].endswith("malformed-json") and says in problem["detail"]
