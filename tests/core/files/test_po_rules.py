"""PO files (files/po.py) through open_file, an upper-casing fake translator and write: the exact bytes out,
written by hand (msgstr lines only, plural forms, the header, line endings, errors)."""

from __future__ import annotations

import pytest

from service.core.files import MalformedFileError, NoTextError, open_file
from service.core.files.po import PoLayout
from tests.core.formats.helpers import _upper, translate


def _po(data: bytes, target_language: str = "en") -> bytes:
    _, layout = open_file(data, "messages.po", target_language=target_language)
    translate(layout, _upper)
    assert layout.output is not None
    return layout.output


def test_each_entry_gets_its_own_translation_in_its_msgstr_and_the_rest_is_copied() -> None:
    source = (b'#: a.c:1\n#, fuzzy\nmsgctxt "menu"\nmsgid "Abrir o ficheiro %s"\nmsgstr "velho"\n\n'
              b'msgid "Fechar"\nmsgstr ""\n\n#~ msgid "antigo"\n#~ msgstr "old"\n')
    assert _po(source) == (b'#: a.c:1\n#, fuzzy\nmsgctxt "menu"\nmsgid "Abrir o ficheiro %s"\n'
                           b'msgstr "ABRIR O FICHEIRO %s"\n\nmsgid "Fechar"\nmsgstr "FECHAR"\n\n'
                           b'#~ msgid "antigo"\n#~ msgstr "old"\n')


def test_plural_forms_take_the_singular_in_msgstr_0_and_the_plural_in_the_others() -> None:
    source = (b'msgid "um gato"\nmsgid_plural "%d gatos"\nmsgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\n\n'
              b'msgid "sim"\nmsgstr ""\n')
    assert _po(source) == (b'msgid "um gato"\nmsgid_plural "%d gatos"\nmsgstr[0] "UM GATO"\n'
                           b'msgstr[1] "%d GATOS"\nmsgstr[2] "%d GATOS"\n\nmsgid "sim"\nmsgstr "SIM"\n')


def test_a_plural_entry_with_a_plain_msgstr_writes_msgstr_0() -> None:
    assert _po(b'msgid "um gato"\nmsgid_plural "gatos"\nmsgstr ""\n') == \
        b'msgid "um gato"\nmsgid_plural "gatos"\nmsgstr[0] "UM GATO"\n'


def test_a_multi_line_message_keeps_its_line_breaks_and_its_continuation_lines_go() -> None:
    source = (b'msgid ""\n"Linha um\\n"\n"linha dois"\nmsgid_plural "muitas\\nlinhas"\n'
              b'msgstr[0] ""\n"x"\nmsgstr[1] ""\n"y"\n')
    assert _po(source) == (b'msgid ""\n"Linha um\\n"\n"linha dois"\nmsgid_plural "muitas\\nlinhas"\n'
                           b'msgstr[0] "LINHA UM\\nLINHA DOIS"\nmsgstr[1] "MUITAS\\nLINHAS"\n')


def test_escapes_are_read_and_written_as_gettext_does() -> None:
    # backslash, quote, tab, carriage return (kept around the text: inside it they are spaces like any other);
    # an unknown escape (\q) stands for its letter
    source = b'msgid "\\ta\\\\b \\"c\\" \\qz\\r"\nmsgstr ""\n'
    assert _po(source) == b'msgid "\\ta\\\\b \\"c\\" \\qz\\r"\nmsgstr "\\tA\\\\B \\"C\\" QZ\\r"\n'


def test_entries_not_parted_by_blank_lines_are_still_separate_entries() -> None:
    source = (b'msgid "um"\nmsgstr ""\nmsgid "dois"\nmsgstr ""\nmsgctxt "c"\nmsgid "tres"\nmsgstr ""\n'
              b'#, fuzzy\nmsgid "quatro"\nmsgstr ""\n')
    assert _po(source) == (b'msgid "um"\nmsgstr "UM"\nmsgid "dois"\nmsgstr "DOIS"\nmsgctxt "c"\n'
                           b'msgid "tres"\nmsgstr "TRES"\n#, fuzzy\nmsgid "quatro"\nmsgstr "QUATRO"\n')


def test_an_entry_without_msgstr_is_left_and_the_next_one_translated() -> None:
    assert _po(b'msgid "um"\n\nmsgid "dois"\nmsgstr ""\n') == b'msgid "um"\n\nmsgid "dois"\nmsgstr "DOIS"\n'


HEADER = (b'msgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n"Language: pt\\n"\n'
          b'"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\nmsgid "sim"\nmsgstr ""\n')


def test_the_header_gets_the_target_language_and_english_plural_forms() -> None:
    assert _po(HEADER) == (b'msgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n"Language: en\\n"\n'
                           b'"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\nmsgid "sim"\nmsgstr "SIM"\n')


