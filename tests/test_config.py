"""Settings: defaults, PONTE_* parsing, and bad values stopping the boot with the variable's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import ConfigError, Settings, load_settings
from service.web import create_app


def test_defaults() -> None:
    settings = load_settings(environ={})
    assert (settings.host, settings.port) == ("0.0.0.0", 8080)
    assert settings.max_chars == 100_000
    assert settings.max_body_bytes == 1024 * 1024
    assert settings.beam_size == 4
    assert settings.required_languages == ("pt",)
    assert settings.intra_threads == 1


def test_environment_is_parsed(tmp_path: Path) -> None:
    settings = load_settings(environ={
        "PONTE_PORT": "9000", "PONTE_LANGUAGES": "pt, es", "PONTE_PACKAGES_DIR": str(tmp_path),
        "PONTE_BEAM_SIZE": "1", "PONTE_LOG_LEVEL": "debug", "PONTE_DETECT_MIN_CONFIDENCE": "0.75",
    })
    assert settings.port == 9000
    assert settings.required_languages == ("pt", "es")
    assert settings.packages_dir == tmp_path
    assert settings.beam_size == 1
    assert settings.log_level == "DEBUG"
    assert settings.detect_min_confidence == 0.75


def test_argos_packages_dir_is_honoured_unless_ponte_says_otherwise(tmp_path: Path) -> None:
    assert load_settings(environ={"ARGOS_PACKAGES_DIR": str(tmp_path)}).packages_dir == tmp_path
    other = tmp_path / "other"
    assert load_settings(environ={"ARGOS_PACKAGES_DIR": str(tmp_path),
                                  "PONTE_PACKAGES_DIR": str(other)}).packages_dir == other


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PONTE_PORT", "eighty", "PONTE_PORT='eighty' is not valid"),
        ("PONTE_PORT", "70000", "PONTE_PORT must be at most 65535"),
        ("PONTE_MAX_CHARS", "0", "PONTE_MAX_CHARS must be at least 1"),
        ("PONTE_MAX_BODY_BYTES", "-5", "PONTE_MAX_BODY_BYTES must be at least 1"),
        ("PONTE_BEAM_SIZE", "0", "PONTE_BEAM_SIZE must be at least 1"),
        ("PONTE_CACHE_SIZE", "-1", "PONTE_CACHE_SIZE must be 0 or more"),
        ("PONTE_LANGUAGES", "portuguese", "PONTE_LANGUAGES='portuguese' is not valid"),
        ("PONTE_MODEL_LOADING", "later", "PONTE_MODEL_LOADING must be background, eager or off"),
        ("PONTE_LOG_LEVEL", "loud", "PONTE_LOG_LEVEL must be"),
        ("PONTE_DETECT_MIN_CONFIDENCE", "1.5", "PONTE_DETECT_MIN_CONFIDENCE must be between 0 and 1"),
        ("PONTE_DECODING_LENGTH_RATIO", "0.5", "PONTE_DECODING_LENGTH_RATIO must be at least 1.0"),
        ("PONTE_COMPUTE_TYPE", "float16", "PONTE_COMPUTE_TYPE 'float16' is not a CPU compute type"),
        ("PONTE_TAXONOMY", "/nonexistent/taxonomy.yaml", "PONTE_TAXONOMY: no such file"),
        ("PONTE_MODEL_FILE", "/nonexistent/model.argosmodel", "PONTE_MODEL_FILE: no such file"),
    ],
)
def test_bad_values_name_the_variable(variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(environ={variable: value})


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
