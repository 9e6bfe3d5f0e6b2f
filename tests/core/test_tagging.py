"""Tests for the topic tagger and the default taxonomy."""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from service.core.tagging import (
    Evidence,
    Tag,
    Tagger,
    Taxonomy,
    TaxonomyError,
    default_taxonomy_path,
    load_taxonomy,
    taxonomy_as_dict,
)

SEED_ARTICLE = Path(__file__).resolve().parents[1] / "data" / "article_pt.txt"
TOPIC_IDS = {
    "open-source",
    "artificial-intelligence",
    "ai-policy",
    "big-tech",
    "semiconductors",
    "markets",
    "cybersecurity",
}


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(default_taxonomy_path()))


def topics(tags: Iterable[Tag]) -> set[str]:
    return {tag.topic for tag in tags}


def assert_offsets(tags: Iterable[Tag], source: str, translation: str | None = None) -> None:
    """Every evidence slices back out of the field it names."""
    for tag in tags:
        assert tag.evidence, tag
        for evidence in tag.evidence:
            text = source if evidence.field == "source" else translation
            assert text is not None, evidence
            assert text[evidence.start : evidence.end] == evidence.term, evidence


def write(tmp_path: Path, text: str, name: str = "taxonomy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the traps


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


# --------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("A regulação da inteligência artificial avança", "ai-policy"),
        ("A REGULACAO DA INTELIGENCIA ARTIFICIAL avança", "ai-policy"),
        ("Regulamentação da Inteligencia Artificial em debate", "ai-policy"),
        ("O software livre ganhou espaço", "open-source"),
        ("O projeto open-source e o projeto open source", "open-source"),
        ("O modelo foi publicado em código aberto", "open-source"),
        ("A empresa usa LLMs e GPUs", "artificial-intelligence"),
        ("A empresa usa LLMs e GPUs", "semiconductors"),
        ("Os hackers invadiram os sistemas do ministério", "cybersecurity"),
        ("Um ciberataque atingiu a rede", "cybersecurity"),
        ("O caso fere a LGPD", "cybersecurity"),
        ("A fuga de dados afetou milhares de clientes", "cybersecurity"),
        ("O PL 2338 regula a IA", "ai-policy"),
        ("O EU AI Act entra em vigor", "ai-policy"),
        ("Numa apresentação à NTIA, a empresa defende modelos de IA abertos", "ai-policy"),
        ("A TSMC e a ASML dominam a fabricação de chips", "semiconductors"),
        ("O Ibovespa subiu e a Nasdaq caiu", "markets"),
    ],
)
def test_terms_in_context(tagger: Tagger, text: str, topic: str) -> None:
    tags = tagger.tag(text, "pt")
    assert topic in topics(tags)
    assert_offsets(tags, text)


@pytest.mark.parametrize(
    "text",
    [
        "A mídia social discutiu o assunto.",  # "IA" inside a word
        "IAGO é o nome do personagem.",
        "Ai, que dor! disse ela.",  # Portuguese interjection
        "A ai do paciente foi registrada.",
        "Durante a ditadura, o AI-5 fechou o Congresso.",
    ],
)
def test_ai_abbreviations_need_whole_upper_case_words(tagger: Tagger, text: str) -> None:
    assert "artificial-intelligence" not in topics(tagger.tag(text, "pt"))


@pytest.fixture(scope="module")
def every_match(tagger: Tagger) -> Tagger:
    """The default taxonomy with all thresholds at 0: every match is reported."""
    taxonomy = tagger.taxonomy
    return Tagger(replace(taxonomy, topics=tuple(replace(t, threshold=0.0) for t in taxonomy.topics)))


def matched(tagger: Tagger, text: str, topic: str, language: str = "pt") -> list[str]:
    tags = tagger.tag(text, language)
    assert_offsets(tags, text)
    return [e.term for tag in tags if tag.topic == topic for e in tag.evidence]


@pytest.mark.parametrize(
    ("text", "topic", "terms"),
    [
        ("o chip novo e os chips novos", "semiconductors", ["chip", "chips"]),
        ("um hacker, dois hackers", "cybersecurity", ["hacker", "hackers"]),
        ("um ataque, dois ataques", "cybersecurity", ["ataque", "ataques"]),
        ("ataques hackers", "cybersecurity", ["ataques hackers"]),
        ("regulação, regulamentação, regulamenta, reguladores", "ai-policy", []),  # no AI term near
        ("regulação e regulamentação de IA", "ai-policy", ["regulação", "regulamentação de IA"]),
        ("a regulamenta a IA", "ai-policy", ["regulamenta", "IA"]),
        ("Semicondutores e semicondutor", "semiconductors", ["Semicondutores", "semicondutor"]),
        ("o Código Aberto, o código-aberto", "open-source", ["Código Aberto", "código-aberto"]),
        ("PL 2338/2023 e o PL nº 2.338", "ai-policy", ["PL 2338/2023", "PL nº 2.338"]),
        ("LLMs, LLM e llm", "artificial-intelligence", ["LLMs", "LLM"]),
        ("A Meta e a meta", "big-tech", ["Meta"]),
        ("A Apple e a apple", "big-tech", ["Apple"]),
        ("A Amazon e a Amazônia", "big-tech", ["Amazon"]),
        ("A mídia, IAGO e a IA", "artificial-intelligence", ["IA"]),
        ("um modelo de linguagem", "artificial-intelligence", ["modelo de linguagem"]),
        ("lei de IA e lei da IA", "ai-policy", ["lei de IA", "lei da IA"]),
        ("a fuga de dados e o vazamento de dados", "cybersecurity", ["fuga de dados", "vazamento de dados"]),
        ("o Ibovespa, o S&P 500 e a Nasdaq", "markets", ["Ibovespa", "S&P 500", "Nasdaq"]),
    ],
)
def test_forms_of_the_default_taxonomy(every_match: Tagger, text: str, topic: str, terms: list[str]) -> None:
    assert matched(every_match, text, topic) == terms


def test_english_forms_of_the_default_taxonomy(every_match: Tagger) -> None:
    text = "The EU AI Act and open-weight models; an apple pie and Apple; the Amazon rainforest and Amazon."
    assert matched(every_match, text, "ai-policy", "en") == ["EU AI Act"]
    assert matched(every_match, text, "open-source", "en") == ["open-weight models"]
    assert matched(every_match, text, "big-tech", "en") == ["Apple", "Amazon"]


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


# --------------------------------------------------------------------------- scoring


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


