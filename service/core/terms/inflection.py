"""Portuguese plural and gender forms of a glossary source, and the English plural of its target.

Rules of thumb, not a morphology engine: they generate the regular forms (modelo aberto -> modelos
abertos, modela aberta, modelas abertas; papel -> papéis; ação -> ações; fácil -> fáceis/fácis),
so a glossary written in the singular also matches the plural. Forms are matched accent-folded, so
"papeis" and "papéis" are one form. Over-generation is harmless: a form that is not Portuguese never
occurs in a text.
"""

from __future__ import annotations

import itertools
import re
from typing import NamedTuple


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that do not agree with the noun; inflecting them would only create noise ("de" -> "des").
_INVARIABLE = _words(
    "a o e é de da do das dos em no na nos nas por pelo pela pelos pelas para com sem sob sobre entre até "
    "que ou se ao aos à às um uma"
)
_PREPOSITIONS = _words(
    "de da do das dos em no na nos nas por pelo pela pelos pelas para com sem sob sobre entre"
)
_VOWELS = "aeiouáéíóúâêôãõ"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MAX_FORMS = 32


class Inflected(NamedTuple):
    """One written form of a source phrase and whether it is plural."""

    text: str
    plural: bool


def inflections(phrase: str) -> tuple[Inflected, ...]:
    """The phrase as written first, then its plural, feminine and feminine plural forms."""
    words = phrase.split()
    if any(char.isdigit() for char in phrase):
        return (Inflected(phrase, False),)  # a name with a number (Llama 3, GPT-4) does not inflect
    # Only the head noun phrase agrees: in "modelo de linguagem" the complement after "de" stays.
    head = next((i for i, word in enumerate(words) if word.lower() in _PREPOSITIONS), len(words))
    plural_options = [_plurals(word) if i < head else [word] for i, word in enumerate(words)]
    feminine = [_feminine(word) if i < head else word for i, word in enumerate(words)]
    forms: dict[str, bool] = {phrase: False}
    for combination in itertools.islice(itertools.product(*plural_options), _MAX_FORMS):
        forms.setdefault(" ".join(combination), True)
    if feminine != words:
        forms.setdefault(" ".join(feminine), False)
        female_plurals = [_plurals(word) if i < head else [word] for i, word in enumerate(feminine)]
        for combination in itertools.islice(itertools.product(*female_plurals), _MAX_FORMS):
            forms.setdefault(" ".join(combination), True)
    return tuple(Inflected(text, plural) for text, plural in forms.items())


def _inflectable(word: str) -> bool:
    # Acronyms, names with digits and function words keep their form.
    return bool(_WORD.fullmatch(word)) and word.lower() not in _INVARIABLE and not word.isupper()


def _plurals(word: str) -> list[str]:
    if not _inflectable(word):
        return [word]
    lower = word.lower()
    if lower.endswith("ão"):
        stem = word[:-2]
        return [stem + "ões", stem + "ães", stem + "ãos"]
    if lower[-1] in _VOWELS:
        return [word + "s"]
    if lower.endswith("m"):
        return [word[:-1] + "ns"]
    if lower.endswith("il"):
        return [word[:-2] + "is", word[:-2] + "eis"]
    if lower.endswith(("al", "el", "ol", "ul")):
        return [word[:-1] + "is"]
    if lower.endswith(("r", "z", "n")):
        return [word + "es"]
    if lower.endswith(("s", "x")):
        return [word, word + "es"]
    return [word + "s"]


def _feminine(word: str) -> str:
    if not _inflectable(word):
        return word
    lower = word.lower()
    if lower.endswith("o") and not lower.endswith("ão"):
        return word[:-1] + "a"
    if lower.endswith("or"):
        return word + "a"
    return word


def english_plural(phrase: str) -> str:
    """The phrase with its last word in the regular English plural (open model -> open models)."""
    head, _, last = phrase.rpartition(" ")
    if not last.isalpha() or last.isupper() or last.lower().endswith("s"):
        return phrase
    lower = last.lower()
    if lower.endswith(("x", "z", "ch", "sh")):
        last += "es"
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}" if head else last
