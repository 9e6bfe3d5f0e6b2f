"""PDF: the text layer extracted (pypdf) and translated as plain text. The layout is not kept: the answer
is a UTF-8 text file, one paragraph a line, pages separated by a blank line.

Lines that a PDF breaks only to fit its columns are joined back into paragraphs (a word hyphenated at a line's
end is joined without its hyphen), so that sentences reach
the engine whole: a line ends its paragraph when it is short (under 85% of the page's longest line) and ends
like a sentence, or when the next line opens a list item. A PDF without a text layer (a scan) is refused with
a problem that says so; an encrypted PDF is read only when it opens with an empty password.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Sequence

from service.core.files.base import FileLayout, Kind
from service.core.files.errors import EncryptedFileError, MalformedFileError, NoTextError
from service.core.formats.slots import SentenceSpan

PDF = Kind("pdf", "application/pdf", ".pdf")
TEXT_OUT = Kind("txt", "text/plain; charset=utf-8", ".txt")

_ENDS_SENTENCE = re.compile(r"[.!?:;…]['\"”’»)\]]*$")
_OPENS_ITEM = re.compile(r"^(?:[-•·▪◦*–—]\s|\d{1,3}[.)]\s|[a-z][.)]\s)")
_SHORT = 0.85
_PROTECTED = "the PDF is password-protected; remove the password and send it again"


def paragraphs(page: str) -> list[str]:
    """The paragraphs of one page's extracted lines."""
    lines = [" ".join(line.split()) for line in page.splitlines()]
    longest = max((len(line) for line in lines), default=0)
    out: list[str] = []
    current = ""
    for index, line in enumerate(lines):
        if not line:
            if current:
                out.append(current)
                current = ""
            continue
        first = line.split()[0]
        if current.endswith("-") and current[-2:-1].isalpha() and first[:1].islower() and first.islower():
            current = current[:-1] + line  # a word hyphenated at the end of the line
        elif current.endswith("-") and current[-2:-1].isalnum() and first[:1].isalnum():
            current += line  # a hyphen that is part of the name: "GPT-" then "4o", "anti-" then "mRNA"
        else:
            current = f"{current} {line}" if current else line
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if (not following or _OPENS_ITEM.match(following)
                or (_ENDS_SENTENCE.search(line) and len(line) < _SHORT * longest)):
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def extract_pages(data: bytes) -> list[str]:
    """The text of each page; EncryptedFileError, MalformedFileError as the PDF deserves."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed files are refused, not logged at length
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError, PyPdfError

    try:
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
        except (DependencyError, NotImplementedError):
            # pypdf tries the empty password while opening: a cipher it lacks (AES-256 without `cryptography`)
            # or a certificate (Adobe.PubSec) fails here, not in decrypt
            raise EncryptedFileError(_PROTECTED) from None
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:  # pypdf raises DependencyError, NotImplementedError... for ciphers it lacks
                opened = False
            if not opened:
                raise EncryptedFileError(_PROTECTED)
        return [page.extract_text() or "" for page in reader.pages]
    except EncryptedFileError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError,
            RecursionError, OSError, ZeroDivisionError) as exc:
        raise MalformedFileError(f"the PDF cannot be read ({type(exc).__name__})") from None


class PdfLayout(FileLayout):
    """A PDF's text; the output is plain text."""

    kind = TEXT_OUT
    notes = ("PDF: the text was extracted and translated as plain text; the layout of the pages is not kept",)

    def __init__(self, data: bytes) -> None:
        pages = extract_pages(data)
        blocks = ["\n".join(paragraphs(page)) for page in pages]
        self.visible_text = "\n\n".join(block for block in blocks if block)
        if not self.visible_text.strip():
            raise NoTextError(f"the PDF has no text layer ({len(pages)} pages of images: a scan?); "
                              "run OCR on it first, then send it again")

    def write(self, translated_visible: str, sentence_map: Sequence[SentenceSpan]) -> bytes:
        return (translated_visible + "\n").encode("utf-8")
