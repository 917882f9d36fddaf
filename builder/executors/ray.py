"""The executor interface on Ray: the same tasks as Ray tasks, results in task order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..distributed import ray_backend


class RayExecutor:
    """Connects on creation (a cluster at `address`, else a local Ray of `workers` CPUs)."""

    def __init__(self, address: str | None, workers: int) -> None:
        ray_backend.connect(address, workers)

    def map(self, function: Callable[[Any], Any], tasks: Iterable[Any],
            describe: Callable[[Any], str] = repr) -> Iterator[Any]:
        return ray_backend.ordered_map(function, tasks)

    def close(self) -> None:
        """Ray keeps its workers for the session; nothing to free per build."""
