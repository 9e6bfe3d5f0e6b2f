"""Settings: parsed and checked from their declarations; every bad value is refused naming its variable."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from service.core.tagging import default_taxonomy_path
from service.settings import (
    PROCESS_DEFAULTS,
    READ_ELSEWHERE,
    SPECS,
    ConfigError,
    Settings,
    Spec,
    apply_process_defaults,
    cpu_count,
    env_name,
    load_settings,
)
from service.web import create_app
from tools import settings_table

ROOT = Path(__file__).resolve().parents[1]
NOWHERE = "/nonexistent/ponte/file"

# Bad values the type alone cannot suggest: settings with their own parser or check, and what the message says.
CUSTOM_BAD: dict[str, tuple[str, str]] = {
    "required_languages": ("pt,portuguese", "'portuguese' is not a language code"),
    "model_file": (NOWHERE, "no such file"),
    "taxonomy": (NOWHERE, "cannot read the file"),
    "glossary": (NOWHERE, "cannot read the file"),
    "api_keys": ("short-key", "key #1 must be 16 to 512 characters"),
    "api_keys_file": (NOWHERE, "cannot read"),
    "auth_open_paths": ("/healthz,metrics", "'metrics' does not start with /"),
    "rate_limit": ("lots", "is not a limit"),
    "rate_limit_storage_uri": ("localhost", "is not a URI"),
    "metrics_dir": (NOWHERE, "no such folder"),
    "detect_languages": ("pt,gl", "langdetect has no profile for gl"),
}
# Free text: any value is accepted (a wrong host or URL fails where it is used, with its own message).
NO_BAD_VALUE = {"host", "target_language", "package_index_url", "packages_dir"}


def bad_values(spec: Spec) -> list[tuple[str, str]]:
    """(raw value, what the message says) that the declaration must refuse."""
    if spec.name in CUSTOM_BAD:
        return [CUSTOM_BAD[spec.name]]
    if spec.choices:
        return [("nonsense", "must be " + ", ".join(spec.choices[:-1]) + " or " + spec.choices[-1])]
    if spec.base is bool:
        return [("maybe", "is not valid: expected true or false")]
    if spec.base in (int, float):
        cases = [("lots", "is not valid")]
        step = 1 if spec.base is int else 0.5
        if spec.declared.ge is not None:
            cases.append((str(spec.base(spec.declared.ge - step)), "must be"))
        if spec.declared.le is not None:
            cases.append((str(spec.base(spec.declared.le + step)), "must be at most"))
        return cases
    return []


BAD_CASES = [pytest.param(spec, raw, says, id=f"{spec.env}={raw}") for spec in SPECS for raw, says in bad_values(spec)]


def test_every_setting_has_a_bad_value_or_is_free_text() -> None:
    assert {spec.name for spec in SPECS if not bad_values(spec)} == NO_BAD_VALUE
    declared_own = {spec.name for spec in SPECS if spec.declared.parse or spec.declared.check}
    assert declared_own <= set(CUSTOM_BAD), "a setting with its own parser or check needs a case in CUSTOM_BAD"


@pytest.mark.parametrize(("spec", "raw", "says"), BAD_CASES)
def test_bad_value_is_refused_naming_the_variable(spec: Spec, raw: str, says: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={spec.env: raw})
    message = str(caught.value)
    assert message.startswith(spec.env), message
    assert says in message
    assert "\n" not in message
    if spec.declared.secret:
        assert raw not in message  # a key is never echoed


@pytest.mark.parametrize("spec", [s for s in SPECS if s.declared.ge is not None or s.declared.le is not None],
                         ids=lambda s: s.env)
def test_bounds_are_inclusive_for_variables_and_overrides(spec: Spec) -> None:
    for bound in (spec.declared.ge, spec.declared.le):
        if bound is None:
            continue
        edge = spec.base(bound)
        assert getattr(load_settings(environ={spec.env: str(edge)}), spec.name) == edge
        assert getattr(load_settings(environ={}, **{spec.name: edge}), spec.name) == edge
    outside = spec.base(spec.declared.ge) - 1 if spec.declared.ge is not None else spec.base(spec.declared.le) + 1
    with pytest.raises(ConfigError, match=f"^{spec.env} must be"):
        load_settings(environ={}, **{spec.name: outside})


@pytest.mark.parametrize("spec", [s for s in SPECS if s.choices], ids=lambda s: s.env)
def test_closed_sets_accept_each_choice_in_any_case(spec: Spec) -> None:
    for choice in spec.choices:
        for raw in (choice, choice.upper(), f" {choice.lower()} "):
            assert getattr(load_settings(environ={spec.env: raw}), spec.name) == choice
    with pytest.raises(ConfigError, match=f"^{spec.env} must be"):
        load_settings(environ={}, **{spec.name: "nonsense"})


def test_closed_sets_are_literal_types() -> None:
    closed = {spec.name: spec.choices for spec in SPECS if spec.choices}
    assert closed["model_loading"] == ("background", "eager", "off")
    assert closed["log_format"] == ("json", "text")
    assert closed["log_level"] == ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
    assert "float16" not in closed["compute_type"] and "int8" in closed["compute_type"]


def test_defaults() -> None:
    settings = load_settings(environ={})
    assert settings == Settings()
    assert (settings.host, settings.port) == ("0.0.0.0", 8080)
    assert settings.max_chars == 100_000
    assert settings.max_body_bytes == 1024 * 1024
    assert settings.beam_size == 4
    assert settings.required_languages == ("pt",)
    assert settings.intra_threads == 1
    assert settings.workers == settings.inter_threads == cpu_count()


def test_environment_is_parsed(tmp_path: Path) -> None:
    settings = load_settings(environ={
        "PONTE_PORT": "9000", "PONTE_LANGUAGES": "pt, ES", "PONTE_PACKAGES_DIR": str(tmp_path),
        "PONTE_BEAM_SIZE": "1", "PONTE_LOG_LEVEL": "debug", "PONTE_DETECT_MIN_CONFIDENCE": "0.75",
        "PONTE_LOG_TEXT": "yes", "PONTE_AUTH_OPEN_PATHS": "none", "PONTE_TAXONOMY": str(default_taxonomy_path()),
        "PONTE_MAX_BATCH": "8", "PONTE_RATE_LIMIT": " ",
    })
    assert settings.port == 9000
    assert settings.required_languages == ("pt", "es")
    assert settings.packages_dir == tmp_path
    assert settings.beam_size == 1
    assert settings.log_level == "DEBUG"
    assert settings.detect_min_confidence == 0.75
    assert settings.log_text is True
    assert settings.auth_open_paths == ()
    assert settings.taxonomy == default_taxonomy_path()
    assert settings.max_batch == 8
    assert settings.rate_limit is None  # blank is unset


def test_special_variable_names() -> None:
    assert env_name("required_languages") == "PONTE_LANGUAGES"
    # prometheus_client reads this one itself: there is no PONTE_METRICS_DIR
    assert env_name("metrics_dir") == "PROMETHEUS_MULTIPROC_DIR"
    assert "PONTE_METRICS_DIR" not in {spec.env for spec in SPECS}
    assert env_name("max_batch") == "PONTE_MAX_BATCH"


def test_argos_packages_dir_is_honoured_unless_ponte_says_otherwise(tmp_path: Path) -> None:
    assert load_settings(environ={"ARGOS_PACKAGES_DIR": str(tmp_path)}).packages_dir == tmp_path
    other = tmp_path / "other"
    assert load_settings(environ={"ARGOS_PACKAGES_DIR": str(tmp_path),
                                  "PONTE_PACKAGES_DIR": str(other)}).packages_dir == other


def test_a_broken_yaml_taxonomy_is_one_line(tmp_path: Path) -> None:
    taxonomy = tmp_path / "t.yaml"
    taxonomy.write_text("topics: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^PONTE_TAXONOMY: .*t\.yaml: invalid YAML") as caught:
        load_settings(environ={"PONTE_TAXONOMY": str(taxonomy)})
    assert "\n" not in str(caught.value)


def test_create_app_refuses_a_bad_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PONTE_MAX_CHARS", "lots")
    with pytest.raises(ConfigError, match="PONTE_MAX_CHARS"):
        create_app()


def test_unknown_override_is_refused() -> None:
    with pytest.raises(ConfigError, match="unknown settings: colour"):
        load_settings(environ={}, colour="red")


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]


def test_process_defaults_fill_only_what_is_unset() -> None:
    environ = {"OMP_NUM_THREADS": "4"}
    apply_process_defaults(environ)
    assert environ == {"OMP_NUM_THREADS": "4", "MALLOC_ARENA_MAX": PROCESS_DEFAULTS["MALLOC_ARENA_MAX"][0],
                       "MKL_CBWR": "AUTO,STRICT"}
    empty: dict[str, str] = {}
    apply_process_defaults(empty)
    assert empty == {"OMP_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2", "MKL_CBWR": "AUTO,STRICT"}


def test_entry_points_do_not_load_ctranslate2_before_the_process_defaults() -> None:
    # The CLI calls apply_process_defaults in main(), gunicorn.conf.py right after importing the settings:
    # both too late if importing them had already loaded CTranslate2's libgomp.
    code = "import sys, service.cli, service.cli.analyze, service.settings; sys.exit('ctranslate2' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0


def test_readme_table_matches_the_declarations() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert settings_table.render() in readme, "run: python tools/settings_table.py"


def _table_variables() -> set[str]:
    table = settings_table.render()
    return set(re.findall(r"^\| `([A-Z0-9_]+)` \|", table, flags=re.MULTILINE))


def test_readme_lists_every_variable_the_code_reads_and_no_other() -> None:
    sources = [*sorted((ROOT / "service").rglob("*.py")), ROOT / "gunicorn.conf.py"]
    literal = re.compile(r"""(?:environ|getenv|env)(?:\.get|\.setdefault|\.pop)?\(?\[?\s*["']([A-Z][A-Z0-9_]+)["']"""
                         r"""|_VARIABLE\s*=\s*["']([A-Z][A-Z0-9_]+)["']""")
    named = {a or b for path in sources for a, b in literal.findall(path.read_text(encoding="utf-8"))}
    declared = {spec.env for spec in SPECS} | {s.declared.fallback_env for s in SPECS if s.declared.fallback_env}
    assert named, "the pattern finds nothing: it no longer matches how the code reads the environment"
    assert named <= _table_variables()
    assert _table_variables() == declared | set(PROCESS_DEFAULTS) | set(READ_ELSEWHERE)
    expected = {"PONTE_MAX_BATCH", "PROMETHEUS_MULTIPROC_DIR", "ARGOS_PACKAGES_DIR", "JOB_COMPLETION_INDEX"}
    assert expected <= named | declared
    assert "PONTE_METRICS_DIR" not in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_shows_the_real_defaults() -> None:
    rows = {m[0]: m[1] for m in re.findall(r"^\| `([A-Z0-9_]+)` \| ([^|]*) \|", settings_table.render(), re.MULTILINE)}
    assert rows["PONTE_INTER_THREADS"] == rows["PONTE_WORKERS"] == "CPUs usable (cgroup quota, affinity)"
    assert rows["PONTE_PORT"] == "`8080`"
    assert rows["PONTE_MAX_BATCH"] == "`64`"
