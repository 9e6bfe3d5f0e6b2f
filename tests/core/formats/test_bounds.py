"""The HTML pre-scan: elements and attributes per element counted as the HTML tokenizer reads tags, before lexbor."""

from __future__ import annotations

import time

import pytest
from selectolax.lexbor import LexborHTMLParser

from service.core.exceptions import DocumentTooComplexError
from service.core.formats.bounds import check_html
from service.core.formats.html import HtmlLayout

MANY = " ".join(f"b{i}" for i in range(300))


def _most_attributes(source: str) -> int:
    """What lexbor itself sees: the most attributes of one element."""
    tree = LexborHTMLParser(source)
    return max(len(node.attributes) for node in tree.root.traverse())  # type: ignore[union-attr]


@pytest.mark.parametrize("source", [
    f"<p {MANY}>x</p>",
    f'<p a=">" {MANY}>x</p>',                                  # a quoted ">" does not end the tag
    f"<p a='>' {MANY}>x</p>",
    f'<p a="x"{MANY}>x</p>',                                    # no space after a quoted value
    f"<!-- <p a=' --> <p {MANY}>",                              # a quote inside a comment
    f"<!-- x --!> <p {MANY}>",                                  # the other way a comment ends
    f"<script>var s = \"<p a='\";</script><p {MANY}>",          # a quote inside a script
    f"<svg><![CDATA[ <p a=' ]]></svg><p {MANY}>",               # CDATA in foreign content
    f"<textarea><p a='</textarea><p {MANY}>",
    f"<p a=x {MANY.replace(' ', '/')}>",                        # slashes separate attributes too
    f"<P =a {MANY}>",
    f"</p {MANY}>",                                             # attributes of an end tag are still read
])
def test_an_element_over_the_attribute_bound_is_refused_however_hidden(source: str) -> None:
    with pytest.raises(DocumentTooComplexError, match="attributes; the limit is 256"):
        check_html(source)


@pytest.mark.parametrize("source", [
    "<p a b c>x</p>" * 100,
    '<p title="a > b" class=\'c\' data-x=1>texto</p>',
    "<script>" + "<b a b c>" * 500 + "</script>",              # tags in a script are text, not elements...
    "<!--" + "<p " + " x" * 1000 + "-->",                       # ...and in a comment
])
def test_ordinary_documents_pass(source: str) -> None:
    check_html(source)


def test_the_scan_never_counts_fewer_attributes_than_lexbor_sees() -> None:
    for source in [f'<p a=">" {MANY}>', f"<!-- x --!> <p {MANY}>", f"<svg><![CDATA[ <p a=' ]]></svg><p {MANY}>"]:
        assert _most_attributes(source) >= 256  # lexbor reads these as elements of 256+ attributes


def test_elements_are_bounded() -> None:
    check_html("<b>a</b>" * 10_000)
    with pytest.raises(DocumentTooComplexError, match="elements; the limit is 10000"):
        check_html("<div>" * 10_001)


def test_the_attack_documents_are_refused_at_once() -> None:
    started = time.perf_counter()
    for source in ["<p " + " ".join(f"a{i}" for i in range(100_000)) + ">O governo.</p>", "<div>" * 80_000,
                   "<b>a</b> " * 100_000]:
        with pytest.raises(DocumentTooComplexError):
            HtmlLayout(source)
    assert time.perf_counter() - started < 5  # the parse of any one of them took 4 s to minutes


def test_a_non_ascii_letter_after_the_slash_is_a_bogus_comment_as_for_the_parser() -> None:
    source = f"</é a='> <p {MANY}>"
    assert _most_attributes(source) >= 256
    with pytest.raises(DocumentTooComplexError):
        check_html(source)
