"""Text in capitals: detection reads it as a reader does, the engine gets it sentence-cased."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from service.core.casing import for_reading, in_capitals, sentence_case, shouting
from service.core.detect import LanguageDetector, choose_language, letter_count
from service.core.translate import SentenceResult
from service.core.translate.capitals import CapitalsTranslator

HEADLINES = Path(__file__).resolve().parents[1] / "data" / "spans" / "headlines_pt_en.tsv"
PORTUGUESE = [line.split("\t")[0] for line in HEADLINES.read_text(encoding="utf-8").splitlines()
              if line and not line.startswith("#")]


def test_the_headlines_are_a_hundred() -> None:
    assert len(PORTUGUESE) == 100


@pytest.mark.parametrize(("text", "loud"), [
    ("A NVIDIA LANÇOU UM NOVO CHIP DE INTELIGÊNCIA ARTIFICIAL HOJE", True),
    ("ANPD MULTA A META EM R$ 5 MILHÕES", True),
    ("ANPD multa a Meta", False),  # acronyms in an ordinary sentence
    ("IBM E AMD", False),  # too little to go on
    ("O governo aprovou a lei.", False),
    ("%s LANÇA O %1$s NO BRASIL", True),  # the masking placeholders do not count
])
def test_shouting(text: str, loud: bool) -> None:
    assert shouting(text) is loud


def test_reading_and_writing_capitals() -> None:
    text = "A NVIDIA LANÇOU UM CHIP\nO texto normal da ANPD."
    assert for_reading(text) == "a nvidia lançou um chip\nO texto normal da ANPD."
    assert sentence_case("A NVIDIA LANÇOU UM CHIP. O PREÇO SUBIU") == "A nvidia lançou um chip. O preço subiu"
    assert in_capitals("the %s of %1$d chips") == "THE %s OF %1$d CHIPS"


def test_headlines_in_capitals_are_detected_as_portuguese() -> None:
    detector = LanguageDetector()
    text = "A NVIDIA LANÇOU UM NOVO CHIP DE INTELIGÊNCIA ARTIFICIAL HOJE"
    assert detector.detect(text).code == "pt"

    def used(headline: str, detector: LanguageDetector) -> str:
        return choose_language(detector.detect(headline), ("pt",), "en", letters=letter_count(headline)).code

    # all 55 languages of langdetect, with the spelling check (`pela` is not Spanish): 98 of 100 in capitals, as
    # in ordinary case (95 and 96 without the check)
    loud = sum(used(h.upper(), detector) == "pt" for h in PORTUGUESE)
    assert loud >= sum(used(h, detector) == "pt" for h in PORTUGUESE) >= 98
    # a deployment that says its traffic is Portuguese and English (PONTE_DETECT_LANGUAGES=pt,en)
    both = LanguageDetector(languages=("pt", "en"))
    assert sum(used(h.upper(), both) == "pt" for h in PORTUGUESE) >= 98


def test_english_in_capitals_stays_english() -> None:
    assert LanguageDetector().detect("APPLE LAUNCHES A NEW CHIP FOR ARTIFICIAL INTELLIGENCE TODAY").code == "en"


class Recording:
    name, version = "recording", "1"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def translate(self, sentences: Sequence[str]) -> list[str]:
        return [r.text for r in self.translate_scored(sentences)]

    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[SentenceResult]:
        self.seen += sentences
        return [SentenceResult(f"en: {s} %s", -0.5, (), (("other %s", -0.9),) if alternatives else ())
                for s in sentences]


def test_the_engine_gets_capitals_sentence_cased_and_gives_capitals_back() -> None:
    inner = Recording()
    layer = CapitalsTranslator(inner)
    results = layer.translate_scored(["A NVIDIA LANÇOU UM CHIP NOVO", "O governo aprovou a lei."], alternatives=1)
    assert inner.seen == ["A nvidia lançou um chip novo", "O governo aprovou a lei."]
    assert results[0] == SentenceResult("EN: A NVIDIA LANÇOU UM CHIP NOVO %s", -0.5, (), (("OTHER %s", -0.9),))
    assert results[1].text == "en: O governo aprovou a lei. %s"


class Asked(Recording):
    """Records the number of alternatives each call asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[int] = []

    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[SentenceResult]:
        self.asked.append(alternatives)
        return super().translate_scored(sentences, alternatives)


@pytest.mark.parametrize("sentences", [["A NVIDIA LANÇOU UM CHIP NOVO"], ["A Nvidia lançou um chip."]])
def test_alternatives_are_asked_as_the_caller_asks(sentences: list[str]) -> None:
    inner = Asked()
    layer = CapitalsTranslator(inner)
    assert layer.translate_scored(sentences)[0].alternatives == ()  # none unless asked
    assert layer.translate_scored(sentences, alternatives=2)[0].alternatives != ()
    assert inner.asked == [0, 2]


def test_only_sentences_in_capitals_are_sentence_cased() -> None:
    inner = Recording()
    CapitalsTranslator(inner).translate_scored(["A NVIDIA LANÇOU UM CHIP NOVO", "A Nvidia e a Intel."])
    assert inner.seen == ["A nvidia lançou um chip novo", "A Nvidia e a Intel."]

