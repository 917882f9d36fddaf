"""`builder validate FILES` (records against the schema) and `--contrib FOLDER`
(contributed pages and records, see CONTRIBUTING.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import BuilderError


def _cmd_validate(args: argparse.Namespace) -> int:
    if args.contrib:
        release = Path(args.release) if args.release else None
        paths = [Path(p) for p in args.files]
        # the contribution check is loaded only when asked for (it imports the dedup stage)
        from ..contrib import CheckOptions, run_check

        return run_check(CheckOptions(Path(args.contrib), paths, args.base, release), args.format)
    if args.base or args.release:
        raise BuilderError("--base and --release go with --contrib FOLDER")
    if not args.files:
        raise BuilderError("give JSONL files to check, or --contrib FOLDER for contributions")
    from ..validate.checks import RecordChecks
    from ..validate.records import validate_jsonl
    from ..validate.schema import RecordValidator

    validator, checks = RecordValidator(), RecordChecks()  # ids are compared across files
    bad = 0
    for name in args.files:
        for problem in validate_jsonl(Path(name), validator, checks):
            print(problem)
            bad += 1
    print(f"{bad} problem(s) in {len(args.files)} file(s)", file=sys.stderr)
    return 1 if bad else 0


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `builder validate`."""
    validate = commands.add_parser(
        "validate", help="check JSONL records against the schema, or contributions with --contrib")
    validate.add_argument("files", nargs="*",
                          help="JSONL files; with --contrib: contributed files or folders")
    validate.add_argument("--contrib", metavar="FOLDER",
                          help="check contributions under FOLDER (see CONTRIBUTING.md)")
    validate.add_argument("--base", metavar="REF",
                          help="with --contrib: check only files changed since git REF")
    validate.add_argument("--release", metavar="PATH",
                          help="with --contrib: release folder or records file to find duplicates "
                          "in (default: the highest version in dist/)")
    validate.add_argument("--format", choices=("auto", "text", "github"), default="auto",
                          help="with --contrib: github = workflow annotations and job summary "
                          "(the default inside GitHub Actions)")
    validate.set_defaults(func=_cmd_validate)
