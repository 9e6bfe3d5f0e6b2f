"""Sentence translation: the CTranslate2 engine, its quality signals, and the cache in front of it."""

from service.core.translate.cache import CachingTranslator, sentence_cache
from service.core.translate.engine import ArgosTranslator, DecodingOptions, bucket_length, chunk_pieces
from service.core.translate.quality import QualityRules, assess, looping_ngram
from service.core.translate.results import (
    FLAGS,
    MAX_ALTERNATIVES,
    ScoredTranslator,
    SentenceResult,
    SentenceTranslator,
    translate_scored,
)

__all__ = [
    "FLAGS",
    "MAX_ALTERNATIVES",
    "ArgosTranslator",
    "CachingTranslator",
    "DecodingOptions",
    "QualityRules",
    "ScoredTranslator",
    "SentenceResult",
    "SentenceTranslator",
    "assess",
    "bucket_length",
    "chunk_pieces",
    "looping_ngram",
    "sentence_cache",
    "translate_scored",
]
