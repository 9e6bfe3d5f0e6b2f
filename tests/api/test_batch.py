"""POST /v1/analyze/batch: results in order, per-document problems, shared engine calls."""

from __future__ import annotations

from pathlib import Path

from service.web import create_app
from tests.conftest import FakeFactory, make_settings
from tests.contract import ContractClient

DOC_A = "O arquivo foi salvo no disco. A operação terminou com sucesso."
DOC_B = "A operação terminou com sucesso. A Meta lançou o Llama 3 como modelo aberto."


def test_results_in_order_with_per_document_errors(client: ContractClient, fake_factory: FakeFactory) -> None:
    documents = [
        {"id": "a", "text": DOC_A},
        {"id": "empty", "text": ""},
        {"id": "b", "text": DOC_B, "source_language": "pt"},
        {"id": "german", "text": "Der Vertrag wurde gestern vom Parlament in Berlin unterzeichnet."},
        {"id": "extra", "text": DOC_A, "colour": "red"},
        "not an object",
        {"id": "en", "text": "Nvidia shares rose sharply on Wall Street after the earnings report."},
    ]
    body = client.post("/v1/analyze/batch", json={"documents": documents}).get_json()
    results = body["results"]
    assert len(results) == len(documents)
    assert [r.get("id") for r in results] == ["a", "empty", "b", "german", "extra", None, "en"]
    assert results[0]["translation"]["translated"] is True
    assert results[1]["error"]["type"] == "urn:ponte:problem:validation-error"
    assert results[1]["index"] == 1
    assert results[3]["error"]["type"] == "urn:ponte:problem:unsupported-language"
    assert results[3]["error"]["language"] == "de"
    assert results[4]["error"]["errors"] == [{"pointer": "/colour", "detail": "Unknown field."}]
    assert results[5]["error"]["status"] == 422
    assert results[6]["translation"]["translated"] is False
    # one engine call for all Portuguese documents (after the warm-up), the shared sentence once
    calls = fake_factory.engines["pt"].calls
    assert len(calls) == 2
    assert calls[1].count("A operação terminou com sucesso.") == 1


def test_batch_result_equals_single_analysis(client: ContractClient) -> None:
    single = client.post("/v1/analyze", json={"id": "b", "text": DOC_B}).get_json()
    batch = client.post("/v1/analyze/batch", json={"documents": [{"id": "a", "text": DOC_A},
                                                                 {"id": "b", "text": DOC_B}]}).get_json()
    in_batch = batch["results"][1]
    for key in ("id", "language", "translation", "tags"):
        assert in_batch[key] == single[key]


def test_batch_limits(packages_dir: Path) -> None:
    client = ContractClient(create_app(make_settings(packages_dir, max_batch=3), engine_factory=FakeFactory())
                            .test_client())
    too_many = client.post("/v1/analyze/batch", json={"documents": [{"text": DOC_A}] * 4})
    assert too_many.status_code == 422
    assert "limit is 3" in too_many.get_json()["detail"]
    assert client.post("/v1/analyze/batch", json={"documents": []}).status_code == 422
    assert client.post("/v1/analyze/batch", json={"documents": "x"}).status_code == 422
    assert client.post("/v1/analyze/batch", json={"docs": []}).status_code == 422
