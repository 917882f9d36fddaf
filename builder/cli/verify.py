"""`builder verify RELEASE`: re-check a release folder (checksums, records, card)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _cmd_verify(args: argparse.Namespace) -> int:
    from ..release.verify import verify_release

    release = Path(args.release)
    problems = verify_release(
        release, load=args.load, progress=not args.quiet, against=args.against
    )
    for problem in problems:
        print(problem)
    print(
        f"{release}: {len(problems)} problem(s)" if problems else f"{release}: OK", file=sys.stderr
    )
    return 1 if problems else 0


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `builder verify`."""
    verify = commands.add_parser(
        "verify", help="re-check a release folder (checksums, records, card)"
    )
    verify.add_argument("release", help="release folder, e.g. dist/1.0.0")
    verify.add_argument(
        "--load",
        action="store_true",
        help="also load it with datasets.load_dataset and compare every row",
    )
    verify.add_argument(
        "--against",
        metavar="SHA256SUMS",
        help="the published SHA256SUMS (path or http(s) URL) to check every file against: "
        "catches a release edited and its own SHA256SUMS recomputed",
    )
    verify.add_argument("--quiet", action="store_true", help="no progress bar")
    verify.set_defaults(func=_cmd_verify)
