"""Text written in capitals (a headline, a shouted caption), read as a reader reads it.

Neither langdetect nor a translation model has seen much text in capitals: langdetect's profiles hold
n-grams as written in Wikipedia, so `A NVIDIA LANÇOU UM NOVO CHIP` looked like English (confidence 1.0), and
a SentencePiece vocabulary cuts capitals into single letters. A reader sees `A Nvidia lançou um novo chip`.
So detection sees such text lower-cased, and the engine gets it sentence-cased and gives its output back in
capitals (the choice measured by tools/eval_capitals.py, bench/CAPITALS.md).

`shouting` decides: at least `MIN_CASED` cased letters, at least two words in capitals, at most one lower-case
letter in ten, and no three lower-case words in a row. A line with a few acronyms (`ANPD multa a Meta`) is not
shouting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

MIN_CASED: Final = 8
MAX_LOWER_SHARE: Final = 0.1
_CAPS_WORD = re.compile(r"\b[^\W\d_]{2,}\b")
# Three lower-case words in a row: such text is not shouting (nine lower-case letters or more among its words).
_LOWER_RUN = re.compile(r"[a-zß-öø-ÿ]{3,}[\s,;:]+[a-zß-öø-ÿ]{3,}[\s,;:]+[a-zß-öø-ÿ]{3,}")
_SENTENCE_START = re.compile(r"(^|[.!?…]\s+|\n)([^\w%]*)([^\W\d_])")
# printf conversions, the placeholders of terms.masking: never re-cased (`%s` is not `%S`)
_PLACEHOLDER = re.compile(r"%(?:\d+\$)?l{0,2}[sduifcxz]u?")


def shouting(text: str) -> bool:
    """Whether the text is written in capitals (a reader would not read it as written)."""
    if _LOWER_RUN.search(text):  # the common case, found in the first few words of ordinary text
        return False
    if "%" in text:
        text = _PLACEHOLDER.sub(" ", text)
    lower = sum(map(str.islower, text))  # map over a builtin: ~10x a Python loop over the characters
    if lower * 10 > len(text):  # over a tenth of all characters, so over a tenth of the cased ones
        return False
    cased = lower + sum(map(str.isupper, text))
    return cased >= MIN_CASED and lower <= MAX_LOWER_SHARE * cased and _two_caps_words(text)


def _two_caps_words(text: str) -> bool:
    count = 0
    for match in _CAPS_WORD.finditer(text):
        if match.group().isupper():
            count += 1
            if count >= 2:
                return True
    return False


def for_reading(text: str) -> str:
    """The text as detection should see it: every shouting line lower-cased, other lines as written."""
    if text == text.lower():
        return text
    lines = text.split("\n")
    changed = [line.lower() if shouting(line) else line for line in lines]
    return "\n".join(changed)


def sentence_case(text: str) -> str:
    """Lower-case, then a capital at the start of each sentence: `A NVIDIA LANÇOU` -> `A nvidia lançou`."""
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2) + m.group(3).upper(), text.lower())


def in_capitals(text: str) -> str:
    """Upper-case, leaving the masking placeholders (`%s`, `%1$d`) as they are."""
    return _keep_placeholders(text, str.upper)


def _keep_placeholders(text: str, change: Callable[[str], str]) -> str:
    parts: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        parts += [change(text[position:match.start()]), match.group()]
        position = match.end()
    parts.append(change(text[position:]))
    return "".join(parts)
