"""Which forms of the default taxonomy match where: stems, separators, case, abbreviations, regexes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from service.core.tagging import CASE_INSENSITIVE, Form, Tagger, load_taxonomy
from service.core.tagging.folding import fold
from service.core.tagging.matcher import Matcher
from tests.core.tagging.conftest import assert_offsets, topics, write


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


def test_regex_terms_see_their_context(tmp_path: Path) -> None:
    taxonomy = "topics: [{id: rates, label: Rates, terms: [{id: rate, case: sensitive, pt: ['re:Selic(?= subiu)']}]}]"
    tagger = Tagger(load_taxonomy(write(tmp_path, taxonomy)))
    assert topics(tagger.tag("A Selic subiu.", "pt")) == {"rates"}
    assert tagger.tag("A Selic caiu.", "pt") == ()


def found(matcher: Matcher[str], text: str) -> list[tuple[str, list[str]]]:
    folded = fold(text, CASE_INSENSITIVE)
    return [(folded[start:end], owners) for start, end, owners in matcher.finditer(folded)]


def test_matcher_reports_every_form_at_a_start_with_all_its_owners() -> None:
    matcher = Matcher(
        [
            (Form("pt", "Google"), CASE_INSENSITIVE, "company"),
            (Form("en", "google"), CASE_INSENSITIVE, "search"),
            (Form("pt", "Google Gemini"), CASE_INSENSITIVE, "model"),
            (Form("pt", "código aberto"), CASE_INSENSITIVE, "open"),
        ]
    )
    text = "O Google Gemini é de código-aberto; Googleplex não."
    assert found(matcher, text) == [
        ("google", ["company", "search"]),
        ("google gemini", ["model"]),
        ("codigo-aberto", ["open"]),
    ]


def test_matcher_stems_and_regexes_stop_at_word_ends() -> None:
    matcher = Matcher(
        [
            (Form("pt", "hacker*"), CASE_INSENSITIVE, "hacker"),
            (Form("any", r"pl \d+", regex=True), CASE_INSENSITIVE, "bill"),
            (Form("any", "gpu|gpus", regex=True), CASE_INSENSITIVE, "chip"),
        ]
    )
    assert found(matcher, "Hackers, o hack e o PL 2338; PL 23a.") == [("hackers", ["hacker"]), ("pl 2338", ["bill"])]
    assert found(matcher, "As GPUs") == [("gpus", ["chip"])]  # the alternative that ends a word, not the first


def test_matcher_of_no_forms_finds_nothing() -> None:
    assert found(Matcher([]), "qualquer texto") == []


def test_matches_may_overlap_a_longer_match_before_them() -> None:
    # the search goes on from the next word start, not from the end of the previous match
    matcher = Matcher(
        [
            (Form("pt", "banco central"), CASE_INSENSITIVE, "bank"),
            (Form("pt", "central de dados"), CASE_INSENSITIVE, "datacentre"),
            (Form("pt", "dados"), CASE_INSENSITIVE, "data"),
        ]
    )
    assert found(matcher, "O banco central de dados.") == [
        ("banco central", ["bank"]),
        ("central de dados", ["datacentre"]),
        ("dados", ["data"]),
    ]


def test_a_stem_does_not_swallow_a_longer_literal_beside_it() -> None:
    # after `dado` the trie has a letter (dados abertos), a separator (dado pessoal) and a stem (dado*): the
    # literals are tried before the stem, which would otherwise match `dados` and `dado` and stop there
    matcher = Matcher(
        [
            (Form("pt", "dado*"), CASE_INSENSITIVE, "data"),
            (Form("pt", "dados abertos"), CASE_INSENSITIVE, "open"),
            (Form("pt", "dado pessoal"), CASE_INSENSITIVE, "privacy"),
        ]
    )
    assert found(matcher, "Os dados abertos e o dado pessoal; dadoteca.") == [
        ("dados", ["data"]),
        ("dados abertos", ["open"]),
        ("dado", ["data"]),
        ("dado pessoal", ["privacy"]),
        ("dadoteca", ["data"]),
    ]
