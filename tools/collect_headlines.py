"""Collect real short text (headings, captions) and paragraphs from the Debian Administrator's Handbook.

The Debian package `debian-handbook` (CC BY-SA 3.0 or GPL-2+) ships the book as HTML in many languages.
Its section titles read like headlines and its figure/table captions are captions: real short text of the
kind a news pipeline sends. The same DocBook source builds every language, so blocks are aligned by their
anchor id; a translated block that equals the English one was left untranslated and is dropped.

    apt-get download debian-handbook && dpkg-deb -x debian-handbook_*.deb root
    python tools/collect_headlines.py root/usr/share/doc/debian-handbook/html tests/data/headlines
"""

from __future__ import annotations

import argparse
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import lxml.html

log = logging.getLogger("collect_headlines")

LANGUAGES = {"pt": "pt-BR", "en": "en-US", "es": "es-ES", "fr": "fr-FR", "it": "it-IT"}
# "6.2.1. ", "Capítulo 6. ", "Figura 4.1. ", "Tabela 3.1. ", "Chapter 6. ", "Figure 4.1. "...
_LABEL = re.compile(r"^(?:[^\W\d]+\s+)?[A-Z]?\d+(?:\.\d+)*\.?\s+")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]{3,}")
# Paragraphs longer than this are cut at a sentence end: a paragraph, not a page.
_MAX_PARAGRAPH = 600


def _text(element: lxml.html.HtmlElement) -> str:
    return _SPACES.sub(" ", element.text_content()).strip()


def _prose(element: lxml.html.HtmlElement) -> str:
    """The words outside <code>: a heading made only of command names has no language to detect."""
    copy = lxml.html.fromstring(lxml.html.tostring(element))
    for code in copy.xpath(".//code"):
        code.drop_tree()
    return _text(copy)


def _anchor(element: lxml.html.HtmlElement) -> str | None:
    ids: list[str] = element.xpath("./a/@id | ./*/a/@id")
    return ids[0] if ids else None


def blocks(page: Path) -> Iterator[tuple[str, str, str, str]]:
    """(kind, key, text, prose) for each heading, caption and paragraph of one HTML page."""
    root = lxml.html.parse(str(page)).getroot()
    for heading in root.xpath("//h1[@class='title'] | //h2[@class='title'] | //h3[@class='title']"
                              " | //h4[@class='title']"):
        key = _anchor(heading)
        if key:
            yield "heading", key, _LABEL.sub("", _text(heading)), _LABEL.sub("", _prose(heading))
    for box in root.xpath("//div[@class='figure' or @class='table' or @class='example']"):
        titles = box.xpath("./p[@class='title']")
        key = _anchor(box)
        if titles and key:
            yield "caption", key, _LABEL.sub("", _text(titles[0])), _LABEL.sub("", _prose(titles[0]))
    for number, para in enumerate(root.xpath("//div[@class='para']")):
        text = _text(para)
        yield "paragraph", f"{page.name}#{number}", text, _prose(para)


def _cut(text: str) -> str:
    if len(text) <= _MAX_PARAGRAPH:
        return text
    end = text.rfind(". ", 0, _MAX_PARAGRAPH)
    return text[: end + 1] if end > 0 else text[:_MAX_PARAGRAPH]


def _untranslated(prose: str, english: str, kind: str) -> bool:
    """Left (partly) in English: a heading whose words all occur in the English one, or a paragraph
    sharing more than 30% of its words with it (the translator kept an English sentence)."""
    words = {w.lower() for w in _WORD.findall(prose)}
    shared = words & {w.lower() for w in _WORD.findall(english)}
    if kind == "paragraph":
        return len(shared) > 0.3 * len(words)
    return shared == words


def collect(html_root: Path) -> dict[tuple[str, str], list[str]]:
    """Lines per (language, kind): translated, with prose outside code, each once, in book order."""
    by_language: dict[str, dict[tuple[str, str, str], tuple[str, str]]] = {}
    for code, folder in LANGUAGES.items():
        found: dict[tuple[str, str, str], tuple[str, str]] = {}
        for page in sorted((html_root / folder).glob("*.html")):
            for kind, key, text, prose in blocks(page):
                found.setdefault((page.name, kind, key), (text, prose))
        by_language[code] = found
    english = by_language["en"]
    lines: dict[tuple[str, str], list[str]] = {}
    for code, found in by_language.items():
        for (_page, kind, key), (text, prose) in found.items():
            if code != "en" and _untranslated(prose, english.get((_page, kind, key), ("", ""))[1], kind):
                continue
            if not _WORD.search(prose):
                continue  # nothing but command names, paths and numbers
            if kind == "paragraph":
                if len(_WORD.findall(prose)) < 20:
                    continue
                text = _cut(text)
            bucket = lines.setdefault((code, kind), [])
            if text not in bucket:
                bucket.append(text)
    return lines


_WANTED = {("pt", "heading"), ("pt", "caption"), ("en", "heading"), ("en", "caption"),
           ("es", "paragraph"), ("fr", "paragraph"), ("it", "paragraph"),
           ("es", "sentence"), ("fr", "sentence"), ("it", "sentence"),
           ("es", "heading"), ("fr", "heading"), ("it", "heading")}


def _first_sentence(paragraph: str) -> str | None:
    end = paragraph.find(". ")
    sentence = paragraph[: end + 1] if end > 0 else paragraph
    return sentence if len(_WORD.findall(sentence)) >= 4 and sentence != paragraph else None


def _spread(lines: list[str], limit: int) -> list[str]:
    """At most `limit` lines, evenly spread over the book (the first chapters are not the whole book)."""
    if len(lines) <= limit:
        return lines
    return [lines[i * len(lines) // limit] for i in range(limit)]


def main() -> None:
    """Write one file per language and kind into the output folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_root", type=Path, help="the handbook's html/ folder (one sub-folder per language)")
    parser.add_argument("out", type=Path)
    parser.add_argument("--max-lines", type=int, default=150, help="lines kept per language and kind")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    lines = collect(args.html_root)
    for code in ("es", "fr", "it"):
        paragraphs = lines[(code, "paragraph")]
        # the first sentence of each paragraph: the middle lengths between a heading and a paragraph
        lines[(code, "sentence")] = [s for s in (_first_sentence(p) for p in paragraphs) if s]
    for (code, kind), found in sorted(lines.items()):
        if (code, kind) not in _WANTED:
            continue
        found = _spread(found, args.max_lines)
        path = args.out / f"handbook_{code}_{kind}s.txt"
        path.write_text("".join(line + "\n" for line in found), encoding="utf-8")
        log.info("%s: %d lines", path, len(found))


if __name__ == "__main__":
    main()
