"""Subtitles (files/subtitles.py): SRT and WebVTT layouts through an upper-casing or reversing fake translator
(or a translation written here) and render: the exact bytes out, written by hand (cues, stray lines, NOTE/STYLE/
REGION blocks, entities, errors)."""

from __future__ import annotations

import pytest

from service.core.files import MalformedFileError, NoTextError
from service.core.files.pieces import PiecesLayout
from service.core.files.subtitles import SrtLayout, VttLayout
from tests.core.formats.helpers import _reverse, _upper, translate

CUE = b"1\n00:00:01,000 --> 00:00:02,000\n"
VTT_CUE = b"00:01.000 --> 00:02.000\n"


def _out(layout: PiecesLayout, change=_upper) -> bytes:  # type: ignore[no-untyped-def]
    translate(layout, change)
    assert layout.output is not None
    return layout.output


def _srt(data: bytes, change=_upper) -> bytes:  # type: ignore[no-untyped-def]
    return _out(SrtLayout(data), change)


def _vtt(data: bytes, change=_upper) -> bytes:  # type: ignore[no-untyped-def]
    return _out(VttLayout(data), change)


# --- SRT ---------------------------------------------------------------------------------------------------------

def test_srt_cues_are_translated_and_numbers_timings_and_rows_kept() -> None:
    source = (b"1\r\n00:00:01,000 --> 00:00:02,000\r\nOla mundo\r\nsegunda linha\r\n\r\n"
              b"2\n00:00:03,000 --> 00:00:04,000\n{\\an8}Adeus\n")
    assert _srt(source) == (b"1\r\n00:00:01,000 --> 00:00:02,000\r\nOLA MUNDO\r\nSEGUNDA LINHA\r\n\r\n"
                            b"2\n00:00:03,000 --> 00:00:04,000\n{\\an8}ADEUS\n")


def test_srt_a_cue_without_its_number_starts_at_its_timing_line() -> None:
    assert _srt(b"00:00:01,000 --> 00:00:02,000\nOla\n\n00:00:03,000 --> 00:00:04,000\nAdeus\n") == \
        b"00:00:01,000 --> 00:00:02,000\nOLA\n\n00:00:03,000 --> 00:00:04,000\nADEUS\n"


def test_srt_entities_are_text_not_escapes() -> None:
    # SRT has no character references: "&amp;" is five characters of text, translated as they are
    assert _srt(CUE + b"Sal &amp; pimenta\n") == CUE + b"SAL &AMP; PIMENTA\n"


def test_srt_a_row_ending_in_x_keeps_the_x_as_text() -> None:
    # the row's line ending is markup, not its last letters
    assert _srt(CUE + b"Raio X\n", _reverse) == CUE + b"X Raio\n"


def test_srt_rows_stay_rows_when_the_translation_glues_their_words() -> None:
    layout = SrtLayout(CUE + b"Lisboa\nPorto\n")
    layout.render("Lisboa-Porto", [(0, 12, 0, 12)], [])
    assert layout.output is not None
    rows = layout.output[len(CUE):].split(b"\n")
    assert len(rows) == 3 and rows[0].startswith(b"Lisboa") and rows[1:] == [b"Porto", b""]


def test_srt_a_no_break_space_ending_a_row_is_text_the_translation_replaces() -> None:
    layout = SrtLayout(CUE + "Ola\u00a0\nmundo\u00a0\n".encode())
    assert layout.visible_text == "Ola\u00a0 mundo\u00a0"
    layout.render("HELLO WORLD", [(0, 11, 0, 11)], [])
    assert layout.output == CUE + b"HELLO\nWORLD\n"


def test_srt_lines_outside_cues_are_copied_and_not_translated() -> None:
    # stray text before the first cue, after a cue's blank line, a lone number, a number before text
    source = (b"lixo inicial\n00:00:01,000 --> 00:00:02,000\nOla\n\n7\nsolto texto\nmais texto\n\n"
              b"2\n00:00:03,000 --> 00:00:04,000\nAdeus\n\nfim solto\n")
    assert _srt(source) == (b"lixo inicial\n00:00:01,000 --> 00:00:02,000\nOLA\n\n7\nsolto texto\nmais texto\n\n"
                            b"2\n00:00:03,000 --> 00:00:04,000\nADEUS\n\nfim solto\n")


def test_srt_a_number_then_a_stray_line_then_a_timing_leaves_the_stray_line() -> None:
    assert _srt(b"7\nlixo\n00:00:01,000 --> 00:00:02,000\nOla\n") == \
        b"7\nlixo\n00:00:01,000 --> 00:00:02,000\nOLA\n"


def test_srt_a_number_at_the_end_of_the_file_is_copied() -> None:
    assert _srt(CUE + b"Ola\n\n2") == CUE + b"OLA\n\n2"


def test_srt_a_last_cue_without_text_is_copied() -> None:
    assert _srt(CUE + b"Ola\n\n2\n00:00:03,000 --> 00:00:04,000\n") == \
        CUE + b"OLA\n\n2\n00:00:03,000 --> 00:00:04,000\n"


def test_srt_a_number_first_and_a_timing_last_do_not_make_a_cue_of_the_lines_after_the_number() -> None:
    source = b"5\nsolto\nmais\n\n" + CUE + b"Ola\n\n00:00:09,000 --> 00:00:10,000\n"
    assert _srt(source) == b"5\nsolto\nmais\n\n" + CUE + b"OLA\n\n00:00:09,000 --> 00:00:10,000\n"


