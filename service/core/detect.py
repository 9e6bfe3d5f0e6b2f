"""Language detection with langdetect (its profiles and algorithm, stored sparsely), seeded, honest
about low confidence."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from langdetect.lang_detect_exception import LangDetectException

from service.core.langprofiles import SparseProfiles, shared_profiles

UNDETERMINED = "und"

# langdetect reports Chinese as zh-cn / zh-tw; the API speaks plain ISO codes.
_CODE_ALIASES = {"zh-cn": "zh", "zh-tw": "zh"}


@dataclass(frozen=True)
class Candidate:
    """A language and the probability langdetect gives it."""

    code: str
    probability: float


@dataclass(frozen=True)
class Detection:
    """The detected (or given) language of a text."""

    code: str
    confidence: float
    reliable: bool
    candidates: tuple[Candidate, ...]
    method: str  # "detected" or "given"


def letter_count(text: str) -> int:
    """How many letters the text has: the evidence a detector can use."""
    return sum(1 for ch in text if ch.isalpha())


class LanguageDetector:
    """langdetect with a private, seeded factory: the same text always gives the same answer."""

    def __init__(self, *, min_letters: int = 25, min_confidence: float = 0.90, seed: int = 0,
                 max_text_length: int = 10_000, languages: Iterable[str] | None = None) -> None:
        self._min_letters = min_letters
        self._min_confidence = min_confidence
        self._max_text_length = max_text_length
        self._languages = frozenset(languages) if languages else None
        self._seed = seed
        self._lock = threading.Lock()
        self._profiles: SparseProfiles | None = None

    def load(self) -> SparseProfiles:
        """Load langdetect's 55 language profiles (~0.5 s); done once, before the first request."""
        with self._lock:
            if self._profiles is None:
                self._profiles = shared_profiles(self._seed)
            return self._profiles

    def given(self, code: str) -> Detection:
        """The detection to report when the caller forces the language."""
        return Detection(code=code, confidence=1.0, reliable=False, candidates=(), method="given")

    def detect(self, text: str) -> Detection:
        """Detect the language; `und` with confidence 0 when the text has nothing to go on."""
        detector = self.load().create()
        detector.set_max_text_length(self._max_text_length)
        if self._languages:
            detector.set_prior_map({code: 1.0 for code in self._languages})
        detector.append(text)
        try:
            ranked = detector.get_probabilities()
        except LangDetectException:
            ranked = []
        candidates = tuple(
            Candidate(_CODE_ALIASES.get(lang.lang, lang.lang), round(float(lang.prob), 4))
            for lang in ranked[:3]
        )
        if not candidates:
            return Detection(UNDETERMINED, 0.0, False, (), "detected")
        best = candidates[0]
        reliable = letter_count(text) >= self._min_letters and best.probability >= self._min_confidence
        return Detection(best.code, best.probability, reliable, candidates, "detected")
