"""Measure choose_language's thresholds on a pt-only deployment: which rule resolves short Portuguese text
and still refuses other languages.

    python tools/measure_detect_fallback.py tests/data/headlines [--languages pt,en,es,fr,it]

Each file is named `<source>_<lang>_<kind>.txt`. For every (min_probability, top, min_letters) it prints the
share of Portuguese lines resolved to pt, English lines resolved to en, and other-language lines refused.
"""

from __future__ import annotations

import argparse
import itertools
import logging
from pathlib import Path

from service.core.detect import Detection, FallbackRule, LanguageDetector, choose_language, letter_count

log = logging.getLogger("measure_detect_fallback")
INSTALLED = ("pt",)
TARGET = "en"


def outcome(detection: Detection, letters: int, rule: FallbackRule) -> str:
    """The language a pt-only deployment would use, or 'refused'."""
    chosen = choose_language(detection, INSTALLED, TARGET, letters=letters, rule=rule)
    return chosen.code if chosen.code in (*INSTALLED, TARGET) else "refused"


def main() -> None:
    """Print one row per rule."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--languages", help="restrict detection to these languages (comma-separated)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    detector = LanguageDetector(languages=args.languages.split(",") if args.languages else None)
    groups: dict[tuple[str, str], list[tuple[Detection, int]]] = {}
    for path in sorted(args.folder.glob("*.txt")):
        _source, lang, kind = path.stem.split("_", 2)
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
        groups.setdefault((lang, kind), []).extend((detector.detect(t), letter_count(t)) for t in lines)
    expected = {"pt": "pt", "en": "en"}
    names = [f"{lang}-{kind}" for lang, kind in groups]
    log.info("%-16s %s", "p  k  N", " ".join(f"{n[:14]:>14}" for n in names))
    log.info("%-16s %s", "(lines)", " ".join(f"{len(g):>14}" for g in groups.values()))
    for p, k, n in itertools.product((0.1, 0.2, 0.3), (1, 2, 3), (0, 25, 30, 35, 40, 45, 50, 60)):
        rule = FallbackRule(min_probability=p, top=k, min_letters=n)
        cells = []
        for (lang, _kind), rows in groups.items():
            want = expected.get(lang, "refused")
            good = sum(outcome(d, letters, rule) == want for d, letters in rows)
            cells.append(f"{100.0 * good / len(rows):>13.1f}%")
        log.info("%-16s %s", f"{p} {k} {n}", " ".join(cells))


if __name__ == "__main__":
    main()
