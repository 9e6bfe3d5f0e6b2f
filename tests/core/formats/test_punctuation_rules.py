"""Punctuation at the edge of an inline element: a link that ends a sentence keeps its last word, and the period
stays outside it. The translation glues punctuation to a word ("site."); the source has it in a slot of its own
(the "." after `</a>`) or at the edge of one ("A empresa (", ", agora"). Every expected output is written down
here (the words a reader expects inside each element), never read back from the layout."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.core.formats.slots import _share
from tests.core.formats.helpers import render_with

CASES = [
    # a link, emphasis or quotation that ends the sentence, the period after it
    ("<p>Leia mais no <a href=\"x\">site oficial</a>.</p>", "Read more on the official site.",
     "<p>Read more on <a href=\"x\">the official site</a>.</p>"),
    ("<p>Ele disse: <q>olá mundo</q>.</p>", "He said: hello world.", "<p>He said: <q>hello world</q>.</p>"),
    ("<p>O <i>gato</i> e o <i>cão</i>.</p>", "The cat and the dog.", "<p>The <i>cat</i> and the <i>dog</i>.</p>"),
    # another sentence mark in the translation ends the sentence there too
    ("<p>Você viu o <a href=\"x\">site</a>?</p>", "Did you see the site.",
     "<p>Did you see the <a href=\"x\">site</a>.</p>"),
    # a comma after the element, words after it
    ("<p>Veja <em>isto</em>, agora.</p>", "See this, now.", "<p>See <em>this</em>, now.</p>"),
    ("<p>Os <b>dados</b>, <i>modelos</i> e <u>regras</u>.</p>", "The data, models and rules.",
     "<p>The <b>data</b>, <i>models</i> and <u>rules</u>.</p>"),
    # brackets and quotes around a short name (no anchor: "IA" became "AI"), in another quote style
    ("<p>A empresa (<b>IA</b>) anunciou.</p>", "The company (AI) announced.",
     "<p>The company (<b>AI</b>) announced.</p>"),
    ("<p>Ele disse «<b>sim</b>» ontem.</p>", "He said \"yes\" yesterday.",
     "<p>He said \"<b>yes</b>\" yesterday.</p>"),
    # the translation has no period: the link keeps its words and nothing is lost
    ("<p>Leia mais no <a href=\"x\">site oficial</a>.</p>", "Read more on the official site",
     "<p>Read more on <a href=\"x\">the official site</a></p>"),
    # a dash between links is not such punctuation: shared as before
    ("<p><a href=\"a\">Um</a> – <a href=\"b\">Dois</a></p>", "One – Two",
     "<p><a href=\"a\">One</a> – <a href=\"b\">Two</a></p>"),
]


@pytest.mark.parametrize(("source", "sentence", "expected"), CASES,
                         ids=["link-end", "quote-end", "two-italics", "other-mark", "comma-after", "list",
                              "brackets", "quote-style", "no-period", "dash"])
def test_html_punctuation_stays_outside_the_element(source: str, sentence: str, expected: str) -> None:
    assert render_with(source, "html", [sentence], None) == expected


@pytest.mark.parametrize(("source", "sentence", "expected"), [
    # the name before the comma reappears as it was (it anchors): the comma it leaves goes to the slot of the comma,
    # not into the next element ("<b>Paris</b> <b>, Rome</b>")
    ("<p>Em <b>Paris</b>, <b>Roma</b> e <b>Lima</b>.</p>", "In Paris, Rome and Lima.",
     "<p>In <b>Paris</b>, <b>Rome</b> and <b>Lima</b>.</p>"),
    ("<p><b>Paris</b>, <b>Roma</b>.</p>", "Paris, Rome.", "<p><b>Paris</b>, <b>Rome</b>.</p>"),
    ("<p><code>ls</code>; <b>Roma</b>.</p>", "ls; Rome.", "<p><code>ls</code>; <b>Rome</b>.</p>"),
    # the element after the comma has no word of its own in the translation: the comma is still not its word
    ("<p>Com <a href=\"a\">Paris</a>, <a href=\"b\">Roma</a> e o <i>resto</i>.</p>", "With Paris, and the rest.",
     "<p>With <a href=\"a\">Paris</a>, <a href=\"b\">and</a> the <i>rest</i>.</p>"),
], ids=["list-after-name", "two-names", "after-code", "next-word-dropped"])
def test_punctuation_after_an_anchor_stays_in_its_slot(source: str, sentence: str, expected: str) -> None:
    assert render_with(source, "html", [sentence], None) == expected


@pytest.mark.parametrize(("source", "sentence", "expected"), [
    # a word that two elements share ("<b>Olá</b>mundo"), translated as one word: no space put inside it
    ("<p><b>Olá</b>mundo.</p>", "Helloworld.", "<p><b></b>Helloworld.</p>"),
    # where the source had a space there, it is kept
    ("<p><b>Olá</b> mundo.</p>", "Hi.", "<p><b></b> Hi.</p>"),
], ids=["glued", "spaced"])
def test_an_element_left_empty_at_a_sentence_start_adds_no_space(source: str, sentence: str, expected: str) -> None:
    assert render_with(source, "html", [sentence], None) == expected


@pytest.mark.parametrize(("source", "sentence", "expected"), [
    ("Leia mais no [site oficial](x).\n", "Read more on the official site.", "Read more on [the official site](x).\n"),
    ("Veja *isto*, agora.\n", "See this, now.", "See *this*, now.\n"),
    ("A empresa (**IA**) anunciou.\n", "The company (AI) announced.", "The company (**AI**) announced.\n"),
], ids=["link-end", "comma-after", "brackets"])
def test_markdown_punctuation_stays_outside_the_element(source: str, sentence: str, expected: str) -> None:
    assert render_with(source, "markdown", [sentence], None) == expected


@pytest.mark.parametrize(("text", "spans", "visible", "parts"), [
    # punctuation on its own in the translation goes with the word before it, then to the slot of its kind
    ("one two .", [(0, 3), (4, 7), (7, 8)], "abc def.", [("one", 3), ("two", 8), (".", 9)]),
    # an opening bracket on its own goes with the word after it, then to the slot that ends with one
    ("one ( two )", [(0, 5), (5, 8), (8, 9)], "abc (def)", [("one (", 5), ("two", 10), (")", 11)]),
    # a comma that starts the text (the word it was glued to anchored) goes to the slot of the comma, not as a word
    (", two three", [(0, 2), (2, 5), (5, 9)], ", abc def", [(",", 1), ("two", 5), ("three", 11)]),
])
def test_share_moves_punctuation_between_parts(
        text: str, spans: list[tuple[int, int]], visible: str, parts: list[tuple[str, int | None]]) -> None:
    assert _share(text, 0, spans, visible) == parts


words = st.text(alphabet="abcxyz", min_size=1, max_size=6)
marks = st.sampled_from(["", ".", ",", ")", "(", "»", "«", "?", " .", "( "])


@given(tokens=st.lists(st.tuples(marks, words, marks), min_size=1, max_size=8),
       sources=st.lists(st.sampled_from(["abc", ".", ",", "(", ")", "abc.", ", abc", "abc (", "«", "»"]),
                        min_size=2, max_size=5))
def test_sharing_loses_and_repeats_no_character(tokens: list[tuple[str, str, str]], sources: list[str]) -> None:
    text = " ".join(f"{a}{w}{b}" for a, w, b in tokens)
    visible, spans = "", []
    for source in sources:
        spans.append((len(visible), len(visible) + len(source)))
        visible += source + " "
    parts = _share(text, 0, spans, visible)
    assert "".join(part for part, _ in parts).replace(" ", "") == text.replace(" ", "")
