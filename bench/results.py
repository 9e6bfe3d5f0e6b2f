"""bench/RESULTS.md is written by several benchmarks: each owns one section between two marker lines.

`make bench` rewrites the head of the file and keeps the other sections (and the hand-written notes);
`make bench-peer` and `make bench-argos-size` replace only their own section.
"""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
_SECTION = re.compile(r"<!-- section:(?P<name>[\w-]+) -->\n.*?<!-- /section:(?P=name) -->\n?", re.S)


def markers(name: str) -> tuple[str, str]:
    """The opening and closing marker lines of a section."""
    return f"<!-- section:{name} -->", f"<!-- /section:{name} -->"


def sections(text: str) -> dict[str, str]:
    """Every marked section of a document, markers included, by name (in document order)."""
    return {m.group("name"): m.group(0).rstrip("\n") for m in _SECTION.finditer(text)}


def render_section(name: str, body: str) -> str:
    """A section: markers around the body."""
    start, end = markers(name)
    return f"{start}\n{body.strip()}\n{end}"


def replace_section(text: str, name: str, body: str, before: str = "## Notes") -> str:
    """The document with section `name` replaced by `body`, or added before the `before` heading (or at the end)."""
    rendered = render_section(name, body)
    existing = sections(text)
    if name in existing:
        return text.replace(existing[name], rendered, 1)
    if before in text:
        at = text.index(before)
        return text[:at] + rendered + "\n\n" + text[at:]
    return text.rstrip("\n") + "\n\n" + rendered + "\n"


def publish(name: str, body: str, out: str) -> None:
    """Print a benchmark's section, and write it into the results file `out` unless it is "-"."""
    print(body)
    if out != "-":
        write_section(name, body, Path(out))
        print(f"written to {out}")


def write_section(name: str, body: str, path: Path = RESULTS) -> None:
    """Replace (or add) one section of the results file, leaving everything else as it is."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    path.write_text(replace_section(text, name, body), encoding="utf-8")


def kept_sections(text: str) -> str:
    """The marked sections of an earlier results file, to be written again after a new head."""
    return "\n\n".join(sections(text).values())


def write_head(head: str, path: Path = RESULTS) -> None:
    """Rewrite the file's head (make bench), keeping the other benchmarks' sections and the hand-written
    "## Notes" (everything from that heading on)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    notes = old[old.index("## Notes"):] if "## Notes" in old else ""
    kept = kept_sections(old[:old.index("## Notes")] if notes else old)
    path.write_text(head.rstrip("\n") + "\n\n" + (kept + "\n\n" if kept else "") + notes, encoding="utf-8")
