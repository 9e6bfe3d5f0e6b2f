"""The ponte command line: `python -m service serve | front | analyze | translate-file | merge | probe | models ...`."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence

from service.cli import analyze as cli_analyze
from service.cli import files as cli_files
from service.cli import front as cli_front
from service.cli import merge as cli_merge
from service.cli import models as cli_models
from service.cli import serve as cli_serve
from service.cli.exits import EXIT_FAILED, EXIT_USAGE
from service.core.exceptions import PackageError
from service.logs import configure_logging
from service.settings import ConfigError, apply_process_defaults, load_settings

log = logging.getLogger("service")


def parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m service`."""
    top = argparse.ArgumentParser(prog="python -m service", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the HTTP service: gunicorn, behind nginx unless PONTE_FRONT=none").set_defaults(
        func=cli_serve.serve)
    front = sub.add_parser("front", help="run nginx alone in front of PONTE_UPSTREAM (the Kubernetes sidecar)")
    front.add_argument("--print", action="store_true", help="print the nginx configuration and exit")
    front.set_defaults(func=cli_front.front)
    analyze = sub.add_parser("analyze", help="analyze JSON Lines (or text lines) from a file or stdin, "
                                             "one result line per input line, in order",
                             description=cli_analyze.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cli_analyze.add_arguments(analyze)
    analyze.set_defaults(func=cli_analyze.run)
    translate_file = sub.add_parser("translate-file",
                                    help="translate a DOCX, ODT, PPTX, ODP, EPUB, SRT, WebVTT, XLIFF, PO or PDF file "
                                         "into the same file in English",
                                    description=cli_files.__doc__,
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
    cli_files.add_arguments(translate_file)
    translate_file.set_defaults(func=cli_files.run)
    merge = sub.add_parser("merge", help="join the output parts of a sharded analyze run into one, in input order",
                           description=cli_merge.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cli_merge.add_arguments(merge)
    merge.set_defaults(func=cli_merge.run)
    probe = sub.add_parser("probe", help="exit 0 if the local server answers /readyz with 200")
    probe.add_argument("--path", default="/readyz")
    probe.add_argument("--timeout", type=float, default=4.0)
    probe.set_defaults(func=cli_serve.probe)
    models = sub.add_parser("models", help="manage Argos packages").add_subparsers(dest="action", required=True)
    listing = models.add_parser("list", help="list installed packages")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cli_models.list)
    install = models.add_parser("install", help="install from a local .argosmodel, or from the Argos index")
    install.add_argument("file", nargs="?")
    install.add_argument("--from-index", nargs=2, metavar=("SOURCE", "TARGET"),
                         help="download from the Argos package index (needs the internet)")
    install.set_defaults(func=cli_models.install)
    remove = models.add_parser("remove", help="remove an installed package")
    remove.add_argument("name")
    remove.set_defaults(func=cli_models.remove)
    models.add_parser("ensure", help="install PONTE_MODEL_FILE, or the index's package for each "
                                     "PONTE_LANGUAGES pair that is missing").set_defaults(func=cli_models.ensure)
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
