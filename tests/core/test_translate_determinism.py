"""A sentence's translation is the same whatever shares its engine call: alone, batched in any
composition and order, from the cache, merged across concurrent requests, any sub-batch size or
number of replicas. The corpus holds sentences the fixture model decodes into loops, the ones whose
output used to depend on the batch (tests/data/README.md)."""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path

import pytest

from service.core.batching import BatchingTranslator
from service.core.packages import InstalledPackage, check_package_dir
from service.core.translate import ArgosTranslator, CachingTranslator, DecodingOptions, SentenceResult

# real-engine or corpus-wide: in `make test`, not in `make test-fast`
pytestmark = [pytest.mark.slow, pytest.mark.determinism]

CORPUS = Path(__file__).resolve().parents[1] / "data" / "looping_pt.jsonl"
DOCUMENTS = [json.loads(line)["sentences"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
SENTENCES = [s for doc in DOCUMENTS for s in doc]


@pytest.fixture(scope="module")
def package(packages_dir: Path) -> InstalledPackage:
    return check_package_dir(packages_dir / "translate-pt_en-ponte_test-1_0")


def translated_alone(package: InstalledPackage, repair: bool) -> dict[str, SentenceResult]:
    """Every sentence translated on its own: the reference."""
    engine = ArgosTranslator(package, DecodingOptions(repair=repair))
    return {s: engine.translate_scored([s])[0] for s in SENTENCES}


@pytest.fixture(scope="module")
def alone(package: InstalledPackage) -> dict[str, SentenceResult]:
    return translated_alone(package, repair=True)


@pytest.fixture(scope="module")
def alone_unrepaired(package: InstalledPackage) -> dict[str, SentenceResult]:
    # self-repair ends most loops early, which would hide a bound that depends on the batch
    return translated_alone(package, repair=False)


def differences(results: dict[str, SentenceResult], alone: dict[str, SentenceResult]) -> list[str]:
    return [s for s in SENTENCES if results[s] != alone[s]]


def test_the_corpus_makes_the_model_loop(package: InstalledPackage) -> None:
    engine = ArgosTranslator(package, DecodingOptions(repair=False))
    flagged = [r for r in engine.translate_scored(SENTENCES) if "repetition" in r.flags or "truncated" in r.flags]
    assert len(flagged) >= len(SENTENCES) // 2


@pytest.mark.parametrize(("max_batch_size", "inter_threads", "repair"), [(32, 1, False), (3, 2, False), (1, 2, True)])
def test_batched_in_any_order_and_size_equals_alone(package: InstalledPackage, alone: dict[str, SentenceResult],
                                                    alone_unrepaired: dict[str, SentenceResult],
                                                    max_batch_size: int, inter_threads: int, repair: bool) -> None:
    engine = ArgosTranslator(package, DecodingOptions(max_batch_size=max_batch_size, repair=repair),
                             inter_threads=inter_threads)
    alone = alone if repair else alone_unrepaired
    shuffled = SENTENCES[:]
    random.Random(max_batch_size).shuffle(shuffled)
    for order in (list(reversed(SENTENCES)), shuffled):
        assert differences(dict(zip(order, engine.translate_scored(order), strict=True)), alone) == []
    by_document = {s: r for doc in DOCUMENTS for s, r in zip(doc, engine.translate_scored(doc), strict=True)}
    assert differences(by_document, alone) == []
    assert engine.translate(SENTENCES) == [alone[s].text for s in SENTENCES]


def test_cached_and_concurrent_equal_alone(package: InstalledPackage, alone: dict[str, SentenceResult]) -> None:
    engine = ArgosTranslator(package, DecodingOptions(), inter_threads=2)
    cached = CachingTranslator(BatchingTranslator(engine, max_wait=0.05), size=1000)
    results: dict[str, SentenceResult] = {}
    lock = threading.Lock()
    start = threading.Barrier(len(DOCUMENTS))

    def request(doc: list[str]) -> None:
        start.wait()
        out = cached.translate_scored(doc)
        with lock:
            results.update(zip(doc, out, strict=True))

    threads = [threading.Thread(target=request, args=(doc,)) for doc in DOCUMENTS]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert differences(results, alone) == []
    assert engine.engine_calls < len(DOCUMENTS)  # requests were merged: the test exercised shared calls
    from_cache = dict(zip(SENTENCES, cached.translate_scored(SENTENCES), strict=True))
    assert cached.hits >= len(set(SENTENCES))
    assert differences(from_cache, alone) == []
