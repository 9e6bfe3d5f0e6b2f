"""Count what differs between ways of running the same documents, on the CTranslate2 backend of this process.

    OMP_NUM_THREADS=1 python tools/measure_same_answer.py engine [--corpus looping|news]
    OMP_NUM_THREADS=1 python tools/measure_same_answer.py cli [--corpus looping|news] [--layouts default,chunk1,...]

Choose the backend with the environment: `CT2_USE_MKL=1` (Intel MKL, the default on Intel CPUs), `CT2_USE_MKL=0`
(oneDNN, the default elsewhere), and `ONEDNN_MAX_CPU_ISA=AVX2` to give oneDNN the kernels of an AVX2-only CPU.

`engine`: every sentence of the corpus translated alone (the reference), then in one call in reverse order, then
one call per document; prints how many sentences differ (text, score, flags or alternatives), and how many of
those differ in text. `cli`: `python -m service analyze` over the corpus (bad lines among the documents) in each
layout (chunk sizes, threads, workers, --resume after a torn line, --shard K/N + merge); prints how many output
lines differ from the default layout's (timings aside).

Corpora: `looping` is tests/data/looping_pt.jsonl (sentences the test package decodes into loops); `news` is the
327 labelled passages of tests/data/tagging_tuning.jsonl and tagging_eval.jsonl plus the 48 of the bench workload.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.core.packages import install_archive  # noqa: E402
from service.core.segment import split_sentences  # noqa: E402
from service.core.translate import ArgosTranslator, DecodingOptions, SentenceResult  # noqa: E402

log = logging.getLogger("measure_same_answer")
MODEL = ROOT / "tests" / "fixtures" / "translate-pt_en-ponte_test-1_0.argosmodel"
DATA = ROOT / "tests" / "data"
BAD_LINES = ['{"id": "broken", "text": "O arquivo foi salvo', '{"id": "blank", "text": "   "}']


def corpus(name: str) -> list[dict[str, str]]:
    """The documents of a corpus, as {id, text}."""
    if name == "looping":
        rows = [json.loads(line) for line in (DATA / "looping_pt.jsonl").read_text("utf-8").splitlines()]
        return [{"id": r["id"], "text": " ".join(r["sentences"])} for r in rows]
    docs: list[dict[str, str]] = []
    for path in (DATA / "tagging_tuning.jsonl", DATA / "tagging_eval.jsonl", ROOT / "bench" / "workload_pt.jsonl"):
        docs += [{"id": r["id"], "text": r["text"]} for r in map(json.loads, path.read_text("utf-8").splitlines())]
    return docs


def backend() -> str:
    """The backend this process's environment asks CTranslate2 for."""
    mkl = os.environ.get("CT2_USE_MKL", "(auto)")
    isa = os.environ.get("ONEDNN_MAX_CPU_ISA", "(auto)")
    return f"CT2_USE_MKL={mkl} ONEDNN_MAX_CPU_ISA={isa}"


def engine_counts(docs: list[dict[str, str]], packages: Path) -> None:
    package = install_archive(MODEL, packages)
    engine = ArgosTranslator(package, DecodingOptions())
    per_doc = [[s.text for s in split_sentences(d["text"]).sentences] for d in docs]
    sentences = list(dict.fromkeys(s for doc in per_doc for s in doc))
    started = time.perf_counter()
    alone = {s: engine.translate_scored([s], 3)[0] for s in sentences}
    log.info("%s: %d sentences alone in %.1f s", backend(), len(sentences), time.perf_counter() - started)
    reverse = list(reversed(sentences))
    ways: dict[str, Callable[[], dict[str, SentenceResult]]] = {
        "one call, reversed": lambda: dict(zip(reverse, engine.translate_scored(reverse, 3), strict=True)),
        "one call per document": lambda: {s: r for doc in per_doc
                                          for s, r in zip(doc, engine.translate_scored(doc, 3), strict=True)},
    }
    for name, way in ways.items():
        results = way()
        differ = [s for s in sentences if results[s] != alone[s]]
        texts = [s for s in differ if results[s].text != alone[s].text]
        log.info("%-24s differ from alone: %d of %d sentences (%d in text)", name, len(differ), len(sentences),
                 len(texts))


