"""XLIFF 1.2 and 2.0 files (files/xliff.py) through open_file, an upper-casing fake translator and write: the
exact bytes out, written by hand (targets made or replaced, their states, translate="no", protected <mrk>
ranges, the indentation), merge_ranges, and the errors."""

from __future__ import annotations

import pytest

from service.core.files import MalformedFileError, open_file
from service.core.files.xliff import XliffLayout, merge_ranges
from tests.core.formats.helpers import _upper, translate

DECL = b'<?xml version="1.0" encoding="UTF-8"?>\n'
V12 = b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">\n'
V20 = b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="pt"'


def _xliff(data: bytes) -> bytes:
    _, layout = open_file(data, "strings.xlf", target_language="en")
    translate(layout, _upper)
    assert layout.output is not None
    return layout.output


def _v12(body: bytes) -> bytes:
    return DECL + V12 + b'  <file original="a" source-language="pt" datatype="plaintext">\n    <body>\n' + body + \
        b'    </body>\n  </file>\n</xliff>\n'


def _v12_out(body: bytes) -> bytes:
    return DECL + V12 + (b'  <file original="a" source-language="pt" datatype="plaintext" target-language="en">\n'
                         b'    <body>\n') + body + b'    </body>\n  </file>\n</xliff>\n'


def test_v12_units_get_a_target_with_mt_states_and_protected_mrk_kept() -> None:
    source = _v12(b'      <trans-unit id="1">\n'
                  b'        <source>Abrir <mrk mtype="protected">Lisboa Norte</mrk> e <mrk mtype="term">casa</mrk>'
                  b' %s</source>\n'
                  b'      </trans-unit>\n')
    assert _xliff(source) == _v12_out(
        b'      <trans-unit id="1">\n'
        b'        <source>Abrir <mrk mtype="protected">Lisboa Norte</mrk> e <mrk mtype="term">casa</mrk>'
        b' %s</source>\n'
        b'        <target state="needs-review-translation" state-qualifier="mt-suggestion">ABRIR '
        b'<mrk mtype="protected">Lisboa Norte</mrk> E <mrk mtype="term">CASA</mrk> %s</target>\n'
        b'      </trans-unit>\n')


def test_v12_an_existing_target_is_replaced_and_alt_trans_and_translate_no_left() -> None:
    source = _v12(b'      <trans-unit id="2">\n'
                  b'        <source>Fechar</source>\n'
                  b'        <target state="new">velho</target>\n'
                  b'        <alt-trans><source>Fechar</source><target>Close</target></alt-trans>\n'
                  b'      </trans-unit>\n'
                  b'      <trans-unit id="3" translate="no">\n'
                  b'        <source>Nada</source>\n'
                  b'      </trans-unit>\n')
    assert _xliff(source) == _v12_out(
        b'      <trans-unit id="2">\n'
        b'        <source>Fechar</source>\n'
        b'        <target state="needs-review-translation" state-qualifier="mt-suggestion">FECHAR</target>\n'
        b'        <alt-trans><source>Fechar</source><target>Close</target></alt-trans>\n'
        b'      </trans-unit>\n'
        b'      <trans-unit id="3" translate="no">\n'
        b'        <source>Nada</source>\n'
        b'      </trans-unit>\n')


def test_v12_a_unit_without_source_is_passed_over_and_the_next_translated() -> None:
    source = _v12(b'      <trans-unit id="0"><note>vazio</note></trans-unit>\n'
                  b'      <trans-unit id="1"><note>n</note>\n        <source>Sim</source></trans-unit>\n')
    # the target takes the source's place (its tail); the source gets the whitespace before it (the note's tail)
    assert _xliff(source) == _v12_out(
        b'      <trans-unit id="0"><note>vazio</note></trans-unit>\n'
        b'      <trans-unit id="1"><note>n</note>\n        <source>Sim</source>\n        '
        b'<target state="needs-review-translation" state-qualifier="mt-suggestion">SIM</target></trans-unit>\n')


def test_v12_a_source_first_in_its_unit_gives_the_target_the_units_indentation() -> None:
    source = _v12(b'      <trans-unit id="1">\n          <source>Sim</source>\n      </trans-unit>\n')
    assert _xliff(source) == _v12_out(
        b'      <trans-unit id="1">\n          <source>Sim</source>\n          '
        b'<target state="needs-review-translation" state-qualifier="mt-suggestion">SIM</target>\n'
        b'      </trans-unit>\n')


