"""Where dedup's parallel steps run: the build's executors (builder.executors).

Dedup hands two kinds of work to its executor: index batches (index.index_batch, one
per DedupSizes.batch_docs records) and the pairs of LSH buckets (lsh.bucket_pairs,
buckets of one band, at most 2 * lsh.MAX_TASK_PAIRS pairs per task). Results come back
in task order, so the output never depends on where or in how many processes they ran.
A worker that dies is replaced and its task retried once, then the run stops with an
error (never a hang).
`builder.executors.ray.RayExecutor` runs the same tasks on Ray.
"""

from __future__ import annotations

from ..executors import Executor, ProcessExecutor
from ..executors.local import Feed as OrderedFeed

__all__ = ["IN_FLIGHT_PER_WORKER", "Executor", "LocalExecutor", "OrderedFeed"]

# Tasks submitted ahead per worker: enough to keep workers busy while results are
# consumed, few enough that the lines and results in flight stay bounded.
IN_FLIGHT_PER_WORKER = 4


class LocalExecutor(ProcessExecutor):
    """dedup's worker processes: in this process for one worker (unless `separate`)."""

    def __init__(self, workers: int = 1, nice: int = 0, separate: bool = False) -> None:
        # spawn, never fork: rensa computes on a Rust (rayon) thread pool, and a child
        # forked from a process that already used it inherits its locks but not its
        # threads and hangs forever on the first signature.
        super().__init__(max(workers, 1), nice=nice, start_method="spawn", separate=separate)
