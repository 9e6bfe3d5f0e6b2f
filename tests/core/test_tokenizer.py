"""The shared SentencePiece tokenizer: pieces of recent texts are kept (a second encoding of a text is a hit and the
same pieces), and a piece outside the vocabulary is seen as unknown. Over the fixture package's real model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from service.core.translate.tokenizer import Tokenizer


@pytest.fixture(scope="module")
def model(packages_dir: Path) -> Path:
    return next(p for p in packages_dir.iterdir() if p.is_dir()) / "sentencepiece.model"


def test_a_text_seen_again_is_a_hit_with_the_same_pieces(model: Path) -> None:
    tokenizer = Tokenizer(model)
    first = tokenizer.pieces(["O governo aprovou a lei.", "Dados abertos."])
    assert tokenizer.hits == 0
    again = tokenizer.pieces(["Dados abertos.", "O governo aprovou a lei."])
    assert tokenizer.hits == 2
    assert again == [first[1], first[0]]
    assert tokenizer.count(["Dados abertos."]) == [len(first[1])]
    assert tokenizer.hits == 3


def test_a_text_seen_again_is_not_encoded_again(model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sentencepiece

    encoded: list[str] = []
    encode = sentencepiece.SentencePieceProcessor.encode

    def counting(self: sentencepiece.SentencePieceProcessor, texts: list[str], **kwargs: Any) -> Any:
        encoded.extend(texts)
        return encode(self, texts, **kwargs)

    monkeypatch.setattr(sentencepiece.SentencePieceProcessor, "encode", counting)
    tokenizer = Tokenizer(model)
    tokenizer.pieces(["Dados abertos.", "Dados abertos.", "O governo."])
    tokenizer.pieces(["O governo.", "Dados abertos.", "Um texto novo."])
    assert encoded == ["Dados abertos.", "O governo.", "Um texto novo."]


def test_a_text_twice_in_one_call_is_encoded_once(model: Path) -> None:
    tokenizer = Tokenizer(model)
    one, two = tokenizer.pieces(["Dados.", "Dados."])
    assert one == two and one
    assert tokenizer.hits == 0
    assert tokenizer.count([]) == []


def test_unknown_pieces_are_seen(model: Path) -> None:
    tokenizer = Tokenizer(model)
    known = tokenizer.pieces(["O governo aprovou a lei."])[0]
    assert not tokenizer.has_unknown(known)
    assert tokenizer.has_unknown([*known, "\u2603\u2603-no-such-piece"])
