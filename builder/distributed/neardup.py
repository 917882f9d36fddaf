"""The dedup stage on Ray: its own functions, with the heavy steps spread over the cluster.

Same result as `builder.dedup.deduplicate` (the test compares survivors, report and
stats), computed as:

1. features: `batch_features` over the same fixed batches of the canonical order, as
   Ray tasks (shingling and MinHash: the bulk of the work);
2. candidates: a distributed group-by on LSH band keys. Map tasks split the rows
   (band, key, document) of a slice of documents into partitions by key; each reduce
   task gathers one partition from every map task and lists the pairs inside its
   buckets with `candidate_pairs`. Memory per task is one partition, not the corpus;
3. verification: `verify` over contiguous chunks of the sorted candidate pairs, with
   the shingle sets shared through the object store;
4. connected components: dedup's own union-find over the verified edges, on the driver.
   Edges are a small fraction of the documents (about one per removed duplicate), and
   applying them strongest first is what keeps two released ids from ever merging, an
   ordered rule a label-propagation pass over a cluster cannot keep.

Everything before survivor choice is a pure function of the batches, so the worker
count, the task order and the cluster size never change the output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from ..dedup import core
from ..dedup.clusters import cluster, make_edge
from ..dedup.features import BatchFeatures, batch_features
from ..dedup.lsh import candidate_pairs, verify
from ..dedup.params import DedupParams
from ..model import Record
from .ray_backend import _ray, cluster_cpus

# Documents per map task of the band shuffle, partitions per CPU, and candidate pairs
# per verification task: each task does tens of milliseconds of work or more.
SHUFFLE_DOCS = 20_000
PARTITIONS_PER_CPU = 2
VERIFY_PAIRS = 20_000


def _combine(parts: list[BatchFeatures], bands: int) -> BatchFeatures:
    """One BatchFeatures for all documents, from the batches' in order."""
    if not parts:
        return BatchFeatures(
            [],
            np.zeros(0, np.int64),
            np.zeros(0, np.uint32),
            np.zeros(1, np.int64),
            np.zeros((0, bands), np.uint64),
            np.zeros(0, np.uint64),
            np.zeros(1, np.int64),
        )

    def offsets(arrays: list[np.ndarray]) -> np.ndarray:
        bases = np.concatenate(([0], np.cumsum([a[-1] for a in arrays])[:-1]))
        return np.concatenate(
            [np.zeros(1, np.int64)] + [a[1:] + b for a, b in zip(arrays, bases, strict=True)]
        )

    return BatchFeatures(
        exact_keys=[k for p in parts for k in p.exact_keys],
        word_counts=np.concatenate([p.word_counts for p in parts]),
        set_values=np.concatenate([p.set_values for p in parts]),
        set_offsets=offsets([p.set_offsets for p in parts]),
        band_keys=np.concatenate([p.band_keys for p in parts]),
        figure_values=np.concatenate([p.figure_values for p in parts]),
        figure_offsets=offsets([p.figure_offsets for p in parts]),
    )


def features(texts: Iterable[list[str]], params: DedupParams) -> BatchFeatures:
    """`batch_features` of every batch, as Ray tasks, joined in batch order."""
    ray = _ray()
    task = ray.remote(batch_features)
    refs = [task.remote(batch, params) for batch in texts]
    return _combine(ray.get(refs), params.banding[0])


def _split(
    band_keys: np.ndarray, docs: np.ndarray, partitions: int
) -> list[tuple[np.ndarray, ...]]:
    """Map side of the shuffle: (band, key, doc) rows of a slice, one tuple per partition."""
    bands = np.repeat(np.arange(band_keys.shape[1])[None, :], len(docs), axis=0).ravel()
    keys = band_keys.ravel()
    owners = np.repeat(docs, band_keys.shape[1])
    target = (keys % np.uint64(partitions)).astype(np.int64)
    return [(bands[target == p], keys[target == p], owners[target == p]) for p in range(partitions)]


