"""Portuguese that langdetect takes for Spanish, Catalan or Italian: the spelling says otherwise."""

from __future__ import annotations

import pytest

from service.core.detect import (
    Candidate,
    Detection,
    LanguageDetector,
    choose_language,
    letter_count,
    portuguese_spelling,
)


@pytest.mark.parametrize(("text", "language", "portuguese"), [
    ("Polícia prende grupo suspeito de golpes pela internet", "es", True),  # pela
    ("POLÍCIA PRENDE GRUPO SUSPEITO DE GOLPES PELA INTERNET", "es", True),
    ("Anthropic recebe novo investimento da Amazon", "it", True),  # novo (da is Italian too)
    ("Taiwan teme falta de energia para as fábricas de chips", "es", True),  # as
    ("A informação não chegou", "ca", True),  # ã
    ("O trabalho do filho", "es", True),  # lh, do
    ("La policía detiene a un grupo sospechoso de estafas por internet", "es", False),
    ("El gobierno aprobó la ley de protección de datos", "es", False),  # el, la, -ción
    ("La polizia arresta un gruppo sospettato di truffe su internet", "it", False),
    ("Il governo approva la legge sulla protezione dei dati", "it", False),  # il, dei
    ("El govern aprova la llei amb el suport dels partits", "ca", False),  # el, amb, dels
    ("Polícia prende grupo suspeito de golpes pela internet", "fr", False),  # not a neighbour langdetect confuses
    ("Polícia prende grupo suspeito de golpes pela internet", "pt", False),
    # each rule alone, against one word of the neighbour (one each is a tie: not Portuguese)
    ("pela", "es", True), ("pela los", "es", False), ("mãe", "es", True), ("põe", "es", True),
    ("olho", "es", True), ("lhe", "it", False), ("lha", "es", False),  # lh, nh count after the first letter only
    ("tenho", "it", True), ("nhac", "es", False), ("faço", "es", True), ("faço", "ca", False),  # Catalan writes ç
    ("unha", "it", True), ("você", "it", True), ("três", "es", True), ("avô", "es", True),
    ("pela información", "es", False), ("pela acciones", "es", False), ("pela año", "es", False),
    ("pela acció", "ca", False), ("pela accions", "ca", False), ("pela col·lecció", "ca", False),
    ("pela coŀlegi", "ca", False),
    ("pela azione", "it", False), ("pela azioni", "it", False), ("pela della", "it", False),
    ("pela pelo della", "it", True), ("pela amb", "ca", False), ("mas", "es", False), ("mas", "it", True),
    ("PELA", "es", True), ("pela", "pt", False), ("pela", "gl", False),
])
def test_portuguese_spelling(text: str, language: str, portuguese: bool) -> None:
    assert portuguese_spelling(text, language) is portuguese


def test_a_tie_is_not_portuguese() -> None:
    # one Portuguese word (pela) against one Spanish word (los)
    assert portuguese_spelling("pela los", "es") is False
    assert portuguese_spelling("pela pelo los", "es") is True


@pytest.mark.parametrize(("text", "language"), [("no da", "es"), ("em com na", "ca"), ("da do", "it")])
def test_words_the_neighbour_writes_too_are_no_evidence(text: str, language: str) -> None:
    assert portuguese_spelling(text, language) is False


def test_a_word_one_neighbour_writes_is_evidence_against_another() -> None:
    assert portuguese_spelling("em com", "es") is True  # Catalan writes them, Spanish does not
    assert portuguese_spelling("do", "es") is True and portuguese_spelling("do", "it") is False


def test_langdetect_said_spanish_the_detection_says_why_it_is_not_reliable() -> None:
    detection = LanguageDetector().detect("POLÍCIA PRENDE GRUPO SUSPEITO DE GOLPES PELA INTERNET")
    assert (detection.code, detection.confidence) == ("es", 1.0)  # langdetect's answer, as it is
    assert detection.spelling == "pt"
    assert detection.reliable is False


def test_spanish_stays_spanish_and_reliable() -> None:
    detection = LanguageDetector().detect("El gobierno aprobó ayer la nueva ley de protección de datos personales")
    assert (detection.code, detection.reliable, detection.spelling) == ("es", True, None)


def test_the_pipeline_chooses_the_language_of_the_spelling() -> None:
    text = "POLÍCIA PRENDE GRUPO SUSPEITO DE GOLPES PELA INTERNET"
    chosen = choose_language(LanguageDetector().detect(text), ("pt",), "en", letters=letter_count(text))
    assert (chosen.code, chosen.method, chosen.reliable, chosen.confidence) == ("pt", "fallback", False, 0.0)


def test_the_spelling_wins_over_a_plausible_candidate_and_takes_its_probability() -> None:
    detection = Detection("it", 0.6, False, (Candidate("it", 0.6), Candidate("en", 0.3), Candidate("pt", 0.1)),
                          "detected", spelling="pt")
    chosen = choose_language(detection, ("pt",), "en", letters=60)
    assert (chosen.code, chosen.confidence) == ("pt", 0.1)


def test_a_spelling_without_a_model_changes_nothing() -> None:
    detection = Detection("es", 1.0, False, (Candidate("es", 1.0),), "detected", spelling="pt")
    assert choose_language(detection, ("de",), "en", letters=60) == detection
