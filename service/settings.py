"""Every setting of ponte declared once (type, default, bounds, variable, doc), read from the environment and checked.

This is the only module that reads the environment. `Settings` is the declaration: each field's annotation
gives its type (a `Literal` for a closed set), and `setting(...)` its default, bounds, variable and one line
of documentation. Parsing, checking, the error messages and the README table (tools/settings_table.py) all
follow from it. A file a setting names (taxonomy, model, API-key digests) is read and checked here, so a
bad one stops the boot with one line before gunicorn binds or a model loads.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import types
import typing
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, overload

from service.cpus import available_cpus

T = TypeVar("T")

DEFAULT_PACKAGES_DIR = Path.home() / ".local" / "share" / "argos-translate" / "packages"

# Variables the process sets for itself (if unset) before CTranslate2 loads: name -> (value, why).
PROCESS_DEFAULTS: dict[str, tuple[str, str]] = {
    "OMP_NUM_THREADS": ("1", "read by CTranslate2's libgomp: one OpenMP thread per engine replica (the measured "
                             "best layout on few cores; also avoids the libgomp deadlock of recycled workers)"),
    # measured: peak RSS per gthread worker 157 -> 151 MB on the fixture model
    "MALLOC_ARENA_MAX": ("2", "read by glibc at process start (so it acts on gunicorn, which `serve` execs): "
                              "two malloc arenas instead of one per thread keep the workers' memory flat"),
    "MKL_CBWR": ("AUTO,STRICT", "read by Intel MKL (CTranslate2's backend on Intel CPUs): strict conditional "
                                "numerical reproducibility, the same numbers for the same engine call in every run "
                                "and process (CTranslate2's maintainers' advice for reproducible output with MKL)"),
}


# Variables read outside this module, documented in the same table: name -> what reads it and why.
READ_ELSEWHERE: dict[str, str] = {
    "JOB_COMPLETION_INDEX": "set by a Kubernetes Indexed Job; `analyze --shards N` processes that shard "
                            "(read by the command, service/shards.py)",
}


class ConfigError(ValueError):
    """A setting has a bad value; the message names the variable."""


def cpu_count() -> int:
    """CPUs this process may use (cgroup quota, affinity): the default number of workers and engine replicas."""
    return available_cpus()


def apply_process_defaults(environ: MutableMapping[str, str] | None = None) -> None:
    """Set PROCESS_DEFAULTS that are unset; entry points call it before CTranslate2 is imported."""
    env = os.environ if environ is None else environ
    for name, (value, _why) in PROCESS_DEFAULTS.items():
        env.setdefault(name, value)


@dataclass(frozen=True)
class Declared:
    """What a setting declares besides its name, type and default."""

    doc: str
    env: str | None = None  # default: PONTE_<NAME>
    ge: float | None = None
    le: float | None = None
    parse: Callable[[str], Any] | None = None  # default: from the type
    check: Callable[[Any], None] | None = None  # raises ValueError(problem) or ConfigError
    secret: bool = False  # never shown in a message or repr
    shown: str | None = None  # the default as the README shows it (default: the value)
    fallback_env: str | None = None  # read when `env` is unset


_KEY = "ponte"


@overload
def setting(default: T, *, doc: str, env: str | None = ..., ge: float | None = ..., le: float | None = ...,
            parse: Callable[[str], Any] | None = ..., check: Callable[[Any], None] | None = ...,
            secret: bool = ..., shown: str | None = ..., fallback_env: str | None = ...) -> T: ...
@overload
def setting(*, factory: Callable[[], T], doc: str, env: str | None = ..., ge: float | None = ...,
            le: float | None = ..., parse: Callable[[str], Any] | None = ...,
            check: Callable[[Any], None] | None = ..., secret: bool = ..., shown: str | None = ...,
            fallback_env: str | None = ...) -> T: ...
def setting(default: Any = dataclasses.MISSING, *, factory: Any = dataclasses.MISSING, doc: str,
            secret: bool = False, **declared: Any) -> Any:
    """Declare one setting: a dataclass field carrying its default and its `Declared` metadata."""
    meta = {_KEY: Declared(doc=doc, secret=secret, **declared)}
    return dataclasses.field(default=default, default_factory=factory, repr=not secret, metadata=meta)


# ---------------------------------------------------------------- parsers and checks used by the declarations


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true or false")


def _languages(value: str) -> tuple[str, ...]:
    codes = tuple(code.strip().lower() for code in value.split(",") if code.strip())
    for code in codes:
        if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha()):
            raise ValueError(f"{code!r} is not a language code")
    return codes


def _open_paths(value: str) -> tuple[str, ...]:
    if value.strip().lower() == "none":
        return ()
    paths = tuple(p.strip() for p in value.split(",") if p.strip())
    _check_open_paths(paths)
    return paths


def _check_open_paths(paths: tuple[str, ...]) -> None:
    for path in paths:
        if not path.startswith("/"):
            raise ValueError(f"{path!r} does not start with /")


# RFC 6750 b64token; long enough that guessing is hopeless.
API_KEY_PATTERN = re.compile(r"^[A-Za-z0-9._~+/-]{16,512}=*$")
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def _check_api_keys(keys: tuple[str, ...]) -> None:
    for position, key in enumerate(keys, 1):
        if not API_KEY_PATTERN.match(key):
            # never echo a key: the message names its position only
            raise ValueError(f"key #{position} must be 16 to 512 characters of A-Z a-z 0-9 . _ ~ + / - "
                             "(optionally ending in =)")


def _file_digests(path: Path) -> set[str]:
    """The sha256 digests of an API-key file; ValueError names the line (never its content)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {type(exc).__name__}") from None
    digests = set()
    for number, line in enumerate(lines, 1):
        entry = line.split("#", 1)[0].strip().lower()
        if not entry:
            continue
        if not _SHA256_HEX.match(entry):
            raise ValueError(f"line {number} is not a sha256 hex digest "
                             "(64 hex characters; make one with `printf %s KEY | sha256sum`)")
        digests.add(entry)
    if not digests:
        raise ValueError(f"{path} holds no key digest")
    return digests


