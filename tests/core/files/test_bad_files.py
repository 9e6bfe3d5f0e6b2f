"""Bad files: each refused with the problem that names it, before anything is inflated or expanded."""

from __future__ import annotations

import io
import tracemalloc
import warnings

import pytest

from service.core.files import FileError, ZipLimits, open_file
from service.core.files.safexml import parse
from tests.core.files.bad_files import BILLION_LAUGHS, CORPUS, DEEP, bad_files, docx_with

EXPECTED = {
    "not a zip": "malformed-file", "zip bomb": "unsafe-file", "billion laughs": "unsafe-file",
    "external entity": "unsafe-file", "deep nesting": "malformed-file", "encrypted zip": "encrypted-file",
    "encrypted office (OLE)": "encrypted-file", "encrypted odt": "encrypted-file", "duplicate member": "unsafe-file",
    "wrong extension": "file-type-mismatch", "0 bytes": "malformed-file", "pdf without text": "no-text",
    "truncated pdf": "malformed-file",
}


@pytest.fixture(scope="module")
def files() -> dict[str, tuple[str, bytes]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns when the duplicate member is written
        return bad_files()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_is_its_problem(files: dict[str, tuple[str, bytes]], name: str) -> None:
    filename, data = files[name]
    tracemalloc.start()
    with pytest.raises(FileError) as raised:
        open_file(data, filename)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert raised.value.slug == EXPECTED[name], str(raised.value)
    assert peak < 20 * 1024 * 1024, f"{name}: {peak} bytes at the peak"  # nothing was inflated or expanded


def test_entities_are_never_expanded_even_past_the_prescan() -> None:
    utf16 = BILLION_LAUGHS.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="UTF-16"?>')
    with pytest.raises(FileError) as raised:
        parse(utf16.decode("latin-1").encode("utf-16"), "part")
    assert raised.value.slug in ("unsafe-file", "malformed-file")
    with pytest.raises(FileError):
        parse(DEEP, "part")


def test_what_a_zip_unpacks_to_is_bounded() -> None:
    big = docx_with({"word/media/noise.bin": bytes(range(256)) * 8192})  # 2 MiB that barely compresses
    with pytest.raises(FileError) as raised:
        open_file(big, "x.docx", limits=ZipLimits(max_unpacked_bytes=1024 * 1024))
    assert raised.value.status == 413 and "PONTE_MAX_FILE_UNPACKED_BYTES" in str(raised.value)


def test_a_password_protected_pdf_is_refused_and_an_owner_only_one_is_read() -> None:
    from pypdf import PdfReader, PdfWriter

    def encrypted(user: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(CORPUS / "pdf" / "01-one-page.pdf"))
        writer.encrypt(user_password=user, owner_password="owner", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    with pytest.raises(FileError) as raised:
        open_file(encrypted("secret"), "x.pdf")
    assert raised.value.slug == "encrypted-file"
    _, layout = open_file(encrypted(""), "x.pdf")
    assert "Zuckerberg" in layout.visible_text


def test_a_drm_epub_is_refused_but_an_obfuscated_font_is_fine() -> None:
    _, layout = open_file((CORPUS / "epub" / "02-epub2-obfuscated-font.epub").read_bytes(), "book.epub")
    assert layout.visible_text
    import zipfile
    source = CORPUS / "epub" / "02-epub2-obfuscated-font.epub"
    out = io.BytesIO()
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(out, "w") as target:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "META-INF/encryption.xml":
                data = data.replace(b'URI="OEBPS/font.ttf"', "URI=\"OEBPS/capítulo1.xhtml\"".encode())
            target.writestr(info, data)
    with pytest.raises(FileError) as raised:
        open_file(out.getvalue(), "book.epub")
    assert raised.value.slug == "encrypted-file"
