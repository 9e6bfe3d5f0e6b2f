"""ODT and ODP (files/odf.py) built by hand in memory, through open_file: an ODT's headers and footers (styles.xml)
are read after its body, an ODP's styles.xml never is; an encrypted document is refused with its exact message, and
a broken manifest is named in the error."""

from __future__ import annotations

import io
import zipfile

import pytest

from service.core.files import EncryptedFileError, MalformedFileError, open_file
from service.core.files.odf import _names

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
TEXT = f'xmlns:text="{TEXT_NS}"'
STYLE = 'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
MANIFEST = 'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
ODT = "application/vnd.oasis.opendocument.text"
ODP = "application/vnd.oasis.opendocument.presentation"


def _content(text: str) -> str:
    return (f"<office:document-content {OFFICE} {TEXT}><office:body><office:text><text:p>{text}</text:p>"
            "</office:text></office:body></office:document-content>")


STYLES = (f"<office:document-styles {OFFICE} {TEXT} {STYLE}><office:master-styles><style:master-page>"
          "<style:header><text:p>Cabeçalho.</text:p></style:header></style:master-page></office:master-styles>"
          "</office:document-styles>")


def _odf(media_type: str, members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", media_type)
        for name, text in members.items():
            archive.writestr(name, text.encode("utf-8"))
    return out.getvalue()


def _manifest(entry: str) -> str:
    return (f'<manifest:manifest {MANIFEST}><manifest:file-entry manifest:full-path="content.xml" '
            f'manifest:media-type="text/xml">{entry}</manifest:file-entry></manifest:manifest>')


def test_an_odt_reads_its_headers_and_footers_from_styles_xml_after_the_body() -> None:
    _, layout = open_file(_odf(ODT, {"content.xml": _content("Corpo."), "styles.xml": STYLES}), "a.odt")
    assert layout.visible_text == "Corpo.\n\nCabeçalho."


def test_an_odt_without_styles_xml_is_its_body() -> None:
    _, layout = open_file(_odf(ODT, {"content.xml": _content("Corpo.")}), "a.odt")
    assert layout.visible_text == "Corpo."


def test_an_odp_never_reads_styles_xml() -> None:
    _, layout = open_file(_odf(ODP, {"content.xml": _content("Diapositivo."), "styles.xml": STYLES}), "a.odp")
    assert layout.visible_text == "Diapositivo."


def test_an_odt_without_content_xml_names_the_missing_part() -> None:
    with pytest.raises(MalformedFileError) as error:
        open_file(_odf(ODT, {"styles.xml": STYLES}), "a.odt")
    assert str(error.value) == "the ODT file has no part 'content.xml'"


def test_an_encrypted_odt_is_refused_with_the_whole_message() -> None:
    entry = '<manifest:encryption-data manifest:checksum-type="SHA1" manifest:checksum="x"/>'
    data = _odf(ODT, {"META-INF/manifest.xml": _manifest(entry), "content.xml": _content("Corpo.")})
    with pytest.raises(EncryptedFileError) as error:
        open_file(data, "a.odt")
    assert str(error.value) == "the OpenDocument file is password-protected; remove the password and send it again"


def test_a_plain_manifest_is_no_encryption() -> None:
    data = _odf(ODT, {"META-INF/manifest.xml": _manifest(""), "content.xml": _content("Corpo.")})
    assert open_file(data, "a.odt")[1].visible_text == "Corpo."


def test_a_broken_manifest_is_named_in_the_error() -> None:
    data = _odf(ODT, {"META-INF/manifest.xml": "<manifest:manifest", "content.xml": _content("Corpo.")})
    with pytest.raises(MalformedFileError, match=r"^META-INF/manifest\.xml is not well-formed XML"):
        open_file(data, "a.odt")


def test_names_are_the_local_names_in_clark_notation() -> None:
    assert _names(TEXT_NS, "p h") == frozenset({f"{{{TEXT_NS}}}p", f"{{{TEXT_NS}}}h"})
