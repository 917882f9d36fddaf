"""`builder release`, `builder verify`, `builder publish` and `builder takedown`.

Argument parsing over the release API.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..argtypes import workers_count
from ..errors import BuilderError
from ..release.config import DEFAULT_CONFIG_NAME


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


def _cmd_publish(args: argparse.Namespace) -> int:
    from ..release.publish import publish_release

    release = Path(args.dist) / args.version
    if not release.is_dir():
        raise BuilderError(
            f"{release}: no such release; build it first with `nox -s release -- {args.version}`"
        )
    repo_id = args.repo_id
    if not repo_id:
        from ..release.config import load_config

        repo_id = load_config(Path(args.config)).repo_id or ""
    lines = publish_release(
        release, repo_id, dry_run=args.dry_run, private=args.private, to_branch=args.to_branch
    )
    for line in lines:
        print(line)
    return 0


def _cmd_takedown(args: argparse.Namespace) -> int:
    from .takedown import takedown

    for line in takedown(Path(args.config), args.target, args.reason, args.date, Path(args.dist)):
        print(line)
    return 0


def add_release_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the release, verify and publish subcommands to the `builder` parser."""
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

    publish = commands.add_parser(
        "publish", help="upload dist/VERSION to the Hugging Face Hub, tagged VERSION"
    )
    publish.add_argument("version")
    publish.add_argument(
        "--repo-id", help="ORG/NAME of the dataset repo (default: repo_id in dataset.yaml)"
    )
    publish.add_argument(
        "--config", default=DEFAULT_CONFIG_NAME, help="dataset config (for its repo_id)"
    )
    publish.add_argument("--dist", default="dist")
    publish.add_argument(
        "--dry-run", action="store_true", help="list what would be uploaded, upload nothing"
    )
    publish.add_argument(
        "--private", action="store_true", help="create the repo as private if it does not exist"
    )
    publish.add_argument(
        "--to-branch",
        metavar="NAME",
        help="commit to branch NAME instead of main (needed for a version lower than the "
        "highest one on the repo)",
    )
    publish.set_defaults(func=_cmd_publish)

    takedown = commands.add_parser(
        "takedown", help="list a record (by id or URL) for removal from the next release"
    )
    takedown.add_argument("target", metavar="ID|URL", help="record id (16 hex digits) or URL")
    takedown.add_argument("--reason", required=True, help="why (published in the changelog)")
    takedown.add_argument("--date", help="date of the request, YYYY-MM-DD (default: today, UTC)")
    takedown.add_argument(
        "--config", default=DEFAULT_CONFIG_NAME, help="dataset config (default: dataset.yaml)"
    )
    takedown.add_argument("--dist", default="dist", help="folder of releases (default: dist)")
    takedown.set_defaults(func=_cmd_takedown)
