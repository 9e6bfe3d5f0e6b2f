"""Every endpoint answers its documented shape (the ContractClient validates each response)."""

from __future__ import annotations

from tests.conftest import FakeFactory
from tests.contract import ContractClient

ARTICLE_SNIPPET = (
    "A Meta lançou o Llama 3 como modelo de código aberto.\n\n"
    "O Senado aprovou o projeto de lei que regula a inteligência artificial no Brasil."
)


def test_healthz(client: ContractClient) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_when_loaded(client: ContractClient) -> None:
    body = client.get("/readyz").get_json()
    assert body["status"] == "ready"
    assert body["models"][0]["source_language"] == "pt"
    assert body["models"][0]["status"] == "ready"


def test_openapi_is_served(client: ContractClient) -> None:
    response = client.get("/openapi.yaml")
    assert response.mimetype == "application/yaml"
    assert "/v1/analyze" in response.get_data(as_text=True)


def test_languages(client: ContractClient) -> None:
    pairs = client.get("/v1/languages").get_json()["pairs"]
    assert [(p["source_language"], p["target_language"], p["status"]) for p in pairs] == [("pt", "en", "ready")]
    assert pairs[0]["package"] == "translate-pt_en-ponte_test-1_0"


def test_topics_lists_the_default_taxonomy(client: ContractClient) -> None:
    ids = {t["id"] for t in client.get("/v1/topics").get_json()["topics"]}
    assert {"open-source", "artificial-intelligence", "ai-policy", "big-tech", "semiconductors", "markets",
            "cybersecurity"} <= ids


def test_detect(client: ContractClient) -> None:
    body = client.post("/v1/detect", json={"text": ARTICLE_SNIPPET}).get_json()
    assert body["code"] == "pt"
    assert body["reliable"] is True
    assert body["method"] == "detected"
    assert body["candidates"][0] == {"code": "pt", "probability": body["confidence"]}


def test_detect_short_text_is_not_reliable(client: ContractClient) -> None:
    body = client.post("/v1/detect", json={"text": "chip"}).get_json()
    assert body["reliable"] is False


def test_translate_keeps_paragraphs_and_sentences(client: ContractClient, fake_factory: FakeFactory) -> None:
    body = client.post("/v1/translate", json={"text": ARTICLE_SNIPPET}).get_json()
    assert body["translated"] is True
    assert (body["source_language"], body["target_language"]) == ("pt", "en")
    assert [s["source"] for s in body["sentences"]] == [
        "A Meta lançou o Llama 3 como modelo de código aberto.",
        "O Senado aprovou o projeto de lei que regula a inteligência artificial no Brasil.",
    ]
    assert all(s["target"] == "[en] " + s["source"] for s in body["sentences"])
    assert body["text"] == "\n\n".join(s["target"] for s in body["sentences"])
    assert body["model"] == {"package": "translate-pt_en-ponte_test-1_0", "version": "1.0"}
    # all sentences of the request in one engine call (besides the warm-up)
    assert len(fake_factory.engines["pt"].calls) == 2


def test_english_is_not_translated(client: ContractClient, fake_factory: FakeFactory) -> None:
    text = "Nvidia shares rose after the company reported record data-centre revenue on Wednesday."
    body = client.post("/v1/analyze", json={"text": text}).get_json()
    assert body["language"]["code"] == "en"
    assert body["translation"] == {"source_language": "en", "target_language": "en", "translated": False,
                                   "format": "text", "text": text, "visible_text": text,
                                   "source_visible_text": text, "sentences": [], "model": None,
                                   "quality": {"min_score": None, "flagged_sentences": 0}}
    assert len(fake_factory.engines["pt"].calls) == 1  # only the warm-up


def test_forced_source_language(client: ContractClient) -> None:
    body = client.post("/v1/analyze", json={"text": "chip", "source_language": "pt", "id": "x1"}).get_json()
    assert body["id"] == "x1"
    assert body["language"] == {"code": "pt", "confidence": 1.0, "reliable": False, "candidates": [],
                                "method": "given"}
    # the fake engine gives no score: null, and no flags
    assert body["translation"]["sentences"] == [{"source": "chip", "target": "[en] chip", "applied": [],
                                                  "fallback": False, "score": None, "flags": [], "alternatives": []}]


def test_analyze_shape_and_tags(client: ContractClient) -> None:
    body = client.post("/v1/analyze", json={"text": ARTICLE_SNIPPET, "id": "a-1"}).get_json()
    assert body["id"] == "a-1"
    topics = {t["topic"] for t in body["tags"]}
    assert {"big-tech", "artificial-intelligence", "ai-policy", "open-source"} <= topics
    timings = body["timings_ms"]
    assert timings["total"] >= timings["detect"]
    for tag in body["tags"]:
        for ev in tag["evidence"]:
            text = ARTICLE_SNIPPET if ev["field"] == "source" else body["translation"]["text"]
            assert text[ev["start"]:ev["end"]] == ev["term"]


def test_tag_endpoint(client: ContractClient) -> None:
    body = client.post("/v1/tag", json={"text": "A meta do Ministério da Saúde é vacinar 30 milhões"}).get_json()
    assert body == {"tags": [], "source_visible_text": "A meta do Ministério da Saúde é vacinar 30 milhões"}
    body = client.post("/v1/tag", json={"text": "Apple and Microsoft shares fell on Wall Street.",
                                        "language": "en"}).get_json()
    assert "big-tech" in {t["topic"] for t in body["tags"]}
