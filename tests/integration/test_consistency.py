"""A document's output is the same alone, in a batch, from the cache, or merged with concurrent requests."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from service.web import create_app
from tests.conftest import make_settings
from tests.contract import ContractClient

DOCS = [
    "O arquivo não foi encontrado. Deseja criar um novo arquivo?",
    "Não foi possível conectar ao servidor.\nVerifique a sua conexão de rede.",
    "A operação foi cancelada pelo usuário. O arquivo não foi salvo.",
    "Erro ao abrir o arquivo. O formato não é suportado.",
]


def _stable(result: dict[str, Any]) -> dict[str, Any]:
    return {k: result[k] for k in ("language", "translation", "tags")}


@pytest.fixture
def fresh_client(packages_dir: Path) -> ContractClient:
    """A real engine stack: CTranslate2 behind the batching queue and the cache."""
    app = create_app(make_settings(packages_dir, batch_wait_ms=20.0, cache_size=1000))
    return ContractClient(app.test_client())


def test_alone_batch_cache_and_merged_agree(packages_dir: Path, fresh_client: ContractClient) -> None:
    # alone, each in a cold engine of its own
    alone = []
    for doc in DOCS:
        cold = ContractClient(create_app(make_settings(packages_dir, cache_size=0, batch_wait_ms=0)).test_client())
        alone.append(_stable(cold.post("/v1/analyze", json={"text": doc}).get_json()))
    # together in one batch request (one engine call)
    batch = fresh_client.post("/v1/analyze/batch", json={"documents": [{"text": d} for d in DOCS]}).get_json()
    assert [_stable(r) for r in batch["results"]] == alone
    # from the cache
    cached = [_stable(fresh_client.post("/v1/analyze", json={"text": d}).get_json()) for d in DOCS]
    assert cached == alone
    # merged with concurrent requests in the batching queue (cache off so the engine really runs)
    merged_client = ContractClient(create_app(make_settings(packages_dir, cache_size=0, batch_wait_ms=50.0))
                                   .test_client())
    merged: list[dict[str, Any]] = [{} for _ in DOCS]
    barrier = threading.Barrier(len(DOCS))

    def call(i: int) -> None:
        barrier.wait()
        merged[i] = _stable(merged_client.post("/v1/analyze", json={"text": DOCS[i]}).get_json())

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(DOCS))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert merged == alone
