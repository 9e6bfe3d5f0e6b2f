"""Language tags as people write them: every language field takes BCP 47 and its common variants."""

from __future__ import annotations

import pytest

from service.core.languages import primary, standard_tag
from tests.api.test_errors import assert_problem
from tests.contract import ContractClient


@pytest.mark.parametrize(("written", "tag"), [
    ("pt", "pt"), ("pt-BR", "pt-BR"), ("pt_PT", "pt-PT"), ("PT", "pt"), ("pt-br", "pt-BR"), ("por", "pt"),
    ("pt-Latn-BR", "pt-BR"), ("zh-Hans-CN", "zh-Hans-CN"), ("en_GB", "en-GB"), ("iw", "he"), ("auto", "auto"),
    ("AUTO", "auto"),
    # a language of a macrolanguage is written as the macrolanguage the models and the detector know: Standard
    # Arabic and Mandarin (BCP 47's "macro" standardisation, langcodes' macro=True)
    ("arb", "ar"), ("cmn", "zh"), ("zh-cmn", "zh"), ("cmn-TW", "zh-TW"),
])
def test_standard_tags(written: str, tag: str) -> None:
    assert standard_tag(written) == tag


@pytest.mark.parametrize("written", ["xx", "portuguese", "Português", "pt-", "pt--BR", "123", "und", "x-foo",
                                     "pt\n", " pt", ""])
def test_nonsense_is_refused(written: str) -> None:
    with pytest.raises(ValueError, match="BCP 47"):
        standard_tag(written)


def test_primary() -> None:
    assert (primary("pt-BR"), primary("pt"), primary("zh-Hans-CN")) == ("pt", "pt", "zh")


@pytest.mark.parametrize(("written", "tag"), [("pt-BR", "pt-BR"), ("pt_PT", "pt-PT"), ("PT", None), ("pt", None)])
def test_every_request_field_takes_the_variants(client: ContractClient, written: str, tag: str | None) -> None:
    text = "O governo aprovou a lei."
    body = client.post("/v1/analyze", json={"text": text, "source_language": written}).get_json()
    assert body["language"]["code"] == "pt" and body["language"]["method"] == "given"
    assert body["language"].get("tag") == tag  # the answer says which tag it took, when it says more than pt
    assert body["translation"]["source_language"] == "pt"
    translated = client.post("/v1/translate", json={"text": text, "source_language": written}).get_json()
    assert translated["source_language"] == "pt" and translated["translated"] is True
    tagged = client.post("/v1/tag", json={"text": text, "language": written})
    assert tagged.status_code == 200
    batch = client.post("/v1/analyze/batch", json={"documents": [{"text": text, "source_language": written}]})
    assert batch.get_json()["results"][0]["language"]["code"] == "pt"


def test_a_detected_language_has_no_tag(client: ContractClient) -> None:
    body = client.post("/v1/analyze", json={"text": "O governo aprovou a nova lei de proteção de dados."}).get_json()
    assert "tag" not in body["language"]


@pytest.mark.parametrize(("path", "field"), [("/v1/analyze", "source_language"), ("/v1/translate", "source_language"),
                                             ("/v1/tag", "language")])
def test_nonsense_is_a_clear_422(client: ContractClient, path: str, field: str) -> None:
    body = assert_problem(client.post(path, json={"text": "Olá.", field: "portuguese"}), 422, "validation-error")
    assert body["errors"] == [{"pointer": f"/{field}", "detail": "must be 'auto' or a BCP 47 language tag such as "
                                                                 "'pt', 'pt-BR' or 'en'; got 'portuguese'"}]
