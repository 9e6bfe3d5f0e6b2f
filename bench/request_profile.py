"""Where a request's time goes: py-spy on a real gunicorn server at concurrency 1 and 4 (make profile).

    make profile                                 # record and report: bench/profile/{c1,c4}.svg, .folded, README.md
    python bench/request_profile.py --quick        # a smoke run (a few requests per concurrency)
    python bench/request_profile.py --report-only  # the tables and flame graphs again from the committed .folded

Recording: `python -m service serve` (defaults, 2 workers, caches off so that every request does the whole work)
answers POST /v1/analyze (detect, translate, tag) for the news passages (bench/load.py, closed loop) while
`py-spy record --subprocesses --idle --threads` samples the master and its workers (wall-clock: threads waiting
for the engine are sampled too, so the engine's time shows). The server's Python processes import
bench/hooks/sitecustomize.py, which wraps ctranslate2.Translator in an observer: every engine call and wait
passes through two named functions the profile recognises, and every translate_batch / score_batch call is
logged with its batch size (the histogram below). The service itself is not changed.

Report: each sample of a thread serving a request (a frame of the service, Flask, Werkzeug or gunicorn's HTTP
code on its stack) is given to one stage by the first rule of STAGES that matches any of its frames; the rest
(idle threads, the arbiter, the event loop waiting) is left out. Per stage: share of the request threads' time
and milliseconds per request (samples / rate / requests). At c=1 that splits the latency; at c=4 it is thread
time, which includes waiting for a core. Flame graphs: request-path samples of all workers and threads merged,
coloured by stage. Sampling costs the server some speed (py-spy reads the workers' memory 100 times a second):
compare stages within a profile, and take speed itself from `make bench` / `make bench-peer`.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PROFILE_DIR = BENCH / "profile"
HOOKS = BENCH / "hooks"
FIXTURE = ROOT / "tests" / "fixtures" / "translate-pt_en-ponte_test-1_0.argosmodel"
NEWS = ROOT / "tests" / "data" / "tagging_eval.jsonl"

# ------------------------------------------------------------------------------------------------ stacks


@dataclass(frozen=True)
class Frame:
    """One frame of a folded stack: function (py-spy qualifies it with its class) and file (shortened)."""

    func: str
    file: str
    line: str = ""

    def label(self) -> str:
        return f"{self.func} ({self.file}{':' + self.line if self.line else ''})"


_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
_PREFIXES = (re.compile(r"^.*/site-packages/"), re.compile(r"^.*/lib/python3\.\d+/"))


def short_file(path: str) -> str:
    """A file name relative to the repository, site-packages or the standard library."""
    root = str(ROOT) + "/"
    if path.startswith(root):
        return path[len(root):]
    for prefix in _PREFIXES:
        shortened = prefix.sub("", path)
        if shortened != path:
            return shortened
    return path


def parse_frame(text: str) -> Frame:
    match = _FRAME.match(text)
    if match is None:
        return Frame(text, "")
    return Frame(match["func"], short_file(match["file"]), match["line"] or "")


@dataclass
class Sample:
    """A folded stack (root first) with its count, its process and thread."""

    frames: tuple[Frame, ...]
    count: int
    process: str = ""
    thread: str = ""


def read_folded(lines: Iterable[str]) -> list[Sample]:
    """py-spy's raw output (or our normalised .folded): `frame;frame;... count` per line."""
    samples = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            continue
        stack, _, count = line.rpartition(" ")
        process = thread = ""
        frames = []
        for part in stack.split(";"):
            if part.startswith("process ") and not frames:
                process = part.split(":", 1)[0]  # the innermost process frame names the sampled process
            elif part.startswith("thread (") and not frames:
                thread = part.split(")", 1)[0] + ")"
            else:
                frames.append(parse_frame(part))
        samples.append(Sample(tuple(frames), int(count), process, thread))
    return samples


