"""What can be wrong with a file: each a domain error that problems.py turns into a problem document."""

from __future__ import annotations

from service.core.exceptions import CoreError


class FileError(CoreError):
    """A file ponte will not translate; `slug`, `status` and `title` name the problem for the caller."""

    status = 422
    slug = "malformed-file"
    title = "Malformed file"


class MalformedFileError(FileError):
    """The file is not what its format says (a broken zip, XML that does not parse, a missing part)."""


class UnsupportedFileError(FileError):
    """The content is none of the formats ponte translates."""

    status, slug, title = 415, "unsupported-file-type", "Unsupported file type"


class FileTypeMismatchError(FileError):
    """The file's name says one format and its content another."""

    slug, title = "file-type-mismatch", "File type mismatch"


class EncryptedFileError(FileError):
    """The file is password-protected (or DRM-encrypted): its text cannot be read."""

    slug, title = "encrypted-file", "Encrypted file"


class UnsafeFileError(FileError):
    """The file carries what a document never needs and an attack does: XML entities, a packed bomb."""

    slug, title = "unsafe-file", "Unsafe file"


class FileTooLargeError(FileError):
    """The file, or what it unpacks to, is over the limit."""

    status, slug, title = 413, "payload-too-large", "Payload too large"


class NoTextError(FileError):
    """The file has no text to translate (a PDF without a text layer, a document of images only)."""

    slug, title = "no-text", "No text"
