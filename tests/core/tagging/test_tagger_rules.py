"""The tagger's rules on a small taxonomy written here, with scores computed by hand.

Scoring (service/core/tagging/scoring.py): a concept of weight w seen n times adds w * (1 - d**n) / (1 - d);
the score is round(1 - exp(-total / k), 3), with k = saturation 1.0 and d = repeat_decay 0.5 here.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import pytest

from service.core.tagging import Tagger, load_taxonomy
from service.core.tagging.scoring import MAX_EVIDENCE
from tests.core.tagging.conftest import write

SMALL = """\
scoring: {saturation: 1.0, repeat_decay: 0.5}
topics:
  - id: ball
    label: Ball
    threshold: 0.0
    terms:
      - {id: whistle, weight: 0.1, pt: [apito]}
      - {id: pitch, weight: 0.5, near: {groups: [game], within: 20}, pt: [campo]}
      - {id: bola, weight: 0.5, pt: [bola], en: [ball]}
      - {id: gol, weight: 0.5, groups: [game], pt: [gol]}
      - {id: fifa, weight: 0.3, case: sensitive, any: [FIFA]}
      - {id: nothing, weight: 0, pt: [nulo]}
      - {id: zeta, weight: 0.2, case: sensitive, any: [Z]}
    exclusions:
      - {pt: [bola de cristal]}
      - {case: sensitive, en: [Ball Corp]}
      - {en: [gol de ouro]}
  - id: sport
    label: Sport
    threshold: 0.0
    terms:
      - {id: jogo, weight: 0.4, pt: [jogo]}
      - {id: kick, weight: 0.2, pt: [gol]}
    include:
      - {topic: ball, weight: 0.6, min_weight: 0.3}
"""


def score(*weights: float) -> float:
    """The score of concepts seen once each."""
    return round(1 - math.exp(-sum(weights)), 3)


@pytest.fixture
def tagger(tmp_path: Path) -> Tagger:
    return Tagger(load_taxonomy(write(tmp_path, SMALL)))


def scores(tagger: Tagger, source: str, language: str = "pt", translation: str | None = None) -> dict[str, float]:
    return {tag.topic: tag.score for tag in tagger.tag(source, language, translation)}


def test_a_form_matches_only_text_in_its_language(tagger: Tagger) -> None:
    assert scores(tagger, "the ball") == {}  # `ball` is English: not a Portuguese form
    assert scores(tagger, "a bola", translation="the ball")["ball"] == score(0.5)  # bola and ball: one concept
    assert scores(tagger, "the ball", "en") == {"ball": score(0.5), "sport": score(0.6)}


def test_a_case_sensitive_form_matches_only_as_written(tagger: Tagger) -> None:
    assert scores(tagger, "a fifa") == {}
    assert scores(tagger, "a FIFA")["ball"] == score(0.3)


def test_an_exclusion_vetoes_only_in_its_language_and_case(tagger: Tagger) -> None:
    assert scores(tagger, "a bola de cristal") == {}
    assert scores(tagger, "the ball corp", "en")["ball"] == score(0.5)  # the exclusion is case-sensitive
    assert scores(tagger, "the Ball Corp", "en") == {}
    assert scores(tagger, "a bola corp", translation="the Ball Corp")["ball"] == score(0.5)  # vetoed in en only
    # an English exclusion (however unlikely) never vetoes Portuguese text
    assert scores(tagger, "o gol de ouro")["ball"] == score(0.5)


def test_distinct_concepts_add_up(tagger: Tagger) -> None:
    assert scores(tagger, "a bola e o gol")["ball"] == score(0.5, 0.5)


def test_included_terms_keep_their_concepts_and_take_the_include_weight(tagger: Tagger) -> None:
    # sport borrows bola, gol and FIFA (weight >= min_weight 0.3, FIFA exactly at it), each at 0.6, each its own
    # concept; not apito (0.1, under it) nor campo (a context term), though they come first
    assert scores(tagger, "a bola e o gol")["sport"] == score(0.6, 0.6)
    assert scores(tagger, "a FIFA")["sport"] == score(0.6)
    assert "sport" not in scores(tagger, "o apito")
    assert scores(tagger, "o campo e o gol") == {"ball": score(0.5, 0.5), "sport": score(0.6)}
    assert scores(tagger, "o jogo e a bola")["sport"] == score(0.4, 0.6)


def test_of_two_uses_of_one_span_the_heavier_counts(tagger: Tagger) -> None:
    # sport's own `gol` (0.2) and the one it borrows from ball (0.6) match the same characters
    assert scores(tagger, "o gol")["sport"] == score(0.6)


def test_a_one_character_form_at_the_start(tagger: Tagger) -> None:
    assert scores(tagger, "Z") == {"ball": score(0.2)}


def test_a_context_term_counts_only_within_its_distance(tagger: Tagger) -> None:
    assert scores(tagger, "o campo e o gol")["ball"] == score(0.5, 0.5)
    # the same sentence, but `gol` is more than 20 characters away: campo does not count
    assert scores(tagger, "o campo fica muito, muito longe do gol")["ball"] == score(0.5)
    # a context term that does not count does not stop the terms after it
    assert scores(tagger, "o campo, depois a bola")["ball"] == score(0.5)


def test_a_topic_with_no_score_is_not_reported_even_at_threshold_zero(tagger: Tagger) -> None:
    assert scores(tagger, "nada aqui") == {}
    assert scores(tagger, "o nulo") == {}  # a hit of weight 0: score 0, not a tag
    assert scores(tagger, "o campo") == {}  # the context term alone, without a `game` term near it


def test_evidence_is_capped_per_field_at_max_evidence(tagger: Tagger) -> None:
    source = " ".join(["bola"] * (MAX_EVIDENCE + 5))
    tag = next(t for t in tagger.tag(source, "pt", " ".join(["ball"] * 3)) if t.topic == "ball")
    assert [e.field for e in tag.evidence].count("source") == MAX_EVIDENCE
    assert [e.field for e in tag.evidence].count("translation") == 3
    assert [e.start for e in tag.evidence[:2]] == [0, 5]  # the source first, in text order


def test_the_compiled_tagger_is_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="service.core.tagging.tagger"):
        Tagger(load_taxonomy(write(tmp_path, SMALL)))
    assert any(r.getMessage().startswith("tagger compiled 2 topics, 3 languages in ") for r in caplog.records)
