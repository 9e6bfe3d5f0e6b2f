"""Ordinary news text through the HTTP API with the real engine: capitals, numbers, scripts, control characters."""

from __future__ import annotations

from tests.contract import ContractClient


def test_a_headline_in_capitals_is_portuguese_and_comes_back_in_capitals(real_client: ContractClient) -> None:
    text = "A NVIDIA LANÇOU UM NOVO CHIP DE INTELIGÊNCIA ARTIFICIAL HOJE"
    body = real_client.post("/v1/analyze", json={"text": text}).get_json()
    assert body["language"]["code"] == "pt"
    translation = body["translation"]
    assert translation["translated"] is True
    assert translation["text"] != text and translation["text"] == translation["text"].upper()
