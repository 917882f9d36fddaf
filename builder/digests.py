"""SHA-256 of a file, the one place files are hashed after they are written or listed."""

from __future__ import annotations

import hashlib
from pathlib import Path

BLOCK = 1 << 20  # read 1 MiB at a time: memory stays flat for a file of any size


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of the file's bytes; OSError when it cannot be read."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_or_empty(path: str | Path) -> str:
    """`sha256_file`, or "" for a file that cannot be read (its reader rejects it, saying
    why; the build records what it saw)."""
    try:
        return sha256_file(path)
    except OSError:
        return ""
