"""The per-page stages over batches of input files, as tasks for an executor.

Workers get paths, never page bytes, and send back finished JSON lines and counts, so
little crosses the process boundary and the parent only appends bytes. The executor
(builder.executors) returns results in input order whatever the worker count, so
outputs are byte-identical with 1 or N workers, and bounds the batches in flight.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from ..digests import sha256_or_empty
from ..faults import internal_error
from ..model import Page, Record, Reject
from ..read.files import InputFile, read_file
from ..read.formats import WARC_SUFFIXES
from ..read.manifest import ManifestEntry
from ..write.jsonl import dumps_line
from .summary import result_key

MiB = 1024 * 1024


@dataclass(frozen=True)
class WorkSizes:
    """How a build cuts its work. No output byte depends on these: tests shrink them to
    reach every boundary, and a build could tune them to its machine."""

    # A shard is the unit of resume: 2,000 files or 256 MB of input, so an interrupted
    # build of a million pages loses seconds to minutes of work, and .parts holds a few
    # thousand files.
    shard_files: int = 2000
    shard_bytes: int = 256 * MiB
    # A batch (one task) closes at this many files or bytes: enough work (tens of
    # milliseconds) to make the cost of sending a task negligible, small enough to
    # spread over the workers.
    batch_files: int = 64
    batch_bytes: int = 8 * MiB
    # Pages go through the steps this many at a time: the language identifier's fixed
    # cost is paid once per group (normalize/langid_fast.py), and a WARC file of many
    # pages never holds more than a group's pages in memory, at most page_group_bytes of
    # them (plus the one that crosses it).
    page_group: int = 64
    page_group_bytes: int = 8 * MiB
    # A large WARC file (a crawler's are about 1 GB, tens of thousands of pages, hours of
    # one core) is cut into one task per worker, so that it does not keep one worker
    # busy while the others wait. Each part reads the whole file and processes every
    # `parts`-th chunk of pages; reading costs 4.5% of reading and processing the HTML
    # pages of a WARC file (the 10,000-page benchmark crawl's), so a small file, whose
    # whole work is a few seconds, stays one task. A chunk is a page group.
    chunk_pages: int = 64
    split_warc_bytes: int = 32 * MiB

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not isinstance(value, int) or value < (0 if name == "split_warc_bytes" else 1):
                raise ValueError(f"{name} must be a positive whole number, not {value!r}")


@dataclass(frozen=True)
class FileTask:
    """One input file and the only manifest entry it needs (not the whole manifest).

    A WARC file may be cut into `parts` tasks (split_warc): task `part` processes the
    chunks of `sizes.chunk_pages` pages whose number is `part` modulo `parts`.
    """

    item: InputFile
    entry: ManifestEntry | None
    size: int
    part: int = 0
    parts: int = 1


@dataclass
class FileOutput:
    """What one input file became: JSON lines, counts and the file's own hash."""

    raw_path: str
    sha256: str
    size: int
    manifest: tuple[str | None, str | None]  # the url and fetched_at it was given
    records: bytes = b""
    rejects: bytes = b""
    results: list[tuple[str, ...]] = field(default_factory=list)  # summary.result_key of each page
    parts: int = 1  # > 1: one part of a split WARC file (join_parts puts them together)
    # Of a part: each of its chunks' bytes of records, bytes of rejects and results.
    chunks: list[tuple[int, int, int]] = field(default_factory=list)


def is_large(task: FileTask, sizes: WorkSizes) -> bool:
    """WARC files hold many pages: each one is a task of its own."""
    return is_warc(task) or task.size >= sizes.batch_bytes


def split_warc(batch: list[FileTask], parts: int, sizes: WorkSizes) -> list[list[FileTask]]:
    """A batch that is one large WARC file as `parts` batches of one part each; others
    as they are."""
    if parts <= 1 or len(batch) != 1 or not is_warc(batch[0]):
        return [batch]
    if batch[0].size < sizes.split_warc_bytes:
        return [batch]
    return [[replace(batch[0], part=part, parts=parts)] for part in range(parts)]


def join_parts(outputs: list[FileOutput]) -> FileOutput:
    """The outputs of the parts of one file, in part order, as the output of the file."""
    records, rejects, results = bytearray(), bytearray(), []
    at = [(0, 0, 0)] * len(outputs)  # where each part's next chunk starts
    for chunk in itertools.count():
        part, index = chunk % len(outputs), chunk // len(outputs)
        out = outputs[part]
        if index >= len(out.chunks):
            break  # chunks are numbered without gaps: the first one missing is the end
        (r, j, n), (r0, j0, n0) = out.chunks[index], at[part]
        records += out.records[r0 : r0 + r]
        rejects += out.rejects[j0 : j0 + j]
        results += out.results[n0 : n0 + n]
        at[part] = (r0 + r, j0 + j, n0 + n)
    first = outputs[0]
    return FileOutput(first.raw_path, first.sha256, first.size, first.manifest,
                      bytes(records), bytes(rejects), results)


