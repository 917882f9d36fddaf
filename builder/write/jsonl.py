"""JSONL: deterministic writing, made atomic (a file appears complete or not at all), and
the one reader of the builder's JSONL files (records, rejects, reports, takedowns).

This module imports nothing of the stages, so every stage may read and write JSONL here.
"""

from __future__ import annotations

import gzip
import os
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, AnyStr

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


class JsonlError(BuilderError):
    """A JSONL file that cannot be read as one, named with its file (and line)."""


class LineTooLong(JsonlError):
    """A line over a reader's bound; what was read of the file before it is good."""

    def __init__(self, message: str, number: int) -> None:
        super().__init__(message)
        self.number = number


def bounded_lines(handle: IO[AnyStr], limit: int) -> Iterator[tuple[int, AnyStr]]:
    """(line number, line) of a text or binary handle, each line checked against `limit`
    (characters or bytes, its line break included) before it is held whole: a plain
    `for line in handle` would read `/dev/zero` (or any file without line breaks) into
    memory forever. The first line over the limit raises LineTooLong, with its number."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit:
            raise LineTooLong(f"line {number} is longer than {limit}", number)
        yield number, line


def _open(path: Path) -> IO[bytes]:
    try:
        return gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")
    except OSError as exc:
        raise JsonlError(f"{path}: cannot open: {exc.strerror or exc}") from None


def read_jsonl(path: Path, max_line_bytes: int | None = None) -> Iterator[tuple[int, Any]]:
    """(line number, object) for each line of a JSONL file, in order. The rules:

    - a name ending in .gz is read through gzip;
    - lines end at a line feed only; numbers count every line, from 1, blank ones too;
    - a blank line (white space only) is skipped: a reader loses nothing by it;
    - any other line must be one JSON object: bad JSON, or another JSON value, stops the
      read with a JsonlError "path:line: not valid JSON: ..." / "...: not a JSON object";
    - with `max_line_bytes`, a longer line stops the read (JsonlError naming the line)
      before it is held whole;
    - a file that cannot be opened or read (I/O error, broken gzip): a JsonlError
      naming it. Never a traceback for a bad file.

    Readers that must go on past a bad line (validate, contrib, verify report every
    problem) read lines themselves, with bounded_lines where a line may be unbounded.
    """
    with _open(path) as handle:
        try:
            if max_line_bytes is None:
                lines: Iterable[tuple[int, bytes]] = enumerate(handle, start=1)
            else:
                lines = bounded_lines(handle, max_line_bytes)
            for number, line in lines:
                if line.isspace():
                    continue
                yield number, _object(line, path, number)
        except LineTooLong as exc:
            raise JsonlError(f"{path}:{exc.number}: the line is over {max_line_bytes} bytes: "
                             "not one JSON object per line") from None
        except (OSError, EOFError, zlib.error) as exc:  # I/O error, truncated or corrupt gzip
            raise JsonlError(f"{path}: cannot read: {exc}") from None


def _object(line: bytes, path: Path, number: int) -> Any:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise JsonlError(f"{path}:{number}: not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise JsonlError(f"{path}:{number}: not a JSON object")
    return value