def _check_api_keys_file(path: Path | None) -> None:
    if path is not None:
        _file_digests(path)


def _check_detect_languages(codes: tuple[str, ...]) -> None:
    from service.core.detect import check_languages

    check_languages(codes)


def _check_taxonomy(path: Path | None) -> None:
    if path is None:
        return
    # Imported here: only a custom taxonomy needs the parser at boot (the shipped one is tested).
    from service.core.tagging import TaxonomyError, load_taxonomy

    try:
        load_taxonomy(path)
    except TaxonomyError as exc:
        raise ValueError(str(exc)) from None


def _check_glossary(path: Path | None) -> None:
    if path is None:
        return
    from service.core.terms import GlossaryError, load_glossary

    try:  # the message names the file and the line: "glossary.yaml:12: ..."
        load_glossary(path)
    except GlossaryError as exc:
        raise ValueError(str(exc)) from None


def _check_model_file(path: Path | None) -> None:
    if path is None:
        return
    from service.core.exceptions import PackageError
    from service.core.packages import check_archive

    try:
        check_archive(path)
    except PackageError as exc:
        raise ValueError(str(exc)) from None


def _check_folder(path: Path | None) -> None:
    if path is not None and not path.is_dir():
        raise ValueError(f"no such folder {path}")


def _check_upstream(value: str) -> None:
    if value.startswith("unix:"):
        if not value[5:].startswith("/"):
            raise ValueError("a unix socket upstream is `unix:/absolute/path`")
        return
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(f"must be host:port or unix:/path, got {value!r}")


def _check_rate_limit(value: str | None) -> None:
    if value is None:
        return
    import limits  # only when a limit is set: the library costs ~0.1 s to import

    try:
        items = limits.parse_many(value)
        if not items or any(item.amount < 1 for item in items):
            raise ValueError("empty")
    except ValueError:
        raise ConfigError(f"{env_name('rate_limit')}={value!r} is not a limit such as 60/minute "
                          "or 10/second;300/hour") from None


def _check_uri(value: str) -> None:
    if "://" not in value:
        raise ConfigError(f"{env_name('rate_limit_storage_uri')}={value!r} is not a URI such as memory:// "
                          "or redis://host:6379/0")


# ---------------------------------------------------------------- the declarations

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
# The CPU compute types of CTranslate2 ("default": the model's own, int8 for Argos models).
ComputeType = Literal["default", "auto", "int8", "int8_float32", "int16", "float32"]