def is_warc(task: FileTask) -> bool:
    return task.item.raw_path.lower().endswith(WARC_SUFFIXES)


def batches(tasks: Iterable[FileTask], sizes: WorkSizes) -> Iterator[list[FileTask]]:
    """Consecutive tasks grouped into batches (order kept)."""
    batch: list[FileTask] = []
    size = 0
    for task in tasks:
        if is_large(task, sizes):
            if batch:
                yield batch
            yield [task]
            batch, size = [], 0
            continue
        batch.append(task)
        size += task.size
        if len(batch) >= sizes.batch_files or size >= sizes.batch_bytes:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def file_size(path: str) -> int:
    """Size in bytes; -1 for a file that vanished or cannot be read since it was listed."""
    try:
        return os.stat(path).st_size
    except OSError:
        return -1


@dataclass
class _Building:
    """A FileOutput being filled, with its lines gathered in growable buffers."""

    out: FileOutput
    records: bytearray = field(default_factory=bytearray)
    rejects: bytearray = field(default_factory=bytearray)
    chunk: int = -1  # of a part: the chunk being filled
    chunk_start: tuple[int, int, int] = (0, 0, 0)

    def close_chunk(self) -> None:
        """Of a part: note the sizes of the chunk filled so far."""
        if self.chunk >= 0:
            now = (len(self.records), len(self.rejects), len(self.out.results))
            self.out.chunks.append(
                (now[0] - self.chunk_start[0], now[1] - self.chunk_start[1],
                 now[2] - self.chunk_start[2]))
            self.chunk_start = now

    def add(self, result: Record | Reject, chunk: int) -> None:
        if self.out.parts > 1 and chunk != self.chunk:
            self.close_chunk()
            self.chunk = chunk
        if isinstance(result, Reject):
            self.rejects += dumps_line(result.to_json())
        else:
            self.records += dumps_line(result)
        self.out.results.append(result_key(result))


def _flush(group: list[tuple[_Building, Page | Reject, int]], process_pages: Callable) -> None:
    """The pages of a group through the stages, their results added to their files in order."""
    results = iter(process_pages([item for _, item, _ in group if not isinstance(item, Reject)]))
    for building, item, chunk in group:
        building.add(item if isinstance(item, Reject) else next(results), chunk)
    group.clear()


def read_pages(
    item: InputFile, manifest: dict[str, ManifestEntry], max_bytes: int
) -> Iterator[Page | Reject]:
    """`read_file`'s pages; an unexpected exception while reading ends the file with an
    `internal_error` reject for it (the pages read before it are kept)."""
    pages = read_file(item, manifest, max_bytes)
    while True:
        try:
            page = next(pages)
        except StopIteration:
            return
        except Exception as error:  # noqa: BLE001 (a bug costs its file, not the build)
            yield internal_error("read", error, item.raw_path)
            return
        yield page


def process_files(
    tasks: list[FileTask], max_bytes: int, process_pages: Callable,
    sizes: WorkSizes = WorkSizes(),
) -> list[FileOutput]:
    """All pages of the files through the stages, serialized per file; runs in a worker.

    `process_pages` maps a list of pages to their records or rejects, in order.
    """
    built: list[_Building] = []
    group: list[tuple[_Building, Page | Reject, int]] = []
    group_bytes = 0
    for task in tasks:
        given = (task.entry.url, task.entry.fetched_at) if task.entry else (None, None)
        out = FileOutput(task.item.raw_path, "", task.size, given, parts=task.parts)
        building = _Building(out)
        built.append(building)
        manifest = {task.item.raw_path: task.entry} if task.entry else {}
        sha = None
        for number, page in enumerate(read_pages(task.item, manifest, max_bytes)):
            chunk = number // sizes.chunk_pages
            if chunk % task.parts != task.part:
                continue  # another part's page
            if not isinstance(page, Reject):
                sha = sha or page.raw_sha256  # the stored file's hash: no second read for it
                group_bytes += len(page.data)
            group.append((building, page, chunk))
            if len(group) >= sizes.page_group or group_bytes >= sizes.page_group_bytes:
                _flush(group, process_pages)
                group_bytes = 0
        # A file that gave no page (a reject, a WARC of rejects) is hashed here.
        building.out.sha256 = sha if sha is not None else sha256_or_empty(task.item.path)
    _flush(group, process_pages)
    for building in built:
        building.close_chunk()
        building.out.records = bytes(building.records)
        building.out.rejects = bytes(building.rejects)
    return [building.out for building in built]
