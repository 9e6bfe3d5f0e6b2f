"""Protected spans: the parts of a sentence that must reach the output exactly as written.

URLs, e-mail addresses, @handles, file paths, inline code and version-like tokens (v1.2.3, GPT-4,
Llama 3, Python 3.11, iOS 17, H100) are found by rule; the caller adds ranges of its own (the formats
layer's inline <code>, translate="no", Markdown `code`). Spans never overlap: the caller's ranges win,
then the earliest and longest match.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

URL: Final = "url"
EMAIL: Final = "email"
HANDLE: Final = "handle"
PATH: Final = "path"
CODE: Final = "code"
VERSION: Final = "version"
EXTRA: Final = "extra"
GLOSSARY: Final = "glossary"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_EXTENSIONS = (
    "py|pyc|js|mjs|ts|tsx|jsx|json|yaml|yml|toml|ini|cfg|conf|md|rst|txt|csv|tsv|html?|css|scss|xml|sh|bash|"
    "bat|ps1|exe|dll|so|c|h|cc|cpp|hpp|java|kt|go|rs|rb|php|swift|sql|db|log|pdf|docx?|xlsx?|pptx?|odt|zip|"
    "tar|gz|tgz|bz2|xz|7z|png|jpe?g|gif|svg|webp|mp3|mp4|wav|iso|img|deb|rpm|apk|whl|ipynb|lock|env|"
    "onnx|bin|pt|safetensors|gguf|argosmodel"
)
# Portuguese words that open sentences and may be followed by a number without naming a product.
_NOT_NAMES = _words(
    "a o as os e em no na nos nas de da do das dos desde até ate para por com sem entre sobre após apos "
    "cerca mais menos quase apenas há ha são sao foram era eram dia dias ano anos mês mes meses semana "
    "semanas hora horas artigo art lei decreto capítulo capitulo página pagina item parte fase top número "
    "numero nº grupo classe série serie edição edicao volume vol versão versao rodada turno"
)

_URL = re.compile(r"(?<![\w@])(?:(?:https?|ftp)://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@./])@[A-Za-z0-9_](?:[\w.]*\w)?")
_CODE = re.compile(r"`[^`\n]+`")
_PATH = re.compile(
    r"(?<![\w/\\.~])(?:"
    r"[A-Za-z]:\\[^\s<>\"'`|]+"  # C:\Windows\system32
    r"|(?:~|\.{1,2})?/[\w.+@-]+(?:/[\w.+@-]+)+/?"  # /etc/ponte/x.yaml, ~/bin/x, ./run/x
    r"|(?:~|\.{1,2})/[\w.+@-]+"  # ~/x, ./x
    r"|/[\w+@-]+\.(?:" + _EXTENSIONS + r")"  # /x.py
    r"|[\w.+@-]+(?:/[\w.+@-]+)+"  # src/core/x.py (checked below: needs an extension)
    r"|[\w+-][\w.+-]*\.(?:" + _EXTENSIONS + r")"  # README.md
    r")(?![\w/])",
    re.IGNORECASE,
)
_HAS_EXTENSION = re.compile(r"\.(?:" + _EXTENSIONS + r")$", re.IGNORECASE)
_VERSION_NUMBER = r"\d+(?:\.\d+)*(?:[a-z]\b)?"
_VERSIONS = (
    re.compile(r"(?<![\w.])v\d+(?:\.\d+)*(?:-[\w.]+)?(?![\w])"),  # v2, v1.2.3, v1.0-rc1
    # A name with a hyphenated version: GPT-4, GPT-4o, Llama-3-70B, Gemini-1.5-Pro.
    re.compile(r"(?<![\w.-])[A-Za-z][\w.]*?[A-Z][\w.]*-\d[\w.]*(?:-[\w.]+)*(?<!\.)(?![\w-])"),
    re.compile(r"(?<![\w.-])[A-Z][\w]*-\d[\w.]*(?:-[\w.]+)*(?<!\.)(?![\w-])"),
    # A name and a version after a space: Llama 3, Python 3.11, iOS 17, Claude 3.5 (not a year).
    re.compile(r"(?<![\w.-])([A-Za-z][\w+#]*) (?!\d{4}\b)(" + _VERSION_NUMBER + r")(?![\w,]|\.\d)"),
    # Letters and digits in one word: H100, GPT4o, M3, RTX4090.
    re.compile(r"(?<![\w.-])[A-Za-z]+\d[\w]*(?![\w-])"),
)


@dataclass(frozen=True)
class Span:
    """A protected range of a sentence: `text == sentence[start:end]`."""

    start: int
    end: int
    kind: str
    text: str


def find_spans(text: str, extra: Sequence[tuple[int, int]] = ()) -> tuple[Span, ...]:
    """The protected spans of a sentence, in order, none overlapping; `extra` ranges are the caller's."""
    taken: list[Span] = []
    for start, end in sorted(extra):
        if not 0 <= start < end <= len(text):
            raise ValueError(f"protected range ({start}, {end}) is outside the text (length {len(text)})")
        taken.append(Span(start, end, EXTRA, text[start:end]))
    return resolve(taken, list(_candidates(text)))


