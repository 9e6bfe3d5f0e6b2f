"""Hostile and broken files, made in memory: shared by the core tests and `make abuse` (tests/abuse/attacks.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "data" / "files"
DOCX = CORPUS / "docx" / "01-plain.docx"

BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE w:document [\n<!ENTITY lol "lol">\n'
                  + b"".join(b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                    b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
EXTERNAL_ENTITY = (b'<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                   b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                   b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>")
DEEP = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + b"<w:sdt>" * 20_000 + b"</w:sdt>" * 20_000 + b"</w:body></w:document>")


def docx_with(members: dict[str, bytes], *, encrypt_flag: bool = False, duplicate: str | None = None) -> bytes:
    """The plain corpus DOCX with some members replaced (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(DOCX) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = members.get(info.filename, source.read(info))
            target.writestr(info.filename, data)
        for name, data in members.items():
            if name not in source.namelist():
                target.writestr(name, data)
        if duplicate:
            target.writestr(duplicate, b"<x/>")
    data = out.getvalue()
    if encrypt_flag:  # set the "encrypted" bit of every local and central header, as a password-protected zip has
        data = data.replace(b"PK\x03\x04\x14\x00\x00\x00", b"PK\x03\x04\x14\x00\x01\x00")
        data = data.replace(b"PK\x01\x02\x14\x03\x14\x00\x00\x00", b"PK\x01\x02\x14\x03\x14\x00\x01\x00")
    return data


def zip_bomb() -> bytes:
    """A DOCX whose document.xml inflates 64 MiB of zeros from about 64 KiB (about 1000:1)."""
    return docx_with({"word/media/zeros.bin": b"\0" * (64 * 1024 * 1024)})


def bad_files() -> dict[str, tuple[str, bytes]]:
    """name -> (file name, bytes) of every bad file, for the attack suite."""
    encrypted_odt = io.BytesIO()
    with zipfile.ZipFile(CORPUS / "odt" / "01-plain.odt") as source, zipfile.ZipFile(encrypted_odt, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "META-INF/manifest.xml":
                data = data.replace(b'manifest:media-type="text/xml"/>', b'manifest:media-type="text/xml">'
                                    b'<manifest:encryption-data manifest:checksum-type="SHA1" manifest:checksum="x"/>'
                                    b"</manifest:file-entry>", 1)
            target.writestr(info, data)
    return {
        "not a zip": ("report.docx", b"PK\x03\x04 this is not a zip archive at all"),
        "zip bomb": ("report.docx", zip_bomb()),
        "billion laughs": ("report.docx", docx_with({"word/document.xml": BILLION_LAUGHS})),
        "external entity": ("report.docx", docx_with({"word/document.xml": EXTERNAL_ENTITY})),
        "deep nesting": ("report.docx", docx_with({"word/document.xml": DEEP})),
        "encrypted zip": ("report.docx", docx_with({}, encrypt_flag=True)),
        "encrypted office (OLE)": ("report.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096),
        "encrypted odt": ("report.odt", encrypted_odt.getvalue()),
        "duplicate member": ("report.docx", docx_with({}, duplicate="word/document.xml")),
        "wrong extension": ("report.pdf", DOCX.read_bytes()),
        "0 bytes": ("report.docx", b""),
        "pdf without text": ("scan.pdf", (CORPUS / "pdf" / "06-no-text-layer.pdf").read_bytes()),
        "truncated pdf": ("report.pdf", (CORPUS / "pdf" / "01-one-page.pdf").read_bytes()[:300]),
    }
