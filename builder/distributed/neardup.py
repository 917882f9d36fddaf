"""The dedup stage on Ray: dedup's own code, with its two heavy steps spread over the cluster.

`deduplicate` runs `builder.dedup.deduplicate` itself (same loading order, key groups,
verification, union-find, survivor choice, report and stats, so the same result; the
test compares them) with two of its steps executed on Ray:

1. features: the fixed batches of the canonical order go to Ray tasks that run dedup's
   own batch function (normalized-text key, shingles, MinHash), and come back in order;
2. candidate pairs: a distributed group-by on LSH band keys. Map tasks turn the MinHash
   signatures of a slice of documents into (band, key, document) rows, with dedup's own
   band hashing, and split them into partitions by key; each reduce task gathers one
   partition from every map task and lists the pairs inside its buckets with dedup's
   own bucket function. Memory per task is one partition, not the corpus.

Verification (a vectorized MinHash estimate, then exact Jaccard on the few candidates
left) and the connected components (dedup's union-find over the verified edges,
strongest first, so that two released ids are never merged: an ordered rule that label
propagation across a cluster cannot keep) run on the driver; the edges are about one
per removed duplicate.

The two steps are swapped in for the duration of one call by rebinding the two names
`builder.dedup.core` calls them by (`_map_batches`, `candidate_pairs`): dedup has no
executor parameter, and a copy of its sequence here would drift from it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from ..dedup import core, lsh
from ..dedup.features import BatchFeatures, band_keys
from ..dedup.params import DedupParams
from ..model import Record
from .ray_backend import _ray, cluster_cpus

# Documents per map task of the band shuffle, and partitions per CPU of the cluster:
# each task does tens of milliseconds of work or more.
SHUFFLE_DOCS = 20_000
PARTITIONS_PER_CPU = 2
_SWAP = threading.Lock()  # one swapped dedup at a time in a process


def map_batches(docs: list[Any], params: DedupParams, workers: int) -> Iterator[BatchFeatures]:
    """dedup's feature batches as Ray tasks, yielded in batch order."""
    ray = _ray()
    task = ray.remote(core._features_task)
    refs = [task.remote(batch) for batch in core._batches(docs, params)]
    for ref in refs:
        yield ray.get(ref)


def _split(
    signatures: np.ndarray, docs: np.ndarray, params: DedupParams, partitions: int
) -> list[tuple[np.ndarray, ...]]:
    """Map side of the shuffle: (band, key, doc) rows of a slice, one tuple per partition."""
    keys = band_keys(signatures, *params.banding)
    bands = np.tile(np.arange(keys.shape[1]), len(docs))
    flat = keys.ravel()
    owners = np.repeat(docs, keys.shape[1])
    target = (flat % np.uint64(partitions)).astype(np.int64)
    return [(bands[target == p], flat[target == p], owners[target == p]) for p in range(partitions)]


def _bucket_pairs(*parts: tuple[np.ndarray, ...]) -> np.ndarray:
    """Reduce side: the pairs inside every (band, key) bucket of one partition."""
    bands = np.concatenate([p[0] for p in parts])
    keys = np.concatenate([p[1] for p in parts])
    docs = np.concatenate([p[2] for p in parts])
    found = [
        pair
        for b in np.unique(bands)
        for pair in lsh._band_pairs(keys[bands == b], docs[bands == b])
    ]
    return np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)


def candidate_pairs(signatures: np.ndarray, docs: np.ndarray, params: DedupParams) -> np.ndarray:
    """`lsh.candidate_pairs(signatures, docs, params)`, computed as a shuffle of band keys."""
    ray = _ray()
    partitions = max(cluster_cpus() * PARTITIONS_PER_CPU, 2)  # >= 2: one ref per partition
    split = ray.remote(num_returns=partitions)(_split)
    mapped = [
        split.remote(
            signatures[start : start + SHUFFLE_DOCS],
            docs[start : start + SHUFFLE_DOCS],
            params,
            partitions,
        )
        for start in range(0, len(docs), SHUFFLE_DOCS)
    ]
    reduce = ray.remote(_bucket_pairs)
    found = [
        f
        for f in ray.get([reduce.remote(*[m[p] for m in mapped]) for p in range(partitions)])
        if len(f)
    ]
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found), axis=0)  # a pair met in several bands counts once


@contextmanager
def on_ray() -> Iterator[None]:
    """Within this block, dedup computes its features and candidate pairs on Ray."""
    with _SWAP:
        saved = core._map_batches, core.candidate_pairs
        core._map_batches, core.candidate_pairs = map_batches, candidate_pairs
        try:
            yield
        finally:
            core._map_batches, core.candidate_pairs = saved


def deduplicate(
    records: Iterable[Record],
    previous: Iterable[Record] = (),
    params: DedupParams = core.DEFAULT_PARAMS,
    progress: bool = False,
) -> core.DedupResult:
    """`builder.dedup.deduplicate` with its features and candidate pairs computed on Ray."""
    with on_ray():
        return core.deduplicate(
            records, previous=previous, params=params, workers=1, progress=progress
        )
