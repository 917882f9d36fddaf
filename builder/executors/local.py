"""Worker processes that run tasks in order and survive the faults of a long build.

`ProcessExecutor.map(function, tasks)` yields `function(task)` for every task, in task
order, computed on `workers` processes (in this process for one worker). Unlike
`multiprocessing.Pool`, whose caller waits forever for a task whose worker was killed
(the kernel's OOM killer sends SIGKILL), every worker here is watched:

- a worker that dies fails its task; the task is retried once on a fresh worker, and a
  second death stops the map with a `WorkerDied` error naming the task (`describe`);
- workers die with their parent: on Linux the kernel kills them when it exits
  (PR_SET_PDEATHSIG), and everywhere an idle worker exits when its pipe closes;
- Ctrl-C reaches the parent only: workers ignore SIGINT, so one line is printed, not a
  traceback per worker.

A task's exception is re-raised in the parent as `TaskFailed` with the task's name and
the worker's traceback text.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from ..errors import BuilderError

# Tasks handed out ahead per worker: enough to keep each busy while the parent writes
# results, few enough that results waiting to be written stay bounded.
IN_FLIGHT_PER_WORKER = 4
# How often a task may be started: once, and once more on a fresh worker if its worker
# died (a worker killed for another process's memory use deserves a second chance; a
# task that kills its worker twice is the task's fault).
ATTEMPTS = 2
_PR_SET_PDEATHSIG = 1


class WorkerDied(BuilderError):
    """A worker process died twice running the same task."""


class TaskFailed(BuilderError):
    """A task raised an exception in its worker."""


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent exits (no orphans after kill -9)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return


def _serve(conn: Connection, parent: int, nice: int) -> None:
    """A worker's loop: receive (index, function, task), send back (index, ok, value)."""
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if nice and hasattr(os, "nice"):
        os.nice(nice)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent closed the pipe or died
            break
        if message is None:
            break
        index, function, task = message
        try:
            reply = (index, True, function(task))
        except BaseException as error:  # noqa: BLE001 (reported to the parent)
            text = "".join(traceback.format_exception(error)).strip()
            reply = (index, False, f"{type(error).__name__}: {error}\n{text}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            break
    conn.close()


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    task: int | None = None  # the index of the task it is running


class ProcessExecutor:
    """`map` and `feed` on worker processes (started on first use, stopped by `close`)."""

    def __init__(self, workers: int = 1, nice: int = 0, start_method: str | None = None,
                 separate: bool = False) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.workers = workers
        self.nice = nice  # added to the workers' niceness: >0 lets other processes go first
        # fork shares what the parent loaded (the language model's arrays) with the
        # workers; spawn is for work on libraries that cannot be forked once used (rensa's
        # thread pool) and for macOS, where fork is unsafe.
        default = "spawn" if sys.platform == "darwin" else "fork"
        self.context = multiprocessing.get_context(start_method or default)
        # Worker processes even for one worker (`separate`): the work then runs beside
        # this process's own.
        self.pooled = workers > 1 or separate
        self._workers: list[_Worker] = []

    def __enter__(self) -> ProcessExecutor:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self.close(kill=kind is not None)

    def map(self, function: Callable[[Any], Any], tasks: Iterable[Any],
            describe: Callable[[Any], str] = repr) -> Iterator[Any]:
        """function(task) for every task, in task order, with at most
        IN_FLIGHT_PER_WORKER tasks per worker handed out ahead; `describe(task)` names a
        task in errors (the files of a batch)."""
        if not self.pooled:
            return map(function, tasks)
        return self._mapped(self.feed(function, self.workers * IN_FLIGHT_PER_WORKER, describe),
                            tasks)

    @staticmethod
    def _mapped(feed: Feed, tasks: Iterable[Any]) -> Iterator[Any]:
        for task in tasks:
            yield from feed.push(task)
        yield from feed.drain()

    def feed(self, function: Callable[[Any], Any], limit: int,
             describe: Callable[[Any], str] = repr) -> Feed:
        """`function` over tasks pushed one at a time (see Feed)."""
        return Feed(self, function, limit, describe)

    def _start(self) -> _Worker:
        parent_end, child_end = self.context.Pipe(duplex=True)
        process = self.context.Process(target=_serve, args=(child_end, os.getpid(), self.nice),
                                       daemon=True)
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self._workers.append(worker)
        return worker

    def close(self, kill: bool = False) -> None:
        """Stop the workers: idle ones exit, busy ones (or all, with `kill`) are killed.
        A later task starts new ones; closing twice is harmless."""
        for worker in self._workers:
            try:
                if kill or worker.task is not None:
                    worker.process.kill()
                else:
                    worker.conn.send(None)
            except (OSError, ValueError):
                pass
        for worker in self._workers:
            worker.process.join(5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self._workers = []


class Feed:
    """`function` over tasks pushed one at a time, results in push order.

    For a caller with its own work between tasks (a build feeds dedup's first pass with
    its records as it writes them): `push` returns the results that are ready without
    waiting, unless more than `limit` tasks are in flight; `drain` waits for the rest.
    Without worker processes (one worker, not `separate`) a task runs when pushed.
    """

    def __init__(self, executor: ProcessExecutor, function: Callable[[Any], Any], limit: int,
                 describe: Callable[[Any], str] = repr) -> None:
        self.executor, self.function, self.limit = executor, function, max(limit, 1)
        self.describe = describe
        self.tasks: dict[int, Any] = {}  # pushed, result not yet returned
        self.queue: list[int] = []  # waiting for a worker
        self.results: dict[int, Any] = {}
        self.attempts: dict[int, int] = {}
        self.pushed = self.returned = 0

    def push(self, task: Any) -> list[Any]:
        if not self.executor.pooled:
            return [self.function(task)]
        self.tasks[self.pushed] = task
        self.queue.append(self.pushed)
        self.pushed += 1
        return self._guarded(lambda: self._ready(wait=len(self.tasks) > self.limit))

    def drain(self) -> list[Any]:
        found: list[Any] = []
        while self.tasks:
            found += self._guarded(lambda: self._ready(wait=True))
        return found

    def _guarded(self, step: Callable[[], list[Any]]) -> list[Any]:
        try:
            return step()
        except BaseException:
            self.executor.close(kill=True)  # a failed feed leaves no worker busy
            raise

    def _ready(self, wait: bool) -> list[Any]:
        """The finished results at the head, in order; with `wait`, at least one."""
        found: list[Any] = []
        self._dispatch()
        self._collect(timeout=0)
        while True:
            if self.returned in self.results:
                self.tasks.pop(self.returned)
                found.append(self.results.pop(self.returned))
                self.returned += 1
                continue
            if found or not wait or not self.tasks:
                return found
            self._dispatch()
            self._collect(timeout=None)

    def _dispatch(self) -> None:
        """Hand queued tasks to idle workers, starting workers as needed."""
        executor = self.executor
        while self.queue:
            worker = next((w for w in executor._workers if w.task is None), None)
            if worker is None:
                if len(executor._workers) >= executor.workers:
                    return
                worker = executor._start()
            index = self.queue.pop(0)
            self.attempts[index] = self.attempts.get(index, 0) + 1
            worker.task = index
            try:
                worker.conn.send((index, self.function, self.tasks[index]))
            except (OSError, ValueError):  # it died since its last task
                self._lost(worker)

    def _collect(self, timeout: float | None) -> None:
        """Take the results that came (waiting up to `timeout`); a dead worker's task is
        queued again, or fails the feed on its second death."""
        busy = [w for w in self.executor._workers if w.task is not None]
        if not busy:
            return
        waitables: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        ready = multiprocessing.connection.wait(waitables, timeout)
        for worker in busy:
            if worker.conn in ready:
                try:
                    index, ok, value = worker.conn.recv()
                except (EOFError, OSError):
                    self._lost(worker)
                    continue
                worker.task = None
                if not ok:
                    raise TaskFailed(f"{self.describe(self.tasks[index])}: {value}")
                self.results[index] = value
            elif worker.process.sentinel in ready:
                self._lost(worker)

    def _lost(self, worker: _Worker) -> None:
        index = worker.task
        self.executor._workers.remove(worker)
        worker.process.join(1)
        code = worker.process.exitcode
        worker.conn.close()
        if index is None:
            return
        if self.attempts[index] >= ATTEMPTS:
            how = (f"killed by signal {-code}" if code is not None and code < 0
                   else f"exit code {code}")
            raise WorkerDied(
                f"a worker process died twice ({how}) running "
                f"{self.describe(self.tasks[index])}; its output is not written: run the same "
                "command with --resume to go on")
        self.queue.insert(0, index)
