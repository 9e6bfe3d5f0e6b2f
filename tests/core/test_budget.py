"""The work budget's edges: the messages that name the setting to change, the deadline at its instant (a fake
clock: no test waits), and slices that fill up to `slice_tokens` (worst-case output tokens) exactly."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from service.core import deadline as deadlines
from service.core.budget import (
    DeadlineExceededError,
    MeteredTranslator,
    WorkBudget,
    WorkBudgetExceededError,
    check_deadline,
    deadline,
)
from service.core.translate.tokenizer import Tokenizer
from tests.conftest import FakeTranslator


class Clock:
    now = 100.0

    def monotonic(self) -> float:
        return self.now


def test_the_deadline_passes_after_its_instant_not_at_it(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(deadlines, "time", clock)
    with deadline(5.0):
        clock.now = 105.0
        check_deadline()  # at the instant: still in time
        clock.now = 105.001
        with pytest.raises(DeadlineExceededError) as caught:
            check_deadline()
    assert str(caught.value) == ("the request ran out of time (PONTE_REQUEST_DEADLINE) before its translation was "
                                 "done; retry later or send a shorter text")
    check_deadline()  # outside the block: no deadline
    with deadline(None):
        clock.now = 10**9
        check_deadline()


def test_budget_messages_name_the_setting() -> None:
    with pytest.raises(WorkBudgetExceededError) as source:
        WorkBudget(max_source_tokens=10).check([6, 5])
    assert str(source.value) == ("the text is 11 model tokens; the limit is 10 per request (PONTE_MAX_SOURCE_TOKENS): "
                                 "split it")
    with pytest.raises(WorkBudgetExceededError) as output:
        WorkBudget(max_output_tokens=20, length_ratio=1.0, length_extra=5).check([10, 6])
    assert str(output.value) == ("the text may cost up to 26 output tokens; the limit is 20 per request "
                                 "(PONTE_MAX_OUTPUT_TOKENS): split it or use fewer, longer sentences")


class Recording(FakeTranslator):
    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[object]:
        self.calls.append(list(sentences))
        self.alternatives = alternatives
        return [f"[en] {s}" for s in sentences]


@pytest.fixture
def metered(packages_dir: Path) -> tuple[MeteredTranslator, FakeTranslator]:
    package = next(p for p in packages_dir.iterdir() if p.is_dir())
    inner = FakeTranslator()
    return MeteredTranslator(inner, Tokenizer(package / "sentencepiece.model"), slice_tokens=1), inner


def test_slices_fill_up_to_slice_tokens_exactly(metered: tuple[MeteredTranslator, FakeTranslator]) -> None:
    engine, inner = metered
    sentences = ["O governo aprovou a lei.", "A empresa lançou um modelo.", "Ontem.", "O mercado subiu."]
    counts = engine.count_tokens(sentences)
    assert all(count > 1 for count in counts) and engine.count_tokens([]) == []
    # a slice is bounded by its windows' worst-case output (their decoding bounds summed)
    bounds = [engine.budget.output_bound([count]) for count in counts]
    engine.slice_tokens = bounds[0] + bounds[1]  # the first two fill a slice exactly
    engine.translate(sentences)
    assert inner.calls[0] == sentences[:2]
    inner.calls.clear()
    engine.slice_tokens = bounds[0] + bounds[1] - 1  # one token short: the second sentence starts the next slice
    engine.translate(sentences)
    assert inner.calls[0] == sentences[:1]
    inner.calls.clear()
    engine.slice_tokens = 1  # a sentence longer than a slice still goes, alone
    assert engine.translate(sentences) == [f"[en] {s}" for s in sentences]
    assert inner.calls == [[s] for s in sentences]


def test_scored_slices_pass_the_alternatives_on(packages_dir: Path) -> None:
    package = next(p for p in packages_dir.iterdir() if p.is_dir())
    inner = Recording()
    engine = MeteredTranslator(inner, Tokenizer(package / "sentencepiece.model"), slice_tokens=10_000)
    assert (engine.name, engine.version) == (inner.name, inner.version)
    assert engine.translate_scored(["Um.", "Dois."], alternatives=2) == ["[en] Um.", "[en] Dois."]
    assert inner.alternatives == 2 and inner.calls == [["Um.", "Dois."]]
    engine.translate_scored(["Três."])
    assert inner.alternatives == 0
