"""Where things are in dist/<version>/, and the staging that makes a release appear atomically.

    dist/<version>/
      README.md                  dataset card (Hub YAML metadata + sections)
      CHANGELOG.md               added / removed / changed record ids vs the previous release
      SHA256SUMS                 every other file, `sha256sum -c` format
      schema.json                the exact record schema the data follows
      croissant.json             MLCommons Croissant metadata
      release.json               what built it: versions, parameters, counts (no clock time)
      data/train-NNNNN-of-MMMMM.jsonl.gz
      figures/*.png
      reports/rejects.jsonl      every page that did not become a record, with its reason
      reports/dedup_report.jsonl every record removed as a duplicate, and what it merged into

Reports sit in their own folder so that only `data/` matches the card's data_files.
A release is written into a hidden staging folder inside dist/ (same file system, so the
final rename is atomic) and renamed to dist/<version> only after it verified.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BuilderError
from ..locks import is_held, locked_file

CARD = "README.md"
CHANGELOG = "CHANGELOG.md"
SCHEMA = "schema.json"
CROISSANT = "croissant.json"
RELEASE_INFO = "release.json"
REJECTS = "reports/rejects.jsonl"
DEDUP_REPORT = "reports/dedup_report.jsonl"
STAGING_PREFIX = ".staging-"
LOCK_NAME = "lock"  # in the staging root, beside the release and work folders


@dataclass(frozen=True)
class Staging:
    release: Path  # becomes dist/<version>
    work: Path  # intermediate build output, never published


def read_json_or_none(path: Path) -> Any:
    """A release file's JSON, or None when it is missing or broken (a check that needs it
    reports that in its own words)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def remove_stale_staging(dist: Path) -> list[Path]:
    """Remove the staging folders of releases that were killed; the removed folders.

    A running release holds a lock on its folder (released by the system when its process
    dies, however it dies), so a concurrent release in the same dist/ is never touched.
    """
    removed = []
    for root in sorted(dist.glob(f"{STAGING_PREFIX}*")):
        if root.is_dir() and not root.is_symlink() and not is_held(root / LOCK_NAME):
            shutil.rmtree(root, ignore_errors=True)
            removed.append(root)
    return removed


@contextmanager
def staging(dist: Path, version: str) -> Iterator[Staging]:
    """A fresh staging folder in dist/, removed whatever happens; commit with `publish_staged`.

    A kill -9 leaves the folder behind (no cleanup runs): the next release removes it,
    with a line on stderr.
    """
    dist.mkdir(parents=True, exist_ok=True)
    for stale in remove_stale_staging(dist):
        print(f"removed {stale}: the staging folder of an interrupted release", file=sys.stderr)
    root = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{version}-", dir=dist))
    try:
        with locked_file(root / LOCK_NAME):  # held until this release ends or dies
            stage = Staging(root / version, root / "work")
            stage.release.mkdir()
            stage.work.mkdir()
            yield stage
    finally:
        shutil.rmtree(root, ignore_errors=True)


def publish_staged(stage: Staging, dist: Path) -> Path:
    """Move the verified release into dist/<version>; never over an existing one."""
    target = dist / stage.release.name
    if target.exists():
        raise BuilderError(
            f"{target} appeared while this release was being built; it was left untouched"
        )
    try:
        os.rename(stage.release, target)
    except OSError as exc:
        raise BuilderError(f"cannot move the release into {target}: {exc.strerror}") from None
    return target
