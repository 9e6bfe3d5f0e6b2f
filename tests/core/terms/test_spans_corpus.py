"""The span rules on labelled news sentences (tests/data/spans), counted by tools/eval_spans.evaluate."""

from __future__ import annotations

import pytest

from service.core.terms.spans import VERSION, find_spans
from tools.eval_spans import KINDS, evaluate, load, parse_line

RECORDS = load()


def test_the_corpus_is_the_size_the_measure_needs() -> None:
    assert len(RECORDS) >= 500
    assert sum(1 for r in RECORDS for kind, _, _ in r.spans if kind == VERSION) >= 100


@pytest.mark.parametrize("half", ["even", "odd"])
def test_version_precision_and_recall(half: str) -> None:
    scores = evaluate(RECORDS[half == "odd"::2])
    assert scores.precision(VERSION) >= 0.98, scores.errors
    assert scores.recall(VERSION) >= 0.95, scores.errors


def test_no_ordinary_word_is_frozen_and_every_kind_is_precise() -> None:
    scores = evaluate(RECORDS)
    assert scores.ordinary == 0, scores.errors
    for kind in KINDS.values():
        assert scores.precision(kind) >= 0.95, (kind, scores.errors)
        assert scores.recall(kind) >= 0.9, (kind, scores.errors)


def test_marks_are_read_back_to_the_sentence() -> None:
    record = parse_line(1, "O [[v:Claude 3]], da [[v?:PEC 45]] e [[u:gov.br]].")
    assert record.text == "O Claude 3, da PEC 45 e gov.br."
    assert [record.text[a:b] for _, a, b in record.spans] == ["Claude 3", "gov.br"]
    assert [record.text[a:b] for a, b in record.optional] == ["PEC 45"]


def test_a_word_before_a_number_is_no_version() -> None:
    # the reports of issue 20, one by one
    for text in ["O Brasil tem 200 milhões de habitantes.", "As ações subiram 5 pontos.",
                 "A empresa contratou 30 engenheiros.", "O relatório 51 foi publicado."]:
        assert [s for s in find_spans(text) if s.kind == VERSION] == [], text
    assert [s.text for s in find_spans("O Claude 3, da Anthropic, supera o Mistral 7B.")] == ["Claude 3", "Mistral 7B"]
