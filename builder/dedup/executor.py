"""Where dedup's parallel steps run: an ordered map, local processes or a cluster.

Dedup hands two kinds of work to its executor: index batches (index.index_batch, one
per BATCH_DOCS records) and the pairs of LSH buckets (lsh.bucket_pairs, buckets of one
band, at most 2 * lsh.MAX_TASK_PAIRS pairs per task). Results come back in task order, so the
output never depends on where or in how many processes they ran.
`builder.distributed.neardup.RayExecutor` runs the same tasks on Ray.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any, Protocol

from ..errors import BuilderError

# Tasks submitted ahead per worker: enough to keep workers busy while results are
# consumed, few enough that the lines and results in flight stay bounded.
IN_FLIGHT_PER_WORKER = 4


class Executor(Protocol):
    def map(self, function: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        """function(task) for every task, yielded in task order."""
        ...


class LocalExecutor:
    """In this process (workers <= 1, unless `separate`), or in a pool of `workers`
    processes, started on first use and shut down on exit.

    concurrent.futures, not multiprocessing.Pool: a worker that dies (killed, out of
    memory, an import that fails) breaks the pool with an error instead of leaving the
    caller waiting forever for the lost task.
    """

    def __init__(self, workers: int = 1, nice: int = 0, separate: bool = False) -> None:
        self.workers = max(workers, 1)
        self.nice = nice  # added to the workers' niceness: >0 lets other processes go first
        # Worker processes even for one worker: the work runs beside this process's own.
        self.pooled = workers > 1 or separate
        self._pool: ProcessPoolExecutor | None = None

    def map(self, function: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        if not self.pooled:
            return map(function, tasks)
        return self._ordered(self._started(), function, tasks)

    def submit(self, function: Callable[[Any], Any], task: Any) -> Future[Any]:
        """function(task) as a future: queued to the pool, or run now in this process."""
        if self.pooled:
            try:
                return self._started().submit(function, task)
            except BrokenProcessPool as exc:
                raise _died(exc) from None
        done: Future[Any] = Future()
        done.set_result(function(task))
        return done

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            renice = None
            if self.nice and hasattr(os, "nice"):  # no os.nice on Windows
                renice = functools.partial(os.nice, self.nice)
            # spawn, never fork: rensa computes on a Rust (rayon) thread pool, and a child
            # forked from a process that already used it inherits its locks but not its
            # threads and hangs forever on the first signature.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=renice)
        return self._pool

    def _ordered(
        self, pool: ProcessPoolExecutor, function: Callable[[Any], Any], tasks: Iterable[Any]
    ) -> Iterator[Any]:
        """Results in task order, with at most IN_FLIGHT_PER_WORKER tasks per worker
        submitted ahead (Executor.map would read every task up front)."""
        pending: deque[Future[Any]] = deque()
        try:
            for task in tasks:
                pending.append(pool.submit(function, task))
                if len(pending) >= self.workers * IN_FLIGHT_PER_WORKER:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BrokenProcessPool as exc:
            raise _died(exc) from None
        finally:
            for future in pending:
                future.cancel()

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(cancel=error is not None)

    def close(self, cancel: bool = False) -> None:
        """Stop the workers (after their queued tasks, unless `cancel`); a later task
        starts a new pool. Closing twice is harmless."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None


def _died(exc: BrokenProcessPool) -> BuilderError:
    return BuilderError(f"a dedup worker process died ({exc}); see the messages above")


class OrderedFeed:
    """`function` over tasks pushed one at a time, results in push order.

    For a caller with its own work between tasks (a build feeds dedup's first pass with
    its records as it writes them): `push` returns the results that are ready without
    waiting, unless more than `limit` tasks are in flight; `drain` waits for the rest.
    """

    def __init__(self, executor: LocalExecutor, function: Callable[[Any], Any], limit: int):
        self.executor, self.function, self.limit = executor, function, limit
        self._pending: deque[Future[Any]] = deque()

    def push(self, task: Any) -> list[Any]:
        self._pending.append(self.executor.submit(self.function, task))
        return self._ready(wait=len(self._pending) > self.limit)

    def drain(self) -> list[Any]:
        results = []
        while self._pending:
            results.extend(self._ready(wait=True))
        return results

    def _ready(self, wait: bool) -> list[Any]:
        """The finished results at the head, in order; with `wait`, at least one."""
        results = []
        while self._pending and (wait or self._pending[0].done()):
            try:
                results.append(self._pending.popleft().result())
            except BrokenProcessPool as exc:
                raise _died(exc) from None
            wait = False
        return results