def test_the_header_keeps_plural_forms_for_another_language() -> None:
    assert _po(HEADER, "fr") == (b'msgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n"Language: fr\\n"\n'
                                 b'"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\nmsgid "sim"\nmsgstr "SIM"\n')


@pytest.mark.parametrize("forms", [
    b"nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);",   # not two forms: English cannot take it over
    b"nplurals=2; plural=(n > 1 ? 1 : 0);",            # a colon in the value: the name is before the first
])
def test_plural_forms_of_two_forms_only_are_made_english(forms: bytes) -> None:
    source = b'msgid ""\nmsgstr "Language: pt\\n"\n"Plural-Forms: ' + forms + b'\\n"\n\nmsgid "sim"\nmsgstr ""\n'
    expected = b'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Plural-Forms: ' + (
        forms if b"nplurals=3" in forms else b"nplurals=2; plural=(n != 1);") + b'\\n"\n\nmsgid "sim"\nmsgstr "SIM"\n'
    assert _po(source) == expected


def test_a_header_already_right_is_copied_as_it_is() -> None:
    source = b'msgid ""\nmsgstr "Language: en\\n"\n"X-Generator: y\\n"\n\nmsgid "sim"\nmsgstr ""\n'
    assert _po(source) == source.replace(b'msgstr ""', b'msgstr "SIM"')


def test_a_header_without_msgstr_0_is_copied_as_it_is() -> None:
    source = b'msgid ""\nmsgstr[1] "Language: pt\\n"\n\nmsgid "sim"\nmsgstr ""\n'
    assert _po(source) == source.replace(b'msgstr ""', b'msgstr "SIM"')


def test_a_header_line_ending_in_crlf_keeps_it() -> None:
    source = b'msgid ""\nmsgstr ""\n"Language: pt\\n"\n"X-Generator: y\\n"\r\n\nmsgid "sim"\nmsgstr ""\n'
    assert _po(source) == (b'msgid ""\nmsgstr ""\n"Language: en\\n"\n"X-Generator: y\\n"\r\n\n'
                           b'msgid "sim"\nmsgstr "SIM"\n')


def test_crlf_files_get_crlf_and_lf_files_lf() -> None:
    crlf = b'msgid "um gato"\r\nmsgid_plural "gatos"\r\nmsgstr[0] ""\r\nmsgstr[1] ""\r\n'
    assert _po(crlf) == b'msgid "um gato"\r\nmsgid_plural "gatos"\r\nmsgstr[0] "UM GATO"\r\nmsgstr[1] "GATOS"\r\n'
    # half the lines end in CRLF: not more than half, so LF; a msgstr line keeps its own ending
    half = b'msgid "um gato"\r\nmsgid_plural "gatos"\r\nmsgstr[0] ""\nmsgstr[1] ""\n'
    assert _po(half) == b'msgid "um gato"\r\nmsgid_plural "gatos"\r\nmsgstr[0] "UM GATO"\nmsgstr[1] "GATOS"\n'
    few = b'msgid "um"\nmsgstr ""\r\n\nmsgid "um gato"\nmsgid_plural "gatos"\nmsgstr[0] ""\nmsgstr[1] ""\n'
    assert _po(few) == (b'msgid "um"\nmsgstr "UM"\r\n\nmsgid "um gato"\nmsgid_plural "gatos"\n'
                        b'msgstr[0] "UM GATO"\nmsgstr[1] "GATOS"\n')


def test_a_last_line_without_line_ending_gets_the_files() -> None:
    assert _po(b'msgid "sim"\r\nmsgstr ""') == b'msgid "sim"\r\nmsgstr "SIM"\r\n'


def test_the_visible_text_is_the_messages_only() -> None:
    _, layout = open_file(HEADER + b'\nmsgid "um"\nmsgid_plural "dois"\nmsgstr[0] ""\n', "m.po")
    assert layout.visible_text == "sim\n\num\n\ndois"


@pytest.mark.parametrize(("data", "message"), [
    (b'msgid "sim"\nmsgstr ""\nlixo\n', "line 3 of the PO file is neither a comment, a keyword nor a string"),
    (b'msgid "sim"\nlixo\nmsgstr ""\n', "line 2 of the PO file is neither a comment, a keyword nor a string"),
    (b'"orfao"\nmsgid "sim"\nmsgstr ""\n', "line 1 of the PO file is neither a comment, a keyword nor a string"),
    (b'msgid "sim\xff"\nmsgstr ""\n', "the PO file is not UTF-8 (byte 10); convert it to UTF-8 and send it again"),
])
def test_malformed_files_say_which_line(data: bytes, message: str) -> None:
    with pytest.raises(MalformedFileError) as caught:
        PoLayout(data, "en")
    assert str(caught.value) == message


def test_a_file_with_the_header_only_has_no_message() -> None:
    with pytest.raises(NoTextError) as caught:
        PoLayout(b'msgid ""\nmsgstr "Language: pt\\n"\n', "en")
    assert str(caught.value) == "the PO file has no message to translate"
