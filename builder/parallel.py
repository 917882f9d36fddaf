"""Running the per-page stages on all cores: batches of input files, an ordered bounded map.

Workers get paths, never page bytes, and send back finished JSON lines and counts, so
little crosses the process boundary and the parent only appends bytes. Results come
back in input order whatever the worker count, so outputs are byte-identical with 1
or N workers. At most `IN_FLIGHT_PER_WORKER` batches per worker are pending, so memory
does not grow with the corpus when the writer is slower than the workers.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from .model import Reject
from .read.files import WARC_SUFFIXES, InputFile, read_file
from .read.manifest import ManifestEntry
from .write.jsonl import dumps_line

# A batch closes at this many files or bytes: enough work (tens of milliseconds) to
# make the cost of sending a task negligible, small enough to spread over the workers.
BATCH_FILES = 64
BATCH_BYTES = 8 * 1024 * 1024
IN_FLIGHT_PER_WORKER = 4

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class FileTask:
    """One input file and the only manifest entry it needs (not the whole manifest)."""

    item: InputFile
    entry: ManifestEntry | None
    size: int


@dataclass
class FileOutput:
    """What one input file became: JSON lines, counts and the file's own hash."""

    raw_path: str
    sha256: str
    size: int
    manifest: tuple[str | None, str | None]  # the url and fetched_at it was given
    records: bytes = b""
    rejects: bytes = b""
    results: list[tuple[str, ...]] = field(default_factory=list)  # see pipeline.Summary.add_key


def is_large(task: FileTask) -> bool:
    """WARC files hold many pages: each one is a task of its own."""
    return task.item.raw_path.lower().endswith(WARC_SUFFIXES) or task.size >= BATCH_BYTES


def batches(tasks: Iterable[FileTask]) -> Iterator[list[FileTask]]:
    """Consecutive tasks grouped into batches (order kept)."""
    batch: list[FileTask] = []
    size = 0
    for task in tasks:
        if is_large(task):
            if batch:
                yield batch
            yield [task]
            batch, size = [], 0
            continue
        batch.append(task)
        size += task.size
        if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def sha256_file(path: str) -> str:
    """SHA-256 of a file's bytes; "" when it cannot be read (read_file rejects it, saying why)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def file_size(path: str) -> int:
    """Size in bytes; -1 for a file that vanished or cannot be read since it was listed."""
    try:
        return os.stat(path).st_size
    except OSError:
        return -1


def process_task(task: FileTask, max_bytes: int, process_page: Callable) -> FileOutput:
    """All pages of one file through the stages, serialized; runs in a worker."""
    manifest = {task.item.raw_path: task.entry} if task.entry else {}
    records, rejects = bytearray(), bytearray()
    given = (task.entry.url, task.entry.fetched_at) if task.entry else (None, None)
    out = FileOutput(task.item.raw_path, "", task.size, given)
    sha = None
    for page in read_file(task.item, manifest, max_bytes):
        if not isinstance(page, Reject):
            sha = sha or page.raw_sha256  # the stored file's hash: no second read for it
        result = page if isinstance(page, Reject) else process_page(page)
        if isinstance(result, Reject):
            rejects += dumps_line(result.to_json())
            out.results.append(("reject", result.reason))
        else:
            records += dumps_line(result)
            source_format = result["provenance"]["source_format"]
            out.results.append(("record", source_format, result["publication"], result["language"]))
    out.records, out.rejects = bytes(records), bytes(rejects)
    # A file that gave no page (a reject, a WARC of rejects) is hashed here.
    out.sha256 = sha if sha is not None else sha256_file(str(task.item.path))
    return out


def _context() -> multiprocessing.context.BaseContext:
    # fork shares the loaded models with the workers; macOS cannot fork safely.
    return multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")


def ordered_map(function: Callable[[T], R], tasks: Iterable[T], workers: int) -> Iterator[R]:
    """`map(function, tasks)` on `workers` processes: same order, bounded look-ahead."""
    if workers <= 1:
        yield from map(function, tasks)
        return
    with _context().Pool(workers) as pool:
        pending: deque = deque()
        for task in tasks:
            pending.append(pool.apply_async(function, (task,)))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
