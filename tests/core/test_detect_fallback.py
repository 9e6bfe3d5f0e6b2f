"""choose_language: short Portuguese text is translated with the installed language; other languages refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.detect import (
    FALLBACK,
    Candidate,
    Detection,
    FallbackRule,
    LanguageDetector,
    choose_language,
    letter_count,
    refusal_detail,
)

# the corpus-wide tests (every headline through langdetect) are in `make test`, not in `make test-fast`
corpus = pytest.mark.slow

HEADLINES = Path(__file__).resolve().parents[1] / "data" / "headlines"
INSTALLED = ("pt",)
TARGET = "en"


def lines(pattern: str) -> list[str]:
    return [line for path in sorted(HEADLINES.glob(pattern))
            for line in path.read_text(encoding="utf-8").splitlines() if line]


def detected(*candidates: tuple[str, float], reliable: bool = False) -> Detection:
    ranked = tuple(Candidate(code, p) for code, p in candidates)
    return Detection(ranked[0].code, ranked[0].probability, reliable, ranked, "detected")


def resolve(detector: LanguageDetector, text: str) -> str:
    """The language a pt-only deployment uses for the text, or 'refused'."""
    chosen = choose_language(detector.detect(text), INSTALLED, TARGET, letters=letter_count(text))
    return chosen.code if chosen.code in (*INSTALLED, TARGET) else "refused"


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    found = LanguageDetector()
    found.load()
    return found


def test_issue_example_falls_back_to_the_installed_candidate() -> None:
    # "A Meta lançou o Llama 3." as reported: ca 0.57, pt 0.43, not reliable
    chosen = choose_language(detected(("ca", 0.57), ("pt", 0.43)), INSTALLED, TARGET, letters=17)
    assert (chosen.code, chosen.confidence, chosen.reliable, chosen.method) == ("pt", 0.43, False, FALLBACK)
    assert chosen.candidates == detected(("ca", 0.57), ("pt", 0.43)).candidates


def test_too_short_to_judge_falls_back_even_without_a_candidate() -> None:
    chosen = choose_language(detected(("fr", 1.0), reliable=True), INSTALLED, TARGET, letters=12)
    assert (chosen.code, chosen.confidence, chosen.method) == ("pt", 0.0, FALLBACK)


def test_long_reliable_foreign_text_is_kept_and_refused_downstream() -> None:
    original = detected(("es", 0.9), ("pt", 0.1), reliable=True)
    assert choose_language(original, INSTALLED, TARGET, letters=200) is original


def test_long_unreliable_text_without_installed_candidate_is_kept() -> None:
    original = detected(("es", 0.6), ("it", 0.4))
    assert choose_language(original, INSTALLED, TARGET, letters=80) is original


def test_only_the_top_candidates_above_the_floor_are_plausible() -> None:
    original = detected(("es", 0.5), ("it", 0.3), ("pt", 0.2))
    assert choose_language(original, INSTALLED, TARGET, letters=80, rule=FallbackRule(top=2)) is original
    assert choose_language(original, INSTALLED, TARGET, letters=80, rule=FallbackRule(min_probability=0.25)) \
        is original
    assert choose_language(original, INSTALLED, TARGET, letters=80).code == "pt"


def test_given_undetermined_and_usable_detections_are_kept() -> None:
    for original in (Detection("es", 1.0, False, (), "given"), Detection("und", 0.0, False, (), "detected"),
                     detected(("pt", 0.6), ("es", 0.4)), detected(("en", 0.6), ("pt", 0.4))):
        assert choose_language(original, INSTALLED, TARGET, letters=10) is original


def test_refusal_tells_the_caller_to_pass_source_language() -> None:
    detail = refusal_detail(detected(("es", 0.99), reliable=True), INSTALLED, TARGET)
    assert "source_language" in detail and "'es'" in detail and "pt" in detail


@corpus
def test_portuguese_news_headlines_resolve_to_pt(detector: LanguageDetector) -> None:
    wrong = [t for t in lines("news_pt_*.txt") if resolve(detector, t) != "pt"]
    assert wrong == []


@corpus
def test_portuguese_headings_and_captions_are_never_refused(detector: LanguageDetector) -> None:
    texts = lines("handbook_pt_*.txt")
    outcomes = [resolve(detector, t) for t in texts]
    assert [t for t, o in zip(texts, outcomes, strict=True) if o == "refused"] == []
    # the rest pass through as English: headings mixing Portuguese with English terms ("Instalando Software adicional")
    assert outcomes.count("pt") >= 0.95 * len(texts)


@corpus
def test_english_lines_pass_through_as_english() -> None:
    restricted = LanguageDetector(languages=("pt", "en", "es", "fr", "it"))
    texts = lines("handbook_en_*.txt")
    outcomes = [resolve(restricted, t) for t in texts]
    assert outcomes.count("en") >= 0.90 * len(texts)
    assert outcomes.count("refused") <= 0.02 * len(texts)


@corpus
@pytest.mark.parametrize("language", ["es", "fr", "it"])
def test_foreign_paragraphs_are_refused(detector: LanguageDetector, language: str) -> None:
    texts = lines(f"handbook_{language}_paragraphs.txt")
    assert len(texts) >= 100
    assert [t for t in texts if resolve(detector, t) != "refused"] == []


def test_restriction_renormalises_over_the_allowed_languages() -> None:
    restricted = LanguageDetector(languages=("pt", "es"))
    result = restricted.detect("Sintaxe")
    assert {c.code for c in result.candidates} <= {"pt", "es"}
    assert sum(c.probability for c in result.candidates) == pytest.approx(1.0, abs=0.01)


def test_unknown_restricted_language_stops_at_load() -> None:
    with pytest.raises(ValueError, match="gl"):
        LanguageDetector(languages=("pt", "gl")).load()


def test_refusal_detail_in_full() -> None:
    assert refusal_detail(detected(("es", 0.99), reliable=True), ("pt", "fr"), "en") == (
        "the text was detected as 'es' (reliably) and no installed language is plausible (installed: pt, fr; 'en' "
        "passes through); if the text is in one of them, pass source_language explicitly")
    assert refusal_detail(detected(("ru", 0.456)), (), "en") == (
        "the text was detected as 'ru' (with probability 0.46) and no installed language is plausible (installed: "
        "none; 'en' passes through); if the text is in one of them, pass source_language explicitly")


def test_the_target_in_another_script_than_the_text_is_not_usable() -> None:
    # a Cyrillic text langdetect calls English (the target) with Ukrainian, installed, behind it: Ukrainian
    chosen = choose_language(detected(("en", 0.6), ("uk", 0.4)), ("pt", "uk"), "en", letters=10, script="CYRILLIC")
    assert (chosen.code, chosen.confidence, chosen.method) == ("uk", 0.4, FALLBACK)


def test_a_target_in_the_text_s_own_script_passes_through() -> None:
    original = detected(("ru", 0.6), ("uk", 0.4))
    assert choose_language(original, ("uk",), "ru", letters=10, script="CYRILLIC") is original


def test_a_short_text_falls_back_to_a_weak_candidate_with_its_own_probability() -> None:
    chosen = choose_language(detected(("es", 0.6), ("pt", 0.3)), INSTALLED, TARGET, letters=10,
                             rule=FallbackRule(min_probability=0.5))
    assert (chosen.code, chosen.confidence, chosen.method) == ("pt", 0.3, FALLBACK)


def test_a_fallback_from_a_reliable_but_short_detection_is_not_reliable() -> None:
    chosen = choose_language(detected(("es", 0.95), ("pt", 0.05), reliable=True), INSTALLED, TARGET, letters=10)
    assert (chosen.code, chosen.reliable, chosen.method) == ("pt", False, FALLBACK)