def resolve(first: Sequence[Span], others: Iterable[Span]) -> tuple[Span, ...]:
    """`first` spans as given (merged where they overlap), then `others` that overlap none of them.

    Among `others`, the earliest start wins, then the longest span, then the order given.
    """
    kept: list[Span] = []
    for span in sorted(first, key=lambda s: (s.start, -s.end)):
        if kept and span.start < kept[-1].end:
            last = kept[-1]
            if span.end > last.end:
                kept[-1] = Span(last.start, span.end, last.kind, last.text + span.text[last.end - span.start :])
            continue
        kept.append(span)
    # `kept` stays disjoint and sorted by start, so its ends rise too: a span overlaps a kept one only if it
    # overlaps the last kept span starting before its end (a bisection, not a scan: 33,000 matches of one
    # glossary term in a text took minutes with a scan).
    starts = [span.start for span in kept]
    ends = [span.end for span in kept]
    ordered = sorted(enumerate(others), key=lambda item: (item[1].start, -item[1].end, item[0]))
    for _, span in ordered:
        at = bisect.bisect_left(starts, span.end)
        if at and ends[at - 1] > span.start:
            continue
        kept.insert(at, span)
        starts.insert(at, span.start)
        ends.insert(at, span.end)
    return tuple(kept)


def _candidates(text: str) -> Iterable[Span]:
    for kind, pattern in ((CODE, _CODE), (URL, _URL), (EMAIL, _EMAIL), (HANDLE, _HANDLE)):
        for match in pattern.finditer(text):
            start, end = match.span()
            if kind == URL:
                end = start + len(_trim_url(match.group()))
            yield Span(start, end, kind, text[start:end])
    for match in _PATH.finditer(text):
        path = _trim_url(match.group())
        # A relative path needs an extension ("e/ou", "km/h" and "22/04/2024" are not files).
        relative = not path.startswith(("/", "~", ".")) and ":\\" not in path[:3]
        if relative and "/" in path and not _HAS_EXTENSION.search(path):
            continue
        yield Span(match.start(), match.start() + len(path), PATH, path)
    for pattern in _VERSIONS:
        for match in pattern.finditer(text):
            if pattern.groups and match.group(1).lower() in _NOT_NAMES:
                continue
            yield Span(match.start(), match.end(), VERSION, match.group())


def _trim_url(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets that end a URL in prose."""
    while url:
        last = url[-1]
        if last in ".,;:!?" or (last in ")]}" and url.count(last) > url.count({")": "(", "]": "[", "}": "{"}[last])):
            url = url[:-1]
        else:
            break
    return url
