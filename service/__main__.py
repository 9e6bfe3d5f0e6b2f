"""The ponte command line: `python -m service serve | analyze | probe | models list|install|remove|ensure`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from service import cli_analyze
from service.core.exceptions import PackageError
from service.core.packages import install_archive, install_from_index, remove_package, scan_packages
from service.logs import configure_logging
from service.settings import ConfigError, Settings, apply_process_defaults, load_settings

log = logging.getLogger("service")

GUNICORN_CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _serve(settings: Settings, _: argparse.Namespace) -> int:
    argv = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF)]
    log.info("starting gunicorn on %s:%d with %d workers", settings.host, settings.port, settings.workers)
    os.execv(sys.executable, argv)  # noqa: S606 (replace this process with gunicorn)
    return EXIT_FAILED  # not reached


def _probe(settings: Settings, args: argparse.Namespace) -> int:
    """GET /readyz (or --path) on the local server: the container's health check."""
    host = "127.0.0.1" if settings.host in {"0.0.0.0", "::", ""} else settings.host
    url = f"http://{host}:{settings.port}{args.path}"
    try:
        with urllib.request.urlopen(url, timeout=args.timeout) as response:
            log.debug("%s -> %d", url, response.status)
            return EXIT_OK
    except urllib.error.HTTPError as exc:
        log.error("%s -> %d: %s", url, exc.code, exc.read().decode("utf-8", "replace")[:500])
    except (urllib.error.URLError, OSError) as exc:
        log.error("%s: %s", url, exc)
    return EXIT_FAILED


def _models_list(settings: Settings, args: argparse.Namespace) -> int:
    good, broken = scan_packages(settings.packages_dir)
    rows = [{"package": p.name, "version": p.version, "source_language": p.from_code,
             "target_language": p.to_code, "status": "installed"} for p in good]
    rows += [{"package": b.name, "status": "broken", "reason": b.reason} for b in broken]
    if args.json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        for row in rows:
            pair = f"{row.get('source_language', '?')}->{row.get('target_language', '?')}"
            extra = f"  ({row['reason']})" if "reason" in row else ""
            sys.stdout.write(f"{row['package']}\t{row.get('version', '')}\t{pair}\t{row['status']}{extra}\n")
        if not rows:
            sys.stdout.write(f"no packages in {settings.packages_dir}\n")
    return EXIT_OK


def _models_install(settings: Settings, args: argparse.Namespace) -> int:
    if args.from_index:
        source, target = args.from_index
        package = install_from_index(source, target, settings.packages_dir, settings.package_index_url)
    else:
        if not args.file:
            raise PackageError("give a .argosmodel file, or --from-index SOURCE TARGET")
        package = install_archive(Path(args.file), settings.packages_dir)
    log.info("installed %s %s (%s->%s)", package.name, package.version, package.from_code, package.to_code)
    return EXIT_OK


def _models_remove(settings: Settings, args: argparse.Namespace) -> int:
    path = remove_package(args.name, settings.packages_dir)
    log.info("removed %s", path)
    return EXIT_OK


def _models_ensure(settings: Settings, _: argparse.Namespace) -> int:
    """Make sure every required language has a package: from PONTE_MODEL_FILE, else from the index."""
    good, _broken = scan_packages(settings.packages_dir)
    have = {p.from_code for p in good if p.to_code == settings.target_language}
    if settings.model_file is not None:
        package = install_archive(settings.model_file, settings.packages_dir)
        log.info("installed %s %s from %s", package.name, package.version, settings.model_file)
        have.add(package.from_code)
    for code in settings.required_languages:
        if code in have:
            log.info("%s->%s: installed", code, settings.target_language)
            continue
        log.info("%s->%s: not installed; fetching it from the Argos package index", code, settings.target_language)
        install_from_index(code, settings.target_language, settings.packages_dir, settings.package_index_url)
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m service`."""
    top = argparse.ArgumentParser(prog="python -m service", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the HTTP service under gunicorn").set_defaults(func=_serve)
    analyze = sub.add_parser("analyze", help="analyze JSON Lines (or text lines) from a file or stdin, "
                                             "one result line per input line, in order",
                             description=cli_analyze.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cli_analyze.add_arguments(analyze)
    analyze.set_defaults(func=cli_analyze.run)
    probe = sub.add_parser("probe", help="exit 0 if the local server answers /readyz with 200")
    probe.add_argument("--path", default="/readyz")
    probe.add_argument("--timeout", type=float, default=4.0)
    probe.set_defaults(func=_probe)
    models = sub.add_parser("models", help="manage Argos packages").add_subparsers(dest="action", required=True)
    listing = models.add_parser("list", help="list installed packages")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=_models_list)
    install = models.add_parser("install", help="install from a local .argosmodel, or from the Argos index")
    install.add_argument("file", nargs="?")
    install.add_argument("--from-index", nargs=2, metavar=("SOURCE", "TARGET"),
                         help="download from the Argos package index (needs the internet)")
    install.set_defaults(func=_models_install)
    remove = models.add_parser("remove", help="remove an installed package")
    remove.add_argument("name")
    remove.set_defaults(func=_models_remove)
    models.add_parser("ensure", help="install PONTE_MODEL_FILE, or the index's package for each "
                                     "PONTE_LANGUAGES pair that is missing").set_defaults(func=_models_ensure)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; errors end with a one-line message and a non-zero exit code."""
    args = parser().parse_args(argv)
    apply_process_defaults()  # before CTranslate2 loads here, and inherited by gunicorn (`serve`)
    try:
        settings = load_settings()
    except ConfigError as exc:
        configure_logging("INFO")
        log.error("configuration error: %s", exc)
        return EXIT_USAGE
    configure_logging(settings.log_level, settings.log_format)
    try:
        code: int = args.func(settings, args)
    except PackageError as exc:
        log.error("%s", exc)
        return EXIT_FAILED
    return code


if __name__ == "__main__":
    sys.exit(main())