@dataclass(frozen=True)
class Settings:
    """Every knob of ponte, declared once. Built by `load_settings`, never mutated."""

    host: str = setting("0.0.0.0", doc="where gunicorn listens")
    port: int = setting(8080, doc="the port gunicorn listens on", ge=1, le=65535)
    packages_dir: Path = setting(DEFAULT_PACKAGES_DIR, doc="installed Argos packages",
                                 fallback_env="ARGOS_PACKAGES_DIR", shown="`~/.local/share/argos-translate/packages`")
    # pt->en is the product; these languages must be translatable for the service to be ready.
    required_languages: tuple[str, ...] = setting(
        ("pt",), env="PONTE_LANGUAGES", parse=_languages,
        doc="source languages (comma-separated) that must have a model for `/readyz` to be 200")
    target_language: str = setting("en", doc="the language translated into")
    model_file: Path | None = setting(None, check=_check_model_file,
                                      doc="`.argosmodel` that `make run` / `models ensure` installs (checked at start)")
    package_index_url: str = setting(
        "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json", shown="the Argos index",
        doc="only used by `models install --from-index` / `models ensure`")
    taxonomy: Path | None = setting(None, check=_check_taxonomy, shown="`service/data/taxonomy.yaml`",
                                    doc="the topic taxonomy (YAML; see `docs/taxonomy.md`), parsed at start")
    glossary: Path | None = setting(
        None, check=_check_glossary,
        doc="the server's glossary, applied to every request after the request's own entries: YAML (a list of "
            "`{source, target?, case_sensitive?, inflect?}`) or TSV (`source<TAB>target<TAB>flags`), parsed at start")
    max_chars: int = setting(100_000, ge=1, doc="characters per text")
    max_body_bytes: int = setting(1024 * 1024, ge=1, doc="bytes per request body")
    max_file_bytes: int = setting(20 * 1024 * 1024, ge=1, doc="bytes per uploaded file (`POST /v1/translate/file`, "
                                                              "`/v1/analyze/file`); that body may be this plus "
                                                              "`PONTE_MAX_BODY_BYTES`")
    max_file_unpacked_bytes: int = setting(100 * 1024 * 1024, ge=1, doc="bytes a zipped file (DOCX, PPTX, ODT, ODP, "
                                                                        "EPUB) may unpack to (over: 413)")
    beam_size: int = setting(4, ge=1, doc="beam size (1 = greedy, ~2.5x faster, a little worse)")
    max_batch_size: int = setting(32, ge=1, doc="sentences per CTranslate2 sub-batch")
    # A degenerate model cannot run to CTranslate2's 256 tokens.
    decoding_length_ratio: float = setting(2.0, ge=1.0, doc="output is at most ceil(longest input tokens x "
                                                            "ratio) + `PONTE_DECODING_LENGTH_EXTRA` tokens")
    decoding_length_extra: int = setting(10, ge=0, doc="see `PONTE_DECODING_LENGTH_RATIO`")
    max_input_tokens: int = setting(200, ge=1, doc="longer sentences (SentencePiece tokens) are translated in chunks")
    repair: bool = setting(True, doc="a sentence flagged `repetition` or `truncated` is decoded once more with a guard "
                                     "and the better of the two is kept (flag `repaired`)")
    repair_repetition_penalty: float = setting(1.5, ge=1.0, doc="the guard of that second decoding (greedy search): "
                                                                "CTranslate2's repetition_penalty")
    repair_no_repeat_ngram_size: int = setting(0, ge=0, doc="and its no_repeat_ngram_size (0: off; measured weaker)")
    flag_repeat_min_count: int = setting(3, ge=2, doc="flag `repetition`: an n-gram of up to 4 pieces repeated this "
                                                      "many times back to back")
    flag_length_ratio_low: float = setting(0.5, ge=0.0, doc="flag `length_ratio` below this output/input length "
                                                            "ratio (0.5th percentile of held-out references)")
    flag_length_ratio_high: float = setting(1.4, ge=0.0, doc="flag `length_ratio` above this ratio (99.5th percentile)")
    compute_type: ComputeType = setting("default", doc="CTranslate2 compute type (`default`: the model's own)")
    # One intra-op thread per engine replica (1 thread per process beat 2 on these cores), and one
    # replica per core in every worker (weights shared), so that even a lone request spreads its
    # sentences over all cores; under load the workers' replicas share the cores.
    intra_threads: int = setting(1, ge=0, doc="CTranslate2 intra-op threads per replica (0: its own choice)")
    inter_threads: int = setting(factory=cpu_count, ge=1, shown="CPUs usable (cgroup quota, affinity)",
                                 doc="CTranslate2 replicas per worker, sharing one copy of the weights")
    # Under load the engine's threads and the request threads want the same cores: at nice 0 a health check waited
    # behind engine compute (make abuse, 40 clients that never read, 10 runs: /healthz worst 11-136 ms, 2 over 100);
    # at 10, 18-70 ms, with /v1/analyze c=4 throughput the same (8 alternating runs: median 26.4 vs 25.9 texts/s).
    engine_nice: int = setting(10, ge=0, le=19, doc="the engine's threads run at this nice value (Linux; the request "
                                                    "threads at the process's): requests' Python work and health "
                                                    "checks get the cores before engine compute; 0: the same")
    cache_size: int = setting(10_000, ge=0, doc="sentence translations kept per worker (LRU); 0 disables")
    document_cache_chars: int = setting(5_000_000, ge=0, doc="0 turns off the cache of whole analyses of recent "
                                                             "documents (bounded by PONTE_DOCUMENT_CACHE_BYTES)")
    batch_wait_ms: float = setting(5.0, ge=0, doc="concurrent requests of a worker share engine calls: a leader "
                                                  "waits at most this long for requests on their way; 0 disables")
    batch_max_sentences: int = setting(256, ge=1, doc="sentences in one shared engine call")
    batch_calls: int = setting(0, ge=0,
                               doc="shared engine calls a worker runs at once (0: one per engine replica)")
    max_batch: int = setting(64, ge=1, doc="documents per `POST /v1/analyze/batch`")
    detect_min_chars: int = setting(25, ge=1, doc="below this many letters, `reliable` is false")
    detect_languages: tuple[str, ...] = setting(
        (), parse=_languages, check=_check_detect_languages, shown="– (all 55 of langdetect)",
        doc="the languages your traffic may be in (comma-separated): detection chooses among these only "
            "(not just the installed ones: with `pt` alone, Spanish would be taken for Portuguese)")
    detect_min_confidence: float = setting(0.90, ge=0.0, le=1.0, doc="below this confidence, `reliable` is false")
    model_loading: Literal["background", "eager", "off"] = setting(
        "background", doc="`background`: health answers at once, `/readyz` waits; `eager`: load before serving; "
                          "`off`: detect and tag only (replacement workers always load before serving)")
    log_level: LogLevel = setting("INFO", doc="log level")
    log_format: Literal["json", "text"] = setting("json", doc="`json`: one object per line (the server and "
                                                              "gunicorn); `text`: for people at a terminal")
    log_text: bool = setting(False, doc="debug only: put the request text (first 10,000 characters) in the "
                                        "request log line")
    # The keys themselves are never shown; the file holds sha256 digests, so the server needs no plain key.
    api_keys: tuple[str, ...] = setting((), secret=True, check=_check_api_keys,
                                        doc="comma-separated API keys (16-512 characters each); "
                                            "`Authorization: Bearer <key>` then required")
    api_keys_file: Path | None = setting(None, check=_check_api_keys_file,
                                         doc="a file of sha256 hex digests of the keys, one per line "
                                             "(`#` comments); with or instead of `PONTE_API_KEYS`")
    auth_open_paths: tuple[str, ...] = setting(("/healthz", "/readyz", "/metrics"), parse=_open_paths,
                                               check=_check_open_paths,
                                               doc="paths that need no key and are not rate-limited; `none` for none")
    rate_limit: str | None = setting(None, check=_check_rate_limit, shown="– (off)",
                                     doc="e.g. `60/minute` or `10/second;300/hour`, per API key (or client "
                                         "address without keys)")
    rate_limit_storage_uri: str = setting("memory://", check=_check_uri,
                                          doc="where the limiter counts: per worker in memory, or "
                                              "`redis://host:6379/0` shared by all")
    proxy_hops: int = setting(0, ge=0, doc="reverse proxies in front whose `X-Forwarded-For` is trusted for the "
                                           "client address")
    # prometheus_client reads this variable itself at import; the setting mirrors it.
    metrics_dir: Path | None = setting(None, env="PROMETHEUS_MULTIPROC_DIR", check=_check_folder,
                                       shown="set by `gunicorn.conf.py`",
                                       doc="prometheus_client's multiprocess folder (a fresh one per server start)")
    # Threads let a worker overlap HTTP and detection with the engine, which releases the GIL,
    # and let concurrent requests meet in the batching queue.
    workers: int = setting(factory=cpu_count, ge=1, shown="CPUs usable (cgroup quota, affinity)",
                           doc="gunicorn workers (one model copy each)")
    threads: int = setting(16, ge=1, doc="threads per gunicorn worker (they mostly wait for the engine)")
    max_requests: int = setting(0, ge=0, doc="gunicorn worker recycling after this many requests (0: never)")
    max_requests_jitter: int = setting(0, ge=0, doc="random jitter added to `PONTE_MAX_REQUESTS`")
    timeout: int = setting(120, ge=1, doc="gunicorn worker timeout, seconds")
    graceful_timeout: int = setting(30, ge=0, doc="seconds in-flight requests get to finish after SIGTERM")
    # The HTTP front (service/cli/front.py): nginx reads every request whole and every answer whole, with these
    # bounds, before a gunicorn thread sees either; gunicorn then listens on a private socket only nginx uses.
    front: Literal["nginx", "none"] = setting(
        "nginx", doc="`nginx`: `serve` runs nginx on PONTE_HOST:PONTE_PORT in front of gunicorn (the supported "
                     "deployment); `none`: gunicorn listens there itself, behind a proxy of yours (the Kubernetes "
                     "sidecar runs `front`)")
    upstream: str = setting("127.0.0.1:8081", check=_check_upstream,
                            doc="where `python -m service front` (nginx alone, the sidecar) sends requests: "
                                "`host:port` or `unix:/path`")
    client_header_timeout: float = setting(10.0, ge=0.1, doc="seconds a client has to send its request line and "
                                                             "headers, and an idle connection is kept (then closed)")
    client_body_timeout: float = setting(10.0, ge=0.1, doc="seconds the front waits between two reads of a body or "
                                                           "two writes of an answer (then closed)")
    max_client_requests: int = setting(8, ge=1, doc="`/v1/` requests one client address may have in progress at "
                                                    "once (429 past it), below PONTE_THREADS so that one client "
                                                    "never takes every thread of a worker")
    # The work budget of one request (service/core/budget.py), in the model's SentencePiece tokens: what the
    # engine really spends, unlike characters. The defaults admit a prose document of PONTE_MAX_CHARS: 100,000
    # characters of the repository's news prose are 38,486 source tokens and a worst-case output of 83,882 tokens
    # with the test model's small vocabulary (tests/core/test_budget_prose.py; news passages cost 0.76-0.86 output
    # tokens per character), and refuse 100,000 characters of emoji (50,000 tokens, 102,500 output).
    max_source_tokens: int = setting(60_000, ge=1, doc="source tokens per document (over: 413 work-budget-exceeded)")
    max_output_tokens: int = setting(100_000, ge=1, doc="worst-case output tokens per document, the decoding bounds "
                                                       "summed (over: 413 work-budget-exceeded)")
    request_deadline: float = setting(60.0, ge=0.1, doc="seconds from a request's first byte (as the front saw it) to "
                                                        "its translation (then 503 deadline-exceeded with Retry-After)")
    slice_tokens: int = setting(1_000, ge=1, doc="the engine works in slices of windows whose worst-case output "
                                                 "(their decoding bounds summed) is at most this many tokens; other "
                                                 "requests get in between, and the deadline is checked")
    cache_bytes: int = setting(64 * 1024 * 1024, ge=0, doc="bytes of sentence translations kept per worker")
    document_cache_bytes: int = setting(64 * 1024 * 1024, ge=0, doc="bytes of whole analyses kept per worker")
    cache_max_entry_chars: int = setting(2_000, ge=0, doc="sentences longer than this are not cached")
    ui: bool = setting(True, doc="serve the pages for people: `/` (try a text) and `/docs` (API reference); "
                                 "`false` turns both off")


