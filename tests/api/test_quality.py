"""Translations a pipeline can trust, through the API on the real test package: per-sentence score and flags,
a document summary, self-repair, alternatives. The looping sentences come from tests/data/looping_pt.jsonl."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from service.core.translate import FLAGS
from service.web import create_app
from tests.api.test_errors import assert_problem
from tests.conftest import make_settings
from tests.contract import ContractClient

# the tests that take over 50 ms (the real engine over the looping corpus) are `slow`: in `make test`, not in
# `make test-fast`; the others are in both

LOOPING = [json.loads(line) for line in
           (Path(__file__).resolve().parents[1] / "data" / "looping_pt.jsonl").read_text(encoding="utf-8").splitlines()]
TEXT = "\n".join(" ".join(doc["sentences"]) for doc in LOOPING[:4])


def translate(client: ContractClient, **body: Any) -> dict[str, Any]:
    response = client.post("/v1/translate", json={"text": TEXT, "source_language": "pt", **body})
    assert response.status_code == 200, response.get_data(as_text=True)
    translation: dict[str, Any] = response.get_json()
    return translation


@pytest.mark.slow
def test_every_sentence_has_a_score_and_known_flags(real_client: ContractClient) -> None:
    body = translate(real_client)
    sentences = body["sentences"]
    assert len(sentences) >= 10
    for sentence in sentences:
        assert isinstance(sentence["score"], float) and sentence["score"] <= 0
        assert list(sentence["flags"]) == [f for f in FLAGS if f in sentence["flags"]]  # known, in order
    quality = body["quality"]
    assert quality["min_score"] == min(s["score"] for s in sentences)
    assert quality["flagged_sentences"] == sum(1 for s in sentences if set(s["flags"]) - {"repaired"})


@pytest.mark.slow
def test_loops_are_repaired_and_say_so(real_client: ContractClient, packages_dir: Path) -> None:
    repaired = translate(real_client)["sentences"]
    unrepaired_client = ContractClient(create_app(make_settings(packages_dir, repair=False)).test_client())
    raw = translate(unrepaired_client)["sentences"]
    looping = [i for i, s in enumerate(raw) if "repetition" in s["flags"]]
    assert looping, "the test package loops on these sentences"
    assert not any("repaired" in s["flags"] for s in raw)
    assert sum("repetition" in s["flags"] for s in repaired) < len(looping)
    for i in looping:
        assert "repaired" in repaired[i]["flags"] or repaired[i]["target"] == raw[i]["target"]


@pytest.mark.slow
def test_alternatives_are_distinct_sorted_and_leave_the_best_alone(real_client: ContractClient) -> None:
    plain = translate(real_client)
    body = translate(real_client, alternatives=3)
    assert [s["target"] for s in body["sentences"]] == [s["target"] for s in plain["sentences"]]
    seen_any = False
    for sentence in body["sentences"]:
        alternatives = sentence["alternatives"]
        assert len(alternatives) <= 3
        targets = [a["target"] for a in alternatives]
        assert sentence["target"] not in targets
        assert len(set(targets)) == len(targets)
        scores = [a["score"] for a in alternatives]
        assert scores == sorted(scores, reverse=True)
        seen_any = seen_any or bool(alternatives)
    assert seen_any
    assert all(s["alternatives"] == [] for s in plain["sentences"])


@pytest.mark.parametrize("value", [4, -1, "2", True, 1.5])
def test_alternatives_are_bounded(client: ContractClient, value: object) -> None:
    response = client.post("/v1/translate", json={"text": "O arquivo foi salvo.", "alternatives": value})
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"][0]["pointer"] == "/alternatives"


def test_batch_documents_ask_for_their_own_alternatives(real_client: ContractClient) -> None:
    documents = [{"text": TEXT, "source_language": "pt", "alternatives": 2}, {"text": TEXT, "source_language": "pt"}]
    results = real_client.post("/v1/analyze/batch", json={"documents": documents}).get_json()["results"]
    first, second = (r["translation"]["sentences"] for r in results)
    assert [s["target"] for s in first] == [s["target"] for s in second]
    assert any(s["alternatives"] for s in first) and not any(s["alternatives"] for s in second)
    assert all(len(s["alternatives"]) <= 2 for s in first)


def test_alternatives_one_is_the_first_of_three_and_scores_say_why(real_client: ContractClient) -> None:
    one = translate(real_client, alternatives=1)["sentences"]
    three = translate(real_client, alternatives=3)["sentences"]
    compared = 0
    above = 0
    for a, b in zip(one, three, strict=True):
        assert a["target"] == b["target"]
        assert a["alternatives"] == b["alternatives"][:1]
        compared += bool(a["alternatives"])
        for alternative in b["alternatives"]:
            higher = alternative["score"] > b["score"]
            above += higher
            # one scale: an alternative above the chosen translation says why it was not chosen, no other does
            assert ("why_not_chosen" in alternative) is higher
            if higher:
                expected = "repaired" if "repaired" in b["flags"] else "length_penalty"
                assert alternative["why_not_chosen"] == expected
    assert compared >= 5 and above >= 1  # the test saw both kinds
