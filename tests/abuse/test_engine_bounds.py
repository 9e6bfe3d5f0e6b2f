"""Engine work bounded per sentence (issue 21): windows, slices by worst-case cost, the deadline in the batching
queue, every text the engine sees counted, glossary amplification refused, text with no letters refused."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from service.core.batching import BatchingTranslator
from service.core.budget import DeadlineExceededError, MeteredTranslator, WorkBudget, deadline
from service.core.deadline import remaining
from service.core.terms import Glossary, GlossaryEntry, protect
from service.core.translate import SentenceResult
from service.core.translate.tokenizer import Tokenizer
from service.core.translate.windows import Window, join, windows
from service.web import create_app
from tests.conftest import FakeFactory, FakeTranslator, make_settings
from tests.contract import ContractClient


@pytest.fixture(scope="module")
def sentencepiece_model(packages_dir: Path) -> Path:
    return next(p for p in packages_dir.iterdir() if p.is_dir()) / "sentencepiece.model"


class Clock:
    """A monotonic clock that moves only when a fake engine says its work took time: the deadline and the rate of
    the slices read it, so that what these tests check does not depend on how busy the machine is."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def spend(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The clock of service.core.deadline and service.core.budget (single-threaded tests: in_flight=1)."""
    fake = Clock()
    for module in ("service.core.deadline", "service.core.budget"):
        monkeypatch.setattr(f"{module}.time", fake)
    return fake


@pytest.fixture(scope="module")
def tokenizer(sentencepiece_model: Path) -> Tokenizer:
    return Tokenizer(sentencepiece_model)


@pytest.mark.parametrize("sentence", [
    "😀 " * 2000,                       # byte-fallback pieces: never cut inside a character
    "👩\u200d💻 " * 700 + "O governo aprovou a lei.",
    "a" * 3000,                         # one word, no word start to cut at
    "de " * 3000,
    " ".join(f"X{i}." for i in range(600)),
])
def test_every_window_is_within_the_limit_and_nothing_is_lost(tokenizer: Tokenizer, sentence: str) -> None:
    parts = windows([sentence], 200, tokenizer)
    assert len(parts) > 1
    assert all(w.tokens <= 200 and w.tokens == tokenizer.count([w.text])[0] for w in parts)
    assert "".join(w.text for w in parts).replace(" ", "") == sentence.replace(" ", "")


def test_a_short_sentence_is_one_window_unchanged(tokenizer: Tokenizer) -> None:
    sentence = "O governo aprovou a nova lei de proteção de dados."
    assert windows([sentence, ""], 200, tokenizer) == [Window(0, sentence, tokenizer.count([sentence])[0]),
                                                       Window(1, "", 0)]


def test_windows_join_back_into_one_result_per_sentence() -> None:
    parts = [Window(0, "a", 1), Window(1, "b", 1), Window(1, "c", 1)]
    results = [SentenceResult("A", -0.5, (), (("alt", -1.0),)), SentenceResult("B", -1.0, ("truncated",)),
               SentenceResult("C", -0.2, ("repetition",), (("x", -2.0),))]
    first, second = join(2, parts, results, weight=lambda text: 1)
    assert first == results[0]  # one window: as the engine said, alternatives included
    assert second == SentenceResult("B C", -0.6, ("repetition", "truncated"), ())


def test_a_degenerate_sentence_reaches_the_engine_in_bounded_slices(sentencepiece_model: Path) -> None:
    inner = FakeTranslator()
    budget = WorkBudget(chunk_tokens=200, length_ratio=2.0, length_extra=10)
    metered = MeteredTranslator(inner, Tokenizer(sentencepiece_model), slice_tokens=1000, budget=budget)
    out = metered.translate(["😀 " * 2000, "O governo aprovou a lei."])
    assert len(out) == 2 and out[1] == "[en] O governo aprovou a lei."
    assert len(inner.calls) > 5  # 4,000 tokens: 20 windows of 200, at most 2 per slice
    for call in inner.calls:
        assert sum(budget.output_bound(metered.count_tokens([text])) for text in call) <= 1000 or len(call) == 1


def test_the_deadline_is_checked_between_the_windows_of_one_sentence(sentencepiece_model: Path, clock: Clock) -> None:
    class Slow(FakeTranslator):
        def translate(self, sentences: Sequence[str]) -> list[str]:
            clock.spend(0.05)
            return super().translate(sentences)

    inner = Slow()
    metered = MeteredTranslator(inner, Tokenizer(sentencepiece_model), slice_tokens=500, in_flight=1)
    with deadline(0.2), pytest.raises(DeadlineExceededError):
        metered.translate(["😀 " * 2000])  # 20 windows: one slice each, 1 s of work
    # slices at 0, 0.05, 0.10, 0.15 s; at 0.20 s the deadline has not passed (0 left), the next check is at 0.25 s
    assert len(inner.calls) == 5


