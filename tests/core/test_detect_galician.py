"""Galician (no langdetect profile) is never called reliable Portuguese or Spanish; Portuguese news still is."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.detect import LanguageDetector, galician_spelling
from tools.measure_galician import news

GALICIAN = (Path(__file__).resolve().parents[1] / "data" / "galician_news_gl.txt").read_text(
    encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


def test_the_reported_sentence_is_not_reliable_portuguese(detector: LanguageDetector) -> None:
    found = detector.detect("O goberno galego aprobou onte a nova lei de intelixencia artificial para as empresas.")
    assert found.code == "pt" and found.confidence == 1.0  # langdetect's answer is kept, with its probability
    assert found.reliable is False


def test_no_galician_news_sentence_is_reliable(detector: LanguageDetector) -> None:
    assert len(GALICIAN) == 30
    reliable = [(text, found.code) for text in GALICIAN if (found := detector.detect(text)).reliable]
    assert reliable == []


def test_portuguese_news_keeps_its_reliability() -> None:
    texts = news()
    assert len(texts) > 800
    assert [text for text in texts if galician_spelling(text, "pt")] == []


@pytest.mark.parametrize(("text", "language", "galician"), [
    ("Non foi posíbel abrir o ficheiro", "pt", True),
    ("Não foi possível abrir o arquivo", "pt", False),
    ("Unha nova lei para as empresas", "es", True),
    ("Una nueva ley para las empresas", "es", False),
    # each rule alone, against one word of the other side (one each is a tie: not Galician)
    ("non", "pt", True), ("NON", "pt", True), ("información", "pt", True), ("año", "pt", True),
    ("subxecto", "pt", True),
    ("não", "pt", False), ("non não", "pt", False), ("non não unha", "pt", True),
    ("non mãe", "pt", False), ("non põe", "pt", False), ("non faço", "pt", False), ("non olho", "pt", False),
    ("non tenho", "pt", False), ("non punha", "pt", True),  # `nh` inside `unha` is Galician's, not Portugal's
    ("non", "es", True), ("xuño", "es", True), ("xan", "es", True), ("xy", "es", False), ("xy el", "es", False),
    ("subxecto", "es", True),
    ("el", "es", False), ("non el", "es", False), ("non el xuño", "es", True), ("non", "ca", True),
    ("não", "es", False), ("información", "es", False),
])
def test_galician_spelling(text: str, language: str, galician: bool) -> None:
    assert galician_spelling(text, language) is galician
