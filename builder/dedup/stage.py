"""The dedup step of `builder build`: the parse stage's records.jsonl, deduplicated in place.

With worker processes the step starts with the parse stage (StreamedDedup): dedup's
first pass, the index (index.py), runs on its own workers over records.jsonl's lines as
the build writes them, so it fills the cores the parse stage leaves idle instead of
following it; the other steps run once records.jsonl is complete. Both ways write the
same bytes (tests/test_dedup_stage.py, tests/test_workers.py).
"""

from __future__ import annotations

import shutil
import tempfile
from collections import deque
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Any

from ..errors import BuilderError
from .core import WORK_PREFIX, Source, _Run, after_index, dedup_files
from .executor import IN_FLIGHT_PER_WORKER, Executor, LocalExecutor, OrderedFeed
from .index import BadRecord, BatchIndex, BatchTask, IndexBuilder, checked, index_batch
from .params import DedupParams, DedupSizes
from .spool import Spool

# The dedup report of a build and of `builder dedup`: one row per merged record.
REPORT_FILE = "dedup_report.jsonl"

# Niceness added to the dedup workers of a StreamedDedup: the parse workers and the
# process writing the shards go first, dedup takes the time they leave (the start, the
# last batches, the moments the writer is the bottleneck). Only relative to this
# build's own processes when the kernel groups processes by session (autogroup).
FEED_NICE = 5
# Parse workers per dedup worker beside them: indexing a record costs at most about two
# thirds of parsing it (aggregator dumps: 150 against 230 microseconds; an HTML page
# costs far more to parse), so one dedup worker per two parse workers keeps up, and
# each one spared is about 100 MB and a third of a second of CPU to start.
PARSE_WORKERS_PER_FEED_WORKER = 2


def _remove_stale_work(out: Path) -> None:
    for stale in out.glob(f"{WORK_PREFIX}*"):  # left by a killed run: the folder is this build's
        shutil.rmtree(stale, ignore_errors=True)


def dedup_build_output(
    records_path: Path,
    out: Path,
    workers: int,
    progress: bool,
    against: Path | None = None,
    params: DedupParams | None = None,
    executor: Executor | None = None,
    sizes: DedupSizes | None = None,
) -> dict[str, Any]:
    """Replace records_path by its survivors and write out/dedup_report.jsonl (both
    atomically, streaming: memory holds the dedup index, not the records); returns the
    stats for the build summary's "dedup" section."""
    _remove_stale_work(out)
    sources = [Source(records_path)]
    if against:
        sources.insert(0, Source(against, previous=True))
    return dedup_files(sources, records_path, out / REPORT_FILE, params or DedupParams(),
                       workers=workers, progress=progress, executor=executor,
                       sizes=sizes or DedupSizes())


class StreamedDedup:
    """dedup_build_output for a build with workers, its first pass fed while records.jsonl
    is being written (as shards, joined at the end).

    `add` takes the record lines in their order in the final records.jsonl (whole lines),
    `add_file` those of a file (a resumed shard); `finish` runs the other steps once
    records.jsonl exists. Use it as a context manager: leaving it stops the workers and
    removes the work folder.
    """

    def __init__(self, records_path: Path, out: Path, workers: int, progress: bool,
                 params: DedupParams | None = None, sizes: DedupSizes | None = None) -> None:
        self.records_path, self.out = records_path, out
        self.workers, self.progress = workers, progress
        self.params = params or DedupParams()
        self.sizes = sizes or DedupSizes()
        self._stack = ExitStack()
        self._lines = 0  # lines of records.jsonl fed so far (blank ones included)
        self._offset = 0  # their bytes
        self._partial = b""  # the start of a line whose end has not been fed yet
        self._task, self._where = self._new_task()
        self._pending: deque[list[tuple[int, int, int]]] = deque()  # locations in flight
        self._held: list[BatchTask] = []  # tasks not sent yet (under feed_min_bytes so far)

    def __enter__(self) -> StreamedDedup:
        _remove_stale_work(self.out)
        work = self._stack.enter_context(
            tempfile.TemporaryDirectory(prefix=WORK_PREFIX, dir=self.out))
        feeders = max(1, self.workers // PARSE_WORKERS_PER_FEED_WORKER)
        executor = self._stack.enter_context(
            LocalExecutor(feeders, nice=FEED_NICE, separate=True))
        self._executor = executor
        self.spool = Spool(Path(work))
        self._stack.callback(self.spool.close)
        self.run = _Run(self.spool, executor, self.params, self.progress, self.sizes)
        self._stack.callback(self.run.spill.close)
        self.builder = IndexBuilder(self.params, self.run.spill)
        self.feed = OrderedFeed(executor, index_batch, self.workers * IN_FLIGHT_PER_WORKER)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stack.__exit__(kind, error, tb)

    def _new_task(self) -> tuple[BatchTask, list[tuple[int, int, int]]]:
        return BatchTask(str(self.records_path), ":", [], [], self.params), []

    def add(self, data: bytes) -> None:
        """Lines of records.jsonl, in order (a line may be split across calls)."""
        lines = (self._partial + data).split(b"\n")
        self._partial = lines.pop()
        for line in lines:
            self._line(line + b"\n")

    def add_file(self, path: Path) -> None:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                self.add(block)

    def _line(self, line: bytes) -> None:
        self._lines += 1
        if line.strip():  # as index.batches: blank lines are counted, never indexed
            self._task.line_numbers.append(self._lines)
            self._task.lines.append(line)
            self._where.append((0, self._offset, len(line)))  # spool file 0: records.jsonl
        self._offset += len(line)
        if len(self._task.lines) == self.sizes.batch_docs:
            self._push()

    def _push(self) -> None:
        if self._task.lines:
            self._pending.append(self._where)
            self._held.append(self._task)
            self._task, self._where = self._new_task()
        if self._offset >= self.sizes.feed_min_bytes:
            for task in self._held:
                self._take(self.feed.push(task))
            self._held.clear()

    def _take(self, results: list[BatchIndex | BadRecord]) -> None:
        for result in results:
            where = self._pending.popleft()
            self.builder.add(checked(result), False, where)

    def finish(self) -> dict[str, Any]:
        """The other steps, once records.jsonl holds every line fed: survivors replace it,
        the report goes beside it; returns the stats."""
        if self._partial:
            self._line(self._partial)  # a last line without its newline, as a file reader sees it
            self._partial = b""
        self._push()
        self._take([index_batch(task) for task in self._held])  # a small build: here
        self._take(self.feed.drain())
        index_built = self.builder.finish()
        self._executor.close()  # the first pass is done: free its workers
        # The LSH tasks of a small input cost more to send to workers than to run here;
        # a large one's go to a pool of every core.
        workers = self.workers if self._offset >= self.sizes.pool_min_bytes else 1
        self.run.executor = self._stack.enter_context(LocalExecutor(workers))
        # records.jsonl is spool file 0 of the locations above; it must be what was fed.
        number, read = self.spool.register(self.records_path)
        if number != 0 or read != self._lines or self.records_path.stat().st_size != self._offset:
            raise BuilderError(f"{self.records_path}: {read} lines, not the {self._lines} "
                               "the dedup stage indexed while the build wrote them")
        return after_index(self.run, index_built, self.records_path, self.out / REPORT_FILE)
