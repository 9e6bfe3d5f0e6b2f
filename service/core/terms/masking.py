"""Protect a sentence before the engine and restore it after, never losing or duplicating a term.

`protect` replaces every protected span and glossary match by a placeholder the engine copies;
`restore` puts the verbatim text (or the glossary target) back when every placeholder came back
exactly once. When one is lost, repeated or garbled, the sentence takes the fallback: the pieces
between the terms are translated separately (`fallback_units`, a second batched engine call) and
`assemble` joins their translations around the verbatim terms. `translate_protected` runs both steps.

The placeholder shape was chosen by measurement (bench/placeholders.py): printf conversions such as
`%s` and `%1$d` are single pieces of the Argos vocabularies built from software catalogues, and the
models copy them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from service.core.terms.glossary import Glossary
from service.core.terms.spans import GLOSSARY, Span, find_spans, resolve

# The printf conversions the Argos pt->en vocabularies hold as single pieces, most reliably copied first.
PRINTF: Final = (
    "%s", "%d", "%1$s", "%2$s", "%3$s", "%1$d", "%2$d", "%u", "%i", "%f", "%c", "%x",
    "%ld", "%lu", "%zu", "%lld", "%llu",
)
_SENTENCE_END = ".!?…:;"
# Control characters (U+0000-U+001F, U+007F-U+009F) reach the engine as spaces: the source keeps them, but a NUL
# made the engine stop there (`Texto\0com nulo no governo` -> `Text`) and others join or cut words.
_CONTROLS = {code: " " for code in (*range(0x20), *range(0x7F, 0xA0))}


@dataclass(frozen=True)
class Slot:
    """A protected span or glossary match of the source and what the output writes in its place."""

    start: int
    end: int
    kind: str  # a spans kind (url, email, ... extra) or "glossary"
    text: str  # as written in the source
    replacement: str  # the verbatim text, or the glossary target
    entry: int | None  # the glossary entry's index, for glossary matches
    placeholder: str  # what the engine sees ("" when the sentence goes straight to the fallback)


@dataclass(frozen=True)
class Masked:
    """A sentence ready for the engine: `text` is sent, `slots` say what to put back."""

    source: str
    text: str
    slots: tuple[Slot, ...]
    unused: tuple[str, ...] = ()  # placeholder shapes absent from the source: one in the output is a stray

    @property
    def direct(self) -> bool:
        """Whether the sentence skips the placeholder pass (not enough placeholder shapes left)."""
        return any(not slot.placeholder for slot in self.slots)


@dataclass(frozen=True)
class Restored:
    """The final text of a sentence and what was applied to it."""

    text: str
    slots: tuple[Slot, ...]  # every protected span and glossary match, each written exactly once
    fallback: bool  # True: the pieces between the terms were translated separately

    @property
    def glossary_entries(self) -> tuple[int, ...]:
        """Indexes of the glossary entries applied, once per occurrence."""
        return tuple(slot.entry for slot in self.slots if slot.entry is not None)


def protect(
    sentence: str,
    glossary: Glossary | None = None,
    extra: Sequence[tuple[int, int]] = (),
    *,
    placeholders: Sequence[str] = PRINTF,
) -> Masked:
    """Mask the protected spans (rules and `extra` ranges) and glossary matches of one sentence."""
    protected = find_spans(sentence, extra)
    matches = glossary.find(sentence) if glossary is not None else ()
    by_span = {(match.start, match.end): match for match in matches}
    # The caller's ranges come first; a glossary match wins a tie with a rule span on the same text.
    chosen = resolve(
        [span for span in protected if span.kind == "extra"],
        [*(Span(m.start, m.end, GLOSSARY, m.text) for m in matches), *(s for s in protected if s.kind != "extra")],
    )
    free = [token for token in placeholders if token not in sentence]
    direct = len(chosen) > len(free)
    slots: list[Slot] = []
    pieces: list[str] = []
    position = 0
    for number, span in enumerate(chosen):
        match = by_span.get((span.start, span.end)) if span.kind == GLOSSARY else None
        placeholder = "" if direct else free[number]
        replacement = match.replacement if match is not None else span.text
        entry = match.entry if match is not None else None
        slots.append(Slot(span.start, span.end, span.kind, span.text, replacement, entry, placeholder))
        pieces += [engine_text(sentence[position : span.start]), placeholder or span.text]
        position = span.end
    pieces.append(engine_text(sentence[position:]))
    return Masked(sentence, "".join(pieces), tuple(slots), tuple(free[len(slots) :]))


def engine_text(text: str) -> str:
    """The text as the engine gets it: every control character a space."""
    return text.translate(_CONTROLS)


def restore(masked: Masked, translated: str) -> Restored | None:
    """Put the terms back into the engine's output; None when a placeholder was lost or repeated."""
    if not masked.slots:
        return Restored(translated, (), False)
    if masked.direct:
        return None
    by_token = {slot.placeholder: slot for slot in masked.slots}
    # Unused shapes are searched too: a placeholder the engine made up is garbage in the output.
    tokens = sorted([*by_token, *masked.unused], key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(token) for token in tokens))
    found = [match.group() for match in pattern.finditer(translated)]
    if sorted(found) != sorted(by_token):
        return None
    text = pattern.sub(lambda match: by_token[match.group()].replacement, translated)
    return Restored(text, masked.slots, False)


