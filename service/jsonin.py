"""Reading JSON from clients and input files: bounded numbers, so no input can raise past the caller."""

from __future__ import annotations

import json
from typing import Any

from service.problems import MalformedJson

# No field of ponte takes a number; a long one is only an attack on int() (Python refuses over 4300 digits
# with a ValueError that would otherwise surface as a 500).
MAX_NUMBER_DIGITS = 100


class JsonInputError(ValueError):
    """The input is not JSON ponte reads; the message says why, without a position prefix."""


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise JsonInputError(f"a number has {len(digits.lstrip('-'))} digits; the limit is {MAX_NUMBER_DIGITS}")
    return int(digits)


def _bounded_float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS:
        raise JsonInputError(f"a number has {len(text)} characters; the limit is {MAX_NUMBER_DIGITS}")
    return float(text)


def loads(text: str) -> Any:
    """json.loads with numbers bounded; raises JsonInputError (too long a number), RecursionError and
    json.JSONDecodeError as json does."""
    return json.loads(text, parse_int=_bounded_int, parse_float=_bounded_float)


def decode(raw: bytes, where: str) -> str:
    """UTF-8 text of a body, line or row; MalformedJson names `where` ("the body", "line 12")."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedJson(f"{where} is not UTF-8: {exc.reason} at byte {exc.start}") from None


def parse(text: str, where: str) -> Any:
    """The JSON value of a body, line or row, numbers bounded; every way it can be unreadable is a MalformedJson
    that names `where`: the one reading of client JSON for the web layer, the CLI and Spark."""
    try:
        return loads(text)
    except JsonInputError as exc:
        raise MalformedJson(f"{where} is not JSON ponte reads: {exc}") from None
    except RecursionError:
        raise MalformedJson(f"{where} is nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise MalformedJson(f"{where} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
