"""Windows: every sentence cut into pieces the engine finishes in a bounded time, before any engine layer.

The engine's work on a sentence follows its length in the model's tokens: each output is bounded by
ceil(tokens x ratio) + extra (engine.py), and a degenerate sentence (thousands of emoji, one word repeated)
decodes all the way to that bound. So a sentence longer than `max_tokens` is cut into windows of at most
`max_tokens` tokens, between words (a word longer than a window between characters); the windows are
translated as sentences of their own and joined again. Cutting here, above the cache, batching and the engine,
makes a window the unit that the work budget counts, that slices are made of and between which the request's
deadline is checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from service.core.translate.results import SentenceResult, ordered_flags


@dataclass(frozen=True)
class Window:
    """A piece of sentence `owner`, of `tokens` model tokens."""

    owner: int
    text: str
    tokens: int


class Tokenizer(Protocol):
    """What windows need of a tokenizer (service.core.translate.tokenizer.Tokenizer)."""

    def count(self, texts: Sequence[str]) -> list[int]:
        """Tokens of each text."""
        ...


_WORD = re.compile(r"\S+")


def cut(text: str, tokens: int, max_tokens: int, tokenizer: Tokenizer) -> list[tuple[str, int]]:
    """`text` as windows of at most `max_tokens` tokens each, (window text, its tokens): whole words while they fit
    (SentencePiece encodes each word on its own, so a sentence's tokens are its words' tokens), a word longer than
    a window in pieces of characters."""
    if tokens <= max_tokens:
        return [(text, tokens)]
    spans = [match.span() for match in _WORD.finditer(text)]
    counts = tokenizer.count([text[a:b] for a, b in spans])
    pieces: list[str] = []
    first, used = 0, 0
    for index, ((start, end), count) in enumerate(zip(spans, counts, strict=True)):
        if used and used + count > max_tokens:
            pieces.append(text[spans[first][0]:spans[index - 1][1]])
            first, used = index, 0
        if count > max_tokens:  # one word longer than a window: cut it by characters
            pieces.extend(_split_word(text[start:end], count, max_tokens, tokenizer))
            first, used = index + 1, 0
            continue
        used += count
    if first < len(spans):
        pieces.append(text[spans[first][0]:spans[-1][1]])
    out: list[tuple[str, int]] = []
    for piece, count in zip(pieces, tokenizer.count(pieces), strict=True):
        if count > max_tokens and max_tokens > 1:  # never seen, but a window must never pass the limit
            out.extend(cut(piece, count, max(1, max_tokens * max_tokens // count - 1), tokenizer))
        else:
            out.append((piece, count))
    return out


def _split_word(word: str, count: int, max_tokens: int, tokenizer: Tokenizer) -> list[str]:
    """A word of `count` tokens as pieces of at most `max_tokens` tokens: runs of characters, shortened until
    they fit."""
    pieces: list[str] = []
    length = max(1, len(word) * max_tokens // count)
    start = 0
    while start < len(word):
        size = length
        while size > 1 and tokenizer.count([word[start:start + size]])[0] > max_tokens:
            size = max(1, size * 4 // 5)
        pieces.append(word[start:start + size])
        start += size
    return pieces


def windows(sentences: Sequence[str], max_tokens: int, tokenizer: Tokenizer) -> list[Window]:
    """Every sentence as one window, or as several when it is longer than `max_tokens` tokens."""
    out: list[Window] = []
    for owner, (sentence, count) in enumerate(zip(sentences, tokenizer.count(sentences), strict=True)):
        out.extend(Window(owner, text, tokens) for text, tokens in cut(sentence, count, max_tokens, tokenizer))
    return out


def join(count: int, parts: Sequence[Window], results: Sequence[SentenceResult],
         weight: Callable[[str], int]) -> list[SentenceResult]:
    """One result per sentence from its windows' results: texts joined by a space, the score the mean of the
    windows' scores weighted by `weight` of their outputs, every window's flags, no alternatives (they would
    mix windows)."""
    grouped: list[list[SentenceResult]] = [[] for _ in range(count)]
    for window, result in zip(parts, results, strict=True):
        grouped[window.owner].append(result)
    joined: list[SentenceResult] = []
    for group in grouped:
        if len(group) == 1:
            joined.append(group[0])
            continue
        if not group:
            joined.append(SentenceResult(""))
            continue
        text = " ".join(result.text for result in group if result.text)
        scored = [(result.score, max(1, weight(result.text))) for result in group if result.score is not None]
        total = sum(w for _, w in scored)
        score = round(sum(s * w for s, w in scored) / total, 4) if scored else None
        flags = ordered_flags({flag for result in group for flag in result.flags})
        joined.append(SentenceResult(text, score, flags))
    return joined
