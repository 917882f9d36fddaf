"""Where tasks run: one interface, `map(function, tasks, describe)` in task order.

`ProcessExecutor` (local.py) runs tasks on this machine's worker processes and turns a
dead worker into a retried task or a clear error, never a hang; `RayExecutor` (ray.py)
runs the same tasks on a Ray cluster. The stages never know which one they run on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from .local import ProcessExecutor, TaskFailed, WorkerDied

__all__ = ["Executor", "ProcessExecutor", "TaskFailed", "WorkerDied", "executor_for"]


class Executor(Protocol):
    def map(self, function: Callable[[Any], Any], tasks: Iterable[Any],
            describe: Callable[[Any], str] = repr) -> Iterator[Any]:
        """function(task) for every task, yielded in task order."""
        ...

    def close(self) -> None:
        """Free the workers."""
        ...


def executor_for(backend: str, workers: int, address: str | None = None) -> Executor:
    """The executor a build runs on: "local" processes or a "ray" cluster."""
    if backend == "ray":
        from .ray import RayExecutor

        return RayExecutor(address, workers)
    return ProcessExecutor(workers)