def test_a_request_waiting_for_the_engine_leaves_at_its_deadline() -> None:
    release = threading.Event()

    class Stuck(FakeTranslator):
        def translate(self, sentences: Sequence[str]) -> list[str]:
            release.wait(5)
            return super().translate(sentences)

    batcher = BatchingTranslator(Stuck(), max_wait=0.001)
    leader = threading.Thread(target=batcher.translate, args=(["long"],))
    leader.start()
    time.sleep(0.05)  # the leader is in the engine
    started = time.monotonic()
    with deadline(0.2), pytest.raises(DeadlineExceededError):
        batcher.translate(["short"])
    waited = time.monotonic() - started
    release.set()
    leader.join()
    assert 0.2 <= waited < 4  # at its deadline, not when the engine call ends (5 s)
    assert batcher.translate(["next"]) == ["[en] next"]  # and the queue is clean


def test_glossary_matches_are_found_in_linear_time() -> None:
    glossary = Glossary([GlossaryEntry("de", "X" * 200)])
    started = time.perf_counter()
    masked = protect("de " * 20000, glossary)
    assert len(masked.slots) == 20000
    assert time.perf_counter() - started < 10  # a scan over the kept spans took minutes


def test_alt_and_title_texts_count_in_the_character_limit(packages_dir: Path, client: ContractClient) -> None:
    alt = " ".join(["governo", "aprovou", "a", "lei"] * 15)
    doc = f'<p>O governo.</p><img alt="{alt}">' * 60  # ~7,000 characters of alt, 720 visible
    response = client.post("/v1/analyze", json={"text": doc, "format": "html", "source_language": "pt"})
    assert response.status_code == 200
    small = ContractClient(create_app(make_settings(packages_dir, max_chars=5000),
                                      engine_factory=FakeFactory()).test_client())
    response = small.post("/v1/analyze", json={"text": doc, "format": "html", "source_language": "pt"})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert "alt/title" in response.get_json()["detail"] and "PONTE_MAX_CHARS" in response.get_json()["detail"]


def test_glossary_amplification_is_refused_naming_the_limit(client: ContractClient) -> None:
    payload = {"text": "de " * 33000, "source_language": "pt", "glossary": [{"source": "de", "target": "X" * 200}]}
    started = time.monotonic()
    response = client.post("/v1/analyze", json=payload)
    assert response.status_code == 422 and time.monotonic() - started < 15
    assert "glossary" in response.get_json()["detail"] and "PONTE_MAX_CHARS" in response.get_json()["detail"]
    payload["glossary"] = [{"source": "de", "target": "of"}]  # the same matches, no growth: translated
    assert client.post("/v1/analyze", json=payload).status_code == 200


@pytest.mark.parametrize("text", ["\u00ad\u200d", "\u200b\u2063\u0007", "😀 " * 50, "\u00ad"])
@pytest.mark.parametrize("path", ["/v1/analyze", "/v1/translate"])
def test_text_without_letters_or_digits_is_not_translated(client: ContractClient, path: str, text: str) -> None:
    response = client.post(path, json={"text": text, "source_language": "pt"})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert "no letters or digits" in response.get_json()["detail"]


def test_an_engine_call_takes_other_requests_only_while_their_cost_fits() -> None:
    calls: list[list[str]] = []
    gate = threading.Event()

    class Recording(FakeTranslator):
        def translate(self, sentences: Sequence[str]) -> list[str]:
            gate.wait(5)
            calls.append(list(sentences))
            return super().translate(sentences)

    batcher = BatchingTranslator(Recording(), max_wait=0.05, cost=lambda texts: 100 * len(texts), max_cost=300)
    first = threading.Thread(target=batcher.translate, args=(["lead"],))
    first.start()
    time.sleep(0.1)  # the first call holds the engine; the others queue behind it
    others = [threading.Thread(target=batcher.translate, args=([f"s{i}a", f"s{i}b"],)) for i in range(4)]
    for thread in others:
        thread.start()
    time.sleep(0.1)
    gate.set()
    for thread in [first, *others]:
        thread.join()
    assert sorted(s for call in calls for s in call) == sorted(["lead", *(f"s{i}{x}" for i in range(4) for x in "ab")])
    assert max(len(call) for call in calls) <= 3  # 300 of cost: one request of 2 sentences and the leader's 1


