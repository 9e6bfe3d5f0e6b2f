"""Context rules: `near` and `requires`, in characters or within one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.segment import split_sentences
from service.core.tagging import Tagger, load_taxonomy
from tests.core.tagging.conftest import topics, write


def test_policy_words_alone_are_not_ai_policy(tagger: Tagger) -> None:
    text = "O Senado aprovou o projeto de lei e o governo vai regulamentar o setor elétrico."
    assert "ai-policy" not in topics(tagger.tag(text, "pt"))


def test_ai_and_policy_must_be_near_each_other(tagger: Tagger) -> None:
    policy = "O Senado aprovou ontem o projeto de lei com a nova regulamentação do setor elétrico. "
    filler = "O tempo estará firme em todo o país, com sol entre nuvens e temperaturas amenas. " * 5
    ai = "Num outro assunto, a inteligência artificial ajuda médicos a ler exames."
    assert "ai-policy" not in topics(tagger.tag(policy + filler + ai, "pt"))
    assert "ai-policy" in topics(tagger.tag(policy + ai, "pt"))


def test_company_named_in_passing_is_not_big_tech(tagger: Tagger) -> None:
    assert "big-tech" not in topics(tagger.tag("A fábrica atende clientes como a Apple e a Nvidia.", "pt"))
    assert "big-tech" not in topics(tagger.tag("O estudo cita a Microsoft.", "pt"))
    assert "big-tech" in topics(tagger.tag("A Microsoft anunciou a compra da empresa.", "pt"))


def test_requires_near_and_include(tmp_path: Path) -> None:
    taxonomy = """\
topics:
  - id: clubs
    label: Clubs
    terms:
      - {id: club, weight: 0.6, groups: [club], case: sensitive, pt: [Flamengo]}
      - {id: context, weight: 0.3, near: {groups: [club], within: 20}, pt: [venceu]}
  - id: club-money
    label: Club finances
    requires: {groups: [club, money], within: sentence}
    include: [{topic: clubs, group: club, weight: 0.5, min_weight: 0.5}]
    terms:
      - {id: money, groups: [money], pt: [dívida, dívidas]}
"""
    tagger = Tagger(load_taxonomy(write(tmp_path, taxonomy)))
    assert topics(tagger.tag("O Flamengo venceu.", "pt")) == {"clubs"}
    assert tagger.tag("Flamengo. Depois de muito tempo, o time venceu.", "pt") == ()  # "venceu" too far
    assert topics(tagger.tag("O Flamengo tem dívidas.", "pt")) == {"club-money"}
    assert tagger.tag("O Flamengo jogou. As dívidas cresceram.", "pt") == ()  # not in the same sentence


CLUB_MONEY = """\
topics:
  - id: club-money
    label: Club finances
    requires: {groups: [club, money], within: sentence}
    terms:
      - {id: club, groups: [club], case: sensitive, any: [Flamengo]}
      - {id: money, groups: [money], any: [dívidas, debts]}
"""


def same_sentence(text: str, language: str, first: str, second: str) -> bool:
    """Whether core.segment, which cuts sentences for translation, puts both words in one sentence."""
    numbers = {}
    for number, sentence in enumerate(split_sentences(text, language).sentences):
        for word in (first, second):
            if word in sentence.text:
                numbers[word] = number
    return numbers[first] == numbers[second]


@pytest.mark.parametrize(
    ("text", "language", "together"),
    [
        ("O Flamengo, segundo o Prof. Souza, tem dívidas.", "pt", True),  # a title's dot ends nothing
        ("O Flamengo, o Vasco etc. e as dívidas de todos.", "pt", True),  # a lower-case word goes on
        ("O Flamengo, diz J. R. Souza, tem dívidas.", "pt", True),  # initials
        ("O Flamengo jogou. As dívidas cresceram.", "pt", False),
        ("O Flamengo jogou!\nAs dívidas cresceram.", "pt", False),
        ('"O Flamengo jogou." As dívidas cresceram.', "pt", False),
        ("Flamengo, says Capt. Souza, has debts.", "en", True),  # an English title
        ("Flamengo, says Capt. Souza, has debts.", "pt", False),  # not a Portuguese one
    ],
)
def test_within_sentence_means_the_sentence_translation_uses(
    tmp_path: Path, text: str, language: str, together: bool
) -> None:
    tagger = Tagger(load_taxonomy(write(tmp_path, CLUB_MONEY)))
    money = "debts" if "debts" in text else "dívidas"
    assert same_sentence(text, language, "Flamengo", money) == together
    assert bool(tagger.tag(text, language)) == together


def test_the_translation_is_cut_into_english_sentences(tmp_path: Path) -> None:
    tagger = Tagger(load_taxonomy(write(tmp_path, CLUB_MONEY)))
    (tag,) = tagger.tag("Um texto.", "pt", "Flamengo, says Gen. Souza, has debts.")
    assert {e.field for e in tag.evidence} == {"translation"}
