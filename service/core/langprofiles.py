"""langdetect's profiles and algorithm, stored sparsely: the same answers in a seventh of the memory.

langdetect keeps, for each of its 87,598 n-grams, a Python list of 55 floats (one per language) —
about 65 MB per process, most of it zeros: an n-gram occurs in 2.1 languages on average. Here the
profiles shipped with langdetect are read into a sparse table (n-gram -> row; CSR arrays of language
and probability, ~10 MB), and langdetect's own Detector does everything as before (text cleaning,
n-gram extraction, the seeded random sampling, the convergence test) except the per-n-gram update,
which multiplies a numpy vector instead of looping over 55 Python floats. Same seed, same sampling
order, same arithmetic per language: the results match langdetect's (checked in tests).
"""

from __future__ import annotations

import functools
import json
import os
from array import array
from typing import Any

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.language import Language


class SparseProfiles:
    """langdetect's language profiles as a sparse n-gram x language table."""

    def __init__(self, directory: str = PROFILES_DIRECTORY, seed: int = 0) -> None:
        self.seed = seed
        self.langlist: list[str] = []
        # langdetect's Detector only tests membership in this mapping and passes its keys around.
        self.word_lang_prob_map: dict[str, int] = {}
        rows, langs, probs = array("i"), array("h"), array("d")
        names = sorted(n for n in os.listdir(directory) if not n.startswith("."))
        for index, name in enumerate(names):
            with open(os.path.join(directory, name), encoding="utf-8") as handle:
                profile: dict[str, Any] = json.load(handle)
            self.langlist.append(profile["name"])
            n_words = profile["n_words"]
            for word, count in profile["freq"].items():
                row = self.word_lang_prob_map.setdefault(word, len(self.word_lang_prob_map))
                if 1 <= len(word) <= 3:
                    rows.append(row)
                    langs.append(index)
                    probs.append(1.0 * count / n_words[len(word) - 1])
        order = np.argsort(np.frombuffer(rows, dtype=np.int32), kind="stable")
        sorted_rows = np.frombuffer(rows, dtype=np.int32)[order]
        self.indptr = np.searchsorted(sorted_rows, np.arange(len(self.word_lang_prob_map) + 1)).astype(np.int64)
        self.langs = np.frombuffer(langs, dtype=np.int16)[order].astype(np.intp)
        self.probs = np.frombuffer(probs, dtype=np.float64)[order].copy()
        self.size = len(self.langlist)

    def create(self) -> SparseDetector:
        """A fresh detector over these profiles (one per text, as langdetect's factory does)."""
        return SparseDetector(self)


@functools.lru_cache(maxsize=4)
def shared_profiles(seed: int = 0) -> SparseProfiles:
    """The profiles, read once per process and seed: the table is never changed after it is built, so every
    detector of a process (several apps in one test process, say) shares one copy instead of ~1 s and ~10 MB each."""
    return SparseProfiles(seed=seed)


class SparseDetector(Detector):  # type: ignore[misc]
    """langdetect's Detector with a vectorised probability update over the sparse profiles."""

    def __init__(self, profiles: SparseProfiles) -> None:
        super().__init__(profiles)
        self._profiles = profiles

    def _detect_block(self) -> None:
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        profiles = self._profiles
        size = profiles.size
        langprob = np.zeros(size)
        self.random.seed(self.seed)
        for _ in range(self.n_trial):
            prob = np.array(self.prior_map, dtype=np.float64) if self.prior_map is not None \
                else np.full(size, 1.0 / size)
            alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            weight = alpha / self.BASE_FREQ
            factor = np.empty(size)
            i = 0
            while True:
                row = profiles.word_lang_prob_map[self.random.choice(ngrams)]
                start, end = profiles.indptr[row], profiles.indptr[row + 1]
                factor.fill(weight)
                factor[profiles.langs[start:end]] += profiles.probs[start:end]
                prob *= factor
                if i % 5 == 0:
                    prob /= prob.sum()
                    if prob.max() > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                        break
                i += 1
            langprob += prob / self.n_trial
        self.langprob = langprob.tolist()

    def _sort_probability(self, prob: list[float]) -> list[Language]:
        result = [Language(lang, p) for lang, p in zip(self.langlist, prob, strict=True) if p > self.PROB_THRESHOLD]
        result.sort(reverse=True)
        return result
