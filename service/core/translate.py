"""The translation engine over an Argos package's files: its CTranslate2 model and SentencePiece model.

argostranslate.translate is never imported: it pulls stanza/spacy/minisbd and downloads sentence
splitters. ponte splits sentences itself (segment.py) and calls CTranslate2 the way Argos does
(SentencePiece pieces in, pieces out), with three differences that matter in production:
all sentences of a call go to the engine together (sub-batches of similar length posted at once),
max_decoding_length is bounded by each sub-batch's input length, and pieces are decoded with
SentencePiece (Argos' replace("_", " ") loses underscores).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from service.core.lru import BoundedLru, str_bytes
from service.core.packages import InstalledPackage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DecodingOptions:
    """How CTranslate2 decodes; part of the cache key, so the same options give the same text."""

    beam_size: int = 4
    max_batch_size: int = 32
    length_ratio: float = 2.0
    length_extra: int = 10
    max_input_tokens: int = 200
    length_penalty: float = 0.2  # as argostranslate


class SentenceTranslator(Protocol):
    """Translates sentences one-to-one; what the pipeline needs from an engine."""

    name: str
    version: str

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate each sentence; same length and order as the input."""
        ...


def chunk_pieces(pieces: list[str], limit: int) -> list[list[str]]:
    """Cut an over-long piece sequence into chunks of at most `limit`, preferring word starts."""
    if len(pieces) <= limit:
        return [pieces]
    chunks: list[list[str]] = []
    start = 0
    while start < len(pieces):
        end = min(start + limit, len(pieces))
        if end < len(pieces):
            # back off to the start of a word (a piece beginning with the SentencePiece space mark)
            cut = end
            while cut > start + limit // 2 and not pieces[cut].startswith("\u2581"):
                cut -= 1
            end = cut if cut > start + limit // 2 else end
        chunks.append(pieces[start:end])
        start = end
    return chunks


class ArgosTranslator:
    """One loaded Argos package: CTranslate2 translator + SentencePiece processor."""

    def __init__(self, package: InstalledPackage, options: DecodingOptions, *, intra_threads: int = 1,
                 inter_threads: int = 1, compute_type: str = "default") -> None:
        import ctranslate2
        import sentencepiece

        self.package = package
        self.name = package.name
        self.version = package.version
        self.options = options
        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(package.sentencepiece_model))
        self._translator = ctranslate2.Translator(
            str(package.model_dir), device="cpu", compute_type=compute_type,
            inter_threads=inter_threads, intra_threads=intra_threads,
        )
        self._replicas = max(1, inter_threads)
        self._target_prefix = [package.target_prefix] if package.target_prefix else None
        self.engine_calls = 0

    def _bound(self, input_tokens: int) -> int:
        """The most tokens a sentence of this length may produce."""
        return math.ceil(input_tokens * self.options.length_ratio) + self.options.length_extra

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate all sentences in one engine call, longest first, restoring order."""
        if not sentences:
            return []
        encoded = self._sp.encode(list(sentences), out_type=str)
        # (sentence index, chunk) for every non-empty chunk
        work: list[tuple[int, list[str]]] = []
        for index, pieces in enumerate(encoded):
            for chunk in chunk_pieces(list(pieces), self.options.max_input_tokens):
                if chunk:
                    work.append((index, chunk))
        outputs: list[list[str]] = [[] for _ in sentences]
        if work:
            order = sorted(range(len(work)), key=lambda i: len(work[i][1]), reverse=True)
            batch = [work[i][1] for i in order]
            # Sub-batches of similar length (the batch is sorted), each bounded by its own longest
            # sentence, posted together: CTranslate2 runs them on the replicas in parallel.
            size = min(self.options.max_batch_size, math.ceil(len(batch) / self._replicas))
            pending = [
                self._translator.translate_batch(
                    sub,
                    target_prefix=[self._target_prefix] * len(sub) if self._target_prefix else None,
                    max_batch_size=size,
                    batch_type="examples",
                    beam_size=self.options.beam_size,
                    length_penalty=self.options.length_penalty,
                    max_decoding_length=self._bound(len(sub[0])),
                    replace_unknowns=True,
                    return_scores=False,
                    asynchronous=True,
                )
                for sub in (batch[start:start + size] for start in range(0, len(batch), size))
            ]
            results = [item.result() for sub_results in pending for item in sub_results]
            self.engine_calls += 1
            decoded: list[str] = [""] * len(batch)
            for position, result in zip(order, results, strict=True):
                tokens = result.hypotheses[0]
                if self._target_prefix and tokens[:1] == self._target_prefix:
                    tokens = tokens[1:]
                # Each sentence is held to its own bound, not the batch's longest: the output of a
                # sentence does not depend on which other sentences shared its engine call.
                decoded[position] = self._sp.decode(tokens[: self._bound(len(work[position][1]))])
            for (index, _), text in zip(work, decoded, strict=True):
                outputs[index].append(text.strip())
        return [" ".join(part for part in parts if part) for parts in outputs]


class CachingTranslator:
    """A bounded LRU of sentence translations in front of an engine; a repeated sentence costs nothing."""

    def __init__(self, inner: SentenceTranslator, size: int, *, max_bytes: int | None = None,
                 max_entry_chars: int | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.version = inner.version
        # Bounded by entries and, when given, by the bytes held; sentences longer than max_entry_chars
        # are not kept (hostile unique long sentences would fill it with entries of no reuse).
        self._bytes = max_bytes
        self._max_entry_chars = max_entry_chars
        self._cache: BoundedLru[str, str] = (BoundedLru(size) if max_bytes is None
                                             else BoundedLru(max_bytes, max_entries=size))

    @property
    def hits(self) -> int:
        """Distinct sentences of the calls so far that the cache answered."""
        return self._cache.hits

    @property
    def misses(self) -> int:
        """Distinct sentences of the calls so far that went to the engine."""
        return self._cache.misses

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Serve known sentences from the cache, translate the others once each (duplicates too)."""
        found: dict[str, str] = {}
        missing: list[str] = []
        for sentence in dict.fromkeys(sentences):
            cached = self._cache.get(sentence)
            if cached is None:
                missing.append(sentence)
            else:
                found[sentence] = cached
        if missing:
            for sentence, target in zip(missing, self.inner.translate(missing), strict=True):
                found[sentence] = target
                if self._max_entry_chars is None or len(sentence) <= self._max_entry_chars:
                    self._cache.put(sentence, target, str_bytes(sentence, target) if self._bytes is not None else 1)
        return [found[s] for s in sentences]
