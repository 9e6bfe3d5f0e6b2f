"""`python -m service merge [--output FILE] [--expect-lines-of INPUT] PART...`: the output parts of a sharded
`analyze` run (--shard K/N or --shards N) joined into one output in input order, exactly as one unsharded run
writes it. Refuses, with exit code 2 and one line saying which, when an input line is missing or present twice.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from service.cli.analyze import count_lines
from service.cli.exits import EXIT_OK, EXIT_USAGE
from service.settings import Settings
from service.shards import MergeError, merge_parts, merge_to_file

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the merge subcommand."""
    parser.add_argument("parts", nargs="+", metavar="PART", help="output parts of analyze --shard/--shards")
    parser.add_argument("--output", "-o", default=None, metavar="FILE",
                        help="where to write the merged output (written whole or not at all; default: stdout)")
    parser.add_argument("--expect-lines-of", default=None, metavar="INPUT",
                        help="the input file of the sharded run: refuse unless every one of its lines is there")


def run(settings: Settings, args: argparse.Namespace) -> int:
    """The merge subcommand; returns the exit code."""
    parts = [Path(p) for p in args.parts]
    missing = [str(p) for p in parts if not p.is_file()]
    if missing:
        log.error("merge: no such part: %s", ", ".join(missing))
        return EXIT_USAGE
    try:
        expected = count_lines(Path(args.expect_lines_of)) if args.expect_lines_of else None
        if args.output is None:
            written = merge_parts(parts, sys.stdout, expected_lines=expected)
        else:
            written = merge_to_file(parts, Path(args.output), expected_lines=expected)
    except MergeError as exc:
        log.error("merge refused: %s", exc)
        return EXIT_USAGE
    except OSError as exc:
        log.error("merge: %s", exc)
        return EXIT_USAGE
    log.info("merge: %d lines from %d parts", written, len(parts))
    return EXIT_OK
