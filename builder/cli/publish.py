"""`builder publish VERSION`: upload dist/VERSION to the Hugging Face Hub."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..config import DEFAULT_CONFIG_NAME
from ..errors import BuilderError


def _cmd_publish(args: argparse.Namespace) -> int:
    from ..release.publish import publish_release

    release = Path(args.dist) / args.version
    if not release.is_dir():
        raise BuilderError(
            f"{release}: no such release; build it first with `nox -s release -- {args.version}`"
        )
    repo_id = args.repo_id
    if not repo_id:
        from ..config import load_config

        repo_id = load_config(Path(args.config)).repo_id or ""
    lines = publish_release(
        release, repo_id, dry_run=args.dry_run, private=args.private, to_branch=args.to_branch
    )
    for line in lines:
        print(line)
    return 0


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `builder publish`."""
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
