"""The dedup stage on Ray: dedup's own steps, with its parallel work as Ray tasks.

`builder.dedup` hands its parallel work to an executor (builder/dedup/executor.py); this
one runs it on Ray:

1. the index: each batch of record lines becomes a Ray task running dedup's own batch
   function (parse, check, text key, shingles, MinHash, band keys, sketch);
2. the LSH group-by: one task per band groups that band's keys and lists the pairs in
   each bucket, with dedup's own bucket function; the driver filters each band's pairs
   by the sketch estimate as they arrive, so candidates never pile up.

Verification (exact Jaccard on the few likely pairs), connected components (dedup's
union-find over the verified edges, strongest first, so that two released ids are never
merged: an ordered rule that label propagation across a cluster cannot keep), survivor
choice and writing run on the driver. Results come back in task order, so the output is
the same bytes as a local run (tests/test_distributed.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..dedup import core
from ..dedup.params import DedupParams, DedupSizes
from ..model import Record
from .ray_backend import ordered_map


class RayExecutor:
    """dedup's Executor on the Ray cluster this process is connected to."""

    def map(self, function: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        return ordered_map(function, tasks)


def deduplicate(
    records: Iterable[Record],
    previous: Iterable[Record] = (),
    params: DedupParams = core.DEFAULT_PARAMS,
    progress: bool = False,
    sizes: DedupSizes = core.DEFAULT_SIZES,
) -> core.DedupResult:
    """`builder.dedup.deduplicate` with its parallel steps on Ray."""
    return core.deduplicate(records, previous, params, progress=progress, executor=RayExecutor(),
                            sizes=sizes)
