"""A package's SentencePiece model, shared by the engine and the layers in front of it, with recent encodings kept.

One request's sentences are encoded by the work budget's slicing (its token counts) and then by the engine (its
pieces); the same texts, the same pieces. So one Tokenizer per package serves both, and keeps the pieces of recent
texts in an LRU bounded by pieces held: the engine's pass is a hit, and so is a sentence that comes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from service.core.lru import BoundedLru

# ~40-60 bytes a piece held (a short str in a tuple): 100,000 pieces ~5 MB
DEFAULT_CAPACITY = 100_000


class Tokenizer:
    """SentencePiece encode/decode for one package; encodings of recent texts are kept."""

    def __init__(self, model: Path, capacity: int = DEFAULT_CAPACITY) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(model))
        self._unknown = self._sp.unk_id()
        self._recent: BoundedLru[str, tuple[str, ...]] = BoundedLru(capacity)

    def pieces(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """Each text's pieces, in order; texts not seen recently are encoded together in one call."""
        found: dict[str, tuple[str, ...]] = {}
        missing: list[str] = []
        for text in dict.fromkeys(texts):
            cached = self._recent.get(text)
            if cached is None:
                missing.append(text)
            else:
                found[text] = cached
        if missing:
            for text, encoded in zip(missing, self._sp.encode(missing, out_type=str), strict=True):
                pieces = tuple(encoded)
                found[text] = pieces
                self._recent.put(text, pieces, cost=max(1, len(pieces)))
        return [found[text] for text in texts]

    def count(self, texts: Sequence[str]) -> list[int]:
        """Each text's number of pieces: what it costs the engine."""
        return [len(pieces) for pieces in self.pieces(texts)] if texts else []

    def decode(self, pieces: Sequence[str]) -> str:
        """The text of these pieces (SentencePiece's own decoding: underscores survive)."""
        return str(self._sp.decode(list(pieces)))

    def has_unknown(self, pieces: Sequence[str]) -> bool:
        """Whether a piece is outside the vocabulary (SentencePiece maps it to the unknown id)."""
        return self._unknown in self._sp.piece_to_id(list(pieces))

    @property
    def hits(self) -> int:
        """Texts found among the recent encodings."""
        return self._recent.hits
