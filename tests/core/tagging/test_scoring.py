"""Scores: weights, repeats, thresholds, saturation, and a concept counted once across fields."""

from __future__ import annotations

import math
from pathlib import Path

from service.core.tagging import Tagger, load_taxonomy
from tests.core.tagging.conftest import SEED_ARTICLE, topics, write


def test_source_and_translation_count_a_concept_once(tagger: Tagger) -> None:
    source = "A inteligência artificial chegou."
    translation = "Artificial intelligence has arrived."
    alone = tagger.tag(source, "pt")
    both = tagger.tag(source, "pt", translation)
    assert [(t.topic, t.score) for t in alone] == [(t.topic, t.score) for t in both]
    evidence = both[0].evidence
    assert [(e.term, e.field) for e in evidence] == [
        ("inteligência artificial", "source"),
        ("Artificial intelligence", "translation"),
    ]


def test_one_strong_term_passes_one_weak_term_does_not(tagger: Tagger) -> None:
    assert topics(tagger.tag("Tudo sobre código aberto.", "pt")) == {"open-source"}
    assert tagger.tag("Tudo sobre dados.", "pt") == ()
    assert tagger.tag("Tudo sobre o mercado.", "pt") == ()


def test_repeats_give_diminishing_returns(tagger: Tagger) -> None:
    def score(text: str) -> float:
        return next(t.score for t in tagger.tag(text, "pt") if t.topic == "cybersecurity")

    one, two, many = score("ransomware."), score("ransomware, ransomware."), score("ransomware, " * 30)
    assert one < two < many < 1
    assert two - one > many - two  # thirty repeats are worth less than the second mention alone
    assert score("ransomware e vazamento de dados.") > two  # a second concept is worth more than a repeat


def test_scores_are_rounded_and_sorted(tagger: Tagger) -> None:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    tags = tagger.tag(text, "pt")
    assert all(0 <= t.score <= 1 and t.score == round(t.score, 3) for t in tags)
    assert [(-t.score, t.topic) for t in tags] == sorted((-t.score, t.topic) for t in tags)
    assert tagger.tag(text, "pt") == tags  # deterministic


SPORTS = """\
topics:
  - id: sports
    label: Sports
    description: Football and other sports.
    threshold: 0.5
    terms:
      - {id: football, pt: [futebol], en: [football, soccer]}
      - {id: championship, weight: 0.6, pt: [campeonato*], en: [championship*]}
      - {id: goal, weight: 0.4, pt: [gol, gols, golo, golos], en: [goal, goals]}
      - {id: clubs, weight: 0.5, case: sensitive, any: [Flamengo, Benfica, Palmeiras]}
    exclusions:
      - pt: [futebol de botão]
"""


def test_custom_taxonomy_with_a_new_topic(tmp_path: Path) -> None:
    tagger = Tagger(load_taxonomy(write(tmp_path, SPORTS)))
    text = "O Flamengo marcou dois gols e lidera o Campeonato Brasileiro de futebol."
    tags = tagger.tag(text, "pt")
    assert [t.topic for t in tags] == ["sports"]
    assert {e.term for e in tags[0].evidence} == {"Flamengo", "gols", "Campeonato", "futebol"}
    assert tagger.tag("Ele coleciona times de futebol de botão.", "pt") == ()
    assert tagger.tag("A meta é marcar um gol.", "pt") == ()  # one weak term


def test_weights_thresholds_and_scoring_settings_are_used(tmp_path: Path) -> None:
    text = SPORTS.replace("threshold: 0.5", "threshold: 0.1")
    tagger = Tagger(load_taxonomy(write(tmp_path, "scoring: {saturation: 2.0}\n" + text)))
    assert tagger.taxonomy.saturation == 2.0
    (tag,) = tagger.tag("Um gol.", "pt")
    assert tag.score == round(1 - math.exp(-0.4 / 2), 3)
