"""The translation engine over an Argos package's files: its CTranslate2 model and SentencePiece model.

argostranslate.translate is never imported: it pulls stanza/spacy/minisbd and downloads sentence
splitters. ponte splits sentences itself (segment.py) and calls CTranslate2 the way Argos does
(SentencePiece pieces in, pieces out), with differences that matter in production: all sentences of
a call go to the engine together, each sentence's output is bounded by its own input length, and
pieces are decoded with SentencePiece (Argos' replace("_", " ") loses underscores).

Determinism: a sentence's translation must not depend on the sentences that share its engine call.
Two things made it depend on them, and each is ruled out by how sub-batches are made:
- CTranslate2's max_decoding_length is one value per translate_batch call, and a sentence that never
  ends (a loop) is decided at that bound. So the bound is a function of the sentence alone (its length
  rounded up to a bucket), never of its companions.
- Padding. A sub-batch's sources are padded to its longest one, and with oneDNN's AVX2 GEMM kernels (the
  backend CTranslate2 uses on AMD CPUs without AVX-512) the masked padding still moves a sentence's
  attention sums: 7 of 42 looping sentences scored differently alone and batched, 1 of them with another
  text. Intel MKL, and oneDNN's AVX-512 kernels, gave identical results. The number of sentences in a
  sub-batch changed nothing on any backend (a sentence alone, or 2-8 copies of it together, or beside
  another of its length: identical). So a sub-batch only holds sources of one exact length: no padding,
  and a sentence's result is what it is alone, on every backend.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from service.core.packages import InstalledPackage
from service.core.translate.priority import built_at_priority
from service.core.translate.quality import QualityRules, assess
from service.core.translate.results import (
    REPAIRED,
    REPETITION,
    TRUNCATED,
    SentenceResult,
    check_alternatives,
    ordered_flags,
)
from service.core.translate.tokenizer import Tokenizer

log = logging.getLogger(__name__)

EOS = "</s>"
SPACE = "\u2581"  # SentencePiece's word-start mark
SCORE_DECIMALS = 4


@dataclass(frozen=True)
class DecodingOptions:
    """How CTranslate2 decodes; part of the cache key, so the same options give the same text."""

    beam_size: int = 4
    max_batch_size: int = 32
    length_ratio: float = 2.0
    length_extra: int = 10
    max_input_tokens: int = 200
    length_penalty: float = 0.2  # as argostranslate
    # input lengths are rounded up to 1/bound_buckets of their power of two before the decoding bound is
    # computed (kept as it was when sub-batches were made by bound: the same bounds, the same outputs)
    bound_buckets: int = 4
    # self-repair: a sentence flagged repetition/truncated is decoded once more with these guards
    repair: bool = True
    # measured on the bench workload and the held-out set (report of branch decode): repetition_penalty 1.5
    # with greedy search removed the most loops, raised chrF the most and cost the least of the candidates
    repair_no_repeat_ngram_size: int = 0
    repair_repetition_penalty: float = 1.5
    repair_beam_size: int = 1
    quality: QualityRules = field(default_factory=QualityRules)


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
            while cut > start + limit // 2 and not pieces[cut].startswith(SPACE):
                cut -= 1
            end = cut if cut > start + limit // 2 else end
        chunks.append(pieces[start:end])
        start = end
    return chunks


def bucket_length(tokens: int, buckets: int) -> int:
    """Round a length up to the next of `buckets` steps within its power of two (8 and below stay)."""
    if tokens <= 8 or buckets <= 0:
        return tokens
    step = max(1, (1 << (tokens - 1).bit_length()) // (2 * buckets))
    return -(-tokens // step) * step


@dataclass(frozen=True)
class _Hypothesis:
    pieces: list[str]
    score: float  # mean log-probability per generated token (EOS included when generated)
    truncated: bool


@dataclass(frozen=True)
class _Chunk:
    """What the engine translates: a sentence's pieces (or a part of a long one's), with its text and whether a
    piece is outside the vocabulary, worked out once for every hypothesis assessed against it."""

    sentence: int  # index of the sentence in the call
    pieces: list[str]
    source: str
    unknown: bool


# a hypothesis, its quality flags and its text
_Assessed = tuple[_Hypothesis, tuple[str, ...], str]


class ArgosTranslator:
    """One loaded Argos package: CTranslate2 translator + SentencePiece processor."""

    def __init__(self, package: InstalledPackage, options: DecodingOptions, *, intra_threads: int = 1,
                 inter_threads: int = 1, compute_type: str = "default", tokenizer: Tokenizer | None = None,
                 nice: int = 0) -> None:
        import ctranslate2

        self.package = package
        self.name = package.name
        self.version = package.version
        self.options = options
        self.tokenizer = tokenizer if tokenizer is not None else Tokenizer(package.sentencepiece_model)
        # its replicas' threads start at `nice` (priority.py): request threads get the cores first
        self._translator = built_at_priority(nice, lambda: ctranslate2.Translator(
            str(package.model_dir), device="cpu", compute_type=compute_type,
            inter_threads=inter_threads, intra_threads=intra_threads,
        ))
        self._replicas = max(1, inter_threads)
        self._target_prefix = [package.target_prefix] if package.target_prefix else None
        self.engine_calls = 0
        self.repaired_sentences = 0

    def bound(self, input_tokens: int) -> int:
        """The most tokens a sentence of this length may produce; depends on nothing else."""
        length = bucket_length(input_tokens, self.options.bound_buckets)
        return math.ceil(length * self.options.length_ratio) + self.options.length_extra

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate all sentences in one engine call, restoring order."""
        return [r.text for r in self.translate_scored(sentences)]

    def translate_scored(self, sentences: Sequence[str], alternatives: int = 0) -> list[SentenceResult]:
        """Translate with scores, flags, self-repair of loops and up to `alternatives` other hypotheses."""
        check_alternatives(alternatives)
        if not sentences:
            return []
        tokenizer = self.tokenizer
        work: list[_Chunk] = []  # every non-empty chunk of every sentence
        for index, pieces in enumerate(tokenizer.pieces(sentences)):
            for part in chunk_pieces(list(pieces), self.options.max_input_tokens):
                if part:
                    work.append(_Chunk(index, part, tokenizer.decode(part), tokenizer.has_unknown(part)))
        beams = self._decode([chunk.pieces for chunk in work], num_hypotheses=alternatives + 1)
        self.engine_calls += 1
        best = [self._assessed(chunk, beam[0]) for chunk, beam in zip(work, beams, strict=True)]
        if self.options.repair:
            self._repair(work, best)
        per_sentence: list[list[int]] = [[] for _ in sentences]
        for position, item in enumerate(work):
            per_sentence[item.sentence].append(position)
        return [self._sentence(positions, best, beams) for positions in per_sentence]

    def _decode(self, chunks: list[list[str]], num_hypotheses: int = 1, beam_size: int | None = None,
                guard: dict[str, Any] | None = None) -> list[list[_Hypothesis]]:
        """Beam-search every chunk; sub-batches of one source length each (no padding: see the module's doc),
        posted together to the replicas."""
        if not chunks:
            return []
        order = sorted(range(len(chunks)), key=lambda i: len(chunks[i]), reverse=True)
        size = min(self.options.max_batch_size, math.ceil(len(chunks) / self._replicas))
        groups: list[list[int]] = []
        for i in order:
            if groups and len(groups[-1]) < size and len(chunks[groups[-1][0]]) == len(chunks[i]):
                groups[-1].append(i)
            else:
                groups.append([i])
        beam = max(beam_size or self.options.beam_size, num_hypotheses)
        pending = [
            self._translator.translate_batch(
                [chunks[i] for i in group],
                target_prefix=[self._target_prefix] * len(group) if self._target_prefix else None,
                max_batch_size=size, batch_type="examples", beam_size=beam, num_hypotheses=num_hypotheses,
                length_penalty=self.options.length_penalty,
                max_decoding_length=self.bound(len(chunks[group[0]])),
                replace_unknowns=True, return_scores=True, return_end_token=True, asynchronous=True, **(guard or {}),
            )
            for group in groups
        ]
        decoded: list[list[_Hypothesis]] = [[] for _ in chunks]
        for group, results in zip(groups, pending, strict=True):
            for i, item in zip(group, results, strict=True):
                result = item.result()
                decoded[i] = [self._hypothesis(tokens, score)
                              for tokens, score in zip(result.hypotheses, result.scores, strict=True)]
        return decoded

    def _hypothesis(self, tokens: list[str], score: float) -> _Hypothesis:
        ended = bool(tokens) and tokens[-1] == EOS
        generated = len(tokens)
        # CTranslate2 divides the summed log-probability by length**length_penalty; undo it for a per-token mean
        mean = score * generated ** self.options.length_penalty / generated if generated else score
        pieces = tokens[:-1] if ended else list(tokens)
        if self._target_prefix and pieces[:1] == self._target_prefix:
            pieces = pieces[1:]
        return _Hypothesis(pieces, mean, truncated=not ended)

    def _assessed(self, chunk: _Chunk, hypothesis: _Hypothesis) -> _Assessed:
        text = self.tokenizer.decode(hypothesis.pieces)
        flags = assess(chunk.source, text, hypothesis.pieces, truncated=hypothesis.truncated,
                       source_unknown=chunk.unknown, rules=self.options.quality)
        return hypothesis, flags, text

    def _repair(self, work: list[_Chunk], best: list[_Assessed]) -> None:
        """Decode every looping or truncated chunk once more with a guard, together; keep the better one."""
        broken = [i for i, (_, flags, _) in enumerate(best) if REPETITION in flags or TRUNCATED in flags]
        if not broken:
            return
        guard = {"no_repeat_ngram_size": self.options.repair_no_repeat_ngram_size,
                 "repetition_penalty": self.options.repair_repetition_penalty}
        retried = self._decode([work[i].pieces for i in broken], beam_size=self.options.repair_beam_size,
                               guard=guard)
        # The guards change the scores CTranslate2 reports: score the new outputs without them, one
        # sentence per batch, since padding next to other sentences moves the sums in the 7th digit.
        # asynchronous: the one-sentence batches are spread over the replicas instead of queuing on one
        rescored = self._translator.score_batch([work[i].pieces for i in broken], [h[0].pieces for h in retried],
                                                max_batch_size=1, asynchronous=True)
        for i, hypotheses, scoring in zip(broken, retried, rescored, strict=True):
            log_probs = list(scoring.result().log_probs)
            if not hypotheses[0].truncated or not log_probs:
                mean = sum(log_probs) / max(1, len(log_probs))
            else:  # score_batch adds an EOS the truncated output never produced
                mean = sum(log_probs[:-1]) / max(1, len(log_probs) - 1)
            candidate = self._assessed(work[i], _Hypothesis(hypotheses[0].pieces, mean, hypotheses[0].truncated))
            if _rank(candidate) < _rank(best[i]):
                best[i] = (candidate[0], ordered_flags({*candidate[1], REPAIRED}), candidate[2])
                self.repaired_sentences += 1

    def _sentence(self, positions: list[int], best: list[_Assessed], beams: list[list[_Hypothesis]]) -> SentenceResult:
        if not positions:
            return SentenceResult("")
        texts = [best[p][2].strip() for p in positions]
        weights = [max(1, len(best[p][0].pieces)) for p in positions]
        score = sum(best[p][0].score * w for p, w in zip(positions, weights, strict=True)) / sum(weights)
        flags = ordered_flags({f for p in positions for f in best[p][1]})
        text = " ".join(t for t in texts if t)
        others: dict[str, float] = {}
        if len(positions) == 1:  # alternatives of a chunked sentence would mix chunks: none
            for hypothesis in beams[positions[0]][1:]:
                other = self.tokenizer.decode(hypothesis.pieces).strip()
                if other != text and other not in others:
                    others[other] = hypothesis.score
        ranked = tuple(sorted(((t, _rounded(v)) for t, v in others.items()), key=lambda pair: -pair[1]))
        return SentenceResult(text, _rounded(score), flags, ranked)


def _rounded(score: float) -> float:
    """A score as reported: float noise of batch padding (1e-6) must not show, nor make results unequal."""
    return round(score, SCORE_DECIMALS)


def _rank(candidate: _Assessed) -> tuple[int, int, float]:
    """Lower is better: loops and truncation first, then any flag, then the model's score."""
    hypothesis, flags, _ = candidate
    severe = sum(1 for f in flags if f in (REPETITION, TRUNCATED))
    return severe, len(flags), -hypothesis.score
