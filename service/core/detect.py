"""Language detection with langdetect (its profiles and algorithm, stored sparsely), seeded, honest
about low confidence."""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from langdetect.lang_detect_exception import LangDetectException

from service.core.casing import for_reading
from service.core.langprofiles import SparseProfiles, shared_profiles
from service.core.languages import primary

UNDETERMINED = "und"

# langdetect reports Chinese as zh-cn / zh-tw; the API speaks plain ISO codes.
_CODE_ALIASES = {"zh-cn": "zh", "zh-tw": "zh"}
_LANGDETECT_CODES = {"zh": ("zh-cn", "zh-tw")}


def check_languages(codes: Iterable[str]) -> None:
    """Raise ValueError naming the codes langdetect has no profile for (Galician, say)."""
    from langdetect.detector_factory import PROFILES_DIRECTORY  # the profiles' file names are their codes

    known = {_CODE_ALIASES.get(name, name) for name in os.listdir(PROFILES_DIRECTORY)}
    unknown = sorted(set(codes) - known)
    if unknown:
        raise ValueError(f"langdetect has no profile for {', '.join(unknown)}")

FALLBACK = "fallback"

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
    method: str  # "detected", "given", or "fallback" (see choose_language)
    tag: str | None = None  # the BCP 47 tag the caller gave, when it says more than `code` (pt-BR)
    # the language the text's spelling points to, when langdetect chose a neighbour of it (pt for `pela`, said es)
    spelling: str | None = None


def letter_count(text: str) -> int:
    """How many letters the text has: the evidence a detector can use."""
    return sum(1 for ch in text if ch.isalpha())


LATIN = "LATIN"
# The script of each of langdetect's languages that is not written in Latin letters (Unicode names' first word;
# Japanese and Chinese share CJK).
_SCRIPTS = {
    "ar": "ARABIC", "fa": "ARABIC", "ur": "ARABIC", "bg": "CYRILLIC", "mk": "CYRILLIC", "ru": "CYRILLIC",
    "uk": "CYRILLIC", "bn": "BENGALI", "el": "GREEK", "gu": "GUJARATI", "he": "HEBREW", "hi": "DEVANAGARI",
    "mr": "DEVANAGARI", "ne": "DEVANAGARI", "ja": "CJK", "zh": "CJK", "kn": "KANNADA", "ko": "HANGUL",
    "ml": "MALAYALAM", "pa": "GURMUKHI", "ta": "TAMIL", "te": "TELUGU", "th": "THAI",
}
_SCRIPT_ALIASES = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HALFWIDTH": "CJK"}


def language_script(code: str) -> str:
    """The script a language is written in (LATIN for every language without an entry)."""
    return _SCRIPTS.get(code, LATIN)


def script_of(text: str, sample: int = 200) -> str | None:
    """The script most of the text's letters (the first `sample` of them) are written in; None without letters."""
    counts: dict[str, int] = {}
    seen = 0
    for char in text:
        if not char.isalpha():
            continue
        if char < "\u0250":  # Basic Latin to Latin Extended-B, with ª and º
            script = LATIN
        else:
            first = unicodedata.name(char, "").split(" ", 1)[0]
            script = _SCRIPT_ALIASES.get(first, first)
        counts[script] = counts.get(script, 0) + 1
        seen += 1
        if seen >= sample:
            break
    return max(counts, key=lambda name: counts[name]) if counts else None


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# langdetect has no Galician profile: Galician comes back as pt or es, often with probability 1.0. Words and
# spellings that Galician writes and the other language does not, against those only the other language writes:
# text with more of the first is never called reliable pt or es (measured in tools/measure_galician.py).
_WORD = re.compile(r"[^\W\d_]+")
_NOT_PORTUGUESE = _word_set(
    "non unha unhas algunha algunhas ningunha ningunhas coa coas polo pola polos polas tamén máis xa aínda cando "
    "dende moi lle lles facer hai despois sen á ás vostede nin súa súas xunta en con un algúns ningún onte mañá "
    "goberno gobernos persoa persoas datos grazas traballo traballos xoves venres cidadáns")
_NOT_PORTUGUESE_ENDINGS = ("ción", "sión", "ábel", "íbel", "ábeis", "íbeis", "xencia", "xencias", "xente", "xentes",
                           "xión", "xións", "xía", "xías", "xeral", "xerais")
_ONLY_PORTUGUESE = _word_set(
    "não uma umas com pelo pela pelos pelas também já ainda quando até muito muitos lhe lhes há depois sem à às "
    "você isso em um")
