"""The engine over the real offline fixture package: one batch call, order kept, bounded output, cache."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from service.core.packages import check_package_dir
from service.core.translate import ArgosTranslator, CachingTranslator, DecodingOptions, chunk_pieces

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
    pieces = tight._sp.encode("arquivo " * 3, out_type=str)
    assert len(tight._sp.encode(out, out_type=str)) <= len(pieces) * 1.0 + 2 + 1


def test_empty_and_blank_sentences(engine: ArgosTranslator) -> None:
    assert engine.translate([]) == []
    assert engine.translate(["", "Arquivo"])[0] == ""


def test_over_long_sentence_is_chunked_not_truncated(packages_dir: Path) -> None:
    options = DecodingOptions(max_input_tokens=16, beam_size=1)
    small = ArgosTranslator(check_package_dir(packages_dir / "translate-pt_en-ponte_test-1_0"), options)
    long_sentence = " ".join(["o arquivo não foi encontrado"] * 12)
    pieces = small._sp.encode(long_sentence, out_type=str)
    chunks = chunk_pieces(pieces, 16)
    assert len(chunks) >= 3
    out = small.translate([long_sentence])
    assert len(out) == 1
    # every chunk is translated (as it would be on its own) and the parts joined: nothing is cut off
    each = small.translate([small._sp.decode(c) for c in chunks])
    assert out[0] == " ".join(each)


def test_chunk_pieces_prefers_word_starts() -> None:
    pieces = ["▁um", "▁arqu", "ivo", "▁no", "▁dis", "co", "▁hoje"]
    chunks = chunk_pieces(pieces, 3)
    assert [p for c in chunks for p in c] == pieces
    assert all(len(c) <= 3 for c in chunks)
    assert all(c[0].startswith("▁") for c in chunks)
    assert chunk_pieces(pieces, 10) == [pieces]


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
