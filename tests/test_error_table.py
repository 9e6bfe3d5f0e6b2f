"""The README's error table lists exactly the problem types of the contract, and the code has no other."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from service import problems

ROOT = Path(__file__).resolve().parents[1]
_ROW = re.compile(r"^\|\s*`?(?P<a>[\w-]+)`?\s*\|\s*`?(?P<b>[\w-]+)`?\s*\|", re.MULTILINE)


def _table(text: str) -> set[tuple[str, int]]:
    """(slug, status) of every row of a Markdown table whose rows hold a slug and a status, in either order."""
    rows = set()
    for match in _ROW.finditer(text):
        a, b = match.group("a"), match.group("b")
        if a.isdigit() and not b.isdigit():
            rows.add((b, int(a)))
        elif b.isdigit() and not a.isdigit():
            rows.add((a, int(b)))
    return rows


def contract_problems() -> set[tuple[str, int]]:
    description = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))["info"]["description"]
    return _table(description.split("Problem `type` values", 1)[1].split("\n\n##", 1)[0])


def readme_problems() -> set[tuple[str, int]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return _table(readme.split("### Errors", 1)[1].split("\n## ", 1)[0])


def test_the_readme_lists_every_problem_type_of_the_contract() -> None:
    contract = contract_problems()
    assert len(contract) >= 15
    assert readme_problems() == contract


def test_every_problem_the_code_raises_is_in_the_contract() -> None:
    raised = {(cls.slug, cls.status) for cls in vars(problems).values()
              if isinstance(cls, type) and issubclass(cls, problems.ApiError)}
    assert raised <= contract_problems()