_NOT_SPANISH = _word_set(
    "non unha unhas algunha algunhas ningunha ningunhas coa coas polo pola polos polas tamén máis xa aínda cando "
    "dende moi lle lles hai despois sen á ás é ao aos do dos da das os as o súa xunta")
_ONLY_SPANISH = _word_set(
    "el los las del al y una unas muy más hay sin usted esto hasta cuando también pero es la lo su sus le les fue "
    "son están")


def galician_spelling(text: str, language: str) -> bool:
    """Whether the text, detected as `language` (pt or es), has more words spelt as Galician writes them and that
    language does not (non, unha, coa, xa; -ción against Portuguese) than words only that language writes."""
    galician = other = 0
    for word in _WORD.findall(text.lower()):
        if language == "pt":
            if word in _NOT_PORTUGUESE or word.endswith(_NOT_PORTUGUESE_ENDINGS) or "ñ" in word or "bx" in word:
                galician += 1
            elif (word in _ONLY_PORTUGUESE or "ã" in word or "õ" in word or "ç" in word or "lh" in word
                  or ("nh" in word and "unha" not in word)):
                other += 1
        elif word in _NOT_SPANISH or (word.startswith("x") and len(word) > 2) or "bx" in word:
            galician += 1
        elif word in _ONLY_SPANISH:
            other += 1
    return galician > other


# langdetect, on a short text, takes Portuguese for one of its neighbours (a 46-letter headline with `pela` for
# Spanish, with probability 1.0) as a reader would not: Portuguese writes words and letters that Spanish, Catalan
# and Italian never write, and each of them writes its own. Words only Portuguese writes, less those a neighbour
# writes too (measured in tools/measure_portuguese_spelling.py on catalogs, handbooks and news of each language).
_PORTUGUESE_ONLY = _word_set(
    "não uma umas pela pelo pelas pelos também já ainda muito muitos muita muitas você vocês isso isto há até após "
    "ao aos às as os nas das do na da um em com são estão foram foi novo nova seu sua seus suas mais mas")
_NEIGHBOUR_WORDS = {
    # the neighbour's own common words, and those of _PORTUGUESE_ONLY that the neighbour writes too
    "es": (_word_set("el los las del al y una unas muy más hay sin usted esto hasta cuando también pero es la lo su "
                     "sus le les fue son están"),
           _word_set("da mas os")),
    "ca": (_word_set("el els les amb per és del dels una unes aquest aquesta també més però pel pels"),
           _word_set("na em com nova seu sua seus suas mas os")),
    "it": (_word_set("il gli della delle degli dello che per non è sono nel nella alla alle dei anche questo "
                     "questa una più"),
           _word_set("da do")),
}
_NEIGHBOUR_ENDINGS = {"es": ("ción", "ciones"), "ca": ("ció", "cions"), "it": ("zione", "zioni")}
_NEIGHBOUR_LETTERS = {"es": "ñ", "ca": "ŀ", "it": ""}


def portuguese_spelling(text: str, language: str) -> bool:
    """Whether a text detected as `language` (es, ca or it: langdetect's neighbours of Portuguese) has more words
    spelt as only Portuguese writes them (não, pela, também; ã, õ, ç, lh, nh) than words only that language writes
    (los, amb, della; ñ, -ción, -zione). False for any other language."""
    if language not in _NEIGHBOUR_WORDS:
        return False
    own, shared = _NEIGHBOUR_WORDS[language]
    endings, letters = _NEIGHBOUR_ENDINGS[language], _NEIGHBOUR_LETTERS[language]
    portuguese = other = 0
    for word in _WORD.findall(text.lower()):
        if word in own or word.endswith(endings) or (letters and any(ch in word for ch in letters)):
            other += 1
        elif ((word in _PORTUGUESE_ONLY and word not in shared) or "ã" in word or "õ" in word
              or "lh" in word[1:] or "nh" in word[1:] or ("ç" in word and language != "ca")
              or "ê" in word or "ô" in word):
            portuguese += 1
    return portuguese > other


