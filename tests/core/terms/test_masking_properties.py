"""Masking for any sentence: placeholders round-trip, and whatever the engine does, every term is written once."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st

from service.core.terms.glossary import Glossary, GlossaryEntry
from service.core.terms.masking import PRINTF, protect, restore, translate_protected
from tests.properties import PROPERTIES

GLOSSARY = Glossary([
    GlossaryEntry("código aberto", "open source", inflect=True),
    GlossaryEntry("dados", "data"),
    GlossaryEntry("Llama 3"),
    GlossaryEntry("IA", "AI", case_sensitive=True),
])
_WORDS = ["O", "modelo", "de", "código", "aberto", "códigos", "abertos", "dados", "Llama", "3", "IA", "ia", "usa",
          "https://github.com/org/repo.", "ana@exemplo.pt", "@ponte", "/etc/ponte.yaml", "`make test`", "v1.2.3",
          "GPT-4o", "Python 3.11", "H100", "2024", "%s", "%d", "%1$s", "e", ",", ".", "(", ")", "!"]
sentences = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=25).map(" ".join)
extra_ranges = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 20)), max_size=3)


def _ranges(sentence: str, raw: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for start, length in raw:
        if start < len(sentence):
            out.append((start, min(start + length, len(sentence))))
    return out


@PROPERTIES
@given(sentence=sentences, raw=extra_ranges, glossary=st.booleans())
def test_slots_are_the_source_in_order_and_copied_placeholders_restore_it(sentence: str, raw: list[tuple[int, int]],
                                                                           glossary: bool) -> None:
    extra = _ranges(sentence, raw)
    masked = protect(sentence, GLOSSARY if glossary else None, extra)
    previous = 0
    for slot in masked.slots:
        assert sentence[slot.start:slot.end] == slot.text
        assert slot.start >= previous  # in order, none overlapping
        previous = slot.end
    for start, end in extra:  # the caller's ranges are never cut: each lies inside one slot
        assert any(slot.start <= start and end <= slot.end for slot in masked.slots)
    # what the engine sees holds no source placeholder shape twice and no protected text
    placeholders = [slot.placeholder for slot in masked.slots]
    if masked.direct:
        assert masked.text == sentence and restore(masked, sentence) is None
        return
    assert len(set(placeholders)) == len(placeholders)
    assert all(p in PRINTF and p not in sentence for p in placeholders)
    # an engine that copies the text: every slot comes back as its replacement, the rest as written
    restored = restore(masked, masked.text)
    assert restored is not None and not restored.fallback
    expected, position = [], 0
    for slot in masked.slots:
        expected += [sentence[position:slot.start], slot.replacement]
        position = slot.end
    assert restored.text == "".join([*expected, sentence[position:]])
    if not glossary:
        assert restored.text == sentence


@PROPERTIES
@given(sentence=sentences, raw=extra_ranges, order=st.randoms(use_true_random=False),
       mode=st.sampled_from(["copy", "shuffle", "drop", "repeat", "invent"]))
def test_whatever_the_engine_does_every_term_is_written_exactly_once(sentence: str, raw: list[tuple[int, int]],
                                                                     order: object, mode: str) -> None:
    masked = protect(sentence, GLOSSARY, _ranges(sentence, raw))

    calls: list[Sequence[str]] = []

    def engine(texts: Sequence[str]) -> list[str]:
        calls.append(texts)
        out = []
        for text in texts:
            words = text.split(" ")
            if len(calls) > 1:
                pass  # the fallback units (no placeholders of ours): translated faithfully
            elif mode == "shuffle":
                order.shuffle(words)  # type: ignore[attr-defined]
            elif mode == "drop":
                words = [w for w in words if w not in PRINTF]
            elif mode == "repeat":
                words = words + [w for w in words if w in PRINTF]
            elif mode == "invent":
                words = [*words, next((p for p in PRINTF if p not in text), "")]
            out.append(" ".join(words))
        return out

    (result,) = translate_protected([masked], engine)
    assert result.slots == masked.slots
    for placeholder in PRINTF:  # no placeholder of ours is left in the output (without slots, none was sent)
        if placeholder not in sentence and masked.slots:
            assert placeholder not in result.text
    # each term's replacement is in the output at least as often as slots write it, once each
    for slot in masked.slots:
        need = sum(other.replacement == slot.replacement for other in masked.slots)
        assert result.text.count(slot.replacement) >= need
