"""Subtitle lines as pieces (files/pieces.py), through the SRT and WebVTT layouts and a translation written here:
inline tags and overrides are copied, the text between them translated; a space the translation adds between
two runs a tag glued goes on the outer side of the element; UTF-8 and its byte order mark."""

from __future__ import annotations

import pytest

from service.core.files import MalformedFileError
from service.core.files.po import PoLayout
from service.core.files.subtitles import SrtLayout, VttLayout

CUE = b"1\n00:00:01,000 --> 00:00:02,000\n"
VTT = b"WEBVTT\n\n00:01.000 --> 00:02.000\n"


def _render(data: bytes, translation: str, layout_class: type[SrtLayout | VttLayout] = SrtLayout) -> bytes:
    layout = layout_class(data)
    layout.render(translation, [(0, len(layout.visible_text), 0, len(translation))], [])
    assert layout.output is not None
    return layout.output


@pytest.mark.parametrize(("row", "expected"), [
    (b"<i>Ola</i>mundo", b"<i>HELLO</i> WORLD"),                            # after the element
    (b"Ola<i>mundo</i>", b"HELLO <i>WORLD</i>"),                            # before it
    (b"Ola</i>mundo", b"HELLO </i>WORLD"),                                  # a close tag the row did not open
    (b"<b><i>Ola</i><u>mundo</u></b>", b"<b><i>HELLO </i><u>WORLD</u></b>"),  # between two of one depth
    (b"<b><i>Ola</i></b><u>mundo</u>", b"<b><i>HELLO</i></b><u> WORLD</u>"),  # out of two, into one
    (b"<i>Ola</i>{\\an8}mundo", b"<i>HELLO</i>{\\an8} WORLD"),              # an override opens nothing
    (b"<i>Ola</i><br/>mundo", b"<i>HELLO</i><br/> WORLD"),                  # nor does a self-closing tag
    (b"<i>Ola</i><00:00:01.000>mundo", b"<i>HELLO</i><00:00:01.000> WORLD"),  # nor a karaoke timestamp
    (b"<i>Ola</i><5>mundo", b"<i>HELLO</i><5> WORLD"),                      # nor a tag that starts with a digit
    (b"<b>Ola<i>mundo", b"<b>HELLO <i>WORLD"),                              # elements the next row closes
], ids=["after", "before", "stray-close", "same-depth", "two-then-one", "override", "self-closing", "timestamp",
        "digit", "left-open"])
def test_a_space_the_translation_adds_where_a_tag_glued_two_words_goes_outside_the_element(
        row: bytes, expected: bytes) -> None:
    assert _render(CUE + row + b"\n", "HELLO WORLD") == CUE + expected + b"\n"


def test_tags_are_copied_and_the_text_around_them_translated_with_its_spaces() -> None:
    source = CUE + b"{\\an8}<i>Ola</i> <b>mundo</b> e <font color=\"red\">tudo</font>\n"
    assert _render(source, "Hello world and all") == \
        CUE + b"{\\an8}<i>Hello</i> <b>world</b> and <font color=\"red\">all</font>\n"


def test_vtt_text_before_and_after_tags_is_unescaped_for_the_translator_and_escaped_back() -> None:
    layout = VttLayout(VTT + b"A &amp; B <i>C</i> D &lt; E\n")
    assert layout.visible_text == "A & B C D < E"
    layout.render("a & b c d < e", [(0, 13, 0, 13)], [])
    assert layout.output == VTT + b"a &amp; b <i>c</i> d &lt; e\n"


@pytest.mark.parametrize("layout_class", [SrtLayout, VttLayout], ids=["srt", "vtt"])
def test_a_byte_order_mark_is_not_text_and_is_written_back(layout_class: type[SrtLayout | VttLayout]) -> None:
    source = VTT if layout_class is VttLayout else CUE
    layout = layout_class(b"\xef\xbb\xbf" + source + b"Ola\n")
    assert layout.visible_text == "Ola"
    layout.render("Hello", [(0, 3, 0, 5)], [])
    assert layout.output == b"\xef\xbb\xbf" + source + b"Hello\n"


def test_a_file_not_in_utf8_says_which_byte() -> None:
    with pytest.raises(MalformedFileError) as caught:
        PoLayout(b'msgid "a\xe7"\nmsgstr ""\n', "en")
    assert str(caught.value) == "the PO file is not UTF-8 (byte 8); convert it to UTF-8 and send it again"
