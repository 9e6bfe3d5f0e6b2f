"""Headlines in capitals: how often detection says Portuguese, and how the engine is best given them.

tests/data/spans/headlines_pt_en.tsv holds 100 Portuguese headlines with an English rendering (CC0); their
capitals are `str.upper()` of each. Detection is counted for langdetect alone and for what the pipeline
translates with on a pt-only server (choose_language: short or unsure text falls back to pt when plausible),
with all of langdetect's languages and with PONTE_DETECT_LANGUAGES=pt,en. The engine is tried with the capitals
as they are, lower-cased and sentence-cased (the output put back in capitals): corpus chrF (case-insensitive)
against the English renderings and against the model's own translation of the headline in ordinary case.

    python tools/eval_capitals.py [--model FILE.argosmodel]     # default: the test package
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sacrebleu  # noqa: E402

from service.core.casing import in_capitals, sentence_case  # noqa: E402
from service.core.detect import LanguageDetector, choose_language, letter_count  # noqa: E402
from service.core.packages import install_archive, scan_packages  # noqa: E402
from service.core.translate import ArgosTranslator, DecodingOptions  # noqa: E402

HEADLINES = ROOT / "tests" / "data" / "spans" / "headlines_pt_en.tsv"
FIXTURE = ROOT / "tests" / "fixtures" / "translate-pt_en-ponte_test-1_0.argosmodel"


def load() -> tuple[list[str], list[str]]:
    """The Portuguese headlines and their English renderings."""
    rows = [line.split("\t") for line in HEADLINES.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    return [row[0] for row in rows], [row[1] for row in rows]


def detection(portuguese: list[str]) -> list[str]:
    """Rows of the detection table: headlines detected as pt, out of 100, per case and configuration."""
    rows = ["| languages | text | langdetect says pt | translated as pt (pt-only server) |", "|---|---|---|---|"]
    cases: dict[str, Callable[[str], str]] = {"ordinary case": lambda text: text, "capitals": str.upper}
    for languages in (None, ("pt", "en")):
        detector = LanguageDetector(languages=languages)
        for name, change in cases.items():
            said = used = 0
            for headline in portuguese:
                text = change(headline)
                found = detector.detect(text)
                said += found.code == "pt"
                used += choose_language(found, ("pt",), "en", letters=letter_count(text)).code == "pt"
            label = "all 55" if languages is None else ",".join(languages)
            rows.append(f"| {label} | {name} | {said} | {used} |")
    return rows


def casing(portuguese: list[str], english: list[str], model: Path) -> list[str]:
    """Rows of the casing table: the engine given capitals in three ways."""
    folder = Path(tempfile.mkdtemp(prefix="ponte-capitals-"))
    install_archive(model, folder)
    engine = ArgosTranslator(scan_packages(folder)[0][0], DecodingOptions())
    ordinary = [result.text for result in engine.translate_scored(portuguese)]
    capitals = [headline.upper() for headline in portuguese]
    ways: dict[str, tuple[list[str], Callable[[str], str]]] = {
        "ordinary case (reference point)": (portuguese, lambda text: text),
        "capitals as they are": (capitals, lambda text: text),
        "capitals lower-cased, output in capitals": ([c.lower() for c in capitals], in_capitals),
        "capitals sentence-cased, output in capitals": ([sentence_case(c) for c in capitals], in_capitals),
    }
    rows = ["| engine input | chrF vs English | chrF vs its ordinary-case output | same output | mean score |",
            "|---|---|---|---|---|"]
    for name, (inputs, back) in ways.items():
        results = engine.translate_scored(inputs)
        out = [back(result.text).lower() for result in results]
        versus_english = sacrebleu.corpus_chrf(out, [[e.lower() for e in english]]).score
        versus_ordinary = sacrebleu.corpus_chrf(out, [[o.lower() for o in ordinary]]).score
        same = sum(o == r.lower() for o, r in zip(out, ordinary, strict=True))
        mean = sum(r.score or 0.0 for r in results) / len(results)
        rows.append(f"| {name} | {versus_english:.1f} | {versus_ordinary:.1f} | {same} | {mean:.3f} |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=FIXTURE)
    args = parser.parse_args()
    portuguese, english = load()
    sys.stdout.write("\n".join(["## Detection of 100 headlines", "", *detection(portuguese), "",
                                f"## The engine given capitals ({args.model.name})", "",
                                *casing(portuguese, english, args.model), ""]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
