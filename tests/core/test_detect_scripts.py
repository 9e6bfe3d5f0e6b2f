"""Short text in another script never falls back to a language written in Latin letters."""

from __future__ import annotations

import pytest

from service.core.detect import (
    FALLBACK,
    LATIN,
    Candidate,
    Detection,
    LanguageDetector,
    choose_language,
    letter_count,
    script_of,
)

SHORT = {
    "zh": "人工智能公司今天发布了一个新的大型语言模型，引起了广泛关注。",
    "ar": "أعلنت الحكومة اليوم عن خطة جديدة للذكاء الاصطناعي",
    "ru": "Правительство объявило новый план по ИИ",
    "el": "Η κυβέρνηση ανακοίνωσε νέο σχέδιο",
    "ko": "정부는 오늘 새로운 인공지능 계획을 발표했다",
    "ja": "政府は今日、新しい人工知能計画を発表した",
    "he": "הממשלה הודיעה היום על תוכנית חדשה",
    "hi": "सरकार ने आज नई योजना की घोषणा की",
}


@pytest.mark.parametrize(("text", "script"), [
    ("O governo aprovou a lei.", LATIN), ("Ação nº 5 ª", LATIN), ("人工智能 AI", "CJK"), ("ひらがな", "CJK"),
    ("Правительство и OpenAI", "CYRILLIC"), ("123 !?", None),
    ("ªº", LATIN),  # Latin-1's ordinal indicators: by code point (their names start FEMININE, MASCULINE)
    ("ɏɏ", LATIN), ("ɐɐ", LATIN),  # the last of Latin Extended-B, and the first after it (named LATIN)
    ("ｱｲｳ", "CJK"), ("カタカナ", "CJK"),  # half-width and full-width katakana: Japanese's CJK
    ("1, 2: α", "GREEK"),  # what is not a letter is skipped, not the end
    # Tangut ideographs are letters (str.isalpha) that Python 3.11's unicodedata gives no name: no script is named,
    # and nothing fails
    ("\U00017000\U00017001 a", ""),
])
def test_script_of(text: str, script: str | None) -> None:
    assert script_of(text) == script


@pytest.mark.parametrize("language", sorted(SHORT))
def test_no_short_foreign_script_text_is_taken_for_portuguese(language: str) -> None:
    text = SHORT[language]
    detection = LanguageDetector().detect(text)
    chosen = choose_language(detection, ("pt",), "en", letters=letter_count(text), script=script_of(text))
    assert chosen.code not in ("pt", "en")
    assert chosen.method != FALLBACK


def test_even_with_no_candidate_a_short_text_keeps_its_script() -> None:
    nothing = Detection("ja", 0.3, False, (Candidate("ja", 0.3), Candidate("pt", 0.2)), "detected")
    assert choose_language(nothing, ("pt",), "en", letters=10, script="CJK") is nothing
    # an installed language of the text's script is still chosen
    chosen = choose_language(Detection("uk", 0.6, False, (Candidate("uk", 0.6), Candidate("ru", 0.4)), "detected"),
                             ("pt", "ru"), "en", letters=20, script="CYRILLIC")
    assert (chosen.code, chosen.method) == ("ru", FALLBACK)
    # Latin text is unchanged: short Portuguese still falls back to pt
    chosen = choose_language(Detection("ca", 0.57, False, (Candidate("ca", 0.57),), "detected"), ("pt",), "en",
                             letters=17, script=LATIN)
    assert (chosen.code, chosen.method) == ("pt", FALLBACK)


def test_script_of_counts_the_first_200_letters_only() -> None:
    assert script_of("a" * 100 + "α" * 101) == LATIN  # 100 each in the first 200: the first seen wins the tie
    assert script_of("a" * 99 + "α" * 101) == "GREEK"
    assert script_of("aαα", sample=1) == LATIN
    assert script_of("aαα", sample=2) == LATIN
    assert script_of("aαα", sample=3) == "GREEK"
