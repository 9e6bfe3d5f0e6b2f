"""Reading a file upload (multipart/form-data): the file's bytes and name, and the other form fields."""

from __future__ import annotations

from typing import Any

from flask import request

from service.problems import InvalidRequest, PayloadTooLarge, UnsupportedMediaType
from service.settings import Settings

FILE_FIELD = "file"


def file_upload(settings: Settings) -> tuple[bytes, str | None, dict[str, Any]]:
    """The uploaded file's bytes and name, and the form's other fields (each given once); ApiError otherwise
    (415 not multipart, 413 over PONTE_MAX_FILE_BYTES, 422 no file or a field given twice)."""
    if request.mimetype != "multipart/form-data":
        shown = request.mimetype or "no Content-Type"
        raise UnsupportedMediaType(f"the body must be multipart/form-data with the file in the field "
                                   f"{FILE_FIELD!r}, got {shown}")
    # this route takes a file: its bound is the file limit plus the usual body limit for the other fields
    request.max_content_length = settings.max_file_bytes + settings.max_body_bytes
    files = request.files
    form = request.form
    uploads = files.getlist(FILE_FIELD)
    others = sorted(name for name in files if name != FILE_FIELD)
    errors = [{"pointer": f"/{name}", "detail": "unknown file field"} for name in others]
    if len(uploads) != 1:
        errors.append({"pointer": f"/{FILE_FIELD}", "detail": "missing: send the file in the form field 'file'"
                       if not uploads else "given more than once"})
    errors += [{"pointer": f"/{name}", "detail": "given more than once"}
               for name in sorted(form) if len(form.getlist(name)) > 1]
    if errors:
        raise InvalidRequest("; ".join(f"{e['pointer']}: {e['detail']}" for e in errors), errors=errors)
    upload = uploads[0]
    data = upload.stream.read(settings.max_file_bytes + 1)
    if len(data) > settings.max_file_bytes:
        raise PayloadTooLarge(f"the file is larger than {settings.max_file_bytes} bytes (PONTE_MAX_FILE_BYTES)")
    return data, upload.filename or None, {name: form[name] for name in form}