def test_srt_without_a_cue_is_malformed() -> None:
    with pytest.raises(MalformedFileError) as caught:
        SrtLayout(b"1\nOla mundo\n")
    assert str(caught.value) == "the SRT file has no cue (a number, a timing line 00:00:01,000 --> ...)"


def test_srt_with_cues_but_no_text_has_no_text() -> None:
    with pytest.raises(NoTextError) as caught:
        SrtLayout(CUE + b"<i></i>\n")
    assert str(caught.value) == "the SRT file has no subtitle text"


def test_srt_not_in_utf8_is_malformed_with_the_byte() -> None:
    with pytest.raises(MalformedFileError) as caught:
        SrtLayout(CUE + b"Ol\xe1\n")
    assert str(caught.value) == ("the SRT file is not UTF-8 (byte 34); convert it to UTF-8 and send it again")


# --- WebVTT ------------------------------------------------------------------------------------------------------

def test_vtt_cues_are_translated_and_the_header_ids_and_settings_kept() -> None:
    source = (b"WEBVTT - legendas\nKind: captions\n\nabertura\n00:01.000 --> 00:02.000 align:start\n"
              b"<v Ana>Ola mundo</v>\nsegunda linha\n\n" + VTT_CUE + b"Adeus\n")
    assert _vtt(source) == (b"WEBVTT - legendas\nKind: captions\n\nabertura\n00:01.000 --> 00:02.000 align:start\n"
                            b"<v Ana>OLA MUNDO</v>\nSEGUNDA LINHA\n\n" + VTT_CUE + b"ADEUS\n")


def test_vtt_character_references_are_read_and_written_back_escaped() -> None:
    layout = VttLayout(b"WEBVTT\n\n" + VTT_CUE + b"Sal &amp; pimenta &lt;3\n")
    assert layout.visible_text == "Sal & pimenta <3"
    assert _out(layout) == b"WEBVTT\n\n" + VTT_CUE + b"SAL &amp; PIMENTA &lt;3\n"


def test_vtt_a_translation_with_ampersand_and_angle_brackets_is_escaped() -> None:
    layout = VttLayout(b"WEBVTT\n\n" + VTT_CUE + b"Ola\n")
    layout.render("A & <b>", [(0, 3, 0, 7)], [])
    assert layout.output == b"WEBVTT\n\n" + VTT_CUE + b"A &amp; &lt;b&gt;\n"


@pytest.mark.parametrize("block", [b"NOTE muda --> agora\nnao traduzir", b"STYLE\n::cue --> {}\nnao traduzir",
                                   b"REGION\nid:a --> b\nnao traduzir"], ids=["note", "style", "region"])
def test_vtt_note_style_and_region_blocks_are_copied_even_with_an_arrow(block: bytes) -> None:
    source = b"WEBVTT\n\n" + block + b"\n\n" + VTT_CUE + b"Ola\n"
    assert _vtt(source) == b"WEBVTT\n\n" + block + b"\n\n" + VTT_CUE + b"OLA\n"


def test_vtt_a_stray_block_is_copied_and_the_next_cue_translated() -> None:
    source = b"WEBVTT\n\nlixo solto\n\n" + VTT_CUE + b"Ola & mundo\n"
    assert _vtt(source, _reverse) == b"WEBVTT\n\nlixo solto\n\n" + VTT_CUE + b"mundo &amp; Ola\n"


def test_vtt_a_note_at_the_end_of_the_file_is_copied() -> None:
    source = b"WEBVTT\n\n" + VTT_CUE + b"Ola\n\nNOTE fim"
    assert _vtt(source) == b"WEBVTT\n\n" + VTT_CUE + b"OLA\n\nNOTE fim"


def test_vtt_with_a_byte_order_mark_keeps_it() -> None:
    assert _vtt(b"\xef\xbb\xbfWEBVTT\n\n" + VTT_CUE + b"Ola\n") == b"\xef\xbb\xbfWEBVTT\n\n" + VTT_CUE + b"OLA\n"


@pytest.mark.parametrize("data", [b"", b"HELLO\n\n" + VTT_CUE + b"Ola\n", b"WEBVTTX\n\n" + VTT_CUE + b"Ola\n",
                                  "WEBVTT\u00a0\n\n".encode() + VTT_CUE + b"Ola\n"],
                         ids=["empty", "other-first-line", "letter-after-WEBVTT", "no-break-space-after-WEBVTT"])
def test_vtt_must_start_with_the_line_webvtt(data: bytes) -> None:
    with pytest.raises(MalformedFileError) as caught:
        VttLayout(data)
    assert str(caught.value) == "a WebVTT file starts with the line WEBVTT"


@pytest.mark.parametrize("data", [b"WEBVTT", b"WEBVTT\nKind: captions\n\nNOTE so uma nota\n"], ids=["header", "note"])
def test_vtt_without_a_cue_has_no_text(data: bytes) -> None:
    with pytest.raises(NoTextError) as caught:
        VttLayout(data)
    assert str(caught.value) == "the WebVTT file has no cue text"


def test_vtt_not_in_utf8_is_malformed_with_the_byte() -> None:
    with pytest.raises(MalformedFileError) as caught:
        VttLayout(b"WEBVTT\n\n" + VTT_CUE + b"Ol\xe1\n")
    assert str(caught.value) == ("the WebVTT file is not UTF-8 (byte 34); convert it to UTF-8 and send it again")
