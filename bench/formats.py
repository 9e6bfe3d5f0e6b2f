"""Formats: which HTML parser, and what HTML costs next to plain text (not a test; numbers go to a report).

    python bench/formats.py parsers   # selectolax/lexbor, lxml.html, lxml html5parser, html5lib on the corpus
    python bench/formats.py article   # parse+render of an HTML article vs its plain text, vs translation

Parsers: each corpus HTML document is parsed as a whole document and serialised, 20 times; the table gives
the median ms per document for parse+serialise, and per parser how many documents (a) give the same
element tree (tag names and attributes in order) as html5lib, the WHATWG reference implementation,
(b) re-parse to the same tree from their own output, (c) keep every comment, (d) keep the decoded text.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "tests" / "data" / "documents"
Tree = tuple[list[tuple[str, tuple[tuple[str, str], ...]]], list[str], str]  # elements, comments, text


def _lexbor() -> tuple[Callable[[str], Any], Callable[[Any], str], Callable[[Any], Tree]]:
    from selectolax.lexbor import LexborHTMLParser

    def probe(tree: Any) -> Tree:
        elements, comments, text = [], [], []
        document = tree.root.parent if tree.root is not None and tree.root.parent is not None else tree.root
        for node in document.traverse(include_text=True):
            if node.is_element_node:
                elements.append((node.tag, tuple(sorted((k, v or "") for k, v in node.attributes.items()))))
            elif node.is_comment_node:
                comments.append(node.comment_content or "")
            elif node.is_text_node:
                text.append(node.text_content or "")
        return elements, comments, "".join(text)

    return LexborHTMLParser, lambda tree: tree.html or "", probe


def _etree_probe(local: Callable[[str], str]) -> Callable[[Any], Tree]:
    def probe(root: Any) -> Tree:
        root = root.getroot() if hasattr(root, "getroot") else root
        elements: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        comments: list[str] = []
        text: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node.tag, str):
                attrs = tuple(sorted((local(k), v or "") for k, v in node.attrib.items()))
                elements.append((local(node.tag), attrs))
                text.append(node.text or "")
                for child in node:
                    walk(child)
                    text.append(child.tail or "")
            else:
                comments.append(node.text or "")

        walk(root)
        for sibling in root.itersiblings(preceding=True):  # comments before <html>
            comments.insert(0, sibling.text or "")
        return elements, comments, "".join(text)

    return probe


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _lxml() -> tuple[Callable[[str], Any], Callable[[Any], str], Callable[[Any], Tree]]:
    import lxml.html

    return lxml.html.document_fromstring, lambda root: lxml.html.tostring(root, encoding="unicode"), \
        _etree_probe(_local)


def _lxml_html5() -> tuple[Callable[[str], Any], Callable[[Any], str], Callable[[Any], Tree]]:
    import lxml.html
    from lxml.html import html5parser

    return html5parser.document_fromstring, \
        (lambda root: lxml.html.tostring(root, encoding="unicode")), _etree_probe(_local)


def _html5lib() -> tuple[Callable[[str], Any], Callable[[Any], str], Callable[[Any], Tree]]:
    import html5lib
    from html5lib.serializer import HTMLSerializer

    walker = html5lib.getTreeWalker("lxml")
    serializer = HTMLSerializer(omit_optional_tags=False, quote_attr_values="always")

    def parse(source: str) -> Any:
        return html5lib.parse(source, treebuilder="lxml", namespaceHTMLElements=False)

    return parse, lambda root: serializer.render(walker(root)), _etree_probe(_local)


PARSERS = {"selectolax (lexbor)": _lexbor, "lxml.html (libxml2)": _lxml, "lxml html5parser": _lxml_html5,
           "html5lib": _html5lib}


def compare_parsers(repeat: int = 20) -> list[dict[str, Any]]:
    """Time and correctness of each parser over the corpus HTML documents."""
    docs = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.html"))]
    ref_parse, _, ref_probe = _html5lib()
    reference = [ref_probe(ref_parse(d)) for d in docs]
    rows = []
    for name, make in PARSERS.items():
        parse, serialise, probe = make()
        times, same, stable, comments, text = [], 0, 0, 0, 0
        for doc, ref in zip(docs, reference, strict=True):
            start = time.perf_counter()
            for _ in range(repeat):
                out = serialise(parse(doc))
            times.append((time.perf_counter() - start) / repeat * 1000)
            first = probe(parse(doc))
            again = probe(parse(out))
            same += first[0] == ref[0]
            stable += again[0] == first[0]
            comments += again[1] == ref[1]
            text += " ".join(again[2].split()) == " ".join(ref[2].split())
        rows.append({"parser": name, "median_ms": statistics.median(times), "mean_ms": statistics.mean(times),
                     "same_tree": same, "stable": stable, "comments": comments, "text": text, "docs": len(docs)})
    return rows


def html_vs_text(repeat: int = 50) -> dict[str, float]:
    """parse+render ms of an HTML article and of its plain text, and the engine's ms for the sentences."""
    from service.core.formats import join_mapped, parse
    from service.core.segment import split_sentences

    html = (CORPUS / "30_long_article.html").read_text(encoding="utf-8")
    text = parse(html, "html").visible_text
    result: dict[str, float] = {}
    for fmt, source in (("html", html), ("text", text)):
        start = time.perf_counter()
        for _ in range(repeat):
            layout = parse(source, fmt)  # type: ignore[arg-type]
            seg = split_sentences(layout.visible_text, "pt")
            joined, spans = join_mapped(seg, [s.text for s in seg.sentences])
            layout.render(joined, spans, list(layout.extras))
        result[f"{fmt}_parse_render_ms"] = (time.perf_counter() - start) / repeat * 1000
    engine = _fixture_engine()
    if engine is not None:
        seg = split_sentences(text, "pt")
        engine.translate([s.text for s in seg.sentences])  # warm up
        start = time.perf_counter()
        engine.translate([s.text for s in seg.sentences])
        result["translation_ms"] = (time.perf_counter() - start) * 1000
        result["html_over_text_end_to_end"] = (result["translation_ms"] + result["html_parse_render_ms"]) / (
            result["translation_ms"] + result["text_parse_render_ms"])
    return result


def _fixture_engine() -> Any:
    import tempfile

    from service.core.packages import check_package_dir, install_archive
    from service.core.translate import ArgosTranslator, DecodingOptions

    archive = ROOT / "tests" / "fixtures" / "translate-pt_en-ponte_test-1_0.argosmodel"
    if not archive.is_file():
        return None
    folder = Path(tempfile.mkdtemp(prefix="ponte-bench-"))
    install_archive(archive, folder)
    return ArgosTranslator(check_package_dir(folder / "translate-pt_en-ponte_test-1_0"), DecodingOptions())


def main() -> None:
    what = sys.argv[1] if len(sys.argv) > 1 else "parsers"
    if what == "parsers":
        print("| parser | median ms/doc | mean ms/doc | same tree as html5lib | re-parse stable | comments kept"
              " | text kept |")
        print("|---|---|---|---|---|---|---|")
        for row in compare_parsers():
            n = row["docs"]
            print(f"| {row['parser']} | {row['median_ms']:.3f} | {row['mean_ms']:.3f} | {row['same_tree']}/{n}"
                  f" | {row['stable']}/{n} | {row['comments']}/{n} | {row['text']}/{n} |")
    else:
        for key, value in html_vs_text().items():
            print(f"{key}: {value:.3f}")


if __name__ == "__main__":
    main()