# ---------------------------------------------------------------- reading and checking


@dataclass(frozen=True)
class Spec:
    """One setting as declared: name, type, default and `Declared`."""

    name: str
    type: Any  # the annotation, resolved
    field: dataclasses.Field[Any]
    declared: Declared

    @property
    def env(self) -> str:
        """The environment variable behind the setting."""
        return self.declared.env or f"PONTE_{self.name.upper()}"

    @property
    def base(self) -> Any:
        """The type without `| None`."""
        args = [a for a in typing.get_args(self.type) if a is not type(None)]
        if isinstance(self.type, types.UnionType) or typing.get_origin(self.type) is typing.Union:
            return args[0]
        return self.type

    @property
    def optional(self) -> bool:
        """Whether None is allowed."""
        return type(None) in typing.get_args(self.type)

    @property
    def choices(self) -> tuple[str, ...]:
        """The closed set of a `Literal` setting, else ()."""
        return typing.get_args(self.base) if typing.get_origin(self.base) is Literal else ()

    def default(self) -> Any:
        """The default value."""
        if self.field.default_factory is not dataclasses.MISSING:
            return self.field.default_factory()
        return self.field.default

    def parse(self, raw: str) -> Any:
        """The typed value of a non-empty variable; ValueError says what is wrong."""
        if self.declared.parse is not None:
            return self.declared.parse(raw)
        value = raw.strip()
        if self.choices:
            by_lower = {choice.lower(): choice for choice in self.choices}
            # an unknown choice passes through: `validate` names the allowed ones
            return by_lower.get(value.lower(), value)
        base = typing.get_origin(self.base) or self.base
        if base is bool:
            return _bool(value)
        if base is Path:
            return Path(value).expanduser()
        if base is tuple:
            return tuple(item.strip() for item in value.split(",") if item.strip())
        parsed: Any = base(value)
        return parsed

    def validate(self, value: Any) -> None:
        """Refuse a value outside the declared set or bounds, or one its check refuses."""
        if value is None and self.optional:
            pass
        elif self.choices and value not in self.choices:
            shown = ", ".join(self.choices[:-1]) + " or " + self.choices[-1]
            raise ConfigError(f"{self.env} must be {shown}, got {value!r}")
        elif self.declared.ge is not None and value < self.declared.ge:
            floor = "0 or more" if self.declared.ge == 0 else f"at least {self.declared.ge}"
            raise ConfigError(f"{self.env} must be {floor}, got {value}")
        elif self.declared.le is not None and value > self.declared.le:
            raise ConfigError(f"{self.env} must be at most {self.declared.le}, got {value}")
        if self.declared.check is not None:
            try:
                self.declared.check(value)
            except ConfigError:
                raise
            except ValueError as exc:
                # one line: a YAML error, say, spans several
                raise ConfigError(f"{self.env}: {' '.join(str(exc).split())}") from None