def test_slices_shrink_as_the_deadline_nears(sentencepiece_model: Path, clock: Clock) -> None:
    class Timed(FakeTranslator):
        def translate(self, sentences: Sequence[str]) -> list[str]:
            clock.spend(0.1 * len(sentences))  # 0.1 s per window
            return super().translate(sentences)

    inner = Timed()
    sentence = "O governo aprovou a lei."
    budget = WorkBudget()
    metered = MeteredTranslator(inner, Tokenizer(sentencepiece_model), budget=budget, in_flight=1,
                                slice_tokens=5 * budget.output_bound(metered_tokens(sentencepiece_model, sentence)))
    started = clock.now
    with deadline(1.2), pytest.raises(DeadlineExceededError):
        metered.translate([f"{sentence} {i}" for i in range(40)])
    # slices of 5 windows end at 0.5 and 1.0 s; a third of 5 would end at 1.5 s: the slices after 1.0 s hold only
    # what the time left pays for (at most 2 windows), so the request ends within one window (0.1 s) of its deadline
    sizes = [len(call) for call in inner.calls]
    assert sizes[:2] == [5, 5] and sizes[2:] and all(size <= 2 for size in sizes[2:]), sizes
    assert 1.2 <= clock.now - started <= 1.3 + 1e-9


def metered_tokens(sentencepiece_model: Path, sentence: str) -> list[int]:
    return Tokenizer(sentencepiece_model).count([f"{sentence} 10"])


class Overlapping(FakeTranslator):
    """A fake engine that takes `seconds` a call and records how many calls were at it at once."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self.lock = threading.Lock()
        self.now = 0
        self.most = 0
        self.concurrency: list[int] = []

    def translate(self, sentences: Sequence[str]) -> list[str]:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
            self.concurrency.append(self.now)
        time.sleep(self.seconds)
        with self.lock:
            self.now -= 1
        return super().translate(sentences)


def test_two_slices_of_a_request_are_at_the_engine_at_once_and_come_back_in_order(sentencepiece_model: Path) -> None:
    inner = Overlapping(0.02)
    sentence = "O governo aprovou a lei."
    budget = WorkBudget()
    metered = MeteredTranslator(inner, Tokenizer(sentencepiece_model), budget=budget,
                                slice_tokens=2 * budget.output_bound(metered_tokens(sentencepiece_model, sentence)))
    texts = [f"{sentence} {i}" for i in range(12)]
    with deadline(60.0):
        out = metered.translate(texts)
    assert out == [f"[en] {text}" for text in texts]  # every slice's results in their place
    assert len(inner.calls) == 6 and inner.most == 2  # slices of 2 sentences, two at the engine at once, never 3


def test_one_slice_at_a_time_near_the_deadline(sentencepiece_model: Path) -> None:
    inner = Overlapping(0.1)
    sentence = "O governo aprovou a lei."
    budget = WorkBudget()
    metered = MeteredTranslator(inner, Tokenizer(sentencepiece_model), budget=budget,
                                slice_tokens=budget.output_bound(metered_tokens(sentencepiece_model, sentence)))
    started = time.monotonic()
    with deadline(1.0), pytest.raises(DeadlineExceededError):
        metered.translate([f"{sentence} {i}" for i in range(40)])
    # two at once while more than three slices' time is left, then one at a time (the concurrency), never with two
    # slices started just before the deadline; the 40 slices would take 2 s two at a time: the deadline stopped it
    assert time.monotonic() - started < 2.0
    assert inner.concurrency[:2] == [1, 2] and inner.concurrency[-2:] == [1, 1], inner.concurrency


def test_slices_run_in_threads_see_the_request_deadline(sentencepiece_model: Path) -> None:
    seen: list[float | None] = []

    class Watching(FakeTranslator):
        def translate(self, sentences: Sequence[str]) -> list[str]:
            seen.append(remaining())
            return super().translate(sentences)

    sentence = "O governo aprovou a lei."
    budget = WorkBudget()
    metered = MeteredTranslator(Watching(), Tokenizer(sentencepiece_model), budget=budget,
                                slice_tokens=budget.output_bound(metered_tokens(sentencepiece_model, sentence)))
    with deadline(60.0):
        metered.translate([f"{sentence} {i}" for i in range(6)])
    assert len(seen) == 6 and all(left is not None and 0 < left <= 60 for left in seen), seen
    assert metered.translate([]) == []  # no sentence, no slice