def write_folded(samples: Iterable[Sample], path: Path) -> None:
    """Normalised folded stacks (short file names, process and thread kept as the first two frames)."""
    merged: Counter[str] = Counter()
    for s in samples:
        key = ";".join([s.process or "process ?", s.thread or "thread (?)", *(f.label() for f in s.frames)])
        merged[key] += s.count
    path.write_text("".join(f"{stack} {n}\n" for stack, n in sorted(merged.items())), encoding="utf-8")


# ------------------------------------------------------------------------------------------------ stages

Rule = Callable[[tuple[Frame, ...]], bool]
HOOK = "bench/hooks/sitecustomize.py"
WAIT_FILES = ("threading.py",)


def any_file(*parts: str) -> Rule:
    return lambda frames: any(p in f.file for f in frames for p in parts)


def any_func(pattern: str, file_part: str = "") -> Rule:
    regex = re.compile(pattern)
    return lambda frames: any(regex.search(f.func) and file_part in f.file for f in frames)


def either(*rules: Rule) -> Rule:
    return lambda frames: any(rule(frames) for rule in rules)


def outer_marshmallow(kind: str) -> Rule:
    """The outermost marshmallow frame is a load (request parsing) or a dump (response shaping)."""
    pattern = re.compile(r"(^|\.)_?(load|loads|validate|_do_load|_deserialize)$" if kind == "load"
                         else r"(^|\.)_?(dump|dumps|_serialize)$")

    def rule(frames: tuple[Frame, ...]) -> bool:
        for f in frames:
            if "marshmallow/" in f.file:
                return bool(pattern.search(f.func))
        return False

    return rule


def waiting_in(file_part: str) -> Rule:
    """A thread blocked (its innermost frame in threading.py) below a frame of `file_part`."""
    return lambda frames: bool(frames) and frames[-1].file.endswith(WAIT_FILES) and any(
        file_part in f.file for f in frames)


# First match wins: specific stages before the ones that contain them. Update the file patterns when code moves.
STAGES: list[tuple[str, Rule]] = [
    ("repair (re-decode + rescore)", any_func(r"repair", "service/")),
    ("engine (CTranslate2)", either(any_file(HOOK, "ctranslate2/"))),
    ("engine: waiting for a shared call", waiting_in("service/core/batching.py")),
    ("SentencePiece (and its cache)", any_file("sentencepiece/", "service/core/translate/tokenizer")),
    ("logging / metrics", any_file("logging/", "service/logs.py", "service/web/requestlog.py", "service/web/metrics.py",
                                   "service/web/observer.py", "prometheus_client/")),
    ("scoring / quality flags", either(any_file("service/core/translate/quality.py",
                                                "service/core/translate/results.py"),
                                       any_func(r"(_assessed|_hypothesis|_sentence|\.signals|_rank|_rounded|"
                                                r"Quality\.of)$", "service/"))),
    ("masking (terms, glossary)", any_file("service/core/terms/")),
    ("detection", any_file("service/core/detect", "service/core/langprofiles", "langdetect/")),
    ("tagging", any_file("service/core/tagging/")),
    ("sentence split", any_file("service/core/segment")),
    ("budget, slices, token counts", any_file("service/core/budget")),
    ("body parse / format", either(any_file("service/core/formats/", "service/web/body.py", "service/jsonin.py",
                                            "json/decoder.py"), outer_marshmallow("load"),
                                   any_func(r"get_json$"))),
    ("JSON response", either(outer_marshmallow("dump"), any_file("json/encoder.py", "flask/json/"),
                             any_func(r"(jsonify|dumps)$"))),
    ("HTTP (gunicorn, Werkzeug, Flask)", any_file("gunicorn/", "werkzeug/", "flask/", "service/web/", "socket.py",
                                                  "http/", "selectors.py")),
    ("other service code", any_file("service/")),
    ("other", lambda frames: True),
]
_SERVING = any_file("service/", "flask/", "werkzeug/", "gunicorn/")
# innermost frames of a thread with nothing to do: the event loop waiting on its sockets, a pool thread waiting
# for work, the arbiter between its checks, `serve` waiting for nginx and gunicorn and relaying nginx's log lines
_IDLE_LEAVES = ("selectors.py", "concurrent/futures/thread.py", "gunicorn/arbiter.py", "service/cli/serve.py")


