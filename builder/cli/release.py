"""`builder release VERSION`: build, dedup, check and write dist/VERSION."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..argtypes import workers_count
from ..config import DEFAULT_CONFIG_NAME


def _cmd_release(args: argparse.Namespace) -> int:
    from ..release.make import ReleaseOptions, make_release

    options = ReleaseOptions(
        config=Path(args.config),
        version=args.version,
        dist=Path(args.dist),
        workers=args.workers,
        progress=not args.quiet,
        load_check=not args.no_load_check,
        schema=Path(args.schema) if args.schema else None,
        allow_unchanged=args.allow_unchanged,
        resume=args.resume,
        backend=args.backend,
        address=args.address,
    )
    started = time.perf_counter()
    target = make_release(options)
    steps = ", ".join(f"{step} {seconds:.1f}s" for step, seconds in options.timings.items())
    print(f"released {target} in {time.perf_counter() - started:.1f}s ({steps})", file=sys.stderr)
    print(target)
    return 0


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `builder release`."""
    release = commands.add_parser("release", help="build, dedup, check and write dist/VERSION")
    release.add_argument(
        "version", help="semantic version MAJOR.MINOR.PATCH, greater than the last release"
    )
    release.add_argument(
        "--config", default=DEFAULT_CONFIG_NAME, help="dataset config (default: dataset.yaml)"
    )
    release.add_argument("--dist", default="dist", help="folder of releases (default: dist)")
    release.add_argument(
        "--workers", type=workers_count, default=1, help="worker processes for build and dedup"
    )
    release.add_argument(
        "--no-load-check",
        action="store_true",
        help="skip loading the staged release with datasets.load_dataset before publishing it",
    )
    release.add_argument(
        "--schema", help="record schema file (default: the current schema/vN/record.schema.json)"
    )
    release.add_argument(
        "--allow-unchanged",
        action="store_true",
        help="release even when no record changed since the previous release",
    )
    release.add_argument(
        "--resume",
        action="store_true",
        help="go on with the build of an interrupted release (dist/.build-VERSION)",
    )
    release.add_argument(
        "--backend", choices=("local", "ray"), default="local",
        help="where the build runs (docs/scale.md)",
    )
    release.add_argument("--address", help="with --backend ray: the cluster's address")
    release.add_argument("--quiet", action="store_true", help="no progress output")
    release.set_defaults(func=_cmd_release)