def fallback_units(masked: Masked) -> list[str]:
    """The pieces between the terms that need translating (those with a letter), in order."""
    return [engine_text(piece).strip() for piece in _pieces(masked) if _has_letter(piece)]


def assemble(masked: Masked, translations: Sequence[str]) -> Restored:
    """Join the translations of `fallback_units(masked)` around the terms, keeping the spacing."""
    units = iter(translations)
    parts: list[str] = []
    for number, piece in enumerate(_pieces(masked)):
        if _has_letter(piece):
            lead = piece[: len(piece) - len(piece.lstrip())]
            trail = piece[len(piece.rstrip()) :]
            parts.append(lead + _fit(engine_text(piece).strip(), next(units).strip()) + trail)
        else:
            parts.append(piece)
        if number < len(masked.slots):
            parts.append(masked.slots[number].replacement)
    if next(units, None) is not None:
        raise ValueError("more translations than fallback units")
    # Nothing translated (a sentence of terms and punctuation): no fallback was needed.
    return Restored("".join(parts), masked.slots, bool(translations))


def translate_protected(masked: Sequence[Masked], translate: Callable[[Sequence[str]], list[str]]) -> list[Restored]:
    """Translate masked sentences with at most two engine calls: all sentences, then all fallback units."""
    needed = [index for index, item in enumerate(masked) if sent_whole(item)]
    first = translate([masked[index].text for index in needed]) if needed else []
    results: list[Restored | None] = [None] * len(masked)
    for index, translated in zip(needed, first, strict=True):
        results[index] = restore(masked[index], translated)
    retry = [index for index, result in enumerate(results) if result is None]
    units = [fallback_units(masked[index]) for index in retry]
    flat = [unit for group in units for unit in group]
    second = iter(translate(flat) if flat else [])
    for index, group in zip(retry, units, strict=True):
        results[index] = assemble(masked[index], [next(second) for _ in group])
    return [result for result in results if result is not None]


def sent_whole(masked: Masked) -> bool:
    """Whether translate_protected's first call has the masked sentence: one without terms, or one with text to
    translate around placeholders (not a sentence of terms and punctuation, nor one taking the fallback at once)."""
    return masked.slots == () or _needs_engine(masked)


def _needs_engine(masked: Masked) -> bool:
    # A sentence of terms and punctuation only, or one that must take the fallback, skips the first call.
    return not masked.direct and any(_has_letter(piece) for piece in _pieces(masked))


def _pieces(masked: Masked) -> list[str]:
    """The source text between the slots: one more piece than slots."""
    pieces: list[str] = []
    position = 0
    for slot in masked.slots:
        pieces.append(masked.source[position : slot.start])
        position = slot.end
    pieces.append(masked.source[position:])
    return pieces


def _has_letter(text: str) -> bool:
    return any(char.isalpha() for char in text)


def _fit(source: str, translation: str) -> str:
    """Undo what translating a fragment alone adds: a capital where the source continued, a final stop."""
    if source[:1].islower() and translation[:1].isupper() and translation[1:2].islower():
        translation = translation[0].lower() + translation[1:]
    if source[-1:] not in _SENTENCE_END:
        translation = translation.rstrip(_SENTENCE_END + " ")
    return translation