def in_request(frames: tuple[Frame, ...]) -> bool:
    """A sample of a thread serving a request: some frame of the server's code, and not waiting for work."""
    return bool(frames) and not frames[-1].file.endswith(_IDLE_LEAVES) and _SERVING(frames)


STAGE_NAMES = [name for name, _ in STAGES]


def stage_of(frames: tuple[Frame, ...]) -> str:
    for name, rule in STAGES:
        if rule(frames):
            return name
    return "other"


@dataclass
class Breakdown:
    """Samples per stage of the request path, and what was left out."""

    stages: Counter[str] = field(default_factory=Counter)
    outside: int = 0
    unclassified: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.stages.values())


def breakdown(samples: Iterable[Sample]) -> Breakdown:
    out = Breakdown()
    for s in samples:
        if not in_request(s.frames):
            out.outside += s.count
            continue
        stage = stage_of(s.frames)
        out.stages[stage] += s.count
        if stage in ("other", "other service code") and s.frames:
            out.unclassified[s.frames[-1].label()] += s.count
    return out


# ------------------------------------------------------------------------------------------------ flame graph

PALETTE = ["#e15759", "#f28e2b", "#ff9da7", "#edc948", "#59a14f", "#8cd17d", "#b6992d", "#499894", "#86bcb6",
           "#4e79a7", "#a0cbe8", "#9d7660", "#d7b5a6", "#bab0ac", "#79706e", "#d4a6c8"]
COLOURS = dict(zip(STAGE_NAMES, PALETTE, strict=False))


@dataclass
class _Node:
    frame: Frame | None
    count: int = 0
    stages: Counter[str] = field(default_factory=Counter)
    children: dict[str, _Node] = field(default_factory=dict)


def flame_svg(samples: Iterable[Sample], title: str, width: int = 1200, row: int = 16) -> str:
    """A flame graph (root at the bottom) of the request-path samples, each frame coloured by the stage most of
    its samples belong to; hover a frame for its name and samples. Plain SVG, no script."""
    root = _Node(None)
    depth = 0
    for s in samples:
        if not in_request(s.frames):
            continue
        stage = stage_of(s.frames)
        node = root
        node.count += s.count
        node.stages[stage] += s.count
        for frame in s.frames:
            key = f"{frame.func} ({frame.file})"  # lines merged: one box per function and file
            node = node.children.setdefault(key, _Node(Frame(frame.func, frame.file)))
            node.count += s.count
            node.stages[stage] += s.count
        depth = max(depth, len(s.frames))
    legend_rows = math.ceil(len(STAGE_NAMES) / 4)
    top = 30 + legend_rows * 18
    height = top + (depth + 1) * row + 10
    total = max(root.count, 1)
    scale = (width - 20) / total
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="Verdana, sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="10" y="18" font-size="14">{html.escape(title)} ({root.count} samples)</text>']
    for i, name in enumerate(STAGE_NAMES):
        x, y = 10 + (i % 4) * 295, 30 + (i // 4) * 18
        share = 100 * root.stages[name] / total
        out.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{COLOURS[name]}"/>'
                   f'<text x="{x + 16}" y="{y + 10}">{html.escape(name)} {share:.1f}%</text>')

    def draw(node: _Node, x: float, level: int) -> None:
        for child in sorted(node.children.values(), key=lambda c: c.frame.label() if c.frame else ""):
            w = child.count * scale
            if w >= 0.5 and child.frame is not None:
                y = height - 10 - (level + 1) * row
                stage = child.stages.most_common(1)[0][0]
                name = child.frame.func
                tip = (f"{child.frame.func} ({child.frame.file}): {child.count} samples, "
                       f"{100 * child.count / total:.2f}%; {stage}")
                chars = int((w - 4) / 6.5)
                text = name if len(name) <= chars else (name[:max(chars - 2, 0)] + ".." if chars > 3 else "")
                out.append(f'<g><title>{html.escape(tip)}</title><rect x="{10 + x:.1f}" y="{y}" width="{w:.1f}" '
                           f'height="{row - 1}" fill="{COLOURS.get(stage, "#cccccc")}" rx="2"/>'
                           + (f'<text x="{12 + x:.1f}" y="{y + row - 5}">{html.escape(text)}</text>' if text else "")
                           + "</g>")
                draw(child, x, level + 1)
            x += w

    draw(root, 0.0, 0)
    out.append("</svg>")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------------------ engine calls


