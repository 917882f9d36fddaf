"""Record lines by location: dedup reads its input once in order, then again by position.

The first pass streams every line and keeps only its location (file, byte offset,
length); later steps read back the few records they need (duplicates to verify and
resolve) and, when writing, every survivor in id order. Plain files are read where
they are; compressed ones (a release's .jsonl.gz shards) are inflated once into a
spool file in the work folder, since a gzip stream cannot be read at an offset.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import numpy as np

from ..errors import BuilderError


class Spool:
    """The files record lines are read from, opened once, read at offsets with pread."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.paths: list[Path] = []
        self.labels: list[str] = []
        self._fds: list[int] = []

    def lines(self, path: Path) -> Iterator[tuple[int, int, int, bytes]]:
        """(file number, line number, byte offset, line) of every line of `path`: raw
        bytes with their offsets (records are read back by location), parsed in the
        workers (index.parse_line, read_jsonl's rules), so not write.jsonl.read_jsonl."""
        number = len(self.paths)
        self.labels.append(str(path))
        if path.name.endswith(".gz"):
            spooled = self.work / f"spool-{number:05d}.jsonl"
            self.paths.append(spooled)
            yield from self._inflate(path, spooled, number)
        else:
            self.paths.append(path)
            yield from self._read(path, number)
        self._fds.append(os.open(self.paths[number], os.O_RDONLY))

    def register(self, path: Path) -> tuple[int, int]:
        """Add a plain file whose lines were located as it was written (a build's
        records.jsonl, fed to dedup batch by batch) without reading it line by line;
        returns its (file number, line count) for the caller to check against what it fed."""
        number = len(self.paths)
        lines, size, last = 0, 0, b"\n"
        try:
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 22), b""):
                    lines += block.count(b"\n")
                    size += len(block)
                    last = block[-1:]
        except OSError as exc:
            raise BuilderError(f"{path}: cannot read: {exc}") from None
        self.labels.append(str(path))
        self.paths.append(path)
        self._fds.append(os.open(path, os.O_RDONLY))
        return number, lines + (last != b"\n")  # a last line without its newline counts

    def _read(self, path: Path, number: int) -> Iterator[tuple[int, int, int, bytes]]:
        try:
            with path.open("rb") as handle:
                yield from _located(handle, number)
        except OSError as exc:
            raise BuilderError(f"{path}: cannot read: {exc}") from None

    def _inflate(
        self, path: Path, spooled: Path, number: int
    ) -> Iterator[tuple[int, int, int, bytes]]:
        try:
            with gzip.open(path, "rb") as source, spooled.open("wb") as sink:
                for item in _located(source, number):
                    sink.write(item[3])
                    yield item
        except (OSError, EOFError) as exc:
            raise BuilderError(f"{path}: cannot read: {exc}") from None

    def read(self, file: int, offset: int, length: int) -> bytes:
        return os.pread(self._fds[file], length, offset)

    def close(self) -> None:
        for fd in self._fds:
            os.close(fd)
        self._fds.clear()


def _located(handle: Iterable[bytes], number: int) -> Iterator[tuple[int, int, int, bytes]]:
    offset = 0
    for line_number, line in enumerate(handle, start=1):
        yield number, line_number, offset, line
        offset += len(line)


class SetSpill:
    """The shingle sets of every document (uint32 values), appended in reading order to
    one file and read back by (start, size): the index keeps 12 bytes per document
    instead of the set itself (about 4 bytes per word of text)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = path.open("wb")
        self._fd = -1
        self.size = 0  # values written so far

    def append(self, values: np.ndarray) -> int:
        """Write values; returns the start of the first one."""
        assert self._handle is not None, "the spill is closed for writing"
        self._handle.write(values.astype(np.uint32).tobytes())
        start, self.size = self.size, self.size + len(values)
        return start

    def finish(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            self._fd = os.open(self.path, os.O_RDONLY)

    def get(self, start: int, size: int) -> np.ndarray:
        return np.frombuffer(os.pread(self._fd, 4 * size, 4 * start), dtype=np.uint32)

    def gather(self, starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(the sets at starts/sizes, concatenated; offsets of each)."""
        parts = [self.get(a, b) for a, b in zip(starts.tolist(), sizes.tolist(), strict=True)]
        offsets = np.concatenate(([0], np.cumsum(sizes, dtype=np.int64)))
        return (np.concatenate(parts) if parts else np.zeros(0, np.uint32)), offsets

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
