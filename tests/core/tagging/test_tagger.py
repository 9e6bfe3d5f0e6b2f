"""The Tagger on the default taxonomy: traps, companies, languages, source and translation."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.tagging import Evidence, Tagger, load_taxonomy
from service.core.tagging.hits import Spans
from tests.core.tagging.conftest import SEED_ARTICLE, assert_offsets, topics, write


@pytest.mark.parametrize(
    ("text", "translation"),
    [
        ("A meta do Ministério da Saúde é vacinar 30 milhões", None),
        (
            "A meta do Ministério da Saúde é vacinar 30 milhões",
            "The goal of the Ministry of Health is to vaccinate 30 million",
        ),
        ("Torta de maçã: misture a farinha, o açúcar e três maçãs picadas.", None),
        (
            "Torta de maçã: misture a farinha, o açúcar e três maçãs picadas.",
            "Apple pie: mix the flour, sugar and three chopped apples.",
        ),
        ("O governo anunciou a meta fiscal", None),
        ("A Amazônia perdeu 10% da floresta", None),
        ("A Amazônia perdeu 10% da floresta", "The Amazon lost 10% of the forest"),
        ("Dados do IBGE mostram que a população envelheceu.", None),
    ],
)
def test_no_tags(tagger: Tagger, text: str, translation: str | None) -> None:
    assert tagger.tag(text, "pt", translation) == ()


def test_meta_the_company(tagger: Tagger) -> None:
    tags = tagger.tag("A Meta lançou o Llama 3", "pt")
    assert topics(tags) == {"big-tech", "artificial-intelligence"}
    big_tech = next(tag for tag in tags if tag.topic == "big-tech")
    assert Evidence("Meta", "source", 2, 6) in big_tech.evidence


def test_senate_regulating_ai(tagger: Tagger) -> None:
    text = "O Senado aprovou o projeto de lei que regula a inteligência artificial"
    assert topics(tagger.tag(text, "pt")) == {"ai-policy", "artificial-intelligence"}


def test_central_bank_rates(tagger: Tagger) -> None:
    assert topics(tagger.tag("O Banco Central elevou a taxa de juros", "pt")) == {"markets"}


def test_seed_article_from_the_source_alone(tagger: Tagger) -> None:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    tags = tagger.tag(text, "pt")
    assert {"open-source", "artificial-intelligence", "ai-policy", "big-tech"} <= topics(tags)
    assert_offsets(tags, text)


def test_longer_phrase_of_one_topic_does_not_hide_a_term_of_another(tagger: Tagger) -> None:
    # "regulação da inteligência artificial" is one ai-policy term; "inteligência artificial" inside it
    # still counts for artificial-intelligence, and "Google" inside "Google Gemini" still counts for big-tech.
    assert "artificial-intelligence" in topics(tagger.tag("A regulação da inteligência artificial avança", "pt"))
    tags = tagger.tag("O Google Gemini e o Google Maps", "pt")
    big_tech = next(tag for tag in tags if tag.topic == "big-tech")
    assert "Google" in {e.term for e in big_tech.evidence}


def test_exclusion_vetoes_only_what_it_overlaps(tagger: Tagger) -> None:
    text = "A meta de inflação foi mantida. A Meta anunciou novos óculos e a empresa lançou um app."
    tags = tagger.tag(text, "pt")
    big_tech = next(tag for tag in tags if tag.topic == "big-tech")
    assert [e.start for e in big_tech.evidence if e.term == "Meta"] == [text.index("Meta ")]


def test_translation_is_matched_with_english_terms(tagger: Tagger) -> None:
    source = "O texto foi traduzido."
    translation = "Ransomware hit the hospital and the data breach exposed patients."
    tags = tagger.tag(source, "pt", translation)
    assert topics(tags) == {"cybersecurity"}
    assert {e.field for tag in tags for e in tag.evidence} == {"translation"}
    assert_offsets(tags, source, translation)


def test_english_source_uses_english_terms(tagger: Tagger) -> None:
    text = "The Senate passed a bill to regulate artificial intelligence."
    assert {"ai-policy", "artificial-intelligence"} <= topics(tagger.tag(text, "en"))
    assert tagger.tag(text, "en") == tagger.tag(text, "EN")


def test_language_without_terms_matches_names_only(tagger: Tagger) -> None:
    text = "La empresa Nvidia y OpenAI firmaron un acuerdo; la inteligencia artificial y la LGPD."
    tags = tagger.tag(text, "es")
    terms = {e.term for tag in tags for e in tag.evidence}
    assert {"Nvidia", "OpenAI", "LGPD"} <= terms
    assert "inteligencia artificial" not in terms  # a Portuguese/English phrase, not matched for "es"
    assert tagger.tag(text, "es") == tagger.tag(text, "und")


def test_regional_codes_are_reduced_to_the_language(tagger: Tagger) -> None:
    text = "A inteligência artificial chegou."
    assert tagger.tag(text, "pt-BR") == tagger.tag(text, "pt_PT") == tagger.tag(text, "pt")


def test_long_text(tagger: Tagger) -> None:
    """100,000 characters (timing is measured in the report, not asserted)."""
    article = SEED_ARTICLE.read_text(encoding="utf-8")
    text = (article * (100_000 // len(article) + 1))[:100_000]
    tags = tagger.tag(text, "pt", text)
    assert {"open-source", "artificial-intelligence", "ai-policy", "big-tech"} <= topics(tags)
    assert_offsets(tags, text, text)


def test_evidence_is_bounded_per_field_and_the_score_counts_every_match(tagger: Tagger) -> None:
    from service.core.tagging.scoring import MAX_EVIDENCE

    text = ("A inteligência artificial avança. " * 3000)[:100_000]
    tags = {tag.topic: tag for tag in tagger.tag(text, "pt", text.replace("inteligência artificial", "AI"))}
    evidence = tags["artificial-intelligence"].evidence
    assert len([e for e in evidence if e.field == "source"]) == MAX_EVIDENCE == 50
    assert len([e for e in evidence if e.field == "translation"]) == MAX_EVIDENCE
    starts = [e.start for e in evidence if e.field == "source"]
    assert starts == sorted(starts)
    few = {tag.topic: tag for tag in tagger.tag(text[:1000], "pt")}
    assert tags["artificial-intelligence"].score >= few["artificial-intelligence"].score


def test_an_exclusion_overlapping_a_term_by_one_character_vetoes_it(tmp_path: Path) -> None:
    taxonomy = ("topics: [{id: health, label: Health, threshold: 0.1, terms: [{id: c, pt: ['vitamina C']}],"
                " exclusions: [{pt: ['C elegans']}]}]")
    tagger = Tagger(load_taxonomy(write(tmp_path, taxonomy)))
    assert tagger.tag("A vitamina C elegans.", "pt") == ()  # "C" is in both
    assert topics(tagger.tag("A vitamina C e o C elegans.", "pt")) == {"health"}


def test_spans_near_and_overlaps_at_their_edges() -> None:
    spans = Spans()
    spans.add((10, 20))
    assert spans.overlaps((19, 25)) and spans.overlaps((5, 11)) and spans.overlaps((12, 13))
    assert not spans.overlaps((20, 25)) and not spans.overlaps((5, 10))
    assert spans.near(20, 25, 0) and spans.near(0, 10, 0)  # touching is distance 0
    assert not spans.near(21, 25, 0) and spans.near(21, 25, 1) and not spans.near(22, 25, 1)
    assert spans.near(0, 8, 2) and not spans.near(0, 7, 2)
