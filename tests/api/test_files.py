"""POST /v1/translate/file and /v1/analyze/file through the app (fake engine): answers, headers, problems."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.contract import ContractClient

FILES = Path(__file__).resolve().parents[1] / "data" / "files"
DOCX = FILES / "docx" / "02-bold-word-in-sentence.docx"


def upload(path: Path | None = None, *, data: bytes | None = None, name: str | None = None,
           **fields: Any) -> dict[str, Any]:
    content = data if data is not None else (path.read_bytes() if path else b"")
    return {"data": {"file": (io.BytesIO(content), name or (path.name if path else "x.docx")), **fields},
            "content_type": "multipart/form-data"}


def test_a_docx_comes_back_translated_as_a_docx(client: ContractClient) -> None:
    response = client.post("/v1/translate/file", **upload(DOCX, source_language="pt"))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response.headers["Content-Disposition"] == 'attachment; filename="02-bold-word-in-sentence.en.docx"'
    assert response.headers["X-Ponte-Translated"] == "true"
    assert response.headers["X-Ponte-Source-Language"] == "pt"
    assert int(response.headers["X-Ponte-Sentences"]) == 4
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        document = archive.read("word/document.xml").decode()
    assert "[en] A empresa" in document and "<w:b/>" in document


def test_analyze_file_gives_the_analysis_and_the_file_in_base64(client: ContractClient) -> None:
    response = client.post("/v1/analyze/file", **upload(FILES / "srt" / "02-two-rows.srt", id="cue-1",
                                                         source_language="pt"))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert body["id"] == "cue-1" and body["file"]["format"] == "srt" and body["file"]["name"] == "02-two-rows.en.srt"
    content = base64.b64decode(body["file"]["content_base64"])
    assert len(content) == body["file"]["size"]
    assert content.decode().startswith("1\n00:00:00,000 --> 00:00:02,500\n[en] O governo aprovou a nova lei\n")
    visible = body["translation"]["source_visible_text"]
    assert visible == ("O governo aprovou a nova lei de proteção de dados.\n\n"
                       "A empresa lançou um modelo de inteligência artificial aberto.")
    for tag in body["tags"]:
        for evidence in tag["evidence"]:
            field = visible if evidence["field"] == "source" else body["translation"]["visible_text"]
            assert field[evidence["start"]:evidence["end"]] == evidence["term"]


def test_include_file_false_leaves_the_content_out(client: ContractClient) -> None:
    response = client.post("/v1/analyze/file", **upload(DOCX, include_file="false"))
    assert response.status_code == 200
    assert response.get_json()["file"]["content_base64"] is None


def test_a_pdf_comes_back_as_text_and_says_the_layout_is_gone(client: ContractClient) -> None:
    response = client.post("/v1/analyze/file", **upload(FILES / "pdf" / "01-one-page.pdf", source_language="pt"))
    assert response.status_code == 200
    file = response.get_json()["file"]
    assert file["name"] == "01-one-page.en.txt" and file["media_type"].startswith("text/plain")
    assert "layout" in file["notes"][0]


def test_a_glossary_in_the_form_is_applied(client: ContractClient) -> None:
    glossary = '[{"source": "governo", "target": "administration"}]'
    response = client.post("/v1/analyze/file", **upload(FILES / "srt" / "02-two-rows.srt", glossary=glossary))
    assert response.status_code == 200
    assert "administration" in response.get_json()["translation"]["visible_text"]


def test_non_ascii_names_get_an_rfc8187_file_name(client: ContractClient) -> None:
    response = client.post("/v1/translate/file", **upload(DOCX, name="relatório final.docx"))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="relat_rio final.en.docx"; filename*=UTF-8\'\'relat%C3%B3rio%20final.en.docx')


def test_the_content_disposition_never_carries_a_line_break() -> None:
    from service.web.api.files import content_disposition

    value = content_disposition("a\r\nSet-Cookie: x=1.docx")
    assert "\r" not in value and "\n" not in value


@pytest.mark.parametrize(("kwargs", "status", "slug"), [
    ({"data": b"", "name": "x.docx"}, 422, "malformed-file"),
    ({"data": b"PK\x03\x04 not really a zip", "name": "x.docx"}, 422, "malformed-file"),
    ({"data": b"hello, plain text", "name": "x.txt"}, 415, "unsupported-file-type"),
    ({"path": FILES / "odt" / "01-plain.odt", "name": "01-plain.docx"}, 422, "file-type-mismatch"),
    ({"path": FILES / "pdf" / "06-no-text-layer.pdf"}, 422, "no-text"),
    ({"data": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "name": "secret.docx"}, 422, "encrypted-file"),
])
def test_bad_files_are_clear_problems(client: ContractClient, kwargs: dict[str, Any], status: int, slug: str) -> None:
    response = client.post("/v1/translate/file", **upload(**kwargs))
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["type"] == f"urn:ponte:problem:{slug}", body


@pytest.mark.parametrize(("form", "pointer"), [
    ({"alternatives": "2"}, "/alternatives"),
    ({"source_language": "pt\n"}, "/source_language"),
    ({"glossary": "[{"}, "/glossary"),
    ({"glossary": '[{"target": "x"}]'}, "/glossary/0"),
])
def test_bad_form_fields_are_validation_errors(client: ContractClient, form: dict[str, str], pointer: str) -> None:
    response = client.post("/v1/translate/file", **upload(DOCX, **form))
    assert response.status_code == 422
    assert pointer in [e["pointer"] for e in response.get_json()["errors"]]


def test_no_file_field_and_a_json_body_are_refused(client: ContractClient) -> None:
    response = client.post("/v1/translate/file", data={"source_language": "pt"}, content_type="multipart/form-data")
    assert response.status_code == 422 and response.get_json()["errors"][0]["pointer"] == "/file"
    response = client.post("/v1/translate/file", json={"text": "x"})
    assert response.status_code == 415


def test_a_file_over_the_limit_is_a_413(packages_dir: Path, fake_factory: Any) -> None:
    from service.web import create_app
    from tests.conftest import make_settings

    app = create_app(make_settings(packages_dir, max_file_bytes=1000), engine_factory=fake_factory)
    response = ContractClient(app.test_client()).post("/v1/translate/file", **upload(DOCX))
    assert response.status_code == 413 and "PONTE_MAX_FILE_BYTES" in response.get_json()["detail"]
