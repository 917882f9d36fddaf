"""Deterministic JSONL writing, made atomic: a file appears complete or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import orjson

from ..errors import BuilderError


def _read_umask() -> int:
    """The process umask (os.umask can only read it by setting it, so once, at import)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# mkstemp/mkdtemp make private (0600/0700) entries; outputs get the modes that a plain
# open() or mkdir() would give them, so a build can be shared like any other folder.
_UMASK = _read_umask()
FILE_MODE = 0o666 & ~_UMASK
DIR_MODE = 0o777 & ~_UMASK

def dumps_line(value: Any) -> bytes:
    """One JSON line, keys sorted, non-ASCII kept as UTF-8: the same value gives the same bytes."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


@contextmanager
def atomic_output(path: Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write to a temporary file beside `path` and rename it into place only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_jsonl(path: Path, values: Iterable[Any]) -> int:
    """Write values as JSON lines atomically; returns how many were written."""
    count = 0
    with atomic_output(path) as handle:
        for value in values:
            handle.write(dumps_line(value))
            count += 1
    return count


def read_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, value) for each non-blank line; a bad line is a fatal error naming it."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise BuilderError(f"{path}: cannot open: {exc.strerror}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise BuilderError(f"{path}:{number}: not valid JSON: {exc}") from None
