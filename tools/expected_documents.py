"""Write down, or check, what the formats corpus is expected to give: tests/data/documents/expected.json.

For each document of tests/data/documents: the protected pieces of its visible text (inline code and text marked
not to translate, in order), its Portuguese sentences, and the topics the default taxonomy tags it with. The tests
compare the code with this file, so a change in either shows (tests/core/formats/test_expected.py). Where a
reviewer judged the tagger wrong, the entry's `tags` are the reviewer's and `tagger_differs` says what the tagger
adds or misses and why; the test expects exactly that difference, so fixing the tagger means updating the note.

    python tools/expected_documents.py --review   # the code's reading beside an independent one, differences shown
    python tools/expected_documents.py --write    # (re)write expected.json from the code, after review

The independent reading of protected pieces does not use service/core/formats: for HTML, html5lib's tree (inline
code/kbd/var/samp/tt and inline elements marked translate="no" or class="notranslate", outside pre, script and the
other non-prose elements and outside blocks marked not to translate); for Markdown, markdown-it's code spans and
autolinks. --review prints every document where the two disagree, and every sentence that does not end with a
terminator or does not start with a capital or a digit, for a person to read against the source.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import html5lib  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402

from service.core.formats import parse  # noqa: E402
from service.core.formats.html import BLOCKS, SKIPPED  # noqa: E402
from service.core.segment import split_sentences  # noqa: E402
from service.core.tagging import Tagger, default_taxonomy_path, load_taxonomy  # noqa: E402

DOCUMENTS = ROOT / "tests" / "data" / "documents"
EXPECTED = DOCUMENTS / "expected.json"
CODE = {"code", "kbd", "var", "samp", "tt"}
_NS = "{http://www.w3.org/1999/xhtml}"


def documents() -> list[Path]:
    return sorted(p for p in DOCUMENTS.iterdir() if p.suffix in (".html", ".md") and p.name != "README.md")


def _marked(element: Any) -> bool:
    return (element.get("translate") or "").strip().lower() == "no" or "notranslate" in (
        element.get("class") or "").split()


def _text(element: Any) -> str:
    return "".join(element.itertext())


def reference_html(source: str) -> list[str]:
    """Protected pieces by html5lib, a parser of its own."""
    tree = html5lib.parse(source)
    pieces: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag.removeprefix(_NS) if isinstance(element.tag, str) else ""
        if tag in SKIPPED or (tag in BLOCKS and _marked(element)):
            return
        if tag and tag not in BLOCKS and (tag in CODE or _marked(element)):
            pieces.append(" ".join(_text(element).split()))
            return
        for child in element:
            walk(child)

    walk(tree)
    return [piece for piece in pieces if piece]


def reference_markdown(source: str) -> list[str]:
    """Protected pieces by markdown-it's own tokens: code spans and autolinks."""
    pieces: list[str] = []
    for token in MarkdownIt("commonmark").enable("table").parse(source):
        if token.type != "inline":
            continue
        autolink = False
        for child in token.children or []:
            if child.type == "code_inline":
                pieces.append(child.content)
            elif child.type == "link_open":
                autolink = child.markup == "autolink"
            elif child.type == "link_close":
                autolink = False
            elif child.type == "text" and autolink:
                pieces.append(child.content)
    return pieces


def reading(path: Path, tagger: Tagger) -> dict[str, Any]:
    """What the code gives for one document."""
    fmt = "html" if path.suffix == ".html" else "markdown"
    layout = parse(path.read_text(encoding="utf-8"), fmt)  # type: ignore[arg-type]
    visible = layout.visible_text
    return {
        "protected": [visible[start:end] for start, end in layout.protected],
        "sentences": [s.text for s in split_sentences(visible, "pt").sentences],
        "tags": sorted(tag.topic for tag in tagger.tag(visible, "pt")),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="write expected.json from the code")
    parser.add_argument("--review", action="store_true", help="show where the code and the independent reading differ")
    args = parser.parse_args()
    tagger = Tagger(load_taxonomy(default_taxonomy_path()))
    found = {path.name: reading(path, tagger) for path in documents()}
    if args.review:
        for path in documents():
            source = path.read_text(encoding="utf-8")
            reference = reference_html(source) if path.suffix == ".html" else reference_markdown(source)
            code = [" ".join(piece.split()) for piece in found[path.name]["protected"]]
            if code != reference:
                print(f"{path.name}: protected differ\n  code:      {code}\n  reference: {reference}")
            for sentence in found[path.name]["sentences"]:
                odd_end = sentence[-1] not in ".!?…:\"'”»)"
                odd_start = not (sentence[0].isupper() or sentence[0].isdigit() or sentence[0] in "\"'“«(—-¿¡$")
                if odd_end or odd_start:
                    print(f"{path.name}: sentence to read: {sentence!r}")
            print(f"{path.name}: tags {found[path.name]['tags']}")
    if args.write:
        # a reviewer's note that the tagger is wrong on a document is kept: its tags are the reviewer's
        old = json.loads(EXPECTED.read_text(encoding="utf-8")) if EXPECTED.exists() else {}
        for name, entry in found.items():
            note = old.get(name, {}).get("tagger_differs")
            if note:
                entry["tags"] = sorted(set(entry["tags"]) - set(note.get("extra", [])) | set(note.get("missing", [])))
                entry["tagger_differs"] = note
        EXPECTED.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {EXPECTED.relative_to(ROOT)} ({len(found)} documents)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
