"""Fake translators that change text the way a model would (never a model), and structure probes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser

from service.core.formats import Layout, join_mapped, parse
from service.core.formats.html import _is_document
from service.core.segment import split_sentences

DOCUMENTS = Path(__file__).resolve().parents[2] / "data" / "documents"
HTML_DOCS = sorted(DOCUMENTS.glob("*.html"))
MD_DOCS = sorted(DOCUMENTS.glob("*.md"))
MD_DOCS = [p for p in MD_DOCS if p.name != "README.md"]
# What was written down for each corpus document (tools/expected_documents.py; provenance in the corpus README)
EXPECTED: dict[str, dict[str, Any]] = json.loads((DOCUMENTS / "expected.json").read_text(encoding="utf-8"))


def expected_protected(path: Path) -> list[str]:
    """The protected pieces of a corpus document, as written down."""
    return list(EXPECTED[path.name]["protected"])

Words = Callable[[list[str]], list[str]]


def _kept(word: str) -> bool:
    # What the terms helper protects in a sentence: URLs, e-mail addresses, domains.
    return "://" in word or "@" in word or word.startswith("www.") or ".com" in word


def _upper(words: list[str]) -> list[str]:
    return [w if _kept(w) or "\0" in w else w.upper() for w in words]


def _reverse(words: list[str]) -> list[str]:
    return list(reversed(words))


def _longer(words: list[str]) -> list[str]:
    return [x for w in words for x in ((w,) if _kept(w) or "\0" in w else (w, w.lower()[::-1]))]


def _shorter(words: list[str]) -> list[str]:
    kept = [w for i, w in enumerate(words) if i % 2 == 0 or _kept(w) or "\0" in w]
    return kept or words[:1]


FAKES: dict[str, Words] = {"identity": lambda words: words, "upper": _upper, "reverse": _reverse,
                           "longer": _longer, "shorter": _shorter}


def fake_sentence(text: str, start: int, protected: list[tuple[int, int]], change: Words) -> str:
    """Translate one sentence with a word-level fake; protected spans (masked, as the terms helper
    masks them) come back verbatim wherever their word goes."""
    masked: list[str] = []
    kept: list[str] = []
    cursor = start
    for p_start, p_end in protected:
        if p_end <= start or p_start >= start + len(text):
            continue
        a, b = max(p_start, start), min(p_end, start + len(text))
        masked.append(text[cursor - start:a - start] + f"\0{len(kept)}\1")
        kept.append(text[a - start:b - start])
        cursor = b
    masked.append(text[cursor - start:])
    out = " ".join(change([w for w in "".join(masked).split(" ") if w]))
    for index, piece in enumerate(kept):
        out = out.replace(f"\0{index}\1", piece)
    return out


def render_with(source: str, fmt: str, sentences: list[str], extras: list[str] | None = None) -> str:
    """Parse a document, give its sentences these translations (and its extras these, else their own) and render."""
    layout = parse(source, fmt)  # type: ignore[arg-type]
    seg = split_sentences(layout.visible_text, "pt")
    text, spans = join_mapped(seg, sentences)
    return layout.render(text, spans, extras if extras is not None else list(layout.extras))


def translate(layout: Layout, change: Words) -> str:
    """Run a layout through segmenting, a fake translator, join_mapped and render."""
    seg = split_sentences(layout.visible_text, "pt")
    protected = list(layout.protected)
    targets = [fake_sentence(s.text, s.start, protected, change) for s in seg.sentences]
    text, spans = join_mapped(seg, targets)
    extras = [" ".join(change(e.split())) for e in layout.extras]
    return layout.render(text, spans, extras)


def html_tree(source: str) -> list[tuple[str, tuple[tuple[str, str | None], ...]]]:
    """Tag names and attributes (alt/title values aside) of every element in document order."""
    tree = LexborHTMLParser(source, is_fragment=not _is_document(source))
    out = []
    for top in _siblings(tree):
        for node in top.traverse():
            # A boolean attribute is serialised as name="", which HTML defines as the same thing.
            attrs = tuple(sorted((k, None if k in ("alt", "title") else v or "") for k, v in node.attributes.items()))
            out.append((node.tag or "", attrs))
    return out


def html_comments_and_raw(source: str) -> list[str]:
    """Comments and the text of script/style/pre, which must come back unchanged."""
    tree = LexborHTMLParser(source, is_fragment=not _is_document(source))
    out = []
    for top in _siblings(tree):
        for node in top.traverse(include_text=True):
            if node.is_comment_node:
                out.append("comment:" + (node.comment_content or ""))
            elif node.tag in ("script", "style", "pre", "code", "kbd", "var", "samp"):
                out.append(f"{node.tag}:" + node.text(deep=True))
    return out


def normalised_html(source: str) -> str:
    return LexborHTMLParser(source, is_fragment=not _is_document(source)).html or ""


def _siblings(tree: LexborHTMLParser) -> list:  # type: ignore[type-arg]
    node, out = tree.root, []
    while node is not None:
        out.append(node)
        node = node.next
    return out


_MD = MarkdownIt("commonmark").enable("table")
_INLINE_MARKUP = {"link_open", "link_close", "image", "code_inline", "em_open", "em_close", "strong_open",
                  "strong_close", "html_inline", "hardbreak"}


def md_structure(source: str) -> list[tuple[object, ...]]:
    """Block tokens (type, tag, markup, info, code content, an HTML block's elements) and the inline markup inside
    them."""
    out: list[tuple[object, ...]] = []
    for token in _MD.parse(source):
        if token.type == "inline":
            for child in token.children or []:
                if child.type in _INLINE_MARKUP:
                    href = child.attrGet("href") or child.attrGet("src")
                    out.append(("inline", child.type, child.markup, href,
                                child.content if child.type in ("code_inline", "html_inline") else None))
        else:
            content: object = token.content if token.type in ("fence", "code_block") else None
            if token.type == "html_block":  # translated as HTML: its elements and attributes stay
                content = tuple(html_tree(token.content))
            out.append((token.type, token.tag, token.markup, token.info, content))
    return out


def visible_of(source: str, fmt: str) -> str:
    return parse(source, fmt).visible_text  # type: ignore[arg-type]
