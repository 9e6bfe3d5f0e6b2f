"""The visible text of XML parts and the translation put back (files/xmltext.py), on small hand-written parts
with plain element names: which text is inside a block, entities, fixed elements and spaces, where a space the
translation adds between two text nodes goes (after the deeper one's text, or before the shallower one's), tails,
and xml:space="preserve". Each sentence's translation is given by hand."""

from __future__ import annotations

from lxml import etree

from service.core.files.safexml import parse
from service.core.files.xmltext import Rules, XmlText, put_back

XHTML = (b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
         b'"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">')
P = Rules(blocks=frozenset({"p"}))


def _walk(xml: bytes, rules: Rules = P) -> tuple[XmlText, etree._Element]:
    root = parse((XHTML + xml) if b"&" in xml else xml, "part.xml", html_entities=True).getroot()
    text = XmlText()
    text.walk(0, root, rules)
    return text, root


def _visible(xml: bytes, rules: Rules = P) -> str:
    return "".join(_walk(xml, rules)[0].parts)


def _put(xml: bytes, targets: list[str], rules: Rules = P) -> str:
    """The part with each block's text replaced by its target (one sentence a block)."""
    text, root = _walk(xml, rules)
    spans, src, dst = [], 0, 0
    for source, target in zip("".join(text.parts).split("\n\n"), targets, strict=True):
        spans.append((src, src + len(source), dst, dst + len(target)))
        src, dst = src + len(source) + 2, dst + len(target) + 2
    assert put_back(text, "\n\n".join(targets), spans, [rules]) == {0}
    return etree.tostring(root, encoding="unicode")


def test_text_outside_every_block_is_not_visible() -> None:
    assert _visible("<r>solta<p>Olá mundo</p>depois<i>fora</i></r>".encode()) == "Olá mundo"


def test_text_after_a_block_inside_a_block_is_still_visible() -> None:
    assert _visible("<r><p>Um<p>dois</p>três</p></r>".encode()) == "Um\n\ndois\n\ntrês"


def test_html_entities_inside_a_block_are_their_characters_and_a_comment_is_nothing() -> None:
    # &Xi; starts with an X (a strip of more than "&;" would lose it); the comment's text is an entity's name
    assert _visible(b"<r>&eacute;<p>Caf&eacute; &Xi; <!--amp--> ok</p></r>") == "Café Ξ ok"


def test_a_fixed_element_keeps_all_its_text_joined_and_protected() -> None:
    rules = Rules(blocks=frozenset({"p"}), fixed=frozenset({"f"}))
    text, _ = _walk("<p>Olá <f>a<b>b</b>c</f> mundo</p>".encode(), rules)
    assert ("".join(text.parts), text.protected) == ("Olá abc mundo", [(4, 7)])


def test_a_spaces_element_is_a_space_and_another_inline_element_is_nothing() -> None:
    rules = Rules(blocks=frozenset({"p"}), spaces=frozenset({"tab"}))
    assert _visible(b"<p>ab<tab/>cd<i>ef</i>gh</p>", rules) == "ab cdefgh"


def test_a_tail_takes_its_share_of_the_translation() -> None:
    assert _put("<p><i>Olá</i> mundo</p>".encode(), ["HELLO WORLD"]) == "<p><i>HELLO</i> WORLD</p>"


def test_a_new_space_after_an_inline_element_goes_before_the_text_that_follows_it() -> None:
    # "abcd" is one word; its translation two: the space goes outside <i>, into the tail
    assert _put(b"<p><i>ab</i>cd</p>", ["XX YY"]) == "<p><i>XX</i> YY</p>"


def test_a_new_space_after_a_tail_inside_an_inline_element_goes_outside_it() -> None:
    assert _put(b"<p><i><b/>cd</i>ef</p>", ["XX YY"]) == "<p><i><b/>XX</i> YY</p>"


def test_a_new_space_before_a_comment_goes_after_the_text_before_it() -> None:
    assert _put(b"<p>ab<!--c-->cd</p>", ["XX YY"]) == "<p>XX <!--c-->YY</p>"


def test_a_skipped_element_keeps_its_text_and_a_new_space_before_it_goes_after_the_text_before_it() -> None:
    rules = Rules(blocks=frozenset({"p"}), skip=frozenset({"del"}))
    xml = b"<p>ab<del>apagado</del>cd</p>"
    assert _visible(xml, rules) == "abcd"
    assert _put(xml, ["XX YY"], rules) == "<p>XX <del>apagado</del>YY</p>"


def test_a_new_space_before_a_nested_part_goes_after_the_text_before_it_and_the_nested_part_follows() -> None:
    rules = Rules(blocks=frozenset({"p"}), nested=frozenset({"note"}))
    xml = b"<p>ab<note><p>nota</p></note>cd</p>"
    assert _visible(xml, rules) == "abcd\n\nnota"
    assert _put(xml, ["XX YY", "NOTE"], rules) == "<p>XX <note><p>NOTE</p></note>YY</p>"


def test_only_a_preserve_space_leaf_whose_new_text_has_an_edge_space_gets_xml_space_preserve() -> None:
    rules = Rules(blocks=frozenset({"p"}), leaves=frozenset({"t", "u"}), preserve_space=frozenset({"t"}))
    assert _put(b"<p><u>ab</u><t>cd</t><t>ef</t></p>", ["XX YY ZZ"], rules) == \
        '<p><u>XX </u><t xml:space="preserve">YY </t><t>ZZ</t></p>'
