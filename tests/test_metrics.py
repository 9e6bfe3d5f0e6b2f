"""GET /metrics: counters move with requests, labels stay bounded, and several gunicorn workers add up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from service.core.packages import InstalledPackage
from service.core.translate import CachingTranslator
from service.web import create_app
from tests.conftest import FakeFactory, FakeTranslator, make_settings
from tests.contract import ContractClient

TEXT = "O arquivo foi salvo com sucesso. A pasta não foi encontrada."


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """{(sample name, sorted labels): value} of a text exposition."""
    out: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def value(scraped: dict, name: str, **labels: str) -> float:
    """The sum of the samples of `name` whose labels include `labels`."""
    return sum(v for (n, ls), v in scraped.items() if n == name and set(labels.items()) <= set(ls))


def scrape(client: ContractClient) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return samples(response.get_data(as_text=True))


class CachedFakeFactory(FakeFactory):
    """Fake engines behind the real sentence cache, as argos_engine_factory builds them."""

    def __call__(self, package: InstalledPackage) -> Any:
        engine = FakeTranslator(package)
        self.engines[package.from_code] = engine
        return CachingTranslator(engine, 100)


def test_request_counters_move_by_route_and_status(client: ContractClient) -> None:
    before = scrape(client)
    client.post("/v1/detect", json={"text": TEXT})
    client.post("/v1/detect", json={"text": TEXT})
    client.post("/v1/detect", json={"text": ""})
    client.get("/v1/nowhere/12345")
    client.open("BREW", "/v1/topics")
    after = scrape(client)
    delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    assert value(delta, "ponte_http_requests_total", route="/v1/detect", status="200", method="POST") == 2
    assert value(delta, "ponte_http_requests_total", route="/v1/detect", status="422") == 1
    assert value(delta, "ponte_http_requests_total", route="<unmatched>", status="404") == 1
    assert value(delta, "ponte_http_requests_total", method="OTHER", status="405") == 1
    assert value(delta, "ponte_http_request_duration_seconds_count", route="/v1/detect") == 3
    assert value(after, "ponte_http_request_duration_seconds_sum", route="/v1/detect") > 0
    # no raw path, no odd method, no text among the label values
    labels = {v for (_, ls) in after for _, v in ls}
    assert not any("nowhere" in v or "BREW" in v or "arquivo" in v for v in labels)


def test_translation_and_cache_counters(packages_dir: Path) -> None:
    # the document cache is off so that the repeated text goes through the sentence cache
    client = ContractClient(create_app(make_settings(packages_dir, document_cache_chars=0),
                                       engine_factory=CachedFakeFactory()).test_client())
    first = scrape(client)
    assert value(first, "ponte_translated_documents_total") == 0
    client.post("/v1/translate", json={"text": TEXT})          # 2 sentences, both new
    client.post("/v1/analyze", json={"text": TEXT})            # both from the cache
    client.post("/v1/analyze/batch", json={"documents": [{"text": TEXT}, {"text": "The file was saved."}]})
    client.post("/v1/detect", json={"text": TEXT})             # no translation
    after = scrape(client)
    assert value(after, "ponte_translated_documents_total", language="pt") == 3  # English is not translated
    assert value(after, "ponte_translated_sentences_total", language="pt") == 6
    assert value(after, "ponte_translated_characters_total", language="pt") == 3 * len(TEXT)
    misses = "ponte_translation_cache_misses_total"  # the warm-up sentence was the first miss
    assert value(after, misses, language="pt") - value(first, misses, language="pt") == 2
    assert value(after, "ponte_translation_cache_hits_total", language="pt") == 4
    assert value(after, "ponte_model_ready", language="pt") == 1
    assert value(after, "ponte_model_failed", language="pt") == 0
    assert value(after, "ponte_workers") == 1


def test_model_gauges_show_a_failed_model(packages_dir: Path) -> None:
    client = ContractClient(create_app(make_settings(packages_dir), engine_factory=FakeFactory(fail=True))
                            .test_client())
    scraped = scrape(client)
    assert value(scraped, "ponte_model_ready", language="pt") == 0
    assert value(scraped, "ponte_model_failed", language="pt") == 1


def test_cache_counters_through_the_real_engine_layers(packages_dir: Path) -> None:
    """The real stack puts the cache under other layers (work budget, batching): its counters still reach /metrics."""
    client = ContractClient(create_app(make_settings(packages_dir, document_cache_chars=0)).test_client())
    first = scrape(client)
    for _ in range(2):
        assert client.post("/v1/translate", json={"text": TEXT}).status_code == 200
    after = scrape(client)
    hits = "ponte_translation_cache_hits_total"
    assert value(after, hits, language="pt") - value(first, hits, language="pt") == 2
