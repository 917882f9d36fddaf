"""Where dedup's parallel steps run: an ordered map, local processes or a cluster.

Dedup hands two kinds of work to its executor: index batches (index.index_batch, one
per BATCH_DOCS records) and the pairs of LSH buckets (lsh.bucket_pairs, buckets of one
band, at most 2 * lsh.MAX_TASK_PAIRS pairs per task). Results come back in task order, so the
output never depends on where or in how many processes they ran.
`builder.distributed.neardup.RayExecutor` runs the same tasks on Ray.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import Pool
from types import TracebackType
from typing import Any, Protocol


class Executor(Protocol):
    def map(self, function: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        """function(task) for every task, yielded in task order."""
        ...


class LocalExecutor:
    """In this process (workers <= 1), or in a pool of `workers` processes, started on
    first use and closed on exit."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = workers
        self._pool: Pool | None = None

    def map(self, function: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        if self.workers <= 1:
            return map(function, tasks)
        if self._pool is None:
            # spawn, never fork: rensa computes on a Rust (rayon) thread pool, and a child
            # forked from a process that already used it inherits its locks but not its
            # threads and hangs forever on the first signature.
            self._pool = multiprocessing.get_context("spawn").Pool(self.workers)
        return self._pool.imap(function, tasks)

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.terminate() if error else self._pool.close()
            self._pool.join()
            self._pool = None
