"""`python -m service models list | install | remove | ensure`: the Argos packages of this machine."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from service.cli.exits import EXIT_OK
from service.core.exceptions import PackageError
from service.core.packages import install_archive, install_from_index, remove_package, scan_packages
from service.settings import Settings

log = logging.getLogger("service")


def list(settings: Settings, args: argparse.Namespace) -> int:
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


def install(settings: Settings, args: argparse.Namespace) -> int:
    if args.from_index:
        source, target = args.from_index
        package = install_from_index(source, target, settings.packages_dir, settings.package_index_url)
    else:
        if not args.file:
            raise PackageError("give a .argosmodel file, or --from-index SOURCE TARGET")
        package = install_archive(Path(args.file), settings.packages_dir)
    log.info("installed %s %s (%s->%s)", package.name, package.version, package.from_code, package.to_code)
    return EXIT_OK


def remove(settings: Settings, args: argparse.Namespace) -> int:
    path = remove_package(args.name, settings.packages_dir)
    log.info("removed %s", path)
    return EXIT_OK


def ensure(settings: Settings, _: argparse.Namespace) -> int:
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
