"""Keep a generated section of a document (between two marker lines) in step with its source.

Used by tools/settings_table.py (README's settings) and tools/iptc_table.py (docs/taxonomy.md's IPTC mapping):
each renders its table, markers included, and hands it here to rewrite or check.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def replace_section(text: str, start: str, end: str, rendered: str) -> str:
    """`text` with everything from the `start` marker to the `end` marker replaced by `rendered`."""
    first, last = text.index(start), text.index(end) + len(end)
    return text[:first] + rendered + text[last:]


def run(argv: list[str] | None, doc: Path, markers: tuple[str, str], render: Callable[[], str],
        description: str | None, stale: str) -> int:
    """Rewrite the section of `doc`, or with --check exit 1 (printing `stale`) when it is out of date."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help=f"exit 1 if {doc.name} is out of date")
    args = parser.parse_args(argv)
    text = doc.read_text(encoding="utf-8")
    wanted = replace_section(text, *markers, render())
    if args.check:
        if wanted != text:
            print(stale, file=sys.stderr)
            return 1
        return 0
    doc.write_text(wanted, encoding="utf-8")
    return 0
