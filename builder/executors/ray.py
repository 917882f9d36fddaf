"""The executor interface on Ray: the same tasks as Ray tasks, results in task order.

A build on Ray (`builder build --backend ray [--address HOST:PORT]`) plans the same
shards and batches as a local build and writes the results in the same order, so
records, rejects and summary are byte-identical to a local run (and a Ray build can be
resumed like a local one); dedup's index batches and LSH band tasks run on the same
executor. Tasks get file paths, not bytes: on a real cluster the inputs and the output
folder must be on a file system every node mounts at the same path (docs/scale.md).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from ..errors import BuilderError, ConfigError
from ..extras import missing_extra

T = TypeVar("T")
R = TypeVar("R")
# Tasks queued per CPU of the cluster: enough to keep every CPU busy while the driver
# writes, few enough that results waiting to be written stay bounded.
IN_FLIGHT_PER_CPU = 4


def _ray() -> Any:
    try:
        import ray
    except ModuleNotFoundError as error:
        raise ConfigError(missing_extra(error, "the ray backend") or str(error)) from None
    return ray


def connect(address: str | None, workers: int) -> None:
    """Join the cluster at `address`, or start a local one with `workers` CPUs.

    A Ray session that this process already opened (ray.init) is used as it is.
    """
    ray = _ray()
    if ray.is_initialized():
        return
    try:
        quiet = {"logging_level": logging.WARNING, "log_to_driver": False}
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(num_cpus=max(workers, 1), include_dashboard=False, **quiet)
    except (ConnectionError, ValueError, RuntimeError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise BuilderError(f"cannot connect to {where}: {exc}") from None


def cluster_cpus() -> int:
    return max(int(_ray().cluster_resources().get("CPU", 1)), 1)


def ordered_map(function: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
    """`map(function, tasks)` as Ray tasks: results in task order, bounded look-ahead."""
    ray = _ray()
    remote = ray.remote(function)
    window = cluster_cpus() * IN_FLIGHT_PER_CPU
    pending: deque = deque()
    for task in tasks:
        pending.append(remote.remote(task))
        if len(pending) >= window:
            yield ray.get(pending.popleft())
    while pending:
        yield ray.get(pending.popleft())


class RayExecutor:
    """Connects on creation (a cluster at `address`, else a local Ray of `workers` CPUs;
    a session this process already opened is used as it is)."""

    def __init__(self, address: str | None = None, workers: int = 1) -> None:
        connect(address, workers)

    def map(self, function: Callable[[Any], Any], tasks: Iterable[Any],
            describe: Callable[[Any], str] = repr) -> Iterator[Any]:
        return ordered_map(function, tasks)

    def close(self) -> None:
        """Ray keeps its workers for the session; nothing to free per build."""