LAYOUTS: dict[str, list[str]] = {
    "chunk1": ["--chunk-size", "1", "--threads", "1"],
    "chunk7": ["--chunk-size", "7", "--threads", "2"],
    "chunk32": ["--chunk-size", "32", "--threads", "1"],
    "threads2": ["--threads", "2"],
    "workers2": ["--workers", "2", "--chunk-size", "5"],
}


def stable_lines(path: Path) -> list[str]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return [json.dumps({k: v for k, v in row.items() if k != "timings_ms"}, ensure_ascii=False) for row in rows]


def analyze(packages: Path, source: Path, out: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PONTE_", "ARGOS_"))}
    env["PONTE_PACKAGES_DIR"] = str(packages)
    done = subprocess.run([sys.executable, "-m", "service", "analyze", "-i", str(source), "-o", str(out),
                           "--no-progress", *args], cwd=ROOT, env=env, capture_output=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"analyze {' '.join(args)} exited {done.returncode}: {done.stderr.decode()[-2000:]}")


def cli_counts(docs: list[dict[str, str]], packages: Path, layouts: list[str], work: Path) -> None:
    install_archive(MODEL, packages)
    lines = [json.dumps(d, ensure_ascii=False) for d in docs]
    for n, bad in enumerate(BAD_LINES):
        lines.insert(1 + (len(lines) * (n + 1)) // (len(BAD_LINES) + 1), bad)
    source = work / "in.jsonl"
    source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    default = work / "default.jsonl"
    started = time.perf_counter()
    analyze(packages, source, default)
    reference = stable_lines(default)
    log.info("%s: default layout, %d lines in %.1f s", backend(), len(reference), time.perf_counter() - started)

    def report(name: str, path: Path) -> None:
        got = stable_lines(path)
        differ = sum(a != b for a, b in zip(got, reference, strict=False)) + abs(len(got) - len(reference))
        log.info("%-16s %d of %d lines differ from the default layout", name, differ, len(reference))

    for name in layouts:
        out = work / f"{name}.jsonl"
        if name in LAYOUTS:
            analyze(packages, source, out, *LAYOUTS[name])
        elif name.startswith("resume"):  # resume: a torn line after the first third of the lines
            whole = default.read_text("utf-8").splitlines(keepends=True)
            keep = len(whole) // 3
            out.write_text("".join(whole[:keep]) + whole[keep][:20], encoding="utf-8")
            analyze(packages, source, out, "--chunk-size", "6", "--resume")
        elif name.startswith("shards"):
            count = int(name.removeprefix("shards"))
            parts = [work / f"{name}-{k}.jsonl" for k in range(count)]
            for k, part in enumerate(parts):
                analyze(packages, source, part, "--shard", f"{k}/{count}", "--chunk-size", "3")
            subprocess.run([sys.executable, "-m", "service", "merge", "-o", str(out), *map(str, parts)], cwd=ROOT,
                           check=True, capture_output=True)
        else:
            raise SystemExit(f"unknown layout {name}")
        report(name, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("engine", "cli"))
    parser.add_argument("--corpus", choices=("looping", "news"), default="looping")
    parser.add_argument("--layouts", default="chunk1,chunk7,chunk32,threads2,workers2,resume,shards2,shards3,shards7")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    docs = corpus(args.corpus)
    with tempfile.TemporaryDirectory() as tmp:
        if args.what == "engine":
            engine_counts(docs, Path(tmp))
        else:
            cli_counts(docs, Path(tmp) / "packages", args.layouts.split(","), Path(tmp))


if __name__ == "__main__":
    main()
