"""Portuguese plural and gender forms of glossary sources, English plurals of targets: written down by hand."""

from __future__ import annotations

import pytest

from service.core.terms.inflection import Inflected, english_plural, inflections


def forms(phrase: str) -> list[tuple[str, bool]]:
    return [(form.text, form.plural) for form in inflections(phrase)]


@pytest.mark.parametrize(("word", "expected"), [
    ("ação", [("ação", False), ("ações", True), ("açães", True), ("açãos", True)]),  # -ão: three plurals, no feminine
    ("AÇÃO", [("AÇÃO", False)]),  # capitals: an acronym to the rules, kept as written
    ("Mão", [("Mão", False), ("Mões", True), ("Mães", True), ("Mãos", True)]),
    ("modelo", [("modelo", False), ("modelos", True), ("modela", False), ("modelas", True)]),
    ("Modelo", [("Modelo", False), ("Modelos", True), ("Modela", False), ("Modelas", True)]),
    ("item", [("item", False), ("itens", True)]),
    ("fácil", [("fácil", False), ("fácis", True), ("fáceis", True)]),
    ("papel", [("papel", False), ("papeis", True)]),
    ("hospital", [("hospital", False), ("hospitais", True)]),
    ("lençol", [("lençol", False), ("lençois", True)]),
    ("azul", [("azul", False), ("azuis", True)]),
    ("motor", [("motor", False), ("motores", True), ("motora", False), ("motoras", True)]),
    ("luz", [("luz", False), ("luzes", True)]),
    ("pólen", [("pólen", False), ("pólenes", True)]),
    ("gás", [("gás", False), ("gáses", True)]),  # the singular is also its own plural
    ("tórax", [("tórax", False), ("tóraxes", True)]),
    ("chip", [("chip", False), ("chips", True)]),
    ("café", [("café", False), ("cafés", True)]),
    ("API", [("API", False)]),
    ("de", [("de", False)]),
    ("open-source", [("open-source", False)]),  # not one word
    ("GPT-4", [("GPT-4", False)]),
])
def test_one_word(word: str, expected: list[tuple[str, bool]]) -> None:
    assert forms(word) == expected


def test_only_the_head_noun_phrase_agrees() -> None:
    assert forms("modelo de linguagem") == [("modelo de linguagem", False), ("modelos de linguagem", True),
                                            ("modela de linguagem", False), ("modelas de linguagem", True)]
    assert forms("modelo aberto") == [("modelo aberto", False), ("modelos abertos", True),
                                      ("modela aberta", False), ("modelas abertas", True)]
    assert forms("Llama 3") == [("Llama 3", False)]  # a name with a number
    # every combination of the words' plurals, the phrase as written first
    assert forms("ação social") == [("ação social", False), ("ações sociais", True), ("açães sociais", True),
                                    ("açãos sociais", True)]
    assert forms("lei da União") == [("lei da União", False), ("leis da União", True)]


def test_the_forms_are_bounded() -> None:
    # 3 plurals a word, 3**4 = 81 combinations: the phrase and the first 32 of them
    found = inflections("ação ação ação ação")
    assert len(found) == 33
    assert found[0] == Inflected("ação ação ação ação", False)
    assert all(form.plural for form in found[1:])


@pytest.mark.parametrize(("phrase", "plural"), [
    ("open model", "open models"), ("box", "boxes"), ("buzz", "buzzes"), ("match", "matches"), ("wish", "wishes"),
    ("policy", "policies"), ("day", "days"), ("y", "ys"), ("chips", "chips"), ("API", "API"), ("GPT-4", "GPT-4"),
    ("data set", "data sets"), ("AI policy", "AI policies"),
])
def test_english_plural(phrase: str, plural: str) -> None:
    assert english_plural(phrase) == plural
