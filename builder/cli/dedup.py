"""`builder dedup IN.jsonl --out DIR [--against PREVIOUS_RELEASE]`: argument wiring only."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import orjson

from .. import default_workers
from ..dedup.core import Source, dedup_files
from ..dedup.params import DedupParams
from ..dedup.stage import REPORT_FILE
from ..errors import ConfigError
from ..write.jsonl import atomic_output

RECORDS_FILE = "records.jsonl"
SUMMARY_FILE = "dedup_summary.json"


def add_param_arguments(parser: argparse.ArgumentParser) -> None:
    """The DedupParams knobs a user is likely to turn, with the defaults shown."""
    defaults = DedupParams()
    parser.add_argument(
        "--threshold",
        type=float,
        default=defaults.threshold,
        help="Jaccard similarity of word shingles LSH is tuned to propose pairs from; "
        "pairs are then decided on coverage (docs/dedup.md) (default: %(default)s)",
    )
    parser.add_argument(
        "--shingle-size",
        type=int,
        default=defaults.shingle_size,
        help="words per shingle (default: %(default)s)",
    )
    parser.add_argument(
        "--num-perm",
        type=int,
        default=defaults.num_perm,
        help="MinHash permutations (default: %(default)s)",
    )


def params_from_args(args: argparse.Namespace) -> DedupParams:
    return DedupParams(
        threshold=args.threshold, shingle_size=args.shingle_size, num_perm=args.num_perm
    )


def _cmd_dedup(args: argparse.Namespace) -> int:
    params = params_from_args(args)
    inputs = [Path(p) for p in args.inputs]
    for path in inputs:
        if not path.is_file():
            raise ConfigError(f"{path}: no such file (give the records.jsonl of a build)")
    if args.explain:
        from ..dedup.compare import explain_command

        return explain_command(args, params)
    if not args.out:
        raise ConfigError("builder dedup: --out DIR is required (or --explain ID_A ID_B)")
    sources = [Source(path) for path in inputs]
    if args.against:
        sources.insert(0, Source(Path(args.against), previous=True))
    out = Path(args.out)
    started = time.perf_counter()
    stats = dedup_files(sources, out / RECORDS_FILE, out / REPORT_FILE, params,
                        workers=args.workers, progress=not args.quiet)
    seconds = time.perf_counter() - started
    with atomic_output(out / SUMMARY_FILE) as handle:
        handle.write(orjson.dumps(stats, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    print(
        f"{stats['input_records']} records (+{stats['previous_records']} previous) -> "
        f"{stats['output_records']}: {stats['removed_records']} merged "
        f"({', '.join(f'{k} {v}' for k, v in stats['removed_by_method'].items())}) "
        f"in {seconds:.2f}s; output in {args.out}",
        file=sys.stderr,
    )
    return 0


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `builder dedup` (needs the dedup extra: extras.add_dedup_command)."""
    command = commands.add_parser(
        "dedup", help="merge duplicate records, with a report of every merge"
    )
    command.add_argument(
        "inputs", nargs="+", metavar="IN.jsonl", help="records (JSONL or JSONL.gz)"
    )
    command.add_argument("--out", help="output folder (required unless --explain)")
    command.add_argument(
        "--explain",
        nargs=2,
        metavar=("ID_A", "ID_B"),
        help="print how the near-duplicate decision compares these two records "
        "(coverage, boilerplate, passages, figures) and write nothing",
    )
    command.add_argument(
        "--against",
        metavar="PREVIOUS_RELEASE",
        help="previous release (folder, or JSONL/JSONL.gz file): its records are kept, "
        "their ids never change, and new copies of them are merged into them",
    )
    command.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="processes computing signatures (default: all cores); never changes the output",
    )
    command.add_argument("--quiet", action="store_true", help="no progress bar")
    add_param_arguments(command)
    command.set_defaults(func=_cmd_dedup)
