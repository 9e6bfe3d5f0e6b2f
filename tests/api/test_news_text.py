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


def test_a_headline_langdetect_takes_for_spanish_is_translated_as_portuguese(real_client: ContractClient) -> None:
    text = "POLÍCIA PRENDE GRUPO SUSPEITO DE GOLPES PELA INTERNET"
    detected = real_client.post("/v1/detect", json={"text": text}).get_json()
    assert (detected["code"], detected["reliable"]) == ("es", False)  # langdetect's answer, not called reliable
    body = real_client.post("/v1/analyze", json={"text": text}).get_json()
    assert (body["language"]["code"], body["language"]["method"]) == ("pt", "fallback")
    assert body["translation"]["translated"] is True


def test_short_text_in_another_script_is_refused_naming_source_language(client: ContractClient) -> None:
    for text in ("人工智能公司今天发布了一个新的大型语言模型，引起了广泛关注。",
                 "Правительство объявило новый план по ИИ", "أعلنت الحكومة اليوم عن خطة جديدة"):
        response = client.post("/v1/translate", json={"text": text})
        assert response.status_code == 422, response.get_json()
        body = response.get_json()
        assert body["type"] == "urn:ponte:problem:unsupported-language"
        assert "source_language" in body["detail"]


def test_a_nul_never_cuts_the_text(real_client: ContractClient) -> None:
    spaced = real_client.post("/v1/translate", json={"text": "Texto com nulo no governo"}).get_json()
    body = real_client.post("/v1/translate", json={"text": "Texto\u0000com nulo no governo"}).get_json()
    assert body["sentences"][0]["source"] == "Texto\u0000com nulo no governo"  # kept in the source
    assert body["text"] == spaced["text"]  # and translated around, as a space
    assert len(body["text"].split()) > 1