def _specs() -> tuple[Spec, ...]:
    hints = typing.get_type_hints(Settings)
    return tuple(Spec(f.name, hints[f.name], f, f.metadata[_KEY]) for f in dataclasses.fields(Settings))


SPECS: tuple[Spec, ...] = _specs()
_BY_NAME = {spec.name: spec for spec in SPECS}


def env_name(setting: str) -> str:
    """The environment variable behind a setting."""
    return _BY_NAME[setting].env


def api_key_digests(settings: Settings) -> frozenset[str]:
    """sha256 hex digests of the accepted API keys: PONTE_API_KEYS hashed, plus PONTE_API_KEYS_FILE's lines."""
    digests = {hashlib.sha256(key.encode("utf-8")).hexdigest() for key in settings.api_keys}
    if settings.api_keys_file is not None:
        try:
            digests |= _file_digests(settings.api_keys_file)
        except ValueError as exc:
            raise ConfigError(f"{env_name('api_keys_file')}: {exc}") from None
    return frozenset(digests)


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Read the declared variables, apply overrides, check every value; raise ConfigError naming the variable."""
    env = os.environ if environ is None else environ
    unknown = set(overrides) - set(_BY_NAME)
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for spec in SPECS:
        if spec.name in overrides:
            value = overrides[spec.name]
        else:
            variable = next((v for v in (spec.env, spec.declared.fallback_env) if v and env.get(v, "").strip()),
                            None)
            if variable is None:
                value = spec.default()
            else:
                raw = env[variable]
                try:
                    value = spec.parse(raw)
                except ValueError as exc:
                    shown = variable if spec.declared.secret else f"{variable}={raw!r}"
                    raise ConfigError(f"{shown} is not valid: {exc}") from None
        spec.validate(value)
        values[spec.name] = value
    return Settings(**values)