def test_v20_segments_get_a_target_the_state_translated_and_trglang() -> None:
    source = DECL + V20 + (b'>\n  <file id="f">\n    <unit id="1">\n      <segment>\n'
                           b'        <source>Abrir <mrk id="m" translate="no">Lisboa Norte</mrk> agora</source>\n'
                           b'      </segment>\n'
                           b'      <ignorable><source> </source></ignorable>\n'
                           b'      <segment>\n        <source>Fechar</source>\n        <target>velho</target>\n'
                           b'      </segment>\n'
                           b'      <segment translate="no">\n        <source>Fica</source>\n      </segment>\n'
                           b'    </unit>\n'
                           b'    <unit id="2" translate="no">\n      <segment><source>Nada</source></segment>\n'
                           b'    </unit>\n  </file>\n</xliff>\n')
    assert _xliff(source) == DECL + V20 + (
        b' trgLang="en">\n  <file id="f">\n    <unit id="1">\n      <segment state="translated">\n'
        b'        <source>Abrir <mrk id="m" translate="no">Lisboa Norte</mrk> agora</source>\n'
        b'        <target>ABRIR <mrk id="m" translate="no">Lisboa Norte</mrk> AGORA</target>\n'
        b'      </segment>\n'
        b'      <ignorable><source> </source></ignorable>\n'
        b'      <segment state="translated">\n        <source>Fechar</source>\n        <target>FECHAR</target>\n'
        b'      </segment>\n'
        b'      <segment translate="no">\n        <source>Fica</source>\n      </segment>\n'
        b'    </unit>\n'
        b'    <unit id="2" translate="no">\n      <segment><source>Nada</source></segment>\n'
        b'    </unit>\n  </file>\n</xliff>\n')


def test_protected_ranges_are_the_protected_mrk_and_the_placeholders() -> None:
    _, layout = open_file(_v12(b'      <trans-unit id="1"><source>Ver <mrk mtype="protected">A B</mrk> %s '
                               b'<mrk translate="no">C</mrk> <mrk mtype="term">D</mrk></source></trans-unit>\n'),
                          "a.xlf")
    assert layout.visible_text == "Ver A B %s C D"
    assert layout.protected == ((4, 7), (8, 10), (11, 12))


@pytest.mark.parametrize(("ranges", "merged"), [
    ([], ()),
    ([(5, 8), (0, 3)], ((0, 3), (5, 8))),
    ([(0, 3), (3, 5)], ((0, 3), (3, 5))),            # touching ranges stay two
    ([(0, 5), (1, 3)], ((0, 5),)),                   # one inside another: the outer one
    ([(0, 3), (2, 6), (9, 10)], ((0, 6), (9, 10))),  # overlapping: joined
    ([(9, 10), (0, 3), (2, 6), (4, 5)], ((0, 6), (9, 10))),
])
def test_merge_ranges_sorts_and_joins_overlapping_ranges(ranges: list[tuple[int, int]],
                                                         merged: tuple[tuple[int, int], ...]) -> None:
    assert merge_ranges(ranges) == merged


@pytest.mark.parametrize(("data", "message"), [
    (b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1"><file/></xliff>',
     "the XLIFF file is neither XLIFF 1.2 nor 2.0 (root element and namespace)"),
    (b'<xliff version="1.2"><file/></xliff>',
     "the XLIFF file is neither XLIFF 1.2 nor 2.0 (root element and namespace)"),
    (b'<xcliff xmlns="urn:oasis:names:tc:xliff:document:1.2"><file/></xcliff>',
     "the XLIFF file is neither XLIFF 1.2 nor 2.0 (root element and namespace)"),
])
def test_other_roots_and_versions_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(MalformedFileError) as caught:
        XliffLayout(data, "en")
    assert str(caught.value) == message


def test_a_broken_file_is_named_in_the_error() -> None:
    with pytest.raises(MalformedFileError) as caught:
        XliffLayout(b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2"><file></xliff>', "en")
    assert str(caught.value).startswith("the XLIFF file is not well-formed XML (")
