"""SHA256SUMS of a release, in the format `sha256sum -c SHA256SUMS` checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..digests import sha256_file
from ..write.jsonl import atomic_output

SUMS_NAME = "SHA256SUMS"


def release_files(release: Path) -> list[str]:
    """Every file of the release except the sums file, as sorted POSIX paths."""
    return sorted(p.relative_to(release).as_posix() for p in release.rglob("*")
                  if p.is_file() and p.name != SUMS_NAME)


def write_sums(release: Path, known: dict[str, str] | None = None) -> dict[str, str]:
    """SHA256SUMS of every file; `known` digests (name -> digest) of files not changed
    since they were hashed are used as they are (the shards, hashed for croissant.json)."""
    known = known or {}
    sums = {
        name: known.get(name) or sha256_file(release / name) for name in release_files(release)
    }
    with atomic_output(release / SUMS_NAME) as handle:
        handle.write("".join(f"{digest}  {name}\n" for name, digest in sums.items()).encode())
    return sums


def read_sums(release: Path) -> dict[str, str]:
    """name -> digest from SHA256SUMS; malformed lines are reported as problems by check_sums."""
    sums = {}
    for line in (release / SUMS_NAME).read_text(encoding="utf-8").splitlines():
        digest, sep, name = line.partition("  ")
        if sep:
            sums[name] = digest
    return sums


def check_sums(release: Path, digest: Callable[[Path], str] = sha256_file) -> list[str]:
    """Problems: a file missing, changed, or present but not listed. `digest` hashes a
    file (verify passes one that remembers, so `--against` hashes no file twice)."""
    path = release / SUMS_NAME
    if not path.is_file():
        return [f"{path}: missing"]
    listed = read_sums(release)
    problems = []
    for name, listed_digest in listed.items():
        target = release / name
        if not target.is_file():
            problems.append(f"{target}: listed in {SUMS_NAME} but missing")
        elif digest(target) != listed_digest:
            problems.append(f"{target}: SHA-256 differs from {SUMS_NAME} (the file was changed)")
    for name in release_files(release):
        if name not in listed:
            problems.append(f"{release / name}: not listed in {SUMS_NAME}")
    return problems
