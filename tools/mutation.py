"""Mutation testing of the modules whose bugs users would meet, with mutmut (chosen by bench/MUTATION.md's comparison).

    python tools/mutation.py                         # every group, the unit suite (make mutation)
    python tools/mutation.py --selection fast        # the same with make test-fast's tests only
    python tools/mutation.py --group core-terms      # one group (see GROUPS)
    python tools/mutation.py --changed HEAD^1 --check  # the modules a commit range changed (CI)

mutmut copies the tree into mutants/, compiles every mutant of a function into it behind a trampoline and runs, for
each mutant, only the tests that call that function, in a forked process (pyproject.toml [tool.mutmut]). Each
selection keeps its results in .mutation/<selection>/ so that a second run goes on where the first stopped.

A survivor is either a test to write or an equivalent mutant: tools/mutation_equivalents.tsv lists the equivalent
ones (mutant, its changed line, why no test can tell it apart); an entry whose line no longer matches is stale and
the mutant counts again. The score is (killed + timed out) / (all - equivalent); a mutant no test reaches counts as
a survivor. --report writes the per-group table and every survivor; --check fails when a module's score is below
its floor: the target of issue 24 (85% for the unit suite, 70% for test-fast) or, for a module measured below it
(bench/mutation_scores.json), its measured score less 2 points, so a change can only keep or raise it; a module
without a recorded score is reported, not checked.
"""

from __future__ import annotations

import argparse
import fcntl
import fnmatch
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = Path(sys.executable).with_name("mutmut")
EQUIVALENTS = ROOT / "tools" / "mutation_equivalents.tsv"
SCORES = ROOT / "bench" / "mutation_scores.json"
STATE = ROOT / ".mutation"

# Module groups, run one at a time (the machine has two cores): file globs under service/.
GROUPS: dict[str, tuple[str, ...]] = {
    "edges": ("service/jsonin.py", "service/shards.py", "service/problems.py", "service/web/body.py"),
    "cli-analyze": ("service/cli/analyze.py",),
    "core-limits": ("service/core/lru.py", "service/core/budget.py", "service/core/translate/cache.py",
                    "service/core/translate/quality.py", "service/core/translate/results.py"),
    "core-segment": ("service/core/segment.py",),
    "core-detect": ("service/core/detect.py", "service/core/langprofiles.py"),
    "core-tagging": ("service/core/tagging/matcher.py", "service/core/tagging/hits.py",
                     "service/core/tagging/scoring.py", "service/core/tagging/context.py",
                     "service/core/tagging/folding.py", "service/core/tagging/tagger.py",
                     "service/core/tagging/taxonomy.py", "service/core/tagging/iptc.py"),
    "core-taxonomy-loader": ("service/core/tagging/loader.py",),
    "core-terms": ("service/core/terms/*.py",),
    "core-formats": ("service/core/formats/*.py",),
    "core-engine": ("service/core/translate/engine.py", "service/core/translate/priority.py",
                    "service/core/batching.py", "service/core/models.py", "service/core/exceptions.py"),
    "core-text": ("service/core/casing.py", "service/core/deadline.py", "service/core/languages.py",
                  "service/core/translate/capitals.py", "service/core/translate/tokenizer.py",
                  "service/core/translate/windows.py"),
    "core-pipeline": ("service/core/pipeline.py",),
    "core-packages": ("service/core/packages.py",),
    "core-files": ("service/core/files/*.py",),
}
SELECTIONS = {"unit": "", "fast": "-m 'not slow'"}
TARGETS = {"unit": 85.0, "fast": 70.0}
KILLED = {"killed", "timeout", "segfault", "suspicious"}
SKIPPED = {"skipped", "caught by type check"}


def module_of(path: str) -> str:
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def group_files(name: str) -> list[str]:
    return sorted({str(p.relative_to(ROOT)) for pattern in GROUPS[name] for p in ROOT.glob(pattern)})


def all_files() -> dict[str, str]:
    """Every mutated file and its group."""
    return {path: name for name in GROUPS for path in group_files(name)}


