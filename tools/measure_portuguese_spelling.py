"""What the spelling check (detect.portuguese_spelling) changes: texts translated as Portuguese on a pt-only server.

langdetect takes short Portuguese for Spanish, Catalan or Italian (a headline with `pela`, said es with probability
1.0); when the text has more words spelt as only Portuguese writes them than words only the detected language
writes, the detection is not reliable and the pipeline chooses pt (choose_language, method `fallback`). Counted,
with and without the check, on Portuguese text (the 100 headlines of tests/data/spans in ordinary case and in
capitals, the repository's news, the machine's pt and pt_BR message catalogs, the handbook headings and captions
of tests/data/headlines) and on its neighbours' (the machine's es, ca, it, fr and gl catalogs, the handbook
headings, sentences and paragraphs in es, fr and it, tests/data/galician_news_gl.txt), where every text chosen as
pt is a false one (Galician excepted: no model reads it, and Portuguese is its closest).

    python tools/measure_portuguese_spelling.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from eval_capitals import load  # noqa: E402
from measure_galician import catalog, news  # noqa: E402

from service.core import detect  # noqa: E402
from service.core.detect import LanguageDetector, choose_language, letter_count  # noqa: E402

HEADLINES = ROOT / "tests" / "data" / "headlines"


def lines(name: str) -> list[str]:
    """The non-empty lines of a file of tests/data/headlines."""
    path = HEADLINES / name
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] if path.exists() else []


def corpora() -> dict[str, list[str]]:
    """Each corpus measured, by name: the Portuguese ones first."""
    headlines = load()[0]
    sets = {"pt headlines (100), ordinary case": headlines,
            "pt headlines (100), capitals": [h.upper() for h in headlines],
            "pt news (repository)": news(), "pt catalogs": catalog("pt"), "pt_BR catalogs": catalog("pt_BR"),
            "pt handbook headings and captions": lines("handbook_pt_headings.txt") + lines("handbook_pt_captions.txt")}
    for language in ("es", "ca", "it", "fr", "gl"):
        sets[f"{language} catalogs"] = catalog(language)
    for language in ("es", "fr", "it"):
        sets[f"{language} handbook headings, sentences, paragraphs"] = [
            line for kind in ("headings", "sentences", "paragraphs")
            for line in lines(f"handbook_{language}_{kind}.txt")]
    sets["gl news (tests/data)"] = (ROOT / "tests/data/galician_news_gl.txt").read_text(encoding="utf-8").splitlines()
    return sets


def main() -> int:
    detector = LanguageDetector()
    out = ["| text | strings | chosen as pt without the check | with it | spelling said pt |", "|---|---|---|---|---|"]
    for name, texts in corpora().items():
        before = after = spelt = 0
        for text in texts:
            letters = letter_count(text)
            found = detector.detect(text)
            after += choose_language(found, ("pt",), "en", letters=letters).code == "pt"
            spelt += found.spelling == "pt"
            check, detect.portuguese_spelling = detect.portuguese_spelling, lambda text, language: False
            try:
                plain = detector.detect(text)
            finally:
                detect.portuguese_spelling = check
            before += choose_language(plain, ("pt",), "en", letters=letters).code == "pt"
        out.append(f"| {name} | {len(texts)} | {before} | {after} | {spelt} |")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
