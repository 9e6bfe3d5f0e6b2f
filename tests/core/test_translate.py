"""The engine over the real offline fixture package: one batch call, order kept, bounded output, cache."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from service.core.packages import check_package_dir
from service.core.translate import (
    ArgosTranslator,
    CachingTranslator,
    DecodingOptions,
    SentenceResult,
    chunk_pieces,
)
from service.core.translate.engine import SPACE

UI_STRINGS = [
    "O arquivo não foi encontrado.",
    "Não foi possível abrir o arquivo.",
    "Deseja salvar as alterações?",
    "Erro ao conectar ao servidor.",
    "Arquivo",
]



@pytest.fixture(scope="module")
def engine(packages_dir: Path) -> ArgosTranslator:
    return ArgosTranslator(check_package_dir(packages_dir / "translate-pt_en-ponte_test-1_0"), DecodingOptions())


def test_translates_ui_strings_into_english(engine: ArgosTranslator) -> None:
    out = engine.translate(UI_STRINGS)
    assert len(out) == len(UI_STRINGS)
    assert all(o.strip() for o in out)
    # The fixture is a tiny model trained on UI strings: it knows "file"; it is not a news translator.
    assert "file" in out[0].lower()
    assert out != UI_STRINGS


def test_all_sentences_in_one_engine_call(engine: ArgosTranslator) -> None:
    before = engine.engine_calls
    engine.translate(UI_STRINGS * 3)
    assert engine.engine_calls == before + 1


def test_order_is_kept_and_batching_does_not_change_output(engine: ArgosTranslator) -> None:
    together = engine.translate(UI_STRINGS)
    alone = [engine.translate([s])[0] for s in UI_STRINGS]
    assert together == alone
    assert engine.translate(list(reversed(UI_STRINGS))) == list(reversed(together))


def test_output_length_is_bounded_by_the_input(packages_dir: Path) -> None:
    options = DecodingOptions(length_ratio=1.0, length_extra=2, beam_size=1)
    tight = ArgosTranslator(check_package_dir(packages_dir / "translate-pt_en-ponte_test-1_0"), options)
    out = tight.translate(["arquivo " * 3])[0]
    pieces = list(tight.tokenizer.pieces(["arquivo " * 3])[0])
    assert tight.tokenizer.count([out])[0] <= len(pieces) * 1.0 + 2 + 1


def test_empty_and_blank_sentences(engine: ArgosTranslator) -> None:
    assert engine.translate([]) == []
    assert engine.translate(["", "Arquivo"])[0] == ""


def test_over_long_sentence_is_chunked_not_truncated(packages_dir: Path) -> None:
    options = DecodingOptions(max_input_tokens=16, beam_size=1)
    small = ArgosTranslator(check_package_dir(packages_dir / "translate-pt_en-ponte_test-1_0"), options)
    long_sentence = " ".join(["o arquivo não foi encontrado"] * 12)
    pieces = list(small.tokenizer.pieces([long_sentence])[0])
    chunks = chunk_pieces(pieces, 16)
    assert len(chunks) >= 3
    out = small.translate([long_sentence])
    assert len(out) == 1
    # every chunk is translated (as it would be on its own) and the parts joined: nothing is cut off
    each = small.translate([small.tokenizer.decode(c) for c in chunks])
    assert out[0] == " ".join(each)


def test_chunk_pieces_prefers_word_starts() -> None:
    pieces = ["▁um", "▁arqu", "ivo", "▁no", "▁dis", "co", "▁hoje"]
    chunks = chunk_pieces(pieces, 3)
    assert [p for c in chunks for p in c] == pieces
    assert all(len(c) <= 3 for c in chunks)
    assert all(c[0].startswith("▁") for c in chunks)
    assert chunk_pieces(pieces, 10) == [pieces]


def words(*sizes: int) -> list[str]:
    """Pieces of words of the given sizes: each word a SPACE-marked piece and then plain pieces."""
    pieces: list[str] = []
    for number, size in enumerate(sizes):
        pieces += [f"{SPACE}w{number}"] + [f"p{number}.{i}" for i in range(1, size)]
    return pieces


@pytest.mark.parametrize(("sizes", "limit", "chunk_sizes"), [
    ((3, 3), 6, [6]),  # exactly the limit: one chunk
    ((3, 3, 1), 6, [6, 1]),  # one over: cut at the word start the limit falls on
    ((4, 4), 6, [4, 4]),  # the limit falls inside a word: back off to its start (4, past half the limit)
    ((5, 3), 6, [5, 3]),  # the word start just before the limit (5)
    ((3, 4), 6, [6, 1]),  # a word start at exactly half the limit (3) is not taken: cut at the limit
    ((2, 6), 6, [6, 2]),  # nor one before half
    ((8,), 6, [6, 2]),  # no word start at all: cut at the limit
])
def test_an_over_long_sentence_is_cut_at_word_starts(sizes: tuple[int, ...], limit: int,
                                                     chunk_sizes: list[int]) -> None:
    pieces = words(*sizes)
    chunks = chunk_pieces(pieces, limit)
    assert [len(c) for c in chunks] == chunk_sizes
    assert [p for c in chunks for p in c] == pieces


class CountingEngine:
    name, version = "counting", "1"

    def __init__(self) -> None:
        self.seen: list[list[str]] = []

    def translate(self, sentences: Sequence[str]) -> list[str]:
        self.seen.append(list(sentences))
        return [s.upper() for s in sentences]


def test_cache_serves_repeats_without_the_engine() -> None:
    inner = CountingEngine()
    cache = CachingTranslator(inner, size=100)
    assert cache.translate(["a", "b", "a"]) == ["A", "B", "A"]
    assert inner.seen == [["a", "b"]]
    assert cache.translate(["b", "a"]) == ["B", "A"]
    assert inner.seen == [["a", "b"]]
    assert cache.hits == 2 and cache.misses == 2  # the repeat inside one call is not a cache hit


def test_cache_is_bounded_lru() -> None:
    inner = CountingEngine()
    cache = CachingTranslator(inner, size=2)
    cache.translate(["a", "b"])
    cache.translate(["a"])  # a is now most recent
    cache.translate(["c"])  # evicts b
    cache.translate(["a", "b"])
    assert inner.seen[-1] == ["b"]


def test_cache_size_zero_disables_it() -> None:
    inner = CountingEngine()
    cache = CachingTranslator(inner, size=0)
    cache.translate(["a"])
    cache.translate(["a"])
    assert inner.seen == [["a"], ["a"]]


LOOPING = "Especialistas em segurança alertam que o crescimento do uso também atrai golpistas."


def test_scores_are_mean_log_probabilities_and_texts_match_translate(engine: ArgosTranslator) -> None:
    scored = engine.translate_scored(UI_STRINGS)
    assert [r.text for r in scored] == engine.translate(UI_STRINGS)
    assert all(r.score is not None and -20 < r.score < 0 for r in scored)
    assert all(r.alternatives == () for r in scored)
    assert engine.translate_scored(["", "Arquivo"])[0] == SentenceResult("")


@pytest.mark.parametrize("n", [1, 3])
def test_alternatives_come_from_the_same_beam_search(engine: ArgosTranslator, n: int) -> None:
    plain = engine.translate_scored(UI_STRINGS)
    scored = engine.translate_scored(UI_STRINGS, alternatives=n)
    assert [r.text for r in scored] == [r.text for r in plain]  # asking for more does not change the best
    assert any(r.alternatives for r in scored)
    for result in scored:
        texts = [text for text, _ in result.alternatives]
        assert len(texts) <= n and len(set(texts)) == len(texts) and result.text not in texts
        scores = [score for _, score in result.alternatives]
        assert scores == sorted(scores, reverse=True)
    with pytest.raises(ValueError):
        engine.translate_scored(UI_STRINGS, alternatives=4)


def test_a_looping_sentence_is_repaired_and_repair_can_be_switched_off(packages_dir: Path) -> None:
    package = check_package_dir(packages_dir / "translate-pt_en-ponte_test-1_0")
    raw = ArgosTranslator(package, DecodingOptions(repair=False)).translate_scored([LOOPING, UI_STRINGS[0]])
    assert "repetition" in raw[0].flags and "repaired" not in raw[0].flags
    repairing = ArgosTranslator(package, DecodingOptions())
    fixed = repairing.translate_scored([LOOPING, UI_STRINGS[0]])
    assert "repaired" in fixed[0].flags and "repetition" not in fixed[0].flags
    assert fixed[0].text != raw[0].text
    assert fixed[1] == raw[1]  # a clean sentence is left alone
    assert repairing.repaired_sentences == 1


def test_hitting_the_decoding_bound_is_flagged_truncated(packages_dir: Path) -> None:
    options = DecodingOptions(length_ratio=0.2, length_extra=1, repair=False)
    tight = ArgosTranslator(check_package_dir(packages_dir / "translate-pt_en-ponte_test-1_0"), options)
    result = tight.translate_scored(["Não foi possível abrir o arquivo de configuração do sistema."])[0]
    assert "truncated" in result.flags
    assert "truncated" not in ArgosTranslator(tight.package, DecodingOptions(repair=False)).translate_scored(
        ["Não foi possível abrir o arquivo de configuração do sistema."])[0].flags