def changed_files(base: str) -> list[str] | None:
    """The mutated files that differ between `base` and HEAD; None when `base` is not in this clone."""
    known = subprocess.run(["git", "rev-parse", "--verify", "--quiet", base + "^{commit}"], cwd=ROOT,
                           capture_output=True, text=True)
    if known.returncode != 0:
        return None
    out = subprocess.run(["git", "diff", "--name-only", base, "HEAD", "--", "service"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.split()
    files = all_files()
    return sorted(path for path in out if path in files)


@dataclass
class Equivalent:
    line: str
    why: str


def load_equivalents() -> dict[str, Equivalent]:
    found: dict[str, Equivalent] = {}
    if not EQUIVALENTS.exists():
        return found
    for number, raw in enumerate(EQUIVALENTS.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) != 3:
            raise SystemExit(f"{EQUIVALENTS.name}:{number}: expected mutant<TAB>changed line<TAB>why")
        found[parts[0]] = Equivalent(parts[1], parts[2])
    return found


def mutant_diff(name: str) -> list[str]:
    """The changed lines of a mutant (what `mutmut show` prints as +)."""
    shown = subprocess.run([str(MUTMUT), "show", name], cwd=ROOT, capture_output=True, text=True).stdout
    return [line[1:].strip() for line in shown.splitlines() if line.startswith("+") and not line.startswith("+++")]


def statuses() -> dict[str, str]:
    shown = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout
    out = {}
    for line in shown.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            out[name] = status
    return out


def file_of(mutant: str, files: dict[str, str]) -> str | None:
    module = mutant.split(".x_")[0].split(".xǁ")[0]
    for path in files:
        if module_of(path) == module:
            return path
    return None


class Selection:
    """One test selection's mutmut state, moved into mutants/ for the run and back afterwards."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.kept = STATE / name / "mutants"

    def __enter__(self) -> Selection:
        live = ROOT / "mutants"
        if live.exists():
            shutil.rmtree(live)
        if self.kept.exists():
            self.kept.rename(live)
        return self

    def __exit__(self, *exc: object) -> None:
        live = ROOT / "mutants"
        if live.exists():
            self.kept.parent.mkdir(parents=True, exist_ok=True)
            if self.kept.exists():
                shutil.rmtree(self.kept)
            live.rename(self.kept)


def run_mutmut(files: list[str], selection: str, children: int, budget: float | None,
               only: list[str] | None = None, *, retried: bool = False) -> bool:
    """mutmut over the mutants of these files (or only the named ones); False when the time budget ran out first
    (results so far are kept)."""
    names = only if only is not None else [module_of(path) + ".*" for path in files]
    env = dict(os.environ)
    if SELECTIONS[selection]:
        env["PYTEST_ADDOPTS"] = (env.get("PYTEST_ADDOPTS", "") + " " + SELECTIONS[selection]).strip()
    command = [str(MUTMUT), "run", "--max-children", str(children), *names]
    shown = command if only is None else [*command[:4], f"<{len(only)} named mutants>"]
    log = STATE / selection / "mutmut.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"mutation: {' '.join(shown)} ({selection} tests; its output in {log.relative_to(ROOT)})", flush=True)
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stdout=out,
                                   stderr=subprocess.STDOUT)
        try:
            process.wait(timeout=budget)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
            print("mutation: the time budget ran out; the mutants tested so far are reported", flush=True)
            return False
        except BaseException:  # Stopped (SIGTERM), KeyboardInterrupt: stop mutmut, keep its state (Selection)
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
            raise
    if process.returncode != 0:
        text = log.read_text(encoding="utf-8", errors="replace")
        if "rerunning stats collection" in text and "BadTestExecutionCommandsException" in text and not retried:
            # after collecting the stats of new tests in its own process, mutmut's next pytest.main there fails with
            # a usage error; the stats are saved, so a second run starts clean
            print("mutation: mutmut stopped after collecting new tests' stats; running it again", flush=True)
            return run_mutmut(files, selection, children, budget, only, retried=True)
        lines = text.replace("\r", "\n").splitlines()
        # pytest's own complaint (a test id it cannot find: "ERROR: not found: ...") comes before mutmut's traceback
        # and its list of every test id, which the tail below is mostly made of
        for line in [line for line in lines if line.startswith("ERROR: ")][:10]:
            print(line, flush=True)
        print("\n".join(lines)[-3000:], flush=True)
        raise SystemExit(f"mutation: mutmut failed (exit {process.returncode})")
    return True


@dataclass
class Score:
    total: int = 0
    killed: int = 0
    equivalent: int = 0
    untested: int = 0
    survivors: list[tuple[str, str, str]] = field(default_factory=list)  # name, status, changed line

    @property
    def counted(self) -> int:
        return self.total - self.equivalent

    @property
    def percent(self) -> float:
        return 100.0 * self.killed / self.counted if self.counted else 100.0


def score(files: list[str], earlier: dict[str, str] | None = None) -> tuple[dict[str, Score], list[str]]:
    """Scores per file of the mutants tested so far (a kill in `earlier`, another selection's results, counts: the
    tests of a smaller selection are in this one), and the stale equivalence entries."""
    wanted = {path: "" for path in files}
    equivalents = load_equivalents()
    stale = []
    per_file: dict[str, Score] = {path: Score() for path in files}
    current = statuses()
    for name, status in (earlier or {}).items():
        if status in KILLED or name not in current:
            current[name] = status
    for name, status in current.items():
        path = file_of(name, wanted)
        if path is None or status in SKIPPED:
            continue
        result = per_file[path]
        if status in ("not checked", "check was interrupted by user"):
            result.untested += 1
            continue
        result.total += 1
        if status in KILLED:
            result.killed += 1
            continue
        changed = mutant_diff(name)
        line = changed[0] if changed else ""
        known = equivalents.get(name)
        if known is not None and known.line == line:
            result.equivalent += 1
        else:
            if known is not None:
                stale.append(name)
            result.survivors.append((name, status, line))
    return per_file, stale


def floors(selection: str) -> dict[str, float]:
    measured = json.loads(SCORES.read_text(encoding="utf-8")).get(selection, {}) if SCORES.exists() else {}
    return {path: min(TARGETS[selection], value - 2.0) for path, value in measured.items()}


def report(per_file: dict[str, Score], selection: str, stale: list[str], path: Path | None, command: str) -> None:
    files = all_files()
    groups: dict[str, Score] = {}
    for file, result in per_file.items():
        group = groups.setdefault(files[file], Score())
        group.total += result.total
        group.killed += result.killed
        group.equivalent += result.equivalent
        group.untested += result.untested
        group.survivors += result.survivors
    whole = Score(sum(g.total for g in groups.values()), sum(g.killed for g in groups.values()),
                  sum(g.equivalent for g in groups.values()), sum(g.untested for g in groups.values()))
    suite = "make test-fast" if selection == "fast" else "tests/ but tests/integration"
    lines = [f"## Mutation score, {selection} tests ({suite})",
             "", f"`{command}` at {_commit()}", "",
             "| group | mutants | equivalent | killed | survived | score |", "|---|---|---|---|---|---|"]
    for name, group in sorted(groups.items()):
        lines.append(f"| {name} | {group.total} | {group.equivalent} | {group.killed} | {len(group.survivors)} | "
                     f"{group.percent:.1f}% |")
    lines.append(f"| **all** | {whole.total} | {whole.equivalent} | {whole.killed} | "
                 f"{whole.counted - whole.killed} | **{whole.percent:.1f}%** |")
    if whole.untested:
        lines += ["", f"{whole.untested} mutants were not tested yet (a run stopped by its time budget)."]
    if stale:
        lines += ["", "Stale entries of tools/mutation_equivalents.tsv (the mutant changed): " + ", ".join(stale)]
    lines += ["", "### Survivors", ""]
    for _, group in sorted(groups.items()):
        for mutant, status, line in sorted(group.survivors):
            lines.append(f"- `{mutant}` ({status}): `{line}`")
    text = "\n".join(lines) + "\n"
    print(text)
    if path is not None:
        path.write_text(text, encoding="utf-8")


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


class Stopped(Exception):
    """The tool was sent SIGTERM: mutmut is stopped and the selection's state is kept (a run that is killed without
    this would leave it in mutants/, which the next run deletes)."""


def _stop(signum: int, _frame: object) -> None:
    raise Stopped(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--selection", choices=sorted(SELECTIONS), default="unit")
    parser.add_argument("--group", action="append", choices=sorted(GROUPS), help="repeatable; default: every group")
    parser.add_argument("--changed", metavar="BASE", help="only the mutated modules that changed since BASE")
    parser.add_argument("--max-children", type=int, default=2, help="parallel mutants (default 2)")
    parser.add_argument("--budget-minutes", type=float, help="stop mutmut after this long and report what it tested")
    parser.add_argument("--report", type=Path, help="write the score table and the survivors to this file")
    parser.add_argument("--record", action="store_true", help="record the per-module scores in " + SCORES.name)
    parser.add_argument("--check", action="store_true", help="exit 1 when a module is below its floor")
    parser.add_argument("--no-run", action="store_true", help="report the stored results without running mutmut")
    parser.add_argument("--retest", action="append", metavar="STATUS",
                        help="run again only this selection's mutants with this status (survived, timeout...)")
    parser.add_argument("--survivors-of", choices=sorted(SELECTIONS),
                        help="run only the mutants that survived that selection (and take its kills as kills)")
    parser.add_argument("--module", action="append", metavar="GLOB",
                        help="repeatable: only the groups' files matching this glob (service/core/files/po.py)")
    args = parser.parse_args(argv)
    # Every run, even --no-run, moves the selection's state into mutants/ and back: a second run in the same checkout
    # would delete the first one's live state (all its results). One at a time.
    STATE.mkdir(exist_ok=True)
    lock = (STATE / "lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("mutation: another tools/mutation.py is running in this checkout (its state would be lost): "
              "wait for it, or use a git worktree of its own")
        return 1

    if args.changed:
        changed = changed_files(args.changed)
        if changed is None:
            print(f"mutation: {args.changed} is not in this clone (a shallow one?): no range to compare")
            return 0
        files = changed
        if not files:
            print(f"mutation: no mutated module changed since {args.changed}")
            return 0
        batches = [files]
    else:
        batches = [group_files(name) for name in (args.group or GROUPS)]
    if args.module:
        batches = [[path for path in batch if any(fnmatch.fnmatch(path, glob) for glob in args.module)]
                   for batch in batches]
        batches = [batch for batch in batches if batch]
        if not batches:
            print(f"mutation: no mutated module matches {', '.join(args.module)}")
            return 1
    command = "python tools/mutation.py " + " ".join(argv if argv is not None else sys.argv[1:])
    started = time.monotonic()
    files = [path for batch in batches for path in batch]
    earlier: dict[str, str] = {}
    again: dict[str, str] = {}
    if args.retest:
        with Selection(args.selection):
            again = {name: status for name, status in statuses().items()
                     if status in args.retest and file_of(name, dict.fromkeys(files))}
    if args.survivors_of:
        with Selection(args.survivors_of):
            earlier = {name: status for name, status in statuses().items() if file_of(name, dict.fromkeys(files))}
    with Selection(args.selection):
        if not args.no_run:
            for batch in batches:
                left = None
                if args.budget_minutes is not None:
                    left = args.budget_minutes * 60 - (time.monotonic() - started)
                only = None
                if args.retest:
                    only = sorted(name for name in again if file_of(name, dict.fromkeys(batch)))
                    if not only:
                        continue
                if args.survivors_of:
                    only = sorted(name for name, status in earlier.items() if file_of(name, dict.fromkeys(batch))
                                  and status not in KILLED | SKIPPED)
                    if not only:
                        continue
                try:
                    if (left is not None and left <= 0) or not run_mutmut(batch, args.selection, args.max_children,
                                                                            left, only):
                        break
                except SystemExit as failed:
                    if not args.changed:
                        raise
                    # CI: mutmut itself failing (not a score) must not stop the build; it is said loudly instead
                    print(f"mutation: NOT CHECKED: {failed} on {', '.join(batch)}", flush=True)
                    return 0
        per_file, stale = score(files, earlier)
        report(per_file, args.selection, stale, args.report, command)
    if args.record:
        recorded = json.loads(SCORES.read_text(encoding="utf-8")) if SCORES.exists() else {}
        recorded.setdefault(args.selection, {}).update({path: round(result.percent, 1) for path, result in
                                                        per_file.items() if result.total and not result.untested})
        SCORES.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if args.check:
        floor = floors(args.selection)
        low = [(path, result.percent, floor[path]) for path, result in per_file.items()
               if result.counted and not result.untested and path in floor and result.percent < floor[path]]
        for path, result in per_file.items():
            if result.untested:
                print(f"mutation: {path}: {result.untested} mutants not tested within the budget: not checked")
        for path, result in per_file.items():
            if result.counted and path not in floor:
                print(f"mutation: {path} has no recorded score yet ({result.percent:.1f}% now): not checked; "
                      f"record one with make mutation")
        for path, value, need in low:
            print(f"mutation: {path} kills {value:.1f}% of its mutants with the {args.selection} tests; "
                  f"its floor is {need:.1f}%")
        return 1 if low else 0
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Stopped as stopped:
        sys.exit(f"mutation: stopped by {stopped}; the mutants tested so far are kept for the next run")
