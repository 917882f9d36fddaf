"""Which contributed files to check: those changed against a git ref, given paths, or all."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ..errors import ConfigError
from .findings import Finding, error

# Never let git run a program named by the repository or the contribution (external
# diff drivers, text conversion filters, pagers) while it lists changed files.
GIT_SAFE_OPTIONS = ("-c", "core.quotePath=false", "-c", "core.pager=cat")


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *GIT_SAFE_OPTIONS, *args],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "GIT_EXTERNAL_DIFF": ""},
        )
    except FileNotFoundError:
        raise ConfigError(
            "git is not installed; give the files to check instead of --base"
        ) from None
    if done.returncode != 0:
        raise ConfigError(f"git {' '.join(args[:2])} failed: {done.stderr.strip()}")
    return done.stdout


def changed_files(root: Path, base: str) -> list[Path]:
    """Files under `root` added or modified since the merge base with `base`, plus untracked ones.

    Comparing the working tree with the merge base covers both CI (a clean checkout of
    the pull request) and a contributor's uncommitted edits; deleted files have nothing
    left to check.
    """
    if not root.is_dir():
        raise ConfigError(f"{root}: no such contribution folder")
    top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    try:
        merge_base = _git(root, "merge-base", base, "HEAD").strip()
    except ConfigError:
        raise ConfigError(
            f"cannot find the base ref {base!r}: fetch it first (in GitHub Actions "
            "check out with fetch-depth: 0), or give the files to check"
        ) from None
    scope = os.path.abspath(root)
    listed = _git(
        top,
        "diff",
        "--name-only",
        "--no-renames",
        "--diff-filter=d",
        "--no-ext-diff",
        "--no-textconv",
        "-z",
        merge_base,
        "--",
        scope,
    )
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z", "--", scope)
    names = {name for name in (listed + untracked).split("\0") if name}
    return sorted(top / name for name in names)


def walk(folder: Path) -> tuple[list[Path], list[Finding]]:
    """Every file under a folder, without following links; linked folders are findings."""
    files: list[Path] = []
    found: list[Finding] = []
    for current, dirs, names in os.walk(folder, followlinks=False):
        linked = sorted(d for d in dirs if (Path(current) / d).is_symlink())
        found += [
            error(
                shown_path(Path(current) / d),
                1,
                "symlink",
                "symbolic links are not accepted: add the files themselves",
            )
            for d in linked
        ]
        dirs[:] = sorted(d for d in dirs if d not in linked)
        files += [Path(current) / name for name in sorted(names)]
    return files, found


def shown_path(path: Path) -> str:
    """How a path is reported: relative to the working folder (the repository root in CI)."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.getcwd())
    return Path(absolute if relative.startswith("..") else relative).as_posix()
