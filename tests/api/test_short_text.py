"""Short Portuguese text (headlines, captions) is translated on a pt-only server; other languages are refused
with a hint. Real lines: tests/data/headlines/ (see its README for their source and licence)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.test_errors import assert_problem
from tests.contract import ContractClient

# the tests that take over 50 ms (every headline, caption or foreign line) are `slow`: in `make test`, not in
# `make test-fast`; the others are in both

HEADLINES = Path(__file__).resolve().parents[1] / "data" / "headlines"


def lines(*names: str) -> list[str]:
    found = [line.strip() for name in names for line in (HEADLINES / name).read_text(encoding="utf-8").splitlines()]
    return [line for line in found if line]


def analyze_all(client: ContractClient, texts: list[str]) -> list[dict]:
    """Every text through /v1/analyze/batch (64 at a time): each result or problem, in order."""
    out: list[dict] = []
    for start in range(0, len(texts), 64):
        response = client.post("/v1/analyze/batch", json={"documents": [{"text": t} for t in texts[start:start + 64]]})
        assert response.status_code == 200
        out.extend(response.get_json()["results"])
    return out


def test_the_two_reported_lines_are_translated(client: ContractClient) -> None:
    for text in ("A Meta lançou o Llama 3.", "Fonte: Andre Lug"):
        body = client.post("/v1/analyze", json={"text": text}).get_json()
        assert body["language"]["code"] == "pt"
        assert body["language"]["method"] == "fallback" and body["language"]["reliable"] is False
        assert body["translation"]["translated"] is True


@pytest.mark.slow
def test_no_portuguese_headline_or_caption_is_refused(client: ContractClient) -> None:
    texts = lines("news_pt_cc0.txt", "handbook_pt_headings.txt", "handbook_pt_captions.txt")
    assert len(texts) >= 100
    results = analyze_all(client, texts)
    refused = [(t, r["error"]["detail"]) for t, r in zip(texts, results, strict=True) if "error" in r]
    assert refused == []
    # a few handbook headings are mostly English words ("Instalando Software adicional"): those pass through
    translated = sum(r["language"]["code"] == "pt" for r in results)
    assert translated >= 0.95 * len(texts)


@pytest.mark.slow
def test_english_passes_through(client: ContractClient) -> None:
    texts = lines("handbook_en_captions.txt")[:100]
    results = analyze_all(client, texts)
    assert not [r for r in results if "error" in r]
    passed = sum(r["language"]["code"] == "en" and r["translation"]["translated"] is False for r in results)
    assert passed >= 0.8 * len(texts)


@pytest.mark.slow
@pytest.mark.parametrize("language", ["es", "fr", "it"])
def test_other_languages_are_refused_with_the_hint(client: ContractClient, language: str) -> None:
    texts = lines(f"handbook_{language}_paragraphs.txt")[:40]
    results = analyze_all(client, texts)
    refused = [r["error"] for r in results if "error" in r]
    assert len(refused) == len(texts)
    for problem in refused:
        assert problem["type"].endswith("unsupported-language")
        assert "source_language" in problem["detail"]


def test_a_single_refusal_names_source_language(client: ContractClient) -> None:
    text = lines("handbook_es_paragraphs.txt")[0]
    body = assert_problem(client.post("/v1/analyze", json={"text": text}), 422, "unsupported-language")
    assert body["language"] == "es" and "pass source_language" in body["detail"]
