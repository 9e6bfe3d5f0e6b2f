"""Typed settings from PONTE_* environment variables: the only module that reads the environment."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_PACKAGES_DIR = Path.home() / ".local" / "share" / "argos-translate" / "packages"


class ConfigError(ValueError):
    """A setting has a bad value; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Every knob of ponte, with its default. Built by `load_settings`, never mutated."""

    host: str = "0.0.0.0"
    port: int = 8080
    # Argos packages folder; ARGOS_PACKAGES_DIR is honoured when PONTE_PACKAGES_DIR is unset.
    packages_dir: Path = DEFAULT_PACKAGES_DIR
    # Languages that must be translatable for the service to be ready (pt->en is the product).
    required_languages: tuple[str, ...] = ("pt",)
    target_language: str = "en"
    model_file: Path | None = None
    package_index_url: str = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
    taxonomy: Path | None = None
    max_chars: int = 100_000
    max_body_bytes: int = 1024 * 1024
    # Decoding: beam 4 as Argos; batch size counted in examples (sentences).
    beam_size: int = 4
    max_batch_size: int = 32
    # max_decoding_length = ceil(longest input tokens * ratio) + extra: a degenerate model cannot run to 256.
    decoding_length_ratio: float = 2.0
    decoding_length_extra: int = 10
    # Longest sentence (in SentencePiece tokens) fed to the model in one piece; longer ones are chunked.
    max_input_tokens: int = 200
    compute_type: str = "default"
    intra_threads: int = 1
    inter_threads: int = 1
    cache_size: int = 10_000
    detect_min_chars: int = 25
    detect_min_confidence: float = 0.90
    # "background": load models in a thread after the worker starts (healthz answers at once);
    # "eager": load before create_app returns; "off": never (detect/tag only).
    model_loading: str = "background"
    log_level: str = "INFO"
    # gunicorn
    # 2 cores measured best as 2 workers x 1 intra thread (FACTS.md); threads let one worker
    # overlap HTTP with the engine, which releases the GIL.
    workers: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    threads: int = 4
    max_requests: int = 0
    max_requests_jitter: int = 0
    timeout: int = 120
    graceful_timeout: int = 30


def _int(value: str) -> int:
    return int(value.strip())


def _float(value: str) -> float:
    return float(value.strip())


def _path(value: str) -> Path:
    return Path(value.strip()).expanduser()


def _languages(value: str) -> tuple[str, ...]:
    codes = tuple(code.strip().lower() for code in value.split(",") if code.strip())
    for code in codes:
        if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha()):
            raise ValueError(f"{code!r} is not a language code")
    return codes


_PARSERS: dict[str, Callable[[str], Any]] = {
    "host": str.strip,
    "port": _int,
    "packages_dir": _path,
    "required_languages": _languages,
    "target_language": str.strip,
    "model_file": _path,
    "package_index_url": str.strip,
    "taxonomy": _path,
    "max_chars": _int,
    "max_body_bytes": _int,
    "beam_size": _int,
    "max_batch_size": _int,
    "decoding_length_ratio": _float,
    "decoding_length_extra": _int,
    "max_input_tokens": _int,
    "compute_type": str.strip,
    "intra_threads": _int,
    "inter_threads": _int,
    "cache_size": _int,
    "detect_min_chars": _int,
    "detect_min_confidence": _float,
    "model_loading": str.strip,
    "log_level": lambda v: v.strip().upper(),
    "workers": _int,
    "threads": _int,
    "max_requests": _int,
    "max_requests_jitter": _int,
    "timeout": _int,
    "graceful_timeout": _int,
}

_ENV_NAMES: dict[str, str] = {name: f"PONTE_{name.upper()}" for name in _PARSERS}
_ENV_NAMES["required_languages"] = "PONTE_LANGUAGES"


def env_name(setting: str) -> str:
    """The environment variable behind a setting."""
    return _ENV_NAMES[setting]


def _check(settings: Settings) -> None:
    """Refuse values that would only fail later, naming the variable."""
    positive = ["port", "max_chars", "max_body_bytes", "beam_size", "max_batch_size", "max_input_tokens",
                "inter_threads", "workers", "threads", "timeout", "detect_min_chars"]
    for name in positive:
        if getattr(settings, name) < 1:
            raise ConfigError(f"{env_name(name)} must be at least 1, got {getattr(settings, name)}")
    for name in ["cache_size", "intra_threads", "decoding_length_extra", "graceful_timeout", "max_requests",
                 "max_requests_jitter"]:
        if getattr(settings, name) < 0:
            raise ConfigError(f"{env_name(name)} must be 0 or more, got {getattr(settings, name)}")
    if settings.port > 65535:
        raise ConfigError(f"PONTE_PORT must be at most 65535, got {settings.port}")
    if settings.decoding_length_ratio < 1.0:
        raise ConfigError(f"PONTE_DECODING_LENGTH_RATIO must be at least 1.0, got {settings.decoding_length_ratio}")
    if not 0.0 <= settings.detect_min_confidence <= 1.0:
        raise ConfigError("PONTE_DETECT_MIN_CONFIDENCE must be between 0 and 1")
    if settings.model_loading not in {"background", "eager", "off"}:
        raise ConfigError(f"PONTE_MODEL_LOADING must be background, eager or off, got {settings.model_loading!r}")
    if settings.log_level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ConfigError(
            f"PONTE_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {settings.log_level!r}")
    if settings.compute_type not in {"default", "auto", "int8", "int8_float32", "int16", "float32"}:
        raise ConfigError(f"PONTE_COMPUTE_TYPE {settings.compute_type!r} is not a CPU compute type")
    if settings.taxonomy is not None and not settings.taxonomy.is_file():
        raise ConfigError(f"PONTE_TAXONOMY: no such file {settings.taxonomy}")
    if settings.model_file is not None and not settings.model_file.is_file():
        raise ConfigError(f"PONTE_MODEL_FILE: no such file {settings.model_file}")


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Read PONTE_* variables (and ARGOS_PACKAGES_DIR), apply overrides, check; raise ConfigError."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    if env.get("ARGOS_PACKAGES_DIR"):
        values["packages_dir"] = _path(env["ARGOS_PACKAGES_DIR"])
    for name, parse in _PARSERS.items():
        raw = env.get(env_name(name))
        if raw is None or raw.strip() == "":
            continue
        try:
            values[name] = parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{env_name(name)}={raw!r} is not valid: {exc}") from None
    known = {f.name for f in fields(Settings)}
    unknown = set(overrides) - known
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
    values.update(overrides)
    settings = replace(Settings(), **values)
    _check(settings)
    return settings
