"""The default limits agree: a prose document of PONTE_MAX_CHARS characters fits the default work budget."""

from __future__ import annotations

import json
import re
from pathlib import Path

import sentencepiece

from service.core.budget import WorkBudget
from service.core.packages import scan_packages
from service.core.segment import split_sentences
from service.engines import work_budget
from service.settings import load_settings

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = DATA.parents[1]


def prose(chars: int) -> tuple[str, int]:
    """Distinct passages of the repository's Portuguese news prose, joined as paragraphs up to `chars` characters
    (each passage once: not one article repeated), and how many passages went in."""
    passages: list[str] = []
    for path in (ROOT / "bench" / "workload_pt.jsonl", DATA / "tagging_eval.jsonl", DATA / "tagging_tuning.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record.get("language", "pt") == "pt":
                passages.append(record["text"])
    marked = (DATA / "spans" / "news_spans_pt.txt").read_text(encoding="utf-8").splitlines()
    passages += [re.sub(r"\[\[[^:]+:(.+?)\]\]", r"\1", line) for line in marked if line and not line.startswith("#")]
    document, used = "", 0
    for passage in dict.fromkeys(passages):
        if len(document) + len(passage) + 2 <= chars:
            document += passage + "\n\n"
            used += 1
    return document.strip(), used


def test_a_prose_document_at_the_character_limit_fits_the_default_budget(packages_dir: Path) -> None:
    settings = load_settings(environ={}, packages_dir=packages_dir)
    document, used = prose(settings.max_chars)
    assert len(document) >= 0.99 * settings.max_chars and used >= 300
    package = scan_packages(packages_dir)[0][0]
    pieces = sentencepiece.SentencePieceProcessor(model_file=str(package.sentencepiece_model))
    counts = [len(p) for p in pieces.encode([s.text for s in split_sentences(document, "pt").sentences])]
    budget = work_budget(settings)
    budget.check(counts)  # no WorkBudgetExceededError
    # with room to spare for denser prose (more names and numbers per character); 100,000 characters of emoji
    # (tests/abuse/test_budget.py) cost 1.025 output tokens per character and are refused
    assert sum(counts) * 1.4 <= budget.max_source_tokens
    assert budget.output_bound(counts) * 1.15 <= budget.max_output_tokens
    assert WorkBudget().max_output_tokens == settings.max_output_tokens  # the core's default is the setting's