def _bucket_pairs(*parts: tuple[np.ndarray, ...]) -> np.ndarray:
    """Reduce side: the pairs inside every (band, key) bucket of one partition."""
    bands = np.concatenate([p[0] for p in parts])
    keys = np.concatenate([p[1] for p in parts])
    docs = np.concatenate([p[2] for p in parts])
    found = [candidate_pairs(keys[bands == b][:, None], docs[bands == b]) for b in np.unique(bands)]
    found = [f for f in found if len(f)]
    return np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)


def candidates(
    band_keys: np.ndarray, docs: np.ndarray, skip: np.ndarray | None = None
) -> np.ndarray:
    """`candidate_pairs(band_keys, docs, skip)`, computed as a shuffle over Ray tasks."""
    ray = _ray()
    partitions = max(cluster_cpus() * PARTITIONS_PER_CPU, 2)
    split = ray.remote(num_returns=partitions)(_split)  # partitions >= 2: one ref each
    mapped = [
        split.remote(
            band_keys[start : start + SHUFFLE_DOCS], docs[start : start + SHUFFLE_DOCS], partitions
        )
        for start in range(0, len(docs), SHUFFLE_DOCS)
    ]
    reduce = ray.remote(_bucket_pairs)
    found = (
        ray.get([reduce.remote(*[m[p] for m in mapped]) for p in range(partitions)])
        if mapped
        else []
    )
    found = [f for f in found if len(f)]
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.unique(np.concatenate(found), axis=0)  # a pair met in several bands counts once
    if skip is not None and len(pairs):
        pairs = pairs[~(skip[pairs[:, 0]] & skip[pairs[:, 1]])]
    return pairs


def _any_pair(i: int, j: int) -> bool:
    return True


def _verify_chunk(
    pairs: np.ndarray, found: BatchFeatures, params: DedupParams
) -> list[tuple[int, int, float]]:
    return verify(pairs, found, params, _any_pair)


def verified(
    pairs: np.ndarray,
    found: BatchFeatures,
    params: DedupParams,
    allowed: Callable[[int, int], bool],
) -> list[tuple[int, int, float]]:
    """`verify(pairs, found, params, allowed)` with the similarity checks as Ray tasks over
    chunks of pairs; `allowed` reads the records, so the driver applies it to the result
    (the three checks are independent, so the kept pairs and their order are the same)."""
    ray = _ray()
    shared = ray.put(found)
    task = ray.remote(_verify_chunk)
    refs = [
        task.remote(pairs[start : start + VERIFY_PAIRS], shared, params)
        for start in range(0, len(pairs), VERIFY_PAIRS)
    ]
    return [edge for chunk in ray.get(refs) for edge in chunk if allowed(edge[0], edge[1])]


def deduplicate(
    records: Iterable[Record],
    previous: Iterable[Record] = (),
    params: DedupParams = core.DEFAULT_PARAMS,
) -> core.DedupResult:
    """`builder.dedup.deduplicate` with features, candidates and verification on Ray.

    The steps around them are dedup's own (loading in canonical order, key groups,
    survivor choice, report, stats), called in the same sequence as there.
    """
    docs = core._load(records, previous)
    found = features((texts for texts, _ in core._batches(docs, params)), params)
    groups = core._Groups(docs, found, params)
    reps = groups.text_representatives()
    skip = np.array([d.previous for d in docs], dtype=bool)
    pairs = candidates(found.band_keys[reps], reps, skip=skip)
    allowed = core._date_rule(docs, params)
    near = [make_edge("near", i, j, sim) for i, j, sim in verified(pairs, found, params, allowed)]
    anchors = {i: d.record["id"] for i, d in enumerate(docs) if d.previous}
    clusters, refused = cluster(len(docs), groups.edges() + near, anchors)
    survivors, report, updated = core._Merger(docs, found, groups, near).resolve_all(clusters)
    stats = core._stats(docs, survivors, report, updated, refused, len(pairs), len(near), params)
    return core.DedupResult(survivors, report, stats)