def test_long_text(tagger: Tagger) -> None:
    """100,000 characters (timing is measured in the report, not asserted)."""
    article = SEED_ARTICLE.read_text(encoding="utf-8")
    text = (article * (100_000 // len(article) + 1))[:100_000]
    tags = tagger.tag(text, "pt", text)
    assert {"open-source", "artificial-intelligence", "ai-policy", "big-tech"} <= topics(tags)
    assert_offsets(tags, text, text)


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


# --------------------------------------------------------------------------- the taxonomy file


def test_default_taxonomy(tagger: Tagger) -> None:
    taxonomy = tagger.taxonomy
    assert {t.id for t in tagger.topics()} == TOPIC_IDS
    assert taxonomy.source == str(default_taxonomy_path())
    assert all(0 <= t.threshold <= 1 and t.label and t.description for t in taxonomy.topics)


def test_taxonomy_as_dict_is_json(tagger: Tagger) -> None:
    view = taxonomy_as_dict(tagger.taxonomy)
    topics_view = json.loads(json.dumps(view))["topics"]
    assert {t["id"] for t in topics_view} == TOPIC_IDS
    ai = next(t for t in topics_view if t["id"] == "artificial-intelligence")
    assert {"id", "label", "description", "threshold", "terms"} <= set(ai)
    assert "inteligência artificial" in ai["terms"]["pt"]
    assert "AI" in ai["terms"]["any"]
    policy = next(t for t in topics_view if t["id"] == "ai-policy")
    assert policy["requires"] == {"groups": ["ai", "policy"], "within": 250}


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


def test_regex_terms_see_their_context(tmp_path: Path) -> None:
    taxonomy = """\
topics:
  - id: rates
    label: Rates
    terms:
      - {id: rate, case: sensitive, pt: ['re:Selic(?= subiu)']}
"""
    tagger = Tagger(load_taxonomy(write(tmp_path, taxonomy)))
    assert topics(tagger.tag("A Selic subiu.", "pt")) == {"rates"}
    assert tagger.tag("A Selic caiu.", "pt") == ()


BASE_TOPIC = """\
  - id: sports
    label: Sports
    terms:
      - {id: football, pt: [futebol]}
"""


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("topics:\n  - label: Sports\n    terms:\n      - {id: x, pt: [futebol]}\n", "missing field 'id'"),
        ("topics:\n" + BASE_TOPIC + BASE_TOPIC, "duplicate topic id"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, pt: ['re:(unclosed']}\n", "bad regex"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, pt: ['re:(gol)']}\n", "capturing groups"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, pt: ['re:x*']}\n", "empty string"),
        ("topics:\n" + BASE_TOPIC + "    colour: green\n", "unknown field 'colour'"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, wieght: 2, pt: [gol]}\n", "unknown field 'wieght'"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, weight: heavy, pt: [gol]}\n", "weight must be a number"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, weight: -1, pt: [gol]}\n", "weight must be between"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, case: shouty, pt: [gol]}\n", "unknown case rule 'shouty'"),
        ("topics:\n" + BASE_TOPIC + "    threshold: 1.5\n", "threshold must be between 0 and 1"),
        ("topics:\n" + BASE_TOPIC + "    threshold: -0.1\n", "threshold must be between 0 and 1"),
        ("topics:\n" + BASE_TOPIC + "      - {id: football, pt: [bola]}\n", "duplicate term id 'football'"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, pt: [no]}\n", "every form must be a non-empty string"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, pt: ['*bol']}\n", "'*' may only end a word"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, pt: ['bo*la']}\n", "'*' may only end a word"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad}\n", "no forms"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, groups: [a], pt: [gol]}\n", "group 'a' is used neither"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, near: ball, pt: [gol]}\n", "no term of the topic is in group"),
        ("topics:\n" + BASE_TOPIC + "    requires: {groups: [a, b]}\n", "needs 'groups'"),
        ("topics:\n" + BASE_TOPIC + "    requires: {groups: [a]}\n", "at least two distinct group names"),
        ("topics:\n" + BASE_TOPIC + "    include: [{topic: nowhere}]\n", "unknown topic 'nowhere'"),
    ],
)
def test_broken_taxonomies_name_file_topic_and_problem(tmp_path: Path, body: str, problem: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(path)
    message = str(caught.value)
    assert str(path) in message
    assert problem in message
    if "missing field 'id'" in problem:
        assert "topic '#1'" in message
    else:
        assert "'sports'" in message


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("topics: [\n", "invalid YAML"),
        ("topics: []\n", "topics must be a non-empty list"),
        ("version: 2\ntopics:\n" + BASE_TOPIC, "version must be 1"),
        ("scoring: {saturation: 0}\ntopics:\n" + BASE_TOPIC, "scoring.saturation"),
        ("- just a list\n", "the document must be a mapping"),
        ("topics:\n" + BASE_TOPIC + "    label: Again\n", "duplicate key 'label'"),
    ],
)
def test_broken_documents_name_the_file(tmp_path: Path, body: str, problem: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(TaxonomyError, match=problem) as caught:
        load_taxonomy(path)
    assert str(path) in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(tmp_path / "nowhere.yaml")


def test_taxonomy_keeps_its_source(tmp_path: Path) -> None:
    path = write(tmp_path, "topics:\n" + BASE_TOPIC)
    taxonomy = load_taxonomy(path)
    assert isinstance(taxonomy, Taxonomy)
    assert taxonomy.source == str(path)
    assert taxonomy.topic("sports").label == "Sports"


# --------------------------------------------------------------------------- labelled passages


@dataclass(frozen=True)
class Passage:
    """A news-style passage with the topics an editor would give it (`also_ok`: defensible extras)."""

    id: str
    language: str
    labels: tuple[str, ...]
    also_ok: tuple[str, ...]
    text: str
    translation: str | None = None


# Written while developing the default taxonomy, in the style of Brazilian and Portuguese news (a few in
# English), with and without an English translation. More than half are unrelated passages (sport, food,
# weather, health, politics, culture) and traps. They guard against regressions when the taxonomy is
# edited; they were used for tuning, so they do not replace an evaluation on held-out real news.
PASSAGES = [
    Passage(
        "os1", "pt", ("open-source",), (),
        ("A Fundação Linux anunciou nesta terça-feira a criação de um novo projeto para padronizar ferramentas"
         " de desenvolvimento. O código será publicado sob a licença Apache 2.0 e qualquer empresa poderá "
         "contribuir."),
    ),
    Passage(
        "os2", "pt", ("open-source", "artificial-intelligence"), (),
        ("A startup francesa Mistral liberou os pesos do seu novo modelo, que pode ser baixado gratuitamente e"
         " usado para fins comerciais. Especialistas dizem que modelos abertos pressionam concorrentes "
         "fechados."),
    ),
    Passage(
        "os3", "pt", ("open-source",), (),
        ("A prefeitura de Munique voltou a discutir a migração de seus computadores para software livre, dez "
         "anos depois de abandonar o projeto LiMux e retornar ao Windows."),
        ("Munich city hall is again discussing migrating its computers to free software, ten years after "
         "abandoning the LiMux project and returning to Windows."),
    ),
    Passage(
        "os4", "pt", ("open-source",), (),
        ("Os mantenedores do projeto denunciaram que uma empresa usava o código sem respeitar os termos da "
         "GPL, que obriga quem distribui versões modificadas a publicar também o código-fonte."),
    ),
    Passage(
        "os5", "pt", ("open-source", "cybersecurity"), (),
        ("Uma porta dos fundos inserida no XZ Utils, biblioteca de compressão presente em quase todas as "
         "distribuições Linux, foi descoberta por acaso por um engenheiro. O caso reacendeu o debate sobre a "
         "segurança de projetos de código aberto mantidos por voluntários."),
    ),
    Passage(
        "os6", "pt", ("open-source",), (),
        ("O governo português aprovou uma resolução que dá preferência a soluções de código aberto nos "
         "serviços da Administração Pública, com o objetivo de reduzir a dependência de fornecedores."),
        ("The Portuguese government approved a resolution giving preference to open source solutions in Public"
         " Administration services, with the aim of reducing dependence on suppliers."),
    ),
    Passage(
        "os7", "pt", ("open-source", "artificial-intelligence", "big-tech"), (),
        ("A Meta divulgou o Llama 3.1 com pesos abertos, mas críticos lembram que a licença impõe restrições a"
         " empresas com mais de 700 milhões de usuários, o que, segundo a Open Source Initiative, impede que o"
         " modelo seja considerado open source."),
    ),
    Passage(
        "os8", "en", ("open-source",), (),
        ("The Apache Software Foundation announced that the project will move to a new governance model, and "
         "all contributions will remain under an open-source licence."),
    ),
    Passage(
        "ai1", "pt", ("artificial-intelligence", "big-tech"), (),
        ("O Google apresentou nesta quarta-feira o Gemini 2.0, nova versão do seu modelo de inteligência "
         "artificial, que segundo a empresa consegue executar tarefas em nome do usuário."),
    ),
    Passage(
        "ai2", "pt", ("artificial-intelligence",), (),
        ("Pesquisadores da USP desenvolveram um sistema de aprendizado de máquina capaz de identificar sinais "
         "de retinopatia diabética em exames de fundo de olho com precisão semelhante à de especialistas."),
        ("USP researchers have developed a machine learning system capable of identifying signs of diabetic "
         "retinopathy in fundus exams with accuracy similar to that of specialists."),
    ),
    Passage(
        "ai3", "pt", ("artificial-intelligence",), (),
        ("O uso de ferramentas de IA generativa por estudantes cresceu rapidamente, e universidades discutem "
         "como adaptar as avaliações. Professores relatam trabalhos inteiros escritos pelo ChatGPT."),
    ),
    Passage(
        "ai4", "pt", ("artificial-intelligence", "big-tech"), (),
        ("A OpenAI lançou o GPT-4o, modelo que responde a comandos de voz em tempo real. A empresa de Sam "
         "Altman disse que o recurso estará disponível gratuitamente."),
    ),
    Passage(
        "ai5", "pt", ("artificial-intelligence",), (),
        ("A chinesa DeepSeek surpreendeu o setor ao apresentar um modelo de raciocínio treinado com uma fração"
         " do custo dos concorrentes americanos."),
    ),
    Passage(
        "ai6", "pt", ("artificial-intelligence",), (),
        ("Os grandes modelos de linguagem ainda cometem erros factuais, as chamadas alucinações, e "
         "especialistas recomendam que as respostas dos chatbots sejam verificadas."),
        ("Large language models still make factual errors, so-called hallucinations, and experts recommend "
         "that chatbot answers be checked."),
    ),
    Passage(
        "ai7", "pt", ("artificial-intelligence", "big-tech"), (),
        ("A Microsoft vai integrar o Copilot a todos os aplicativos do pacote Office e cobrará uma assinatura "
         "adicional pelo assistente de inteligência artificial."),
    ),
    Passage(
        "ai8", "pt", ("artificial-intelligence",), (),
        ("Um estudo publicado na revista Nature mostra que redes neurais conseguem prever a estrutura de "
         "proteínas com enorme precisão, abrindo caminho para novos medicamentos."),
    ),
    Passage(
        "ai9", "en", ("artificial-intelligence",), (),
        ("Researchers warned that AI chatbots can be manipulated into giving dangerous advice, and that large "
         "language models remain vulnerable to so-called jailbreaks."),
    ),
    Passage(
        "ap1", "pt", ("ai-policy", "artificial-intelligence"), (),
        ("O Senado aprovou nesta terça-feira o PL 2338/2023, que regulamenta o uso da inteligência artificial "
         "no Brasil. O texto segue agora para a Câmara dos Deputados."),
        ("The Senate approved on Tuesday PL 2338/2023, which regulates the use of artificial intelligence in "
         "Brazil. The text now goes to the Chamber of Deputies."),
    ),
    Passage(
        "ap2", "pt", ("ai-policy", "artificial-intelligence"), (),
        ("O Parlamento Europeu aprovou a Lei da Inteligência Artificial, o primeiro conjunto abrangente de "
         "regras para a IA no mundo. Sistemas considerados de alto risco terão de cumprir obrigações de "
         "transparência."),
    ),
    Passage(
        "ap3", "pt", ("ai-policy", "artificial-intelligence", "big-tech"), ("cybersecurity",),
        ("A Autoridade Nacional de Proteção de Dados suspendeu a nova política de privacidade da Meta que "
         "permitia usar publicações de brasileiros para treinar seus sistemas de inteligência artificial."),
    ),
    Passage(
        "ap4", "pt", ("ai-policy", "artificial-intelligence"), (),
        ("O presidente dos Estados Unidos assinou uma ordem executiva que exige que desenvolvedores dos "
         "sistemas de IA mais poderosos compartilhem com o governo os resultados de testes de segurança."),
    ),
    Passage(
        "ap5", "pt", ("ai-policy", "artificial-intelligence"), (),
        ("O Tribunal Superior Eleitoral proibiu o uso de deepfakes na propaganda eleitoral e exigiu que "
         "conteúdos produzidos com inteligência artificial sejam identificados."),
        ("The Superior Electoral Court banned the use of deepfakes in electoral propaganda and required "
         "content produced with artificial intelligence to be identified."),
    ),
    Passage(
        "ap6", "pt", ("ai-policy", "artificial-intelligence"), (),
        ("Representantes de 28 países assinaram a Declaração de Bletchley, em que se comprometem a cooperar na"
         " identificação dos riscos da inteligência artificial de fronteira."),
    ),
    Passage(
        "ap7", "pt", ("ai-policy", "artificial-intelligence"), (),
        ("A Comissão Europeia publicou as diretrizes sobre as práticas de IA proibidas pelo AI Act, que "
         "incluem sistemas de pontuação social e reconhecimento de emoções no local de trabalho."),
    ),
    Passage(
        "ap8", "en", ("ai-policy", "artificial-intelligence"), (),
        ("California's governor vetoed SB 1047, a bill that would have required safety testing for the largest"
         " AI models, saying it could stifle innovation."),
    ),
    Passage(
        "bt1", "pt", ("big-tech",), ("markets",),
        ("A Apple registrou receita recorde no último trimestre, impulsionada pelas vendas do iPhone na China,"
         " e anunciou um programa de recompra de ações de US$ 110 bilhões."),
    ),
    Passage(
        "bt2", "pt", ("big-tech",), (),
        ("O Departamento de Justiça dos Estados Unidos acusou o Google de manter um monopólio ilegal nas "
         "buscas. Um juiz federal concordou e decidiu que a empresa violou a lei antitruste."),
    ),
    Passage(
        "bt3", "pt", ("big-tech",), (),
        ("A Amazon anunciou a demissão de 14 mil funcionários em cargos administrativos. A empresa afirmou que"
         " pretende reduzir camadas de gestão."),
        ("Amazon announced the dismissal of 14,000 employees in administrative positions. The company said it "
         "intends to reduce layers of management."),
    ),
    Passage(
        "bt4", "pt", ("big-tech",), (),
        ("Mark Zuckerberg afirmou que a Meta vai encerrar o programa de checagem de fatos nos Estados Unidos e"
         " substituí-lo por notas da comunidade, como as do X."),
        ("Mark Zuckerberg said Meta will end the fact-checking program in the United States and replace it "
         "with community notes, like those of X."),
    ),
    Passage(
        "bt5", "pt", ("big-tech", "markets", "semiconductors"), (),
        ("A Nvidia se tornou a empresa mais valiosa do mundo ao atingir US$ 3,3 trilhões em valor de mercado, "
         "impulsionada pela demanda por seus chips de IA."),
    ),
    Passage(
        "bt6", "pt", ("big-tech", "cybersecurity"), (),
        ("A Microsoft confirmou que hackers ligados ao governo russo acessaram e-mails de executivos da "
         "empresa num ataque que explorou uma conta de teste sem autenticação de dois fatores."),
    ),
    Passage(
        "bt7", "pt", ("big-tech",), (),
        ("A Comissão Europeia multou a Apple em 1,8 mil milhões de euros por práticas anticoncorrenciais na "
         "distribuição de aplicações de streaming de música."),
    ),
    Passage(
        "sc1", "pt", ("semiconductors",), (),
        ("A TSMC começou a produzir chips de 2 nanômetros em sua fábrica de Hsinchu e espera atender clientes "
         "como a Apple a partir do próximo ano."),
    ),
    Passage(
        "sc2", "pt", ("semiconductors",), (),
        ("O governo federal anunciou um pacote de incentivos para atrair fábricas de semicondutores ao Brasil "
         "e reativar a Ceitec, estatal gaúcha de microeletrônica."),
        ("The federal government announced a package of incentives to attract semiconductor factories to "
         "Brazil and reactivate Ceitec, the state-owned microelectronics company from Rio Grande do Sul."),
    ),
    Passage(
        "sc3", "pt", ("semiconductors",), (),
        ("A holandesa ASML, única fabricante de máquinas de litografia EUV, informou que os Países Baixos vão "
         "exigir licença para exportar alguns equipamentos para a China."),
    ),
    Passage(
        "sc4", "pt", ("semiconductors",), (),
        ("A escassez de chips obrigou montadoras a paralisar linhas de produção no Brasil. Segundo a Anfavea, "
         "faltam componentes eletrônicos para concluir cerca de 100 mil veículos."),
        ("The chip shortage forced automakers to halt production lines in Brazil. According to Anfavea, "
         "electronic components are missing to complete about 100,000 vehicles."),
    ),
    Passage(
        "sc5", "pt", ("semiconductors",), (),
        ("A Intel anunciou o adiamento da construção de sua fábrica em Ohio e novos cortes de custos, enquanto"
         " tenta recuperar terreno frente à AMD no mercado de processadores."),
    ),
    Passage(
        "sc6", "pt", ("semiconductors", "ai-policy"), ("artificial-intelligence",),
        ("Os Estados Unidos ampliaram as restrições à exportação de GPUs avançadas para a China, numa "
         "tentativa de limitar o desenvolvimento de inteligência artificial militar no país."),
    ),
    Passage(
        "mk1", "pt", ("markets",), (),
        ("O Ibovespa fechou em alta de 1,2%, aos 128 mil pontos, enquanto o dólar recuou para R$ 5,02, após "
         "dados de inflação nos Estados Unidos virem abaixo do esperado."),
        ("The Ibovespa closed up 1.2% at 128,000 points, while the dollar fell to R$ 5.02, after inflation "
         "data in the United States came in below expectations."),
    ),
    Passage(
        "mk2", "pt", ("markets",), (),
        ("O Comitê de Política Monetária do Banco Central manteve a Selic em 10,5% ao ano, interrompendo o "
         "ciclo de cortes iniciado em agosto."),
        ("The Central Bank's Monetary Policy Committee kept the Selic rate at 10.5% per year, interrupting the"
         " cycle of cuts started in August."),
    ),
    Passage(
        "mk3", "pt", ("markets",), (),
        ("O Produto Interno Bruto cresceu 0,8% no segundo trimestre, acima das projeções do mercado, puxado "
         "pelo consumo das famílias e pela indústria."),
        ("Gross Domestic Product grew 0.8% in the second quarter, above market projections, driven by "
         "household consumption and industry."),
    ),
    Passage(
        "mk4", "pt", ("markets",), (),
        ("As bolsas asiáticas fecharam em forte queda nesta segunda-feira, com o índice Nikkei recuando mais "
         "de 12%, o pior dia desde 1987."),
    ),
    Passage(
        "mk5", "pt", ("markets",), (),
        ("O Banco Central Europeu decidiu baixar as taxas de juro em 25 pontos base, numa altura em que a "
         "inflação na zona euro se aproxima da meta de 2%."),
    ),
    Passage(
        "mk6", "pt", ("markets",), (),
        ("Os preços ao consumidor subiram 0,44% em março, segundo o IBGE. No acumulado de 12 meses, o IPCA "
         "chegou a 5,48%, acima do teto da meta."),
    ),
    Passage(
        "mk7", "pt", ("markets", "big-tech"), (),
        ("As ações da Meta dispararam 20% no pregão desta sexta-feira depois de a empresa anunciar seu "
         "primeiro pagamento de dividendos."),
    ),
    Passage(
        "cy1", "pt", ("cybersecurity",), (),
        ("Um ataque de ransomware paralisou os sistemas do Hospital das Clínicas, que teve de adiar cirurgias."
         " Os criminosos exigem pagamento em bitcoin para liberar os dados."),
        ("A ransomware attack paralyzed the systems of Hospital das Clínicas, which had to postpone surgeries."
         " The criminals demand payment in bitcoin to release the data."),
    ),
    Passage(
        "cy2", "pt", ("cybersecurity",), (),
        ("Dados pessoais de 223 milhões de brasileiros, incluindo CPF, endereço e renda, foram expostos num "
         "dos maiores vazamentos da história do país."),
        ("Personal data of 223 million Brazilians, including CPF, address and income, were exposed in one of "
         "the largest leaks in the country's history."),
    ),
    Passage(
        "cy3", "pt", ("cybersecurity",), (),
        ("A Polícia Federal prendeu um grupo suspeito de invadir os sistemas do Conselho Nacional de Justiça e"
         " inserir documentos falsos."),
        ("The Federal Police arrested a group suspected of breaking into the systems of the National Council "
         "of Justice and inserting false documents."),
    ),
    Passage(
        "cy4", "pt", ("cybersecurity",), (),
        ("A Autoridade Nacional de Proteção de Dados aplicou a primeira multa com base na LGPD a uma empresa "
         "de telemarketing que usava dados de clientes sem consentimento."),
    ),
    Passage(
        "cy5", "pt", ("cybersecurity",), (),
        ("Especialistas alertam para uma nova campanha de phishing que se faz passar pelos Correios e pede ao "
         "usuário que clique num link para liberar uma encomenda."),
    ),
    Passage(
        "cy6", "pt", ("cybersecurity",), (),
        ("A empresa de segurança Kaspersky identificou uma vulnerabilidade crítica em roteadores domésticos "
         "que permite a execução remota de código."),
    ),
    Passage(
        "cy7", "pt", ("cybersecurity",), (),
        ("O Centro Nacional de Cibersegurança registou um aumento de 30% nos incidentes reportados em Portugal"
         " no último ano, com destaque para ataques a autarquias."),
    ),
    Passage(
        "cy8", "en", ("cybersecurity",), (),
        ("The hospital said that hackers had stolen patient records and that the breach affected about 1.2 "
         "million people."),
    ),
    Passage(
        "un-sp1", "pt", (), (),
        ("O Flamengo venceu o Palmeiras por 2 a 0 no Maracanã e assumiu a liderança do Campeonato Brasileiro. "
         "Pedro marcou os dois gols da partida, ambos no segundo tempo."),
        ("Flamengo beat Palmeiras 2-0 at Maracanã and took the lead of the Brazilian Championship. Pedro "
         "scored both goals of the match, both in the second half."),
    ),
    Passage(
        "un-sp2", "pt", (), (),
        ("O técnico da seleção convocou 26 jogadores para os jogos contra Equador e Paraguai pelas "
         "Eliminatórias. A principal novidade é o atacante do Botafogo."),
    ),
    Passage(
        "un-sp3", "pt", (), (),
        ("Com um ataque rápido e uma defesa sólida, o Benfica goleou o Porto por 4 a 1 e abriu seis pontos de "
         "vantagem na liderança da Liga."),
        ("With a fast attack and a solid defense, Benfica thrashed Porto 4-1 and opened a six-point lead at "
         "the top of the League."),
    ),
    Passage(
        "un-sp4", "pt", (), (),
        ("A meta do clube é chegar às semifinais da Libertadores. Para isso, a diretoria aposta no mercado da "
         "bola e já negocia a contratação de dois reforços."),
        ("The club's goal is to reach the Libertadores semi-finals. To this end, the board is betting on the "
         "transfer market and is already negotiating the signing of two reinforcements."),
    ),
    Passage(
        "un-sp5", "pt", (), (),
        ("Rebeca Andrade conquistou a medalha de ouro no solo nos Jogos Olímpicos de Paris, superando a "
         "americana Simone Biles."),
    ),
    Passage(
        "un-sp6", "pt", (), (),
        "O jogo será transmitido pelo YouTube e pelo Amazon Prime Video a partir das 21h30.",
        "The game will be broadcast on YouTube and Amazon Prime Video from 9:30 pm.",
    ),
    Passage(
        "un-fd1", "pt", (), (),
        ("Torta de maçã: misture a farinha, o açúcar e três maçãs picadas. Leve ao forno preaquecido a 180 "
         "graus por 40 minutos."),
        ("Apple pie: mix the flour, sugar and three chopped apples. Bake in a preheated oven at 180 degrees "
         "for 40 minutes."),
    ),
    Passage(
        "un-fd2", "pt", (), (),
        ("Para o molho, use um processador de alimentos para triturar o alho, o manjericão e as castanhas. "
         "Sirva com batatas chips caseiras."),
        ("For the sauce, use a food processor to grind the garlic, basil and nuts. Serve with homemade potato "
         "chips."),
    ),
    Passage(
        "un-fd3", "pt", (), (),
        ("O preço do café subiu nas padarias de São Paulo, e alguns estabelecimentos já cobram R$ 7 pelo "
         "cafezinho."),
        ("The price of coffee has gone up in São Paulo bakeries, and some establishments already charge R$ 7 "
         "for a small coffee."),
    ),
    Passage(
        "un-fd4", "pt", (), (),
        ("A feijoada completa é servida às quartas e aos sábados. A receita leva feijão-preto, carne-seca, "
         "costelinha e paio."),
    ),
    Passage(
        "un-fd5", "pt", (), (),
        ("O chef Claude Troisgros abriu um novo restaurante no Leblon, com um menu que mistura técnicas "
         "francesas e ingredientes brasileiros."),
    ),
    Passage(
        "un-wx1", "pt", (), (),
        ("A Amazônia perdeu 10% da floresta em quatro décadas, segundo levantamento do MapBiomas. O "
         "desmatamento se concentra no sul do Amazonas e no Pará."),
        ("The Amazon lost 10% of its forest in four decades, according to a MapBiomas survey. Deforestation is"
         " concentrated in southern Amazonas and Pará."),
    ),
    Passage(
        "un-wx2", "pt", (), (),
        ("Uma frente fria deve provocar chuva forte e queda nas temperaturas no Sul do país a partir de "
         "quinta-feira, segundo o Inmet."),
        ("A cold front should cause heavy rain and a drop in temperatures in the South of the country from "
         "Thursday, according to Inmet."),
    ),
    Passage(
        "un-wx3", "pt", (), (),
        ("O ciclone extratropical deixou mais de 30 mortos no Rio Grande do Sul. Equipes de resgate ainda "
         "procuram desaparecidos."),
    ),
    Passage(
        "un-wx4", "pt", (), (),
        ("A onda de calor deve continuar até domingo, com máximas acima de 40 graus em Cuiabá e no interior de"
         " São Paulo."),
    ),
    Passage(
        "un-hl1", "pt", (), (),
        "A meta do Ministério da Saúde é vacinar 30 milhões de pessoas contra a gripe até o fim de maio.",
        ("The goal of the Ministry of Health is to vaccinate 30 million people against the flu by the end of "
         "May."),
    ),
    Passage(
        "un-hl2", "pt", (), (),
        ("O vírus da dengue já infectou mais de um milhão de pessoas neste ano. O ataque do mosquito é mais "
         "comum no fim da tarde, alertam especialistas."),
        ("The dengue virus has already infected more than one million people this year. The mosquito attack is"
         " most common in the late afternoon, experts warn."),
    ),
    Passage(
        "un-hl3", "pt", (), (),
        ("Pacientes que sofreram um ataque cardíaco devem retomar a atividade física de forma gradual, com "
         "acompanhamento médico."),
        ("Patients who have suffered a heart attack should resume physical activity gradually, with medical "
         "supervision."),
    ),
    Passage(
        "un-hl4", "pt", (), (),
        ("O Sistema Único de Saúde passará a oferecer um novo medicamento para o tratamento da esclerose "
         "múltipla, anunciou o ministério."),
        ("The Unified Health System will offer a new drug for the treatment of multiple sclerosis, the "
         "ministry announced."),
    ),
    Passage(
        "un-hl5", "pt", (), (),
        ("A pesquisa mostra que a obesidade infantil aumentou nos últimos dez anos e que o consumo de "
         "ultraprocessados é maior entre famílias de baixa renda."),
    ),
    Passage(
        "un-po1", "pt", (), (),
        ("O governo anunciou a meta fiscal para o próximo ano e prometeu zerar o déficit primário sem aumentar"
         " impostos."),
        ("The government announced the fiscal target for next year and promised to eliminate the primary "
         "deficit without raising taxes."),
    ),
    Passage(
        "un-po2", "pt", (), (),
        ("O Senado aprovou o projeto de lei que endurece as penas para crimes contra a mulher. O texto segue "
         "para sanção presidencial."),
        ("The Senate approved the bill that toughens penalties for crimes against women. The text goes to "
         "presidential sanction."),
    ),
    Passage(
        "un-po3", "pt", (), (),
        ("A Câmara dos Deputados instalou uma comissão especial para analisar a reforma administrativa. O "
         "relator promete apresentar o parecer em 30 dias."),
    ),
    Passage(
        "un-po4", "pt", (), (),
        ("O ministro da Justiça anunciou o reforço da segurança pública na fronteira e a criação de uma "
         "força-tarefa contra o crime organizado."),
        ("The Minister of Justice announced the strengthening of public security on the border and the "
         "creation of a task force against organized crime."),
    ),
    Passage(
        "un-po5", "pt", (), (),
        ("O programa Bolsa Família terá reajuste a partir de março. As famílias com crianças pequenas "
         "receberão um adicional de R$ 150."),
        ("The Bolsa Família program will be readjusted from March. Families with young children will receive "
         "an additional R$ 150."),
    ),
    Passage(
        "un-po6", "pt", (), (),
        "Durante a ditadura, o AI-5 suspendeu garantias constitucionais e permitiu o fechamento do Congresso.",
        ("During the dictatorship, AI-5 suspended constitutional guarantees and allowed the closure of "
         "Congress."),
    ),
    Passage(
        "un-po7", "pt", (), (),
        ("O Presidente da República promulgou o diploma que altera a lei da nacionalidade, depois de o "
         "Tribunal Constitucional ter dado luz verde ao texto."),
    ),
    Passage(
        "un-po8", "pt", (), (),
        ("A taxa de desocupação caiu e o mercado de trabalho segue aquecido, com aumento do número de vagas "
         "com carteira assinada."),
        ("The unemployment rate fell and the labor market remains heated, with an increase in the number of "
         "formal jobs."),
    ),
    Passage(
        "un-po9", "pt", (), (),
        ("Manifestantes ocuparam a Esplanada dos Ministérios em protesto contra a invasão de terras indígenas "
         "no Mato Grosso do Sul."),
        ("Protesters occupied the Esplanade of Ministries in protest against the invasion of indigenous lands "
         "in Mato Grosso do Sul."),
    ),
    Passage(
        "un-mi1", "pt", (), (),
        ("A nova temporada da série estreia em março. O elenco volta a se reunir nas gravações em Lisboa, e a "
         "produtora promete mais episódios."),
    ),
    Passage(
        "un-mi2", "pt", (), (),
        ("O músico lançou seu primeiro álbum independente e fará uma turnê por dez cidades. Os ingressos "
         "começam a ser vendidos na segunda-feira."),
    ),
    Passage(
        "un-mi3", "pt", (), ("cybersecurity",),
        ("A mulher foi vítima de um golpe pelo telefone: os criminosos se passaram por funcionários do banco e"
         " pediram uma transferência."),
        ("The woman was the victim of a phone scam: the criminals pretended to be bank employees and asked for"
         " a transfer."),
    ),
    Passage(
        "un-mi4", "pt", (), (),
        ("Um vazamento de gás provocou uma explosão num prédio residencial em Santos. Os moradores foram "
         "retirados pelos bombeiros."),
        ("A gas leak caused an explosion in a residential building in Santos. Residents were removed by "
         "firefighters."),
    ),
    Passage(
        "un-mi5", "pt", (), (),
        ("A funcionária tem direito a licença-maternidade de 120 dias, que pode ser ampliada para 180 dias em "
         "empresas que aderirem ao programa."),
        ("The employee is entitled to maternity leave of 120 days, which can be extended to 180 days in "
         "companies that join the program."),
    ),
    Passage(
        "un-mi6", "pt", (), (),
        ("O livro conta a história de um robô que aprende a cuidar de um jardim, e tornou-se um sucesso entre "
         "os leitores infantis."),
        ("The book tells the story of a robot that learns to take care of a garden, and has become a success "
         "among children's readers."),
    ),
    Passage(
        "un-mi7", "pt", (), (),
        ("O concurso público terá 500 vagas para professores, com salários de até R$ 6 mil. As inscrições "
         "podem ser feitas pela internet."),
    ),
    Passage(
        "un-mi8", "pt", (), (),
        ("Milhares de pessoas foram ao Rock in Rio neste sábado. A organização informou que os ingressos para "
         "o último dia estão esgotados."),
    ),
    Passage(
        "un-mi9", "pt", (), (),
        ("A inauguração da nova linha do metrô foi adiada para o segundo semestre por causa de problemas nas "
         "obras da estação central."),
    ),
    Passage(
        "un-mi10", "pt", (), (),
        ("O museu reabre com uma exposição sobre o modernismo brasileiro, com obras de Tarsila do Amaral e "
         "Anita Malfatti."),
    ),
    Passage(
        "b-os1", "pt", ("open-source",), (),
        ("O LibreOffice ganhou uma nova versão com melhor compatibilidade com ficheiros do Office. O programa "
         "é desenvolvido pela The Document Foundation e distribuído gratuitamente."),
    ),
    Passage(
        "b-os2", "pt", ("open-source", "artificial-intelligence"), (),
        ("A Alibaba disponibilizou no Hugging Face uma família de modelos de linguagem Qwen sob licença "
         "Apache, permitindo que qualquer programador os adapte."),
    ),
    Passage(
        "b-os3", "pt", ("open-source",), (),
        ("Programadores voluntários mantêm a biblioteca OpenSSL, usada por milhões de servidores, e pedem mais"
         " financiamento às empresas que dependem do projeto comunitário de código livre."),
    ),
    Passage(
        "b-os4", "pt", ("open-source",), (),
        ("O Serpro anunciou que vai abrir o código do aplicativo da Carteira Digital de Trânsito para que "
         "desenvolvedores possam auditar e sugerir melhorias."),
    ),
    Passage(
        "b-ai1", "pt", ("artificial-intelligence",), (),
        ("Os algoritmos de recomendação das plataformas de vídeo usam aprendizagem automática para prever o "
         "que cada utilizador quer ver a seguir."),
    ),
    Passage(
        "b-ai2", "pt", ("artificial-intelligence",), (),
        ("Bancos brasileiros já usam assistentes virtuais baseados em IA para atender clientes no WhatsApp, e "
         "esperam reduzir o tempo de espera nas centrais."),
    ),
    Passage(
        "b-ai3", "pt", ("artificial-intelligence", "big-tech"), (),
        ("A Anthropic lançou o Claude 3.5 Sonnet, que segundo a empresa supera concorrentes em tarefas de "
         "programação."),
    ),
    Passage(
        "b-ai4", "pt", ("artificial-intelligence",), (),
        ("Uma ferramenta de inteligência artificial criada no Instituto Butantan analisa imagens de "
         "microscópio e identifica espécies de mosquito em segundos."),
    ),
    Passage(
        "b-ai5", "pt", ("artificial-intelligence",), (),
        ("Artistas protestam contra geradores de imagens como o Midjourney, que foram treinados com milhões de"
         " obras sem autorização dos autores."),
    ),
    Passage(
        "b-ap1", "pt", ("ai-policy", "artificial-intelligence"), (),
        ("A Câmara dos Deputados criou uma comissão especial para analisar o projeto que regula a inteligência"
         " artificial, já aprovado pelo Senado."),
    ),
    Passage(
        "b-ap2", "pt", ("ai-policy", "artificial-intelligence"), (),
        ("O Reino Unido criou um instituto público dedicado à segurança da IA, encarregado de avaliar modelos "
         "avançados antes do seu lançamento."),
    ),
    Passage(
        "b-ap3", "pt", ("ai-policy", "artificial-intelligence"), ("cybersecurity", "big-tech"),
        ("A Itália bloqueou temporariamente o ChatGPT por violação das regras de proteção de dados, "
         "tornando-se o primeiro país ocidental a proibir o chatbot."),
    ),
    Passage(
        "b-ap4", "pt", ("ai-policy", "artificial-intelligence"), (),
        ("Governo brasileiro apresenta Plano Brasileiro de Inteligência Artificial com investimento de R$ 23 "
         "bilhões até 2028."),
    ),
    Passage(
        "b-bt1", "pt", ("big-tech",), (),
        ("O Google anunciou que vai investir US$ 1 bilhão em infraestrutura de nuvem no Brasil nos próximos "
         "cinco anos."),
    ),
    Passage(
        "b-bt2", "pt", ("big-tech",), (),
        "A Apple foi obrigada pela União Europeia a permitir lojas de aplicativos alternativas no iPhone.",
    ),
    Passage(
        "b-bt3", "pt", ("big-tech", "markets"), (),
        ("As ações da Microsoft caíram 4% depois de a empresa divulgar crescimento mais lento do que o "
         "esperado na divisão de nuvem Azure."),
    ),
    Passage(
        "b-bt4", "pt", ("big-tech",), (),
        ("A Amazon Web Services sofreu uma falha que deixou fora do ar sites e aplicativos de bancos, "
         "companhias aéreas e serviços de streaming durante várias horas."),
    ),
    Passage(
        "b-sc1", "pt", ("semiconductors",), (),
        "A Samsung Electronics prevê forte alta nos lucros com a recuperação dos preços dos chips de memória.",
    ),
    Passage(
        "b-sc2", "pt", ("semiconductors",), (),
        ("O novo processador da Qualcomm para computadores portáteis promete autonomia de bateria de mais de "
         "20 horas."),
    ),
    Passage(
        "b-sc3", "pt", ("semiconductors",), ("markets",),
        ("Taiwan produz mais de 60% dos semicondutores do mundo, o que torna a ilha estratégica para a "
         "economia global."),
    ),
    Passage(
        "b-sc4", "pt", ("semiconductors",), (),
        ("A União Europeia quer duplicar a sua quota na produção mundial de chips até 2030 com o Chips Act "
         "europeu."),
    ),
    Passage(
        "b-mk1", "pt", ("markets",), (),
        ("A Bolsa de Lisboa encerrou em terreno negativo, com o PSI a perder 0,8%, arrastado pelas ações do "
         "BCP e da Galp."),
    ),
    Passage(
        "b-mk2", "pt", ("markets",), (),
        ("O real foi a moeda que mais se desvalorizou entre as emergentes neste ano, e o dólar ultrapassou a "
         "marca de R$ 6."),
    ),
    Passage(
        "b-mk3", "pt", ("markets",), (),
        "O Federal Reserve cortou os juros em meio ponto percentual, o primeiro corte desde 2020.",
    ),
    Passage(
        "b-mk4", "pt", ("markets",), (),
        ("A economia portuguesa cresceu 1,9% em 2024, segundo o INE, num ano marcado pela descida da inflação "
         "e pelo aumento do consumo privado."),
    ),
    Passage(
        "b-mk5", "pt", ("markets",), (),
        "O Brasil entrou em recessão técnica após dois trimestres seguidos de queda do PIB.",
    ),
    Passage(
        "b-cy1", "pt", ("cybersecurity",), (),
        ("Um ciberataque deixou fora de serviço os sistemas informáticos da Câmara Municipal, que ficou sem "
         "acesso ao correio eletrónico durante uma semana."),
    ),
    Passage(
        "b-cy2", "pt", ("cybersecurity",), (),
        ("Golpistas usam mensagens falsas em nome do Pix para roubar senhas bancárias; a Febraban recomenda "
         "nunca clicar em links recebidos por SMS."),
    ),
    Passage(
        "b-cy3", "pt", ("cybersecurity",), (),
        ("A fuga de dados expôs nomes, moradas e números de contribuinte de 1,5 milhões de clientes da "
         "operadora."),
    ),
    Passage(
        "b-cy4", "pt", ("cybersecurity",), (),
        ("Investigadores descobriram que o spyware Pegasus foi usado para vigiar jornalistas e ativistas em "
         "vários países."),
    ),
    Passage(
        "b-un1", "pt", (), (),
        ("O Sporting venceu o Braga por 3-1 e isolou-se na liderança. Gyökeres marcou dois golos e chegou aos "
         "20 na Liga."),
    ),
    Passage(
        "b-un2", "pt", (), (),
        "O atacante sofreu uma lesão muscular e desfalca o time nas próximas três rodadas do campeonato.",
    ),
    Passage(
        "b-un3", "pt", (), (),
        ("Misture os ovos com o leite, acrescente a farinha aos poucos e deixe a massa descansar por meia hora"
         " antes de fritar as panquecas."),
    ),
    Passage(
        "b-un4", "pt", (), (),
        ("O IPMA emitiu aviso amarelo para chuva e vento forte nos distritos do litoral norte até "
         "quarta-feira."),
    ),
    Passage(
        "b-un5", "pt", (), (),
        "Os hospitais registaram um aumento de casos de gripe e o SNS reforçou as equipas nas urgências.",
    ),
    Passage(
        "b-un6", "pt", (), (),
        ("A Assembleia da República aprovou na generalidade o Orçamento do Estado, com os votos contra da "
         "oposição."),
    ),
    Passage(
        "b-un7", "pt", (), (),
        ("O deputado foi cassado por quebra de decoro parlamentar após a divulgação de áudios em que negociava"
         " cargos no governo."),
    ),
    Passage(
        "b-un8", "pt", (), (),
        ("A vacina contra a dengue será aplicada em crianças de 10 a 14 anos nos municípios com maior número "
         "de casos."),
    ),
    Passage(
        "b-un9", "pt", (), ("markets",),
        ("O governo federal lançou um programa para renegociar dívidas de famílias de baixa renda, com "
         "descontos de até 90%."),
    ),
    Passage(
        "b-un10", "pt", (), (),
        "A exposição reúne 200 fotografias sobre a vida nas comunidades ribeirinhas da Amazônia.",
    ),
    Passage(
        "b-un11", "pt", (), (),
        ("A nova lei obriga condomínios a instalar carregadores para carros elétricos em garagens de prédios "
         "novos."),
    ),
    Passage(
        "b-un12", "pt", (), (),
        ("O Ministério Público abriu investigação sobre irregularidades na licitação para a compra de merenda "
         "escolar."),
    ),
    Passage(
        "b-un13", "pt", (), (),
        "O presidente da Câmara disse que a meta é votar a reforma tributária antes do recesso parlamentar.",
    ),
    Passage(
        "b-un14", "pt", (), (),
        "O festival de cinema premiou um documentário sobre a seca no sertão nordestino.",
    ),
    Passage(
        "b-un15", "pt", (), (),
        ("A polícia prendeu três suspeitos de assaltar uma joalheria no centro da cidade. As câmeras de "
         "segurança registaram a ação."),
    ),
    Passage(
        "b-un16", "en", (), (),
        "A apple pie served at the fair won first prize, ahead of a pear tart and a carrot cake.",
    ),
    Passage(
        "b-un17", "pt", (), (),
        "O motorista teve a carteira de habilitação suspensa e vai responder por dirigir embriagado.",
    ),
    Passage(
        "b-un18", "pt", (), (),
        ("O gado bovino foi vacinado contra a febre aftosa em todo o estado, informou a secretaria de "
         "agricultura."),
    ),
    Passage(
        "c-mar0", "pt", ("markets",), (),
        ("O índice S&P 500 renovou máxima histórica, impulsionado pelas ações de tecnologia, enquanto os "
         "rendimentos dos títulos do Tesouro americano recuaram."),
    ),
    Passage(
        "c-mar1", "pt", ("markets",), (),
        "Investidores estrangeiros retiraram R$ 10 bilhões da B3 em agosto, o pior mês desde a pandemia.",
    ),
    Passage(
        "c-mar2", "pt", ("markets",), (),
        ("A cotação do euro face ao dólar caiu para o nível mais baixo em dois anos, pressionada pela fraqueza"
         " da economia alemã."),
    ),
    Passage(
        "c-mar3", "pt", ("markets",), (),
        "O Copom elevou a Selic para 12,25% e sinalizou novas altas diante da inflação persistente.",
    ),
    Passage(
        "c-mar4", "pt", ("markets",), (),
        ("A Petrobras anunciou lucro líquido de R$ 28 bilhões no trimestre e distribuirá dividendos aos "
         "acionistas."),
    ),
    Passage(
        "c-sem5", "pt", ("semiconductors", "big-tech"), (),
        ("A Nvidia apresentou a nova geração de GPUs Blackwell, que promete quadruplicar o desempenho no "
         "treino de modelos."),
    ),
    Passage(
        "c-sem6", "pt", ("semiconductors",), (),
        ("A fabricante taiwanesa vai construir uma fábrica de semicondutores no Arizona com investimento de "
         "US$ 40 bilhões."),
    ),
    Passage(
        "c-sem7", "pt", ("semiconductors",), (),
        ("O governo chinês anunciou um fundo de 47 mil milhões de dólares para a indústria de chips, em "
         "resposta às sanções americanas."),
    ),
    Passage(
        "c-sem8", "pt", ("semiconductors",), ("artificial-intelligence",),
        "A AMD lançou processadores Ryzen com unidade dedicada a tarefas de inteligência artificial.",
    ),
    Passage(
        "c-cyb9", "pt", ("cybersecurity",), (),
        ("Criminosos sequestraram os dados da prefeitura e exigem resgate em criptomoedas; os serviços online "
         "estão suspensos."),
    ),
    Passage(
        "c-cyb10", "pt", ("cybersecurity",), (),
        ("Uma falha de segurança no aplicativo permitiu que terceiros acessassem conversas privadas de "
         "usuários."),
    ),
    Passage(
        "c-cyb11", "pt", ("cybersecurity",), (),
        ("A operadora confirmou o incidente informático e disse que os dados bancários dos clientes não foram "
         "comprometidos."),
    ),
    Passage(
        "c-cyb12", "pt", ("cybersecurity",), (),
        ("A ANPD abriu processo contra a rede de farmácias por compartilhar dados pessoais de clientes sem "
         "consentimento."),
    ),
    Passage(
        "c-cyb13", "pt", ("cybersecurity",), (),
        ("Os piratas informáticos reivindicaram o ataque ao sistema de saúde e ameaçam divulgar os registos de"
         " pacientes."),
    ),
    Passage(
        "c-art14", "pt", ("artificial-intelligence",), (),
        ("A ferramenta usa visão computacional para detectar buracos nas ruas a partir de imagens captadas por"
         " ônibus."),
    ),
    Passage(
        "c-art15", "pt", ("artificial-intelligence",), (),
        "O chatbot da empresa passou a responder dúvidas de clientes em português e espanhol.",
    ),
    Passage(
        "c-art16", "pt", ("artificial-intelligence",), (),
        "Cientistas treinaram uma rede neural para traduzir sinais cerebrais em texto.",
    ),
    Passage(
        "c-ai-17", "pt", ("ai-policy", "artificial-intelligence"), (),
        ("O Conselho da Europa adotou o primeiro tratado internacional juridicamente vinculativo sobre "
         "inteligência artificial."),
    ),
    Passage(
        "c-ai-18", "pt", ("ai-policy", "artificial-intelligence"), (),
        ("Deputados discutem proibir o uso de reconhecimento facial por forças policiais até que haja regras "
         "claras para a IA."),
    ),
    Passage(
        "c-ai-19", "pt", ("ai-policy", "artificial-intelligence"), (),
        ("A Casa Branca obteve compromissos voluntários de sete empresas de IA para testar a segurança de seus"
         " modelos antes do lançamento."),
    ),
    Passage(
        "c-ope20", "pt", ("open-source",), (),
        "O Linux completou 33 anos e segue como o sistema operacional mais usado em servidores.",
    ),
    Passage(
        "c-ope21", "pt", ("open-source",), (),
        ("A comunidade criou um fork do projeto depois que a empresa mudou a licença para uma versão mais "
         "restritiva."),
    ),
    Passage(
        "c-big22", "pt", ("big-tech",), (),
        "O Facebook e o Instagram, da Meta, ficaram fora do ar por seis horas em todo o mundo.",
    ),
    Passage(
        "c-big23", "pt", ("big-tech",), (),
        "O CEO da Apple, Tim Cook, visitou a China e se reuniu com autoridades do governo.",
    ),
    Passage(
        "c-big24", "pt", ("big-tech",), (),
        "A Alphabet, dona do Google, anunciou um programa de recompra de ações de US$ 70 bilhões.",
    ),
    Passage(
        "c-un0", "pt", (), (),
        ("O Corinthians anunciou a contratação do meia por três temporadas. O jogador passou nos exames "
         "médicos e assina contrato nesta segunda."),
    ),
    Passage(
        "c-un1", "pt", (), (),
        ("O Palmeiras lidera o Brasileirão com 60 pontos; o ataque alviverde é o mais positivo da competição, "
         "com 58 gols marcados."),
    ),
    Passage(
        "c-un2", "pt", (), (),
        ("Na Fórmula 1, Verstappen largou na pole e venceu o Grande Prémio do Japão, ampliando a vantagem no "
         "campeonato de pilotos."),
    ),
    Passage(
        "c-un3", "pt", (), (),
        "O tenista português avançou às meias-finais do torneio depois de salvar três match points.",
    ),
    Passage(
        "c-un4", "pt", (), (),
        "A seleção feminina de vôlei venceu a Sérvia no tie-break e garantiu vaga na final do Mundial.",
    ),
    Passage(
        "c-un5", "pt", (), (),
        ("A receita do bolo de cenoura leva três cenouras, quatro ovos, uma xícara de óleo e duas de açúcar. A"
         " cobertura é de chocolate."),
    ),
    Passage(
        "c-un6", "pt", (), (),
        ("O bacalhau à Gomes de Sá é servido com batatas, cebola e ovos cozidos, e deve ir ao forno por vinte "
         "minutos."),
    ),
    Passage(
        "c-un7", "pt", (), (),
        ("Para o pão de queijo, misture o polvilho com o leite quente e o óleo, depois acrescente o queijo "
         "ralado e os ovos."),
    ),
    Passage(
        "c-un8", "pt", (), (),
        ("O açaí ganhou mercados internacionais e hoje é exportado para mais de 30 países, segundo produtores "
         "do Pará."),
    ),
    Passage(
        "c-un9", "pt", (), (),
        "A previsão indica chuva forte no litoral paulista e risco de deslizamentos em áreas de encosta.",
    ),
    Passage(
        "c-un10", "pt", (), (),
        ("O calor extremo levou o governo de Portugal a declarar situação de alerta em 14 distritos por risco "
         "de incêndio."),
    ),
    Passage(
        "c-un11", "pt", (), (),
        ("O furacão ganhou força no Atlântico e deve atingir a costa da Flórida na quinta-feira como categoria"
         " 4."),
    ),
    Passage(
        "c-un12", "pt", (), (),
        "A seca no Rio Grande do Sul provocou perdas de 40% na safra de soja, segundo a Emater.",
    ),
    Passage(
        "c-un13", "pt", (), (),
        ("O Ministério da Saúde confirmou três casos de sarampo em São Paulo e reforçou a campanha de "
         "vacinação."),
    ),
    Passage(
        "c-un14", "pt", (), (),
        ("Um novo protocolo de tratamento para o câncer de mama reduziu em 30% o risco de recidiva, segundo "
         "estudo apresentado no congresso de oncologia."),
    ),
    Passage(
        "c-un15", "pt", (), (),
        ("A Anvisa aprovou o registro de um medicamento para tratar a obesidade, que deve chegar às farmácias "
         "no segundo semestre."),
    ),
    Passage(
        "c-un16", "pt", (), (),
        ("O surto de gripe aviária atingiu granjas no Sul e o governo suspendeu temporariamente exportações de"
         " frango para alguns países."),
    ),
    Passage(
        "c-un17", "pt", (), (),
        ("Médicos alertam que o uso excessivo de telas por crianças pode afetar o sono e o desenvolvimento da "
         "linguagem."),
    ),
    Passage(
        "c-un18", "pt", (), (),
        "O presidente sancionou a lei que cria o programa de renegociação de dívidas de estudantes do Fies.",
    ),
    Passage(
        "c-un19", "pt", (), (),
        "O Supremo Tribunal Federal decidiu, por sete votos a quatro, que a lei estadual é inconstitucional.",
    ),
    Passage(
        "c-un20", "pt", (), (),
        ("A oposição apresentou um pedido de impeachment contra o governador, acusado de improbidade "
         "administrativa."),
    ),
    Passage(
        "c-un21", "pt", (), (),
        ("O primeiro-ministro anunciou uma remodelação do governo, com a saída de três ministros e a entrada "
         "de dois secretários de Estado."),
    ),
    Passage(
        "c-un22", "pt", (), (),
        ("A Câmara aprovou a proposta de emenda à Constituição que limita decisões individuais de ministros do"
         " STF."),
    ),
    Passage(
        "c-un23", "pt", (), (),
        "As eleições municipais terão segundo turno em 52 cidades, segundo o Tribunal Superior Eleitoral.",
    ),
    Passage(
        "c-un24", "pt", (), (),
        ("O governo federal lançou um edital de R$ 2 bilhões para obras de saneamento em municípios do "
         "Nordeste."),
    ),
    Passage(
        "c-un25", "pt", (), (),
        ("Os professores da rede estadual entraram em greve por reajuste salarial e melhores condições de "
         "trabalho."),
    ),
    Passage(
        "c-un26", "pt", (), (),
        "A ponte foi interditada após a descoberta de rachaduras na estrutura, e o trânsito foi desviado.",
    ),
    Passage(
        "c-un27", "pt", (), (),
        ("O novo disco da cantora mistura samba, funk e música eletrônica e já soma milhões de reproduções nas"
         " plataformas."),
    ),
    Passage(
        "c-un28", "pt", (), (),
        "A exposição de Frida Kahlo no Museu de Arte de São Paulo recebeu mais de 200 mil visitantes.",
    ),
    Passage(
        "c-un29", "pt", (), (),
        "O filme brasileiro foi indicado ao Oscar de melhor filme internacional.",
    ),
    Passage(
        "c-un30", "pt", (), (),
        "Os Correios abriram concurso com 3.500 vagas para carteiros e agentes de atendimento.",
    ),
    Passage(
        "c-un31", "pt", (), (),
        "A polícia apreendeu 2 toneladas de cocaína escondidas num carregamento de frutas no porto de Santos.",
    ),
    Passage(
        "c-un32", "pt", (), (),
        ("A aplicação de multas por excesso de velocidade aumentou depois da instalação de novos radares na "
         "avenida."),
    ),
    Passage(
        "c-un33", "pt", (), (),
        "O incêndio atingiu um depósito de materiais recicláveis e mobilizou seis equipes dos bombeiros.",
    ),
    Passage(
        "c-un34", "pt", (), (),
        ("O hospital inaugurou uma nova ala de terapia intensiva com 40 leitos e equipamentos de última "
         "geração."),
    ),
    Passage(
        "c-un35", "pt", (), (),
        "A prefeitura anunciou que as aulas nas escolas municipais serão retomadas na próxima segunda-feira.",
    ),
    Passage(
        "c-un36", "pt", (), (),
        "O cantor cancelou o show por causa de uma infecção na garganta, informou a assessoria.",
    ),
    Passage(
        "c-un37", "pt", (), (),
        "O atacante marcou de cabeça aos 44 do segundo tempo e garantiu a vitória; a meta agora é o título.",
    ),
    Passage(
        "c-un38", "pt", (), (),
        "Milhares de peregrinos chegaram a Fátima para as celebrações de 13 de maio.",
    ),
    Passage(
        "c-un39", "pt", (), (),
        "O time de basquete contratou um pivô americano para a disputa do NBB.",
    ),
    Passage(
        "c-un-en0", "en", (), (),
        ("Corinthians announced the signing of the midfielder for three seasons. The player passed his medical"
         " exams and signs a contract on Monday."),
    ),
    Passage(
        "c-un-en1", "en", (), (),
        ("Palmeiras leads the Brasileirão with 60 points; the team's attack is the most productive in the "
         "competition, with 58 goals scored."),
    ),
    Passage(
        "c-un-en2", "en", (), (),
        ("The carrot cake recipe takes three carrots, four eggs, a cup of oil and two of sugar. The topping is"
         " chocolate."),
    ),
    Passage(
        "c-un-en3", "en", (), (),
        ("Açaí has gained international markets and is now exported to more than 30 countries, according to "
         "producers in Pará."),
    ),
    Passage(
        "c-un-en4", "en", (), (),
        "The forecast indicates heavy rain on the São Paulo coast and risk of landslides in hillside areas.",
    ),
    Passage(
        "c-un-en5", "en", (), (),
        ("The Ministry of Health confirmed three cases of measles in São Paulo and reinforced the vaccination "
         "campaign."),
    ),
    Passage(
        "c-un-en6", "en", (), (),
        "The president signed the law that creates the debt renegotiation program for Fies students.",
    ),
    Passage(
        "c-un-en7", "en", (), (),
        "The Federal Supreme Court ruled, by seven votes to four, that the state law is unconstitutional.",
    ),
    Passage(
        "c-un-en8", "en", (), (),
        ("The federal government launched a R$ 2 billion call for sanitation works in municipalities in the "
         "Northeast."),
    ),
    Passage(
        "c-un-en9", "en", (), (),
        "Police seized 2 tons of cocaine hidden in a shipment of fruit at the port of Santos.",
    ),
    Passage(
        "c-un-en10", "en", (), (),
        ("The striker scored with a header in the 44th minute of the second half and secured the victory; the "
         "goal now is the title."),
    ),
    Passage(
        "c-un-en11", "en", (), (),
        "The singer canceled the show because of a throat infection, his press office said.",
    ),
    Passage(
        "c-un-en12", "en", (), (),
        ("The bird flu outbreak hit farms in the South and the government temporarily suspended chicken "
         "exports to some countries."),
    ),
    Passage(
        "c-un-en13", "en", (), (),
        "Doctors warn that excessive use of screens by children can affect sleep and language development.",
    ),
    Passage(
        "c-un-en14", "en", (), (),
        "The hospital opened a new intensive care wing with 40 beds and state-of-the-art equipment.",
    ),
]


@pytest.mark.parametrize("passage", [p for p in PASSAGES if not p.labels], ids=lambda p: p.id)
def test_unrelated_passages_get_no_tags(tagger: Tagger, passage: Passage) -> None:
    assert tagger.tag(passage.text, passage.language, passage.translation) == ()


def test_labelled_passages_micro_f1(tagger: Tagger) -> None:
    true_positive = false_positive = false_negative = 0
    for passage in PASSAGES:
        tags = tagger.tag(passage.text, passage.language, passage.translation)
        assert_offsets(tags, passage.text, passage.translation)
        found = topics(tags) - set(passage.also_ok)
        gold = set(passage.labels)
        true_positive += len(found & gold)
        false_positive += len(found - gold)
        false_negative += len(gold - found)
    f1 = 2 * true_positive / (2 * true_positive + false_positive + false_negative)
    assert f1 >= 0.9, (true_positive, false_positive, false_negative)
