"""Accent, case and typography folding, and offsets back into the original text."""

from __future__ import annotations

import unicodedata

import pytest

from service.core.tagging import CASE_INSENSITIVE, CASE_SENSITIVE, Tagger
from service.core.tagging.folding import Folded, fold, fold_char
from tests.core.tagging.conftest import assert_offsets


@pytest.mark.parametrize(
    "text",
    [
        unicodedata.normalize("NFD", "A regulação da inteligência artificial e a Meta — código aberto."),
        "A regulação da inteligência arti\ufb01cial e a Meta \u2014 código\u2011aberto \u2026 ½ İstanbul.",
        "ﬁ" * 3 + " A inteligência artificial" + "\u0301" * 2 + " e a LGPD.",
        "\u0301A Meta lançou o Llama 3" + "\u0327",
    ],
)
def test_offsets_survive_unusual_unicode(tagger: Tagger, text: str) -> None:
    tags = tagger.tag(text, "pt", text)
    assert tags
    assert_offsets(tags, text, text)


@pytest.mark.parametrize(
    ("text", "insensitive", "sensitive"),
    [
        ("Regulação da IA", "regulacao da ia", "Regulacao da IA"),
        ("“Código” — ABERTO", '"codigo" - aberto', '"Codigo" - ABERTO'),
        (unicodedata.normalize("NFD", "Ação"), "acao", "Acao"),
        ("\ufb01nança", "financa", "financa"),
    ],
)
def test_fold_removes_accents_case_and_typography(text: str, insensitive: str, sensitive: str) -> None:
    assert fold(text, CASE_INSENSITIVE) == insensitive
    assert fold(text, CASE_SENSITIVE) == sensitive


def test_same_length_folding_keeps_offsets() -> None:
    folded = Folded.of("Regulação e código")
    assert (folded.starts, folded.ends) == (None, None)
    assert folded.original(0, 9) == (0, 9)


def test_combining_marks_belong_to_the_letter_before_them() -> None:
    text = unicodedata.normalize("NFD", "a ação e o café")  # every accent a character of its own
    folded = Folded.of(text)
    assert folded.insensitive == "a acao e o cafe"
    assert text[slice(*folded.original(2, 6))] == unicodedata.normalize("NFD", "ação")
    assert text[slice(*folded.original(11, 15))] == unicodedata.normalize("NFD", "café")  # its accent too


def test_a_ligature_maps_both_its_letters_back_to_itself() -> None:
    text = "o \ufb01m"  # "ﬁ" folds to two letters
    folded = Folded.of(text)
    assert folded.insensitive == "o fim"
    assert folded.original(2, 3) == (2, 3)  # "f" alone is still the whole ligature
    assert folded.original(2, 4) == (2, 3)  # and so is "fi"
    assert folded.original(2, 5) == (2, 4)
    assert text[slice(*folded.original(2, 5))] == "\ufb01m"


def test_fold_char_gives_both_case_rules() -> None:
    assert fold_char("Ç") == ("c", "C")
    assert fold_char("\u2019") == ("'", "'")
    assert fold_char("İ") == ("i", "I")  # its dot is a combining mark, dropped like an accent


@pytest.mark.parametrize(("text", "spans"), [
    # a combining mark after the first character belongs to it
    ("e\u0301 x", [(0, 1, 0, 2), (2, 3, 3, 4)]),
    # a ligature folds to two characters: a mark after it belongs to both
    ("\ufb01\u0301 x", [(0, 1, 0, 2), (1, 2, 0, 2), (0, 2, 0, 2), (3, 4, 3, 4)]),
    # two marks in a row, not at the start
    ("xa\u0301\u0327", [(0, 1, 0, 1), (1, 2, 1, 4)]),
])
def test_a_combining_mark_extends_the_characters_before_it(text: str, spans: list[tuple[int, int, int, int]]) -> None:
    folded = Folded.of(text)
    for start, end, original_start, original_end in spans:
        assert folded.original(start, end) == (original_start, original_end), (start, end)