class LanguageDetector:
    """langdetect with a private, seeded factory: the same text always gives the same answer."""

    def __init__(self, *, min_letters: int = 25, min_confidence: float = 0.90, seed: int = 0,
                 max_text_length: int = 10_000, languages: Iterable[str] | None = None) -> None:
        self._min_letters = min_letters
        self._min_confidence = min_confidence
        self._max_text_length = max_text_length
        check_languages(languages or ())
        self._languages = (frozenset(code for lang in languages for code in _LANGDETECT_CODES.get(lang, (lang,)))
                           if languages else None)
        self._seed = seed
        self._lock = threading.Lock()
        self._profiles: SparseProfiles | None = None

    def load(self) -> SparseProfiles:
        """Load langdetect's 55 language profiles (~0.5 s); done once, before the first request."""
        with self._lock:
            if self._profiles is None:
                self._profiles = shared_profiles(self._seed)
            return self._profiles

    def given(self, tag: str) -> Detection:
        """The detection to report when the caller forces the language: a code (pt) or a standard tag (pt-BR)."""
        code = primary(tag)
        return Detection(code=code, confidence=1.0, reliable=False, candidates=(), method="given",
                         tag=tag if tag != code else None)

    def detect(self, text: str) -> Detection:
        """Detect the language; `und` with confidence 0 when the text has nothing to go on."""
        detector = self.load().create()
        detector.set_max_text_length(self._max_text_length)
        if self._languages:
            # A zero prior keeps a language at zero through every update: the probabilities come out
            # renormalised over the allowed languages.
            detector.set_prior_map({code: 1.0 for code in self._languages})
        # text in capitals is read as a reader reads it: langdetect took `A NVIDIA LANÇOU...` for English
        detector.append(for_reading(text))
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
        # judged on what langdetect read: the first max_text_length characters
        read = text[:self._max_text_length]
        if reliable and best.code in ("pt", "es") and galician_spelling(read, best.code):
            reliable = False
        spelling = "pt" if portuguese_spelling(read, best.code) else None
        return Detection(best.code, best.probability, reliable and spelling is None, candidates, "detected",
                         spelling=spelling)


@dataclass(frozen=True)
class FallbackRule:
    """When an unreliable detection may be replaced by a language the deployment can handle.

    An installed language (or the target) is plausible when it is among the `top` candidates with at least
    `min_probability`, or when the text has fewer than `min_letters` letters (too short to judge: under it
    even a confident langdetect answer was measured wrong too often). Defaults measured on
    tests/data/headlines (tools/measure_detect_fallback.py).
    """

    min_probability: float = 0.1
    top: int = 3
    min_letters: int = 45


def choose_language(detection: Detection, installed: Sequence[str], target: str, *, letters: int,
                    rule: FallbackRule = FallbackRule(), script: str | None = None) -> Detection:
    """The detection to translate with: the original, or a plausible usable language marked `fallback`.

    `installed` are the source languages with a model into `target`; `letters` is letter_count(text), `script`
    script_of(text): a language written in another script is never chosen (a short Chinese sentence is not
    Portuguese, however unsure langdetect is). A language the text is spelt in (Detection.spelling: `pela` in a
    headline langdetect took for Spanish) is chosen first. A detection that is given, undetermined, already
    usable, or reliable and long enough is returned as it is.
    """
    written = [code for code in installed if script is None or language_script(code) == script]
    usable = (*written, target) if script is None or language_script(target) == script else tuple(written)
    if detection.method != "detected" or detection.code == UNDETERMINED or detection.code in usable:
        return detection
    short = letters < rule.min_letters
    if detection.reliable and not short:
        return detection
    ranked = [c for c in detection.candidates[:rule.top] if c.code in usable]
    plausible = [c for c in ranked if c.probability >= rule.min_probability]
    if detection.spelling in written:
        # spelt as only that language writes it: what langdetect gives it, if anything
        best = next((c for c in detection.candidates if c.code == detection.spelling),
                    Candidate(detection.spelling, 0.0))
    elif plausible:
        best = plausible[0]
    elif short and written:
        # nothing to go on: the deployment's first language (a candidate of any weight wins if there is one)
        best = ranked[0] if ranked else Candidate(written[0], 0.0)
    else:
        return detection
    return replace(detection, code=best.code, confidence=best.probability, reliable=False, method=FALLBACK)


def refusal_detail(detection: Detection, installed: Sequence[str], target: str) -> str:
    """What a 422 unsupported-language says when choose_language found no plausible installed language."""
    languages = ", ".join(installed) or "none"
    how = "reliably" if detection.reliable else f"with probability {detection.confidence:.2f}"
    return (f"the text was detected as {detection.code!r} ({how}) and no installed language is plausible "
            f"(installed: {languages}; {target!r} passes through); if the text is in one of them, "
            f"pass source_language explicitly")
