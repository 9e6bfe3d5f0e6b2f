"""Properties of segmentation for any text: the sentences cover every non-blank character exactly once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from service.core.segment import join_translation, split_sentences
from tests.properties import PROPERTIES

_LINE_BREAKS = "\n\r\u2028\u2029"
# pieces that exercise the rules: terminators, closers, openers, abbreviations, numbers, initials, line breaks
_PIECES = ["Sr.", "etc.", "EUA.", "J.", "R.", "U.S.", "1.", "100.", "3,5", "v2.0", "(...)", "[…]", "...", "…", "!",
           "?", ".", "»", "”", "\"", "'", ")", "(", "—", "-", "¿", "O", "a", "Ele", "disse", "que", "iPhone", "$",
           "R$", "10", "art.", "jan.", "IV", "https://a.b/c.", "e-mail@x.pt.", " ", "  ", "\t", "\n", "\r\n", "\n\n",
           "\u2028", "\u00a0"]
texts = st.one_of(
    st.lists(st.sampled_from(_PIECES), max_size=40).map("".join),
    st.lists(st.sampled_from(_PIECES), max_size=20).map(" ".join),
    st.text(max_size=80),
)


@PROPERTIES
@given(text=texts, language=st.sampled_from(["pt", "en", "es", "xx", "pt-BR"]))
def test_sentences_cover_the_text_exactly_once(text: str, language: str) -> None:
    seg = split_sentences(text, language)
    covered = [False] * len(text)
    previous_end, previous_paragraph = 0, 0
    for sentence in seg.sentences:
        assert sentence.text and sentence.text == sentence.text.strip()
        assert text[sentence.start:sentence.end] == sentence.text
        assert sentence.start >= previous_end  # in order, never overlapping
        assert not any(char in sentence.text for char in _LINE_BREAKS)  # never across a paragraph
        assert previous_paragraph <= sentence.paragraph < seg.paragraph_count
        for index in range(sentence.start, sentence.end):
            covered[index] = True
        previous_end, previous_paragraph = sentence.end, sentence.paragraph
    # what no sentence holds is blank: nothing is lost
    assert all(covered[i] or text[i].isspace() for i in range(len(text)))
    assert len(seg.separators) == max(seg.paragraph_count - 1, 0)
    assert set(seg.separators) <= {"\n", "\n\n"}
    assert {s.paragraph for s in seg.sentences} == set(range(seg.paragraph_count))


@PROPERTIES
@given(text=texts)
def test_joining_the_sentences_keeps_every_word_and_paragraph(text: str) -> None:
    seg = split_sentences(text, "pt")
    joined = join_translation(seg, [s.text for s in seg.sentences])
    assert joined.split() == text.split()
    paragraphs = [line for line in joined.split("\n") if line]
    assert len(paragraphs) == seg.paragraph_count
