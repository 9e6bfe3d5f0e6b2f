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


CDATA = "<![CDATA[ > <p a b c> ]]>"
# Tags whose attributes are counted by hand (the most of any element), as lexbor reads them too
COUNTED = [
    ("<p a b>x</p>", 2),
    ("<p a b c>x</p>", 3),
    ("<p a=\"1\" b='2' c=3>x</p>", 3),
    ('<p a = "1" b>x</p>', 2),                  # spaces around "="
    ('<p a=\t\n"x y" b c>x</p>', 3),            # a tab and a newline before the value
    ("<p a/b/c>x</p>", 3),                      # slashes between names
    ('<p a="" b="" c="">x</p>', 3),             # empty quoted values
    ('<p a="x>y" b c>x</p>', 3),                # a ">" inside a quoted value
    ("<p / = a b>x</p>", 3),                    # a lone "/" is skipped, a lone "=" starts a name
    ("<p a=1=2 b>x", 2),                        # "=" inside an unquoted value
    ("<p a==b c>x</p>", 2),
    ("<p a b c/>x", 3),
    ("<!----><p a b c>", 3),                    # comments that end at once or after a dash
    ("<!---><p a b c>", 3),
    ("<!--><p a b c>", 3),
    ("<!-- x -- ><p a b c>", 0),                # "-- >" does not end a comment
    ("<!-- a --!> <p a b c>", 3),
    ("<!-- --!> --> <p a b c>", 3),             # the first of the two endings ends it
    ("<!-- a --> <!-- --!> <p a b c>", 3),
    ('<p a= "x y" b>x</p>', 2),                 # one space before a quoted value
    ('<p a="" b c d>x</p>', 4),                 # an empty value closes at once
    ('<p a="x"b c>x</p>', 3),                   # a name right after a closing quote
    ('<p a=X"y z" b>x</p>', 3),                 # a quote inside an unquoted value opens nothing
    ("<!-- a --><p a b c>", 3),                 # a tag right after either ending
    ("<!-- a --!><p a b c>", 3),
    ("<!----!><p a b c>", 3),
    ("x <!---><p a b c>", 3),                   # the comments that end at once, later in the text
    ("x <!--><p a b c>", 3),
    ("<!-- a --> <p a b c> <!-- b -->", 3),     # a comment ends at its first ending, not a later one
    ("<!-- a --!> <p a b c> <!-- b --!>", 3),
    ("x <!-- > <p a b c> -->", 0),              # a ">" inside a comment ends nothing
    ("<b>x</b><!--><p a b c>", 3),
    # CDATA is text only in SVG or MathML content; elsewhere it is a bogus comment, ended by the first ">"
    (f"<svg>{CDATA}</svg>", 0),
    (f"<SVG>{CDATA}", 0),
    (f"<math>{CDATA}</math>", 0),
    (CDATA, 3),
    (f"<svg></svg>{CDATA}", 3),                 # foreign content ends with its element...
    (f"<math></math>{CDATA}", 3),
    (f"<svg/>{CDATA}", 3),                      # ...or never starts
    (f"<svg><svg></svg>{CDATA}</svg>", 0),      # an inner svg's end leaves the outer one open
    (f"<svg><math></math>{CDATA}</svg>", 0),
    (f"<svg></svg><svg>{CDATA}</svg>", 0),
    (f"<svg><g>{CDATA}</svg>", 0),              # an SVG element keeps it foreign...
    (f"<svg><b>{CDATA}", 3),                    # ...an HTML one ends it
    (f"<svg><b></b><svg>{CDATA}</svg>", 0),
    # raw text elements: their content up to their own end tag is text
    ("<title><p a b c></title>", 0),
    ("<textarea><p a b c></textarea>", 0),
    ("<style>a</style><p a b c><style>b</style>", 3),
    ("<plaintext></plaintext><p a b c>", 0),    # plaintext has no end
    ("<svg><![CDATA[]]><p a b c></svg>", 3),    # an empty CDATA section ends at once
    ("<svg><![CDATA[a]]><g a b c/><![CDATA[b]]></svg>", 3),  # ...and at its own end, not a later one
    # bogus comments (<? and <! without a comment or CDATA) end at the first ">"
    ("<? <p a b c> x", 0),
    ("<?><p a b c>", 3),
    ("<?x><p a b c>", 3),
    ("<<p a b c>", 3),                          # a "<" that starts nothing is text
]


@pytest.mark.parametrize(("source", "attributes"), COUNTED)
def test_attributes_are_counted_as_lexbor_counts_them_at_the_bound(source: str, attributes: int) -> None:
    assert _most_attributes(source) == attributes  # the hand count is the parser's
    check_html(source, max_attributes=attributes)  # at the bound: accepted
    if attributes:
        with pytest.raises(DocumentTooComplexError, match=f"attributes; the limit is {attributes - 1}"):
            check_html(source, max_attributes=attributes - 1)


def test_elements_are_counted_at_the_bound() -> None:
    source = "<b>a</b><i>b</i><br><p/>"  # four start tags; end tags are not elements
    check_html(source, max_elements=4)
    with pytest.raises(DocumentTooComplexError, match="more than 3 elements; the limit is 3"):
        check_html(source, max_elements=3)


@pytest.mark.parametrize("source", ["x<", "<p a", "<p a=", "<p a /", '<p a="x b', "<p a='"])
def test_a_document_cut_off_inside_a_tag_is_counted_without_error(source: str) -> None:
    check_html(source, max_attributes=1)  # the one attribute is counted; nothing past the end is read


def test_a_tag_cut_off_at_the_end_still_counts_as_an_element() -> None:
    # lexbor drops it; the scan counts it: more, never fewer
    with pytest.raises(DocumentTooComplexError, match="the limit is 0"):
        check_html("x<b", max_elements=0)


def test_a_tag_inside_a_comment_is_not_an_element() -> None:
    check_html("<!-- x <b-->", max_elements=0)
    check_html("<!-- x <b--!>", max_elements=0)


def test_a_long_tag_name_is_cut_to_40_characters_in_the_message() -> None:
    cut = r"an HTML element \(" + "a" * 40 + r"\) has more than 1 attributes"
    with pytest.raises(DocumentTooComplexError, match=cut):
        check_html("<" + "a" * 50 + " x y>", max_attributes=1)


@pytest.mark.parametrize(("source", "elements"), [
    ("<p><svg><![CDATA[ x", 2),            # a CDATA section without its "]]>" runs to the end of the text
    ("<svg><![CDATA[ <b ]]></svg>", 1),    # a "<b" just before its "]]>" is text of the section
    ("<b><?x", 1),                         # a bogus comment without its ">" runs to the end
    ("x<b> < y", 1),                       # a "<" before a space is text: the scan goes on after it, not back
])
def test_elements_are_counted_once_whatever_the_scan_passes_over(source: str, elements: int) -> None:
    check_html(source, max_elements=elements)  # at the bound: accepted
    with pytest.raises(DocumentTooComplexError, match=f"the limit is {elements - 1}"):
        check_html(source, max_elements=elements - 1)
