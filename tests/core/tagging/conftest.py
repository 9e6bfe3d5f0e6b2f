"""Fixtures and helpers shared by the tagging tests: the default tagger, the seed article, offset checks."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from service.core.tagging import Tag, Tagger, default_taxonomy_path, load_taxonomy
from tools.check_eval_set import TOPICS

SEED_ARTICLE = Path(__file__).resolve().parents[2] / "data" / "article_pt.txt"
# The default taxonomy's topics are the label vocabulary of the evaluation sets.
TOPIC_IDS = set(TOPICS)


@pytest.fixture(scope="session")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(default_taxonomy_path()))


def topics(tags: Iterable[Tag]) -> set[str]:
    return {tag.topic for tag in tags}


def assert_offsets(tags: Iterable[Tag], source: str, translation: str | None = None) -> None:
    """Every evidence slices back out of the field it names."""
    for tag in tags:
        assert tag.evidence, tag
        for evidence in tag.evidence:
            text = source if evidence.field == "source" else translation
            assert text is not None, evidence
            assert text[evidence.start : evidence.end] == evidence.term, evidence


def write(tmp_path: Path, text: str, name: str = "taxonomy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
