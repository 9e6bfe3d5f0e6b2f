"""HTML rules a translation must keep, each on a document written for it: what makes a source a whole document,
which elements end a run of text, what inline code protects, and where a space goes around inline elements.
Every expected output is written down here, never read back from the layout."""

from __future__ import annotations

import pytest

from service.core.formats import join_mapped, parse
from service.core.segment import split_sentences
from tests.core.formats.helpers import render_with

WHOLE = "<html><head></head><body><p>Hi.</p></body></html>"


def _render(source: str, sentences: list[str]) -> str:
    return render_with(source, "html", sentences)


@pytest.mark.parametrize("source", [
    "<html><p>Oi.</p></html>",
    "<HTML lang=pt><p>Oi.</p></HTML>",
    "<body><p>Oi.</p></body>",
    "<p>Oi.</p><body/>",
    "<body lang=pt><p>Oi.</p>",
    "<body\tlang=pt><p>Oi.</p>",
    "<body\nlang=pt><p>Oi.</p>",
    "<body\rlang=pt><p>Oi.</p>",
    "<body\flang=pt><p>Oi.</p>",
    "<p>Oi.</p><body",  # a tag cut off at the end of the text still names the body
], ids=["html", "upper", "body", "self-closed", "space", "tab", "newline", "return", "formfeed", "at-end"])
def test_a_source_naming_html_head_body_or_a_doctype_is_a_whole_document(source: str) -> None:
    # parsed as a document, the source gets the elements a document has (its lang attribute aside)
    assert _render(source, ["Hi."]).replace(' lang="pt"', "") == WHOLE


def test_a_doctype_or_a_body_tag_between_look_alikes_makes_a_document() -> None:
    assert _render("<!DOCTYPE html><p>Oi.</p>", ["Hi."]) == "<!DOCTYPE html>" + WHOLE
    out = _render("<bodyx><body><bodyy><p>Oi.</p>", ["Hi."])
    assert out == "<html><head></head><body><bodyx><bodyy><p>Hi.</p></bodyy></bodyx></body></html>"


def test_a_head_at_the_start_makes_a_document_even_with_a_header_after_it() -> None:
    source = "<head><title>Oi</title></head><header><p>Tudo.</p></header>"
    out = _render(source, ["Hi", "All."])
    assert out == "<html><head><title>Hi</title></head><body><header><p>All.</p></header></body></html>"


@pytest.mark.parametrize("source", ["<bodyx><p>Oi.</p>", "<header><p>Oi.</p></header>", "<p>Oi, <b>html</b>.</p>"])
def test_look_alikes_of_whole_document_tags_leave_a_fragment(source: str) -> None:
    layout = parse(source, "html")
    seg = split_sentences(layout.visible_text, "pt")
    text, spans = join_mapped(seg, [layout.visible_text])
    out = layout.render(text, spans, [])
    assert out.startswith(source[:7]) and "<head>" not in out  # a fragment: no <html>, <head> or <body> added


@pytest.mark.parametrize("tag", ["pre", "textarea", "select", "xmp", "listing"])
def test_a_skipped_element_inside_a_paragraph_ends_the_run_of_text(tag: str) -> None:
    # its content is not translated, and the words on either side of it are not joined into one
    layout = parse(f"<div>Um<{tag}>dois</{tag}>três.</div>", "html")  # in a div: a <p> would end at <pre>
    assert layout.visible_text == "Um\n\ntrês."


def test_plaintext_ends_the_run_and_takes_the_rest() -> None:
    assert parse("<p>Um<plaintext>dois</p> três", "html").visible_text == "Um"


def test_inline_code_protects_all_of_its_text_nested_elements_included() -> None:
    layout = parse("<p>Um <code>a <b>b</b></code> três.</p>", "html")
    assert layout.visible_text == "Um a b três."
    assert [layout.visible_text[a:b] for a, b in layout.protected] == ["a b"]


def test_a_space_the_translation_adds_after_inline_code_is_kept() -> None:
    assert _render("<p><code>x</code>dois.</p>", ["x two."]) == "<p><code>x</code> two.</p>"
    # code keeps its text, so the space cannot end it: it starts the next element's (it was lost: "xtwo")
    out = _render("<p><code>x</code><b>dois</b> três.</p>", ["x two three."])
    assert out == "<p><code>x</code><b> two</b> three.</p>"


def test_a_space_the_translation_adds_at_an_element_boundary_goes_outside_it() -> None:
    assert _render("<p>Um <b>dois</b>três.</p>", ["One two three."]) == "<p>One <b>two</b> three.</p>"
    assert (_render("<p>Um <b><i>dois</i>três</b>quatro.</p>", ["One two three four."])
            == "<p>One <b><i>two</i> three</b> four.</p>")


def test_a_space_the_translation_adds_before_an_element_goes_outside_it() -> None:
    assert _render("<p>Um<b>dois</b> três.</p>", ["One two three."]) == "<p>One <b>two</b> three.</p>"
    assert _render("<p>Um<b><i>dois</i></b> três.</p>", ["One two three."]) == "<p>One <b><i>two</i></b> three.</p>"
    # between two sibling elements there is no outside in either text: the space ends the first one's
    assert _render("<p><b>Um</b><i>dois</i> três.</p>", ["One two three."]) == "<p><b>One </b><i>two</i> three.</p>"
    # out of two elements into one: the space goes to the text less deep
    assert (_render("<p><b><i>Um</i></b><u>dois</u> três.</p>", ["One two three."])
            == "<p><b><i>One</i></b><u> two</u> three.</p>")


def test_rendering_again_starts_from_the_source() -> None:
    layout = parse('<p title="Nota">Um <b>dois</b> três.</p>', "html")
    seg = split_sentences(layout.visible_text, "pt")
    text, spans = join_mapped(seg, ["One two three."])
    first = layout.render(text, spans, ["Note"])
    assert first == '<p title="Note">One <b>two</b> three.</p>'
    assert layout.render(text, spans, ["Note"]) == first
    # a second translation of the same layout is not written over the first one's
    text, spans = join_mapped(seg, ["Uno dos tres."])
    assert layout.render(text, spans, ["Nota"]) == '<p title="Nota">Uno <b>dos</b> tres.</p>'


def test_text_the_translation_puts_after_inline_code_that_ends_a_sentence_stays_after_it() -> None:
    # the source has no text after the code: the period after it goes in a text node after the code, not before it
    out = _render("<p>Para listar, use <code>ls</code></p>", ["To list, use ls."])
    assert out == "<p>To list, use <code>ls</code>.</p>"
    assert _render("<p>Use <code>ls</code></p>", ["Run ls now."]) == "<p>Run <code>ls</code> now.</p>"


def test_a_space_the_translation_adds_after_inline_code_is_kept_before_text_two_elements_deep() -> None:
    # as before one element (<b> two</b>): the code keeps its text, so the space starts the next text (it was lost:
    # "xtwo"), whatever the number of elements it opens
    out = _render("<p><code>x</code><b><i>dois</i></b> três.</p>", ["x two three."])
    assert out == "<p><code>x</code><b><i> two</i></b> three.</p>"
