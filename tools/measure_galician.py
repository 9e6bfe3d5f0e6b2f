"""How often Galician text is called reliable Portuguese (or Spanish), and Portuguese or Spanish text unreliable.

langdetect has no Galician profile; detect.galician_spelling keeps Galician from being called reliable pt or es.
Measured on the Galician, Portuguese and Spanish message catalogs of the machine's Debian packages
(/usr/share/locale/{gl,pt,pt_BR,es}/LC_MESSAGES/*.mo: real UI text, every string of at least 25 letters,
placeholders removed, at most 3000 per language), on tests/data/galician_news_gl.txt (30 Galician news
sentences, CC0) and on the Portuguese news text of the repository (bench/workload_pt.jsonl,
tests/data/tagging_*.jsonl, tests/data/spans).

    python tools/measure_galician.py
"""

from __future__ import annotations

import gettext
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.core.detect import LanguageDetector, letter_count  # noqa: E402

_NOISE = re.compile(r"%\S+|[_&~]|\\n|\s+")


def catalog(language: str, most: int = 3000) -> list[str]:
    """At most `most` distinct translated strings (25 letters or more, evenly spread in sorted order) of the
    machine's catalogs of one language."""
    found: set[str] = set()
    for path in sorted(Path(f"/usr/share/locale/{language}/LC_MESSAGES").glob("*.mo")):
        try:
            with path.open("rb") as stream:
                entries = gettext.GNUTranslations(stream)._catalog  # type: ignore[attr-defined]
        except (OSError, ValueError):
            continue
        for key, value in entries.items():
            if isinstance(key, str) and key and isinstance(value, str):
                text = _NOISE.sub(" ", value).strip()
                if letter_count(text) >= 25 and "<" not in text:
                    found.add(text)
    ordered = sorted(found)
    step = max(1, len(ordered) // most)
    return ordered[::step][:most]


def news() -> list[str]:
    """The repository's Portuguese news text."""
    texts = []
    for name in ("bench/workload_pt.jsonl", "tests/data/tagging_eval.jsonl", "tests/data/tagging_tuning.jsonl"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record.get("language", "pt") == "pt":
                texts.append(record["text"])
    spans = (ROOT / "tests/data/spans/news_spans_pt.txt").read_text(encoding="utf-8").splitlines()
    return texts + [re.sub(r"\[\[[^:]+:(.+?)\]\]", r"\1", line) for line in spans if line and line[0] != "#"]


def main() -> int:
    detector = LanguageDetector()
    sets = {"gl catalogs": catalog("gl"), "gl news (tests/data)": (ROOT / "tests/data/galician_news_gl.txt")
            .read_text(encoding="utf-8").splitlines(), "pt catalogs": catalog("pt"),
            "pt_BR catalogs": catalog("pt_BR"), "pt news (repository)": news(), "es catalogs": catalog("es")}
    out = ["| text | strings | detected pt | reliable pt | detected es | reliable es |", "|---|---|---|---|---|---|"]
    for name, texts in sets.items():
        found = [detector.detect(text) for text in texts]
        pt = sum(d.code == "pt" for d in found)
        es = sum(d.code == "es" for d in found)
        out.append(f"| {name} | {len(texts)} | {pt} | {sum(d.code == 'pt' and d.reliable for d in found)} | {es} | "
                   f"{sum(d.code == 'es' and d.reliable for d in found)} |")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
