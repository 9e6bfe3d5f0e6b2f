"""protect / restore / fallback: every term written exactly once, with fake engines and the real package."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from service.core.packages import check_package_dir
from service.core.terms.glossary import Glossary, GlossaryEntry
from service.core.terms.masking import (
    PRINTF,
    assemble,
    fallback_units,
    protect,
    restore,
    sent_whole,
    translate_protected,
)
from service.core.translate import ArgosTranslator, DecodingOptions

GLOSSARY = Glossary([
    GlossaryEntry("código aberto", "open source", inflect=True),
    GlossaryEntry("Llama 3"),
])
_PLACEHOLDER = re.compile("|".join(re.escape(token) for token in sorted(PRINTF, key=len, reverse=True)))


class Engine:
    """A fake engine: '[en] text' for every sentence, recording its calls; `garble` mangles placeholders."""

    def __init__(self, garble: str = "") -> None:
        self.garble = garble
        self.calls: list[list[str]] = []

    def translate(self, sentences: Sequence[str]) -> list[str]:
        self.calls.append(list(sentences))
        out = []
        for sentence in sentences:
            if self.garble == "drop":
                sentence = _PLACEHOLDER.sub("", sentence)
            elif self.garble == "repeat":
                sentence = _PLACEHOLDER.sub(lambda m: m.group() + " " + m.group(), sentence)
            out.append(f"[en] {sentence}")
        return out


def test_protect_masks_spans_and_glossary_terms() -> None:
    masked = protect("O Llama 3 é de código aberto: veja https://x.pt/a.", GLOSSARY)
    assert masked.text == "O %s é de %d: veja %1$s."
    assert [(s.kind, s.text, s.replacement, s.entry) for s in masked.slots] == [
        ("glossary", "Llama 3", "Llama 3", 1),
        ("glossary", "código aberto", "open source", 0),
        ("url", "https://x.pt/a", "https://x.pt/a", None),
    ]


def test_placeholders_already_in_the_sentence_are_not_reused() -> None:
    masked = protect("O pacote %s usa v1.2.", placeholders=PRINTF)
    assert masked.text == "O pacote %s usa %d."
    restored = restore(masked, "Package %s uses %d.")
    assert restored is not None and restored.text == "Package %s uses v1.2."


def test_restore_puts_terms_back_when_every_placeholder_survives() -> None:
    masked = protect("Os códigos abertos e o Llama 3 em /etc/x.yaml.", GLOSSARY)
    restored = restore(masked, "The %s and the %d in %1$s.")
    assert restored is not None
    assert restored.text == "The open sources and the Llama 3 in /etc/x.yaml."
    assert restored.glossary_entries == (0, 1)
    assert not restored.fallback


@pytest.mark.parametrize("output", ["The %s.", "The %s and %d %d.", "The %s, %d and %s.", "The %s, %d and %u."])
def test_restore_refuses_lost_or_repeated_placeholders(output: str) -> None:
    masked = protect("O Llama 3 e v1.2.", GLOSSARY)
    assert restore(masked, output) is None


def test_fallback_translates_the_pieces_between_terms() -> None:
    masked = protect("Instale o Llama 3 com `pip install x` agora.", GLOSSARY)
    assert fallback_units(masked) == ["Instale o", "com", "agora."]
    restored = assemble(masked, ["Install the", "With", "now."])
    assert restored.text == "Install the Llama 3 with `pip install x` now."
    assert restored.fallback


def test_fallback_drops_the_stop_a_fragment_gained() -> None:
    masked = protect("Veja v1.2 e ana@b.pt hoje", GLOSSARY)
    assert assemble(masked, ["See.", "And.", "today."]).text == "See v1.2 and ana@b.pt today"


@pytest.mark.parametrize("garble", ["", "drop", "repeat"])
def test_translate_protected_writes_every_term_exactly_once(garble: str) -> None:
    sentences = [
        "O Llama 3 é de código aberto: veja https://x.pt/a.",
        "Sem termos aqui.",
        "`ls`, v2.0.",
        "Escreva a ana@b.pt ou @ana sobre os códigos abertos.",
    ]
    masked = [protect(s, GLOSSARY) for s in sentences]
    engine = Engine(garble)
    results = translate_protected(masked, engine.translate)
    assert len(results) == len(sentences)
    for item, result in zip(masked, results, strict=True):
        for slot in item.slots:
            assert result.text.count(slot.replacement) == sum(s.replacement == slot.replacement for s in item.slots)
        assert not _PLACEHOLDER.search(result.text)
        assert result.fallback == (garble != "" and bool(item.slots) and fallback_units(item) != [])
    assert results[1].text == "[en] Sem termos aqui."
    # A sentence of terms and punctuation only never reaches the engine.
    assert all("%s, %d." not in call for call in engine.calls)
    assert len(engine.calls) == (1 if garble == "" else 2)


def test_too_many_spans_go_straight_to_the_fallback() -> None:
    sentence = " ".join(f"v{n}.0" for n in range(len(PRINTF) + 1)) + " fim"
    masked = protect(sentence)
    assert masked.direct and masked.text == sentence
    engine = Engine()
    [result] = translate_protected([masked], engine.translate)
    assert engine.calls == [["fim"]]
    assert result.fallback and result.text == sentence.replace(" fim", " [en] fim")


def test_sent_whole_is_what_the_first_call_has() -> None:
    """Sentences without terms, and with text around their placeholders; not terms and punctuation alone, nor
    a sentence with more spans than placeholders."""
    assert sent_whole(protect("Sem termos aqui."))
    assert sent_whole(protect("..."))  # no letters, no terms: the engine still gets it
    assert sent_whole(protect("O Llama 3 chegou.", GLOSSARY))
    assert not sent_whole(protect("Llama 3, v1.2.", GLOSSARY))
    too_many = protect(" ".join(f"v{n}.0" for n in range(len(PRINTF) + 1)) + " fim")
    assert too_many.direct and not sent_whole(too_many)


def test_assemble_needs_one_translation_per_unit() -> None:
    masked = protect("Veja v1.2 agora.")
    with pytest.raises(ValueError, match="more translations"):
        assemble(masked, ["See", "now.", "extra"])


@pytest.fixture(scope="module")
def engine(packages_dir: Path) -> ArgosTranslator:
    return ArgosTranslator(check_package_dir(packages_dir / "translate-pt_en-ponte_test-1_0"), DecodingOptions())


def test_real_engine_copies_printf_placeholders(engine: ArgosTranslator) -> None:
    masked = protect("O arquivo /etc/ponte/config.yaml não foi encontrado.")
    [output] = engine.translate([masked.text])
    restored = restore(masked, output)
    assert restored is not None, output
    assert restored.text.count("/etc/ponte/config.yaml") == 1


def test_real_engine_keeps_every_term_through_the_fallback(engine: ArgosTranslator, seed_article: str) -> None:
    sentences = [
        "Consulte https://github.com/argosopentech/argos-translate para mais informações.",
        "A Meta acaba de anunciar seu mais recente LLM Llama 3 de código aberto, disse @ponte_bot.",
        "Envie um e-mail para ana.silva@ufmg.br ou execute `pip install ponte` no Python 3.11.",
        seed_article.splitlines()[0] + " (ver README.md)",
    ]
    masked = [protect(s, GLOSSARY) for s in sentences]
    results = translate_protected(masked, engine.translate)
    for item, result in zip(masked, results, strict=True):
        assert item.slots
        for slot in item.slots:
            assert result.text.count(slot.replacement) == 1, (result.text, slot)
    assert results[1].text.count("open source") == 1


def test_control_characters_reach_the_engine_as_spaces() -> None:
    masked = protect("Texto\x00com nulo\x1fno governo v1.2 e\x7ffim")
    assert masked.source == "Texto\x00com nulo\x1fno governo v1.2 e\x7ffim"  # the source keeps them
    assert masked.text == "Texto com nulo no governo %s e fim"
    assert fallback_units(masked) == ["Texto com nulo no governo", "e fim"]
