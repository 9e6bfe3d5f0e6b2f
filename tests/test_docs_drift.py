"""Statements of the docs that follow from the code: they are checked so that they cannot drift again."""

from __future__ import annotations

import re
from pathlib import Path

from service.cli import analyze
from service.core.tagging.scoring import MAX_EVIDENCE

ROOT = Path(__file__).resolve().parents[1]


def read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_the_readme_lists_every_exit_code_of_analyze() -> None:
    documented = {int(code) for code in re.findall(r"^  (\d+) +[a-z]", analyze.__doc__ or "", re.MULTILINE)}
    assert documented >= {0, 1, 2, 3, 4, 130, 143}
    bullet = read("README.md").split("- **Exit codes**", 1)[1].split("\n- **", 1)[0]
    assert {int(code) for code in re.findall(r"`(\d+)`", bullet)} == documented


def test_taxonomy_doc_states_the_evidence_bound_and_no_timing_it_cannot_keep() -> None:
    text = read("docs/taxonomy.md")
    assert f"at most {MAX_EVIDENCE} evidence spans per field" in text
    assert "few tens of milliseconds" not in text


def test_kubernetes_doc_says_where_the_worker_defaults_come_from() -> None:
    text = " ".join(read("docs/kubernetes.md").split())
    assert "defaults follow `os.cpu_count()`" not in text
    assert "cgroup CPU quota" in text and "service/cpus.py" in text
