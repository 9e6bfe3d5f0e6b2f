"""Typed settings from PONTE_* environment variables: the only module that reads the environment."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

import limits

from service.core.terms import GlossaryError, load_glossary

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
    # The server's glossary (YAML or TSV), applied to every request after the request's own entries.
    glossary: Path | None = None
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
    # One intra-op thread per engine replica (FACTS.md: 1 thread per process beat 2 on these cores),
    # and one replica per core in every worker (weights shared), so that even a lone request spreads
    # its sentences over all cores; under load the workers' replicas share the cores.
    intra_threads: int = 1
    inter_threads: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    cache_size: int = 10_000
    # Whole analyses of recent documents, bounded by the characters they hold (source + English); 0 disables.
    document_cache_chars: int = 5_000_000
    # Concurrent requests in one worker wait up to this long to share an engine call; 0 disables.
    batch_wait_ms: float = 5.0
    batch_max_sentences: int = 256
    # Documents per POST /v1/analyze/batch.
    max_batch: int = 64
    detect_min_chars: int = 25
    detect_min_confidence: float = 0.90
    # "background": load models in a thread after the worker starts (healthz answers at once);
    # "eager": load before create_app returns; "off": never (detect/tag only).
    model_loading: str = "background"
    log_level: str = "INFO"
    # "json": one JSON object per line (the server); "text": for people at a terminal.
    log_format: str = "json"
    # Debug only: put the request text in the request log line (never on by default).
    log_text: bool = False
    # API keys: off when both are empty. The keys themselves are never shown (repr=False); the file holds
    # one sha256 hex digest per line, so the server never needs the plain keys.
    api_keys: tuple[str, ...] = field(default=(), repr=False)
    api_keys_file: Path | None = None
    # Paths served without a key and not rate-limited (probes and scrapers).
    auth_open_paths: tuple[str, ...] = ("/healthz", "/readyz", "/metrics")
    # e.g. "60/minute" or "10/second;300/hour", per API key (or client address without one); None = off.
    rate_limit: str | None = None
    rate_limit_storage_uri: str = "memory://"
    # Reverse proxies in front of the service whose X-Forwarded-For is trusted for the client address.
    proxy_hops: int = 0
    # prometheus_client multiprocess folder (set by gunicorn.conf.py per server start); None = one process.
    metrics_dir: Path | None = None
    # gunicorn: one worker per core (each with one engine replica per core, see inter_threads);
    # threads let a worker overlap HTTP and detection with the engine, which releases the GIL,
    # and let concurrent requests meet in the batching queue.
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


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true or false")


# RFC 6750 b64token; long enough that guessing is hopeless.
API_KEY_PATTERN = re.compile(r"^[A-Za-z0-9._~+/-]{16,512}=*$")
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def _api_keys(value: str) -> tuple[str, ...]:
    return tuple(key.strip() for key in value.split(",") if key.strip())


def _open_paths(value: str) -> tuple[str, ...]:
    if value.strip().lower() == "none":
        return ()
    paths = tuple(p.strip() for p in value.split(",") if p.strip())
    for path in paths:
        if not path.startswith("/"):
            raise ValueError(f"{path!r} does not start with /")
    return paths




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
    "glossary": _path,
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
    "document_cache_chars": _int,
    "batch_wait_ms": _float,
    "batch_max_sentences": _int,
    "max_batch": _int,
    "detect_min_chars": _int,
    "detect_min_confidence": _float,
    "model_loading": str.strip,
    "log_level": lambda v: v.strip().upper(),
    "log_format": lambda v: v.strip().lower(),
    "log_text": _bool,
    "api_keys": _api_keys,
    "api_keys_file": _path,
    "auth_open_paths": _open_paths,
    "rate_limit": str.strip,
    "rate_limit_storage_uri": str.strip,
    "proxy_hops": _int,
    "metrics_dir": _path,
    "workers": _int,
    "threads": _int,
    "max_requests": _int,
    "max_requests_jitter": _int,
    "timeout": _int,
    "graceful_timeout": _int,
}

_ENV_NAMES: dict[str, str] = {name: f"PONTE_{name.upper()}" for name in _PARSERS}
_ENV_NAMES["required_languages"] = "PONTE_LANGUAGES"
# prometheus_client reads this variable itself at import; the setting mirrors it.
_ENV_NAMES["metrics_dir"] = "PROMETHEUS_MULTIPROC_DIR"
# Values that must never appear in a message.
_SECRETS = {"api_keys"}


def env_name(setting: str) -> str:
    """The environment variable behind a setting."""
    return _ENV_NAMES[setting]


def _check(settings: Settings) -> None:
    """Refuse values that would only fail later, naming the variable."""
    positive = ["port", "max_chars", "max_body_bytes", "beam_size", "max_batch_size", "max_input_tokens",
                "inter_threads", "workers", "threads", "timeout", "detect_min_chars", "max_batch",
                "batch_max_sentences"]
    for name in positive:
        if getattr(settings, name) < 1:
            raise ConfigError(f"{env_name(name)} must be at least 1, got {getattr(settings, name)}")
    for name in ["cache_size", "document_cache_chars", "batch_wait_ms", "intra_threads", "decoding_length_extra",
                 "graceful_timeout",
                 "max_requests", "max_requests_jitter", "proxy_hops"]:
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
    if settings.glossary is not None:
        try:  # a bad glossary stops the boot with one line naming the file and the line
            load_glossary(settings.glossary)
        except GlossaryError as exc:
            raise ConfigError(f"PONTE_GLOSSARY: {exc}") from None
    if settings.model_file is not None and not settings.model_file.is_file():
        raise ConfigError(f"PONTE_MODEL_FILE: no such file {settings.model_file}")
    if settings.log_format not in {"json", "text"}:
        raise ConfigError(f"PONTE_LOG_FORMAT must be json or text, got {settings.log_format!r}")
    if settings.metrics_dir is not None and not settings.metrics_dir.is_dir():
        raise ConfigError(f"PROMETHEUS_MULTIPROC_DIR: no such folder {settings.metrics_dir}")
    for position, key in enumerate(settings.api_keys, 1):
        if not API_KEY_PATTERN.match(key):
            # never echo a key: the message names its position only
            raise ConfigError(f"PONTE_API_KEYS: key #{position} must be 16 to 512 characters of "
                              "A-Z a-z 0-9 . _ ~ + / - (optionally ending in =)")
    api_key_digests(settings)  # a bad keys file stops the boot here
    if settings.rate_limit is not None:
        try:
            items = limits.parse_many(settings.rate_limit)
            if not items or any(item.amount < 1 for item in items):
                raise ValueError("empty")
        except ValueError:
            raise ConfigError(f"PONTE_RATE_LIMIT={settings.rate_limit!r} is not a limit such as 60/minute "
                              "or 10/second;300/hour") from None
    if "://" not in settings.rate_limit_storage_uri:
        raise ConfigError(f"PONTE_RATE_LIMIT_STORAGE_URI={settings.rate_limit_storage_uri!r} is not a URI such as "
                          "memory:// or redis://host:6379/0")
    if not all(path.startswith("/") for path in settings.auth_open_paths):
        raise ConfigError("PONTE_AUTH_OPEN_PATHS: every path must start with /")


def api_key_digests(settings: Settings) -> frozenset[str]:
    """sha256 hex digests of the accepted API keys: PONTE_API_KEYS hashed, plus PONTE_API_KEYS_FILE's lines."""
    digests = {hashlib.sha256(key.encode("utf-8")).hexdigest() for key in settings.api_keys}
    if settings.api_keys_file is not None:
        try:
            lines = settings.api_keys_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"PONTE_API_KEYS_FILE: cannot read {settings.api_keys_file}: "
                              f"{type(exc).__name__}") from None
        for number, line in enumerate(lines, 1):
            entry = line.split("#", 1)[0].strip().lower()
            if not entry:
                continue
            if not _SHA256_HEX.match(entry):
                raise ConfigError(f"PONTE_API_KEYS_FILE: line {number} is not a sha256 hex digest "
                                  "(64 hex characters; make one with `printf %s KEY | sha256sum`)")
            digests.add(entry)
        if not digests:
            raise ConfigError(f"PONTE_API_KEYS_FILE: {settings.api_keys_file} holds no key digest")
    return frozenset(digests)


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
            shown = env_name(name) if name in _SECRETS else f"{env_name(name)}={raw!r}"
            raise ConfigError(f"{shown} is not valid: {exc}") from None
    known = {f.name for f in fields(Settings)}
    unknown = set(overrides) - known
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
    values.update(overrides)
    settings = replace(Settings(), **values)
    _check(settings)
    return settings
