"""The layers as the folders show them: core imports nothing above it, the CLI never imports Flask."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "service"
WEB_LIBRARIES = {"flask", "werkzeug", "flask_limiter"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Absolute names of the modules a file imports (relative imports resolved), at any depth in the file."""
    found: set[str] = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: {i for i in imports_of(path)} for name, path in MODULES.items()}


def closure(start: str) -> set[str]:
    """Every module reachable from `start` by imports (service modules followed, others kept as leaves)."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for imported in GRAPH.get(name, ()):
            # "from service.core import pipeline" names the module service.core.pipeline
            if imported in MODULES or imported.split(".")[0] != "service":
                todo.append(imported)
        # importing a submodule runs its packages' __init__ first
        parent = name.rpartition(".")[0]
        if parent in MODULES:
            todo.append(parent)
    return seen


def top_level(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("service.core")))
def test_core_imports_only_core_and_no_web_library(name: str) -> None:
    reached = closure(name)
    assert not top_level(reached) & WEB_LIBRARIES, f"{name} reaches {top_level(reached) & WEB_LIBRARIES}"
    above = {n for n in reached if n.startswith("service.") and not n.startswith("service.core") and n in MODULES}
    assert not above - {"service"}, f"{name} imports {sorted(above)}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("service.core")))
def test_core_never_reads_the_environment(name: str) -> None:
    source = MODULES[name].read_text(encoding="utf-8")
    assert "os.environ" not in source and "getenv" not in source, f"{name} reads the environment"


@pytest.mark.parametrize("name", [*sorted(n for n in MODULES if n.startswith("service.cli")), "service.__main__"])
def test_cli_never_reaches_flask(name: str) -> None:
    reached = closure(name)
    assert not top_level(reached) & WEB_LIBRARIES, f"{name} reaches {top_level(reached) & WEB_LIBRARIES}"
    assert not any(n.startswith("service.web") for n in reached), f"{name} imports the web layer"


def test_shared_modules_never_reach_flask() -> None:
    shared = [n for n in MODULES if n.count(".") == 1 and n.split(".")[1] not in {"web", "cli"}]
    assert "service.problems" in shared and "service.batch" in shared
    for name in shared:
        assert not top_level(closure(name)) & WEB_LIBRARIES, name


def test_the_cli_runs_without_importing_flask() -> None:
    """The static graph above, checked for real: import every CLI module and look at sys.modules."""
    code = ("import sys, service.cli, service.cli.analyze, service.cli.models, service.cli.serve; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'werkzeug', 'flask_limiter'}); "
            "print(','.join(bad))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"the CLI imported {result.stdout.strip()}"


def test_the_graph_sees_imports() -> None:
    """The checks above would pass vacuously if import parsing broke: the web layer must be seen to use Flask."""
    assert "flask" in top_level(closure("service.web"))
    assert "service.core.pipeline" in closure("service.cli.analyze")
