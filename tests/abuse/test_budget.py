"""The work budget: cost in the model's tokens, refused before the engine; slices; deadline; caches by bytes."""

from __future__ import annotations

import time

import pytest

from service.core.budget import (
    DeadlineExceededError,
    MeteredTranslator,
    WorkBudget,
    WorkBudgetExceededError,
    deadline,
)
from service.core.lru import BoundedLru, str_bytes
from service.core.translate import CachingTranslator
from service.core.translate.tokenizer import Tokenizer
from tests.conftest import FakeTranslator
from tests.contract import ContractClient

EMOJI = ("👩\u200d💻 " * 40000)[:100000]


def test_budget_bounds_source_and_worst_output() -> None:
    budget = WorkBudget(max_source_tokens=1000, max_output_tokens=500, chunk_tokens=200, length_ratio=2.0,
                        length_extra=10)
    assert budget.output_bound([200, 50]) == 410 + 110
    budget.check([100, 100])
    with pytest.raises(WorkBudgetExceededError, match=r"output tokens"):
        budget.check([200, 50])
    with pytest.raises(WorkBudgetExceededError, match="PONTE_MAX_SOURCE_TOKENS"):
        WorkBudget(max_source_tokens=10).check([11])


def test_the_default_budget_takes_100k_of_prose_and_refuses_100k_of_emoji(packages_dir, seed_article: str) -> None:
    from service.core.segment import split_sentences

    package = next(p for p in packages_dir.iterdir() if p.is_dir())
    metered = MeteredTranslator(FakeTranslator(), Tokenizer(package / "sentencepiece.model"), 2000)
    prose = [s.text for s in split_sentences((seed_article * 100)[:100000], "pt").sentences]
    WorkBudget().check(metered.count_tokens(prose))
    with pytest.raises(WorkBudgetExceededError):
        WorkBudget().check(metered.count_tokens([EMOJI]))


def test_metered_engine_works_in_slices_and_stops_at_the_deadline(packages_dir) -> None:
    package = next(p for p in packages_dir.iterdir() if p.is_dir())
    inner = FakeTranslator()
    metered = MeteredTranslator(inner, Tokenizer(package / "sentencepiece.model"), slice_tokens=50)
    sentences = [f"O governo aprovou a lei número {i} ontem." for i in range(40)]
    assert metered.translate(sentences) == [f"[en] {s}" for s in sentences]
    assert len(inner.calls) > 3 and max(len(call) for call in inner.calls) < len(sentences)
    with deadline(0.0), pytest.raises(DeadlineExceededError):
        time.sleep(0.01)
        metered.translate(sentences)


def test_a_costly_text_is_refused_with_the_limit_named(real_client: ContractClient) -> None:
    response = real_client.post("/v1/analyze", json={"text": EMOJI, "source_language": "pt"})
    assert response.status_code == 413, response.get_data(as_text=True)[:500]
    body = response.get_json(force=True)
    assert body["type"].endswith("work-budget-exceeded") and body["limit"] in {"max_source_tokens",
                                                                               "max_output_tokens"}


def test_caches_are_bounded_by_bytes() -> None:
    cache = CachingTranslator(FakeTranslator(), 10_000, max_bytes=200_000, max_entry_chars=2_000)
    for i in range(200):
        cache.translate([f"frase {i} " + "👩" * 1500])
    assert cache._cache._used <= 200_000 and len(cache._cache) < 200
    cache.translate(["x" * 2001])
    assert cache.translate(["x" * 2001]) and cache.misses >= 202  # never kept: too long
    lru: BoundedLru[str, str] = BoundedLru(1000, max_entries=2)
    for key in "abc":
        lru.put(key, key, str_bytes(key))
    assert len(lru) == 2
