"""XML parts parsed without their attacks, and written back as close to their bytes as lxml allows.

The parser never resolves an entity, loads a DTD or touches the network, and keeps libxml2's bounds on depth
and node size (`huge_tree` off). A part that declares entities at all is refused: office documents, EPUB and
XLIFF never need them, and both entity attacks (billion laughs, external entities) start with one.
"""

from __future__ import annotations

from html.entities import name2codepoint
from typing import Any

from lxml import etree

from service.core.files.errors import MalformedFileError, UnsafeFileError

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class _NothingOutside(etree.Resolver):
    """Every external resource reads as empty. With collect_ids off, libxml2 2.14 loads a DOCTYPE's external subset
    (the XHTML 1.1 DTD an EPUB 2 page names) and no_network made that an error: the page was refused."""

    def resolve(self, system_url: str | None, public_id: str | None, context: object, /) -> Any:
        return self.resolve_string("", context)


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_blank_text=False, remove_comments=False, remove_pis=False,
                             strip_cdata=False, collect_ids=False)
    parser.resolvers.add(_NothingOutside())
    return parser


def parse(data: bytes, where: str, *, html_entities: bool = False) -> etree._ElementTree:
    """Parse one XML part; MalformedFileError when it is not XML, UnsafeFileError when it declares entities.

    With html_entities, references to HTML's named entities (&nbsp; in an EPUB 2 page that names the XHTML
    DTD) are kept as references; any other undeclared entity is refused."""
    if b"<!ENTITY" in data or "<!ENTITY".encode("utf-16-le") in data or "<!ENTITY".encode("utf-16-be") in data:
        raise UnsafeFileError(f"{where} declares XML entities; documents never need them and entity attacks "
                              "(billion laughs, external entities) do: refused")
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        message = exc.msg or ""
        # libxml2 2.14 says "Detected an entity reference loop"; other versions "Entity loop"
        loop = any(words in message.lower() for words in ("entity reference loop", "entity loop"))
        if "amplification" in message or loop:
            raise UnsafeFileError(f"{where}: {exc.msg}; refused") from None
        raise MalformedFileError(f"{where} is not well-formed XML ({exc.msg})") from None
    except ValueError as exc:
        raise MalformedFileError(f"{where} cannot be parsed as XML ({exc})") from None
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeFileError(f"{where} declares XML entities; documents never need them and entity attacks "
                              "(billion laughs, external entities) do: refused")
    for node in tree.iter(etree.Entity):
        if html_entities and (node.text or "").strip("&;") in name2codepoint:
            continue
        raise UnsafeFileError(f"{where} uses the undeclared entity {node.text!r}: refused")
    return tree


def serialise(tree: etree._ElementTree, original: bytes) -> bytes:
    """The tree as bytes in its original encoding, under the original XML declaration (kept byte for byte)."""
    encoding = tree.docinfo.encoding or "UTF-8"
    body = etree.tostring(tree, encoding=encoding, xml_declaration=False)
    head = b""
    start = original.find(b"<?xml")
    is_declaration = original[start + 5:start + 6].isspace()  # not <?xml-stylesheet ...?>, a PI the body keeps
    if (start == 0 or (start > 0 and original[:start] in (b"\xef\xbb\xbf",))) and is_declaration:
        end = original.find(b"?>", start)
        head = original[: end + 2]
        rest = original[end + 2:]
        head += rest[: len(rest) - len(rest.lstrip(b"\r\n"))]
    elif original.startswith(b"\xef\xbb\xbf"):
        head = b"\xef\xbb\xbf"
    tail = original[len(original.rstrip(b"\r\n")):]
    return head + body + (tail if not body.endswith(tail) else b"")
