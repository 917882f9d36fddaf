"""`builder build PAGES --out OUT`: records.jsonl, rejects.jsonl and summary.json."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .. import default_workers
from ..argtypes import MAX_WORKERS, page_bytes, workers_count
from ..errors import BuilderError


def _cmd_build(args: argparse.Namespace) -> int:
    from ..pipeline.runner import BuildOptions, build
    from ..read.files import DEFAULT_MAX_PAGE_BYTES
    from ..report import format_summary, reject_examples

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise BuilderError(f"{out}: --out must be a folder, and a file of that name exists")
    options = BuildOptions(
        inputs=[Path(p) for p in args.inputs],
        out=out,
        manifest=Path(args.manifest) if args.manifest else None,
        workers=args.workers,
        max_bytes=DEFAULT_MAX_PAGE_BYTES if args.max_bytes is None else args.max_bytes,
        progress=not args.quiet,
        resume=args.resume,
        backend=args.backend,
        address=args.address,
        dedup=not args.no_dedup,
        dedup_against=Path(args.against) if args.against else None,
    )
    started = time.perf_counter()
    summary = build(options)
    seconds = time.perf_counter() - started
    examples = reject_examples(options.out / "rejects.jsonl")
    print(format_summary(summary.to_json(), options.out, examples))
    rate = summary.pages / seconds if seconds > 0 else 0.0
    dedup = summary.extra.get("dedup") or {}
    records = (f"{dedup['output_records']} records after dedup ({summary.records} parsed, "
               f"{dedup['removed_records']} merged as duplicates)"
               if "output_records" in dedup else f"{summary.records} records")
    print(f"{summary.pages} pages -> {records}, {summary.rejects} rejects "
          f"in {seconds:.2f}s ({rate:.0f} pages/s); output in {options.out}", file=sys.stderr)
    bugs = summary.rejects_by_reason.get("internal_error", 0)
    if bugs:
        print(f"warning: {bugs} page(s) met a bug in news-builder (reason internal_error in "
              f"{options.out / 'rejects.jsonl'}): please report them", file=sys.stderr)
    return 0


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `builder build`."""
    build_cmd = commands.add_parser(
        "build", help="build records.jsonl, rejects.jsonl and summary.json")
    build_cmd.add_argument("inputs", nargs="+", help="page files, WARC files or folders")
    build_cmd.add_argument("--out", required=True, help="output folder")
    build_cmd.add_argument(
        "--manifest", help="crawl manifest (CSV or JSONL: path, url, fetched_at)")
    build_cmd.add_argument("--workers", type=workers_count, default=default_workers(),
                           help=f"worker processes, 1 to {MAX_WORKERS} (default: all cores)")
    build_cmd.add_argument("--max-bytes", type=page_bytes,
                           help="size limit of one page in bytes, at least 1 (default: 10 MiB)")
    build_cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    build_cmd.add_argument("--resume", action="store_true",
                           help="continue an interrupted build into the same --out, "
                           "keeping its finished shards")
    build_cmd.add_argument("--backend", choices=("local", "ray"), default="local",
                           help="local: worker processes on this machine; "
                           "ray: tasks on a Ray cluster")
    build_cmd.add_argument("--address", help="with --backend ray: the cluster's address "
                           "(default: start a local Ray instance with --workers CPUs); "
                           "see docs/scale.md")
    build_cmd.add_argument("--no-dedup", action="store_true",
                           help="keep duplicate records (no dedup stage)")
    build_cmd.add_argument("--against", metavar="PREVIOUS_RELEASE",
                           help="deduplicate against a previous release (see builder dedup --help)")
    build_cmd.set_defaults(func=_cmd_build)