def engine_calls(log_dir: Path, start: float, end: float) -> list[dict[str, Any]]:
    """The logged CTranslate2 calls of every worker between two times."""
    calls = []
    for path in sorted(log_dir.glob("engine-*.jsonl")):
        for line in path.read_text().splitlines():
            record = json.loads(line)
            if start <= record["t"] <= end:
                calls.append(record)
    return calls


BINS = [(1, 1), (2, 2), (3, 4), (5, 8), (9, 16), (17, 32), (33, 64), (65, 10**9)]


def histogram_table(calls: list[dict[str, Any]], requests: int) -> list[str]:
    """Batch sizes actually run, per operation and beam: batches and the sentences (examples) they carried."""
    lines = []
    groups: dict[str, list[int]] = defaultdict(list)
    for c in calls:
        # CTranslate2 cuts a call into batches of max_batch_size examples (batch_type "examples", the service's)
        size = c.get("max_batch_size") or c["examples"]
        batches = [size] * (c["examples"] // size) + ([c["examples"] % size] if c["examples"] % size else [])
        groups[f"{c['op']} (beam {c['beam']})" if c["op"] == "translate_batch" else c["op"]] += batches
    for name in sorted(groups):
        sizes = groups[name]
        total = sum(sizes)
        lines.append(f"{name}: {len(sizes)} batches, {total} examples, mean {total / len(sizes):.2f} per batch, "
                     f"{len(sizes) / max(requests, 1):.2f} batches and {total / max(requests, 1):.2f} examples per "
                     "request")
        lines.append("")
        lines.append("| examples per batch | batches | share of batches | examples | share of examples |")
        lines.append("|---|---|---|---|---|")
        for lo, hi in BINS:
            hit = [s for s in sizes if lo <= s <= hi]
            if hit:
                label = str(lo) if lo == hi else (f"{lo}-{hi}" if hi < 10**9 else f"{lo}+")
                lines.append(f"| {label} | {len(hit)} | {100 * len(hit) / len(sizes):.0f}% | {sum(hit)} | "
                             f"{100 * sum(hit) / total:.0f}% |")
        lines.append("")
    return lines or ["no engine call was logged", ""]


# ------------------------------------------------------------------------------------------------ recording


def record(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Start the server with the observer, and profile it at each concurrency; raw outputs into `work`."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(BENCH))
    from load import load_texts, run_load

    from service.core.packages import install_archive
    from tests.server import Server

    pyspy = shutil.which("py-spy", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    if pyspy is None:
        raise SystemExit("py-spy not found: it is in requirements-dev.txt (make .venv/.dev-installed)")
    texts = load_texts(args.workload)
    packages = work / "packages"
    install_archive(args.model, packages)
    engine_log = work / "engine"
    engine_log.mkdir()
    pythonpath = os.pathsep.join(p for p in (str(HOOKS), os.environ.get("PYTHONPATH", "")) if p)
    server = Server(packages, work / "server.log", PONTE_CACHE_SIZE="0", PONTE_DOCUMENT_CACHE_CHARS="0",
                    PONTE_WORKERS="2", PYTHONPATH=pythonpath, BENCH_ENGINE_LOG_DIR=str(engine_log))
    server.start(ready_within=180)
    meta: dict[str, Any] = {"runs": {}}
    try:
        assert server.process is not None
        index = 0
        for concurrency in args.concurrency:
            requests = args.requests * (2 if concurrency > 1 else 1)
            # warm-up (unprofiled): both workers loaded and past their first requests
            run_load(server.url, args.endpoint, texts, template={"text": "{text}"}, concurrency=concurrency,
                     requests=4 * concurrency, warmup=0, first_index=index, duration=args.max_seconds)
            index += 4 * concurrency
            raw = work / f"c{concurrency}.raw"
            spy = subprocess.Popen([pyspy, "record", "--pid", str(server.process.pid), "--subprocesses", "--idle",
                                    "--threads", "--full-filenames", "--rate", str(args.rate), "--format", "raw",
                                    "--duration", str(int(args.max_seconds) + 30), "--output", str(raw)],
                                   stdout=subprocess.DEVNULL, stderr=(work / f"py-spy-c{concurrency}.log").open("wb"))
            time.sleep(1.0)  # py-spy attaches to every process
            start = time.time()
            result = run_load(server.url, args.endpoint, texts, template={"text": "{text}"},
                              expect_field=args.expect_field, concurrency=concurrency, requests=requests, warmup=0,
                              duration=args.max_seconds, first_index=index, label=f"c={concurrency}")
            end = time.time()
            index += requests
            spy.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
            try:
                spy.wait(timeout=60)
            except subprocess.TimeoutExpired:
                spy.kill()
                spy.wait()
            if result["errors"]:
                raise RuntimeError(f"c={concurrency}: errors {result['error_samples']}")
            # the sampled window is ~1 s longer than the load (py-spy's start): its extra samples are idle threads
            meta["runs"][str(concurrency)] = {
                "requests": result["ok"], "wall_s": result["wall_s"], "texts_per_s": result["texts_per_s"],
                "latency_ms": result["latency_ms"], "loadavg": result["loadavg_after"][0],
                "engine_calls": [{k: c[k] for k in ("op", "beam", "examples", "max_batch_size", "bound", "tokens")}
                                 for c in engine_calls(engine_log, start, end)]}
            print(f"c={concurrency}: {result['ok']} requests in {result['wall_s']:.1f} s, p50 "
                  f"{result['latency_ms']['p50']} ms", flush=True)
    finally:
        server.stop()
        shutil.rmtree(packages, ignore_errors=True)
    return meta


# ------------------------------------------------------------------------------------------------ report


def report(meta: dict[str, Any], out_dir: Path) -> str:
    """Flame graphs and the README of bench/profile from the .folded files and the run's metadata."""
    lines = [
        "# Profile of the request path (`make profile`)",
        "",
        "Generated by `bench/request_profile.py` (its docstring says how stages are assigned). Do not edit: run "
        "`make profile` again, or `python bench/request_profile.py --report-only` after changing the stage rules.",
        "",
        f"Run {meta.get('date', '?')}: POST {meta.get('endpoint')} with the news passages "
        f"(`{meta.get('workload')}`), model `{meta.get('model')}`, `python -m service serve` with its defaults, 2 "
        f"workers, caches off; py-spy {meta.get('rate')} Hz, wall-clock (`--idle`). {meta.get('note', '')}",
        "",
        "Milliseconds depend on the machine and its load (loadavg of each run below) and on the profiler's own cost: "
        "compare stages within one profile; take speed from `make bench` and `make bench-peer`.",
        "",
    ]
    breakdowns = {}
    for concurrency, run in sorted(meta["runs"].items(), key=lambda kv: int(kv[0])):
        samples = read_folded((out_dir / f"c{concurrency}.folded").read_text(encoding="utf-8").splitlines())
        (out_dir / f"c{concurrency}.svg").write_text(
            flame_svg(samples, f"POST {meta.get('endpoint')} at concurrency {concurrency}, request-path samples"),
            encoding="utf-8")
        breakdowns[concurrency] = (breakdown(samples), run)
    lines += ["| stage | " + " | ".join(f"c={c} % | c={c} ms/request" for c in breakdowns) + " |",
              "|---|" + "---|---|" * len(breakdowns)]
    rate = float(meta.get("rate", 100))
    for name in STAGE_NAMES:
        cells = []
        for b, run in breakdowns.values():
            n = b.stages.get(name, 0)
            cells += [f"{100 * n / max(b.total, 1):.1f}", f"{1000 * n / rate / max(run['requests'], 1):.1f}"]
        if any(float(c) > 0 for c in cells):
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    cells = []
    for b, run in breakdowns.values():
        cells += ["100", f"{1000 * b.total / rate / max(run['requests'], 1):.1f}"]
    lines.append("| **request threads, total** | " + " | ".join(cells) + " |")
    lines.append("")
    for concurrency, (b, run) in breakdowns.items():
        lines.append(f"- c={concurrency}: {run['requests']} requests in {run['wall_s']:.1f} s "
                     f"({run['texts_per_s']:.2f} texts/s under the profiler), latency p50 {run['latency_ms']['p50']} "
                     f"ms, p90 {run['latency_ms']['p90']} ms; {b.total} request-thread samples, {b.outside} samples of "
                     f"idle threads and processes left out; loadavg {run['loadavg']:.1f}. Flame graph: "
                     f"[c{concurrency}.svg](c{concurrency}.svg)")
    lines.append("")
    for concurrency, (b, _) in breakdowns.items():
        if b.unclassified:
            top = ", ".join(f"`{k}` {v}" for k, v in b.unclassified.most_common(6))
            lines.append(f"- c={concurrency}, innermost frames of the \"other\" samples (candidates for a rule): {top}")
    lines += ["", "## CTranslate2 calls actually run (batch sizes)", "",
              "Logged by the observer in bench/hooks/sitecustomize.py during the profiled window: one line per "
              "`translate_batch` / `score_batch` call with its examples and `max_batch_size`, cut here into the "
              "batches CTranslate2 runs. Repair decodes with beam 1 and rescores with `score_batch`.", ""]
    for concurrency, run in sorted(meta["runs"].items(), key=lambda kv: int(kv[0])):
        lines += [f"### c={concurrency}", ""]
        lines += histogram_table(run["engine_calls"], run["requests"])
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=FIXTURE)
    parser.add_argument("--workload", type=Path, default=NEWS)
    parser.add_argument("--endpoint", default="/v1/analyze")
    parser.add_argument("--expect-field", default="translation.text")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--requests", type=int, default=60, help="profiled requests at c=1 (twice as many above)")
    parser.add_argument("--rate", type=int, default=100, help="py-spy samples per second")
    parser.add_argument("--max-seconds", type=float, default=90.0, help="hard bound of one profiled run")
    parser.add_argument("--quick", action="store_true", help="smoke run: 8 requests per concurrency")
    parser.add_argument("--out-dir", type=Path, default=PROFILE_DIR)
    parser.add_argument("--report-only", action="store_true", help="rebuild README.md and the SVGs from --out-dir")
    args = parser.parse_args()
    if args.quick:
        args.requests = 8
    out_dir: Path = args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    if not args.report_only:
        began = time.monotonic()
        work = ROOT / "bench" / "out" / f"profile-{time.strftime('%Y%m%d-%H%M%S')}"
        work.mkdir(parents=True)
        meta = record(args, work)
        for concurrency in meta["runs"]:
            raw = (work / f"c{concurrency}.raw").read_text(encoding="utf-8").splitlines()
            write_folded(read_folded(raw), out_dir / f"c{concurrency}.folded")
        meta.update(date=time.strftime("%Y-%m-%d %H:%M"), endpoint=args.endpoint, rate=args.rate,
                    workload=str(args.workload.relative_to(ROOT) if args.workload.is_relative_to(ROOT)
                                 else args.workload), model=args.model.name,
                    note=f"Recorded in {time.monotonic() - began:.0f} s.")
        (out_dir / "run.json").write_text(json.dumps(meta, separators=(",", ":")) + "\n", encoding="utf-8")
    meta = json.loads((out_dir / "run.json").read_text(encoding="utf-8"))
    text = report(meta, out_dir)
    (out_dir / "README.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
