"""safexml's exact rules: what the parser keeps and refuses, and what serialise writes back byte for byte."""

from __future__ import annotations

import pytest
from lxml import etree

from service.core.files.errors import MalformedFileError, UnsafeFileError
from service.core.files.safexml import _parser, parse, serialise

XHTML = (b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
         b'"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">')
REFUSED = ("part declares XML entities; documents never need them and entity attacks "
           "(billion laughs, external entities) do: refused")
# Past the byte prescan: UTF-32 hides the "<!ENTITY" bytes, so the parsed DTD and libxml2's own checks answer.
LAUGHS = ('<!DOCTYPE r [<!ENTITY a "xxxxxxxxxx">' + "".join(
    f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcde", "bcdef", strict=True))
    + ']><r>' + "&f;" * 7 + '</r>')


def _roundtrip(data: bytes) -> bytes:
    return serialise(parse(data, "part"), data)


# --- the parser's options, beyond the prescan -------------------------------------------------------

def test_the_parser_itself_never_substitutes_an_entity() -> None:
    root = etree.fromstring(b'<!DOCTYPE a [<!ENTITY x "yy">]><a>&x;</a>', _parser())
    assert etree.tostring(root) == b"<a>&x;</a>"


def test_the_parser_keeps_libxml2s_depth_bound() -> None:
    with pytest.raises(MalformedFileError, match="depth"):
        parse(b"<a>" * 300 + b"</a>" * 300, "part")


def test_comments_pis_and_cdata_survive_a_roundtrip() -> None:
    data = b'<?xml version="1.0"?>\n<a><!-- note --><?proc x?><b><![CDATA[1 < 2]]></b> <c/></a>'
    assert _roundtrip(data) == data


def test_xml_ids_are_not_collected() -> None:
    root = parse(b'<a><b xml:id="x"/></a>', "part").getroot()
    assert root.xpath("id('x')") == []


# --- entities ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_an_entity_declaration_is_refused_before_parsing(encoding: str) -> None:
    # not even XML, and nothing before "<": only the byte prescan, with the right encoding, can call it unsafe
    data = '<!ENTITY x "y">'.encode(encoding)
    with pytest.raises(UnsafeFileError) as raised:
        parse(data, "part")
    assert str(raised.value) == REFUSED


def test_an_entity_declaration_the_prescan_misses_is_refused_from_the_dtd() -> None:
    with pytest.raises(UnsafeFileError) as raised:
        parse('<!DOCTYPE a [<!ENTITY x "y">]><a/>'.encode("utf-32"), "part")
    assert str(raised.value) == REFUSED


def test_billion_laughs_past_the_prescan_is_unsafe() -> None:
    with pytest.raises(UnsafeFileError) as raised:
        parse(LAUGHS.encode("utf-32"), "part")
    assert str(raised.value).startswith("part: Maximum entity amplification factor exceeded")
    assert str(raised.value).endswith("; refused")


def test_an_entity_loop_past_the_prescan_is_unsafe() -> None:
    data = '<!DOCTYPE a [<!ENTITY a "&b;"><!ENTITY b "&a;">]><r>&a;</r>'.encode("utf-32")
    with pytest.raises(UnsafeFileError) as raised:
        parse(data, "part")
    assert str(raised.value).startswith("part: Detected an entity reference loop")


def _failing_parser(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def fromstring(data: bytes, parser: etree.XMLParser) -> etree._Element:
        raise error
    monkeypatch.setattr(etree, "fromstring", fromstring)


def test_an_entity_loop_in_older_libxml2s_words_is_unsafe_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # libxml2 before 2.14 says "Entity loop" (this machine's says "Detected an entity reference loop")
    _failing_parser(monkeypatch, etree.XMLSyntaxError("Entity loop", 89, 1, 5))
    with pytest.raises(UnsafeFileError) as raised:
        parse(b"<r/>", "part")
    assert str(raised.value) == "part: Entity loop; refused"


def test_a_part_lxml_cannot_take_as_input_is_malformed(monkeypatch: pytest.MonkeyPatch) -> None:
    _failing_parser(monkeypatch, ValueError("can only parse strings"))
    with pytest.raises(MalformedFileError) as raised:
        parse(b"<r/>", "part")
    assert str(raised.value) == "part cannot be parsed as XML (can only parse strings)"


def test_html_entities_are_refused_unless_asked_for() -> None:
    data = XHTML + b"<p>a&nbsp;b</p>"
    with pytest.raises(UnsafeFileError) as raised:
        parse(data, "part")
    assert str(raised.value) == "part uses the undeclared entity '&nbsp;': refused"
    assert etree.tostring(parse(data, "part", html_entities=True).getroot()) == b"<p>a&nbsp;b</p>"


def test_every_html_entity_name_is_kept_as_it_is_spelled() -> None:
    assert etree.tostring(parse(XHTML + b"<p>&Xi;</p>", "part", html_entities=True).getroot()) == b"<p>&Xi;</p>"


def test_an_unknown_entity_after_an_html_one_is_still_refused() -> None:
    with pytest.raises(UnsafeFileError) as raised:
        parse(XHTML + b"<p>&nbsp;&bogus;</p>", "part", html_entities=True)
    assert str(raised.value) == "part uses the undeclared entity '&bogus;': refused"


def test_malformed_xml_names_the_part_and_libxml2s_reason() -> None:
    with pytest.raises(MalformedFileError) as raised:
        parse(b"<a><b></a>", "word/document.xml")
    assert str(raised.value).startswith("word/document.xml is not well-formed XML (Opening and ending tag mismatch")


# --- serialise ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [
    b"<a>x</a>",
    b"<a>x</a>\n",
    b"<a>x</a>\r\n",
    b'<?xml version="1.0"?><a>x</a>',
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<a>x</a>\n',
    b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n<a>x</a>',
    b"\xef\xbb\xbf<a>x</a>",
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>ação</a>'.encode("latin-1"),
    b'<?xml version="1.0"?>\n<?xml-stylesheet href="s.css"?><a/>',  # lxml drops the newline between them
    b'<?xml-stylesheet href="s.css"?><a/>',
    b'<!-- c --><?xml-stylesheet href="s.css"?><a/>',
    b'<!-- <?xml version="1.0"?> --><a/>',
], ids=["bare", "lf", "crlf", "decl", "decl-crlf", "bom-decl", "bom", "latin1", "decl-pi", "pi", "comment-pi",
        "comment-decl"])
def test_an_unchanged_part_is_written_back_byte_for_byte(data: bytes) -> None:
    assert _roundtrip(data) == data


def test_a_changed_part_keeps_its_encoding_and_declaration() -> None:
    data = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>x</a>\n'.encode("latin-1")
    tree = parse(data, "part")
    tree.getroot().text = "ação"
    assert serialise(tree, data) == '<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>ação</a>\n'.encode("latin-1")
