"""Near-duplicate search: LSH banding over MinHash, a sketch estimate, then exact checks.

Band by band, documents sharing a band key become candidate pairs; each band's pairs are
filtered at once, cheapest test first, so candidates never pile up in memory:

1. the publication/date rule (`allowed`, vectorized, given by core.py);
2. the estimate of their similarity from the one-byte MinHash sketches (first on
   PREFILTER_PERM of them, then on all): only pairs far below the threshold are dropped.

The pairs left (distinct over all bands) are verified exactly (core.py): the coverage
rules (coverage.py) on the shared shingles of each pair (`common_counts`), and the
figures check (DedupParams, `figures_agree`), on the sets of just those documents.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from .params import DedupParams

# A candidate whose estimate is more than this many standard deviations below the
# threshold is dropped unverified: a pair exactly at the threshold is lost that way with
# probability about 3e-5 (one-sided normal tail).
ESTIMATE_SIGMAS = 4.0
# Permutations of the first, rough estimate: its floor is lower (wider deviation), but
# comparing a quarter of the sketch is a quarter of the work.
PREFILTER_PERM = 64
# Two different MinHash values have equal low bytes by chance with probability 1/256;
# the estimate takes that share out (b-bit MinHash, Li and Koenig 2010).
SKETCH_CHANCE = 1.0 / 256
_PAIR_CHUNK = 1 << 14  # pairs compared at once (memory: 2 * chunk * num_perm bytes)
_JACCARD_CHUNK = 1 << 13  # pairs verified at once (memory: about chunk * 2 sets * 8 bytes)

# Most pairs one bucket task lists (16 bytes each): a bucket of n documents has
# n(n-1)/2 pairs, so a few thousand documents sharing a band key (a boilerplate
# sentence whose shingles hold the minimum) would otherwise take gigabytes at once.
MAX_TASK_PAIRS = 1 << 20


@dataclass
class BucketTask:
    """Buckets of one band (their members, ascending, and sizes), or, for one bucket too
    big for a task, the rows [first_row, last_row) of its pairs; or, for a bucket over
    DedupParams.max_bucket documents, its first member paired with each other one."""

    members: np.ndarray
    sizes: np.ndarray
    rows: tuple[int, int] | None = None
    star: bool = False


def band_buckets(
    keys: np.ndarray, docs: np.ndarray, max_bucket: int, max_task_pairs: int = MAX_TASK_PAIRS
) -> Iterator[BucketTask]:
    """The buckets of 2+ documents of one band (`keys[k]` belongs to `docs[k]`,
    ascending), cut into tasks of at most 2 * max_task_pairs pairs."""
    order = np.argsort(keys, kind="stable")  # stable: members stay ascending
    ordered = keys[order]
    boundaries = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1], [True])))
    sizes = np.diff(boundaries)
    starts, sizes = boundaries[:-1][sizes > 1], sizes[sizes > 1]
    oversized = sizes > max_bucket
    for start, size in zip(starts[oversized].tolist(), sizes[oversized].tolist(), strict=True):
        yield BucketTask(docs[order[start : start + size]], np.array([size]), star=True)
    starts, sizes = starts[~oversized], sizes[~oversized]
    pairs = sizes * (sizes - 1) // 2
    big = pairs > max_task_pairs
    for start, size in zip(starts[big].tolist(), sizes[big].tolist(), strict=True):
        yield from _row_blocks(docs[order[start : start + size]], max_task_pairs)
    starts, sizes = starts[~big], sizes[~big]
    group = np.cumsum(sizes * (sizes - 1) // 2) // max_task_pairs  # consecutive, nondecreasing
    cuts = np.flatnonzero(np.diff(group)) + 1
    for part_starts, part_sizes in zip(np.split(starts, cuts), np.split(sizes, cuts), strict=True):
        if len(part_sizes):
            yield BucketTask(docs[order[_spans(part_starts, part_sizes)]], part_sizes)


def _spans(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The positions start, start+1, ... start+size-1 of every span, concatenated."""
    shift = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)
    return shift + np.arange(int(sizes.sum()))


def _row_blocks(members: np.ndarray, max_task_pairs: int) -> Iterator[BucketTask]:
    size, row = len(members), 0
    while row < size - 1:
        # rows row.. take (size - 1 - row) + (size - 2 - row) + ... pairs
        rows = max(1, max_task_pairs // max(size - 1 - row, 1))
        yield BucketTask(members, np.array([size]), (row, min(row + rows, size - 1)))
        row += rows


def bucket_pairs(task: BucketTask) -> np.ndarray:
    """(pairs, 2) of documents sharing a bucket, each pair (smaller, larger)."""
    if task.star:
        first = np.full(len(task.members) - 1, task.members[0])
        return np.stack((first, task.members[1:]), axis=1).astype(np.int64)
    if task.rows is not None:
        return _block_pairs(task.members, *task.rows)
    out = [np.zeros((0, 2), dtype=np.int64)]
    starts = np.concatenate(([0], np.cumsum(task.sizes)[:-1]))
    for size in np.unique(task.sizes):
        first = starts[task.sizes == size]
        members = task.members[first[:, None] + np.arange(size)]  # (buckets, size), ascending
        left, right = np.triu_indices(int(size), k=1)
        out.append(np.stack((members[:, left].ravel(), members[:, right].ravel()), axis=1))
    return np.concatenate(out).astype(np.int64)


def _block_pairs(members: np.ndarray, first_row: int, last_row: int) -> np.ndarray:
    """Pairs (members[i], members[j]), first_row <= i < last_row, i < j."""
    rows = np.arange(first_row, last_row)
    counts = len(members) - 1 - rows
    left = np.repeat(rows, counts)
    right = left + 1 + np.arange(len(left)) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.stack((members[left], members[right]), axis=1).astype(np.int64)


_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
_HIGH1 = np.uint64(0x8080808080808080)


def _equal_bytes(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per row, how many bytes of two uint64 views are equal: in x = left ^ right, a byte
    is nonzero iff the high bit of ((x & 0x7f..) + 0x7f..) | x is set in it."""
    x = left ^ right
    nonzero = (((x & _LOW7) + _LOW7) | x) & _HIGH1
    return 8 * x.shape[1] - np.bitwise_count(nonzero).sum(axis=1, dtype=np.int64)


def _equal_share(sketch: np.ndarray, pairs: np.ndarray, perms: int) -> np.ndarray:
    if perms % 8 or sketch.shape[1] % 8:  # an odd num_perm: compare byte by byte
        return (sketch[pairs[:, 0], :perms] == sketch[pairs[:, 1], :perms]).mean(axis=1)
    words = sketch.view(np.uint64)[:, : perms // 8]
    return _equal_bytes(words[pairs[:, 0]], words[pairs[:, 1]]) / perms


def sketch_similarity(
    sketch: np.ndarray, pairs: np.ndarray, perms: int | None = None
) -> np.ndarray:
    """Estimated Jaccard similarity of each pair from the first `perms` bytes (default
    all) of its documents' sketches."""
    perms = perms or sketch.shape[1]
    sketch = np.ascontiguousarray(sketch)
    out = np.empty(len(pairs), dtype=np.float64)
    for start in range(0, len(pairs), _PAIR_CHUNK):
        chunk = pairs[start : start + _PAIR_CHUNK]
        equal = _equal_share(sketch, chunk, perms)
        out[start : start + len(chunk)] = (equal - SKETCH_CHANCE) / (1 - SKETCH_CHANCE)
    return out


def estimate_floor(params: DedupParams, perms: int | None = None) -> float:
    """Lowest sketch estimate over `perms` permutations still verified (ESTIMATE_SIGMAS)."""
    t = params.threshold
    p = t + (1 - t) * SKETCH_CHANCE  # chance that two sketch bytes agree at the threshold
    deviation = math.sqrt(p * (1 - p) / (perms or params.num_perm)) / (1 - SKETCH_CHANCE)
    return t - ESTIMATE_SIGMAS * deviation


def estimate_filter(sketch: np.ndarray, pairs: np.ndarray, params: DedupParams) -> np.ndarray:
    """The pairs whose estimate is not far below the threshold: first on the first
    PREFILTER_PERM sketch bytes (most unrelated candidates stop there), then on all."""
    if params.num_perm > PREFILTER_PERM:
        rough = sketch_similarity(sketch, pairs, PREFILTER_PERM)
        pairs = pairs[rough >= estimate_floor(params, PREFILTER_PERM)]
    return pairs[sketch_similarity(sketch, pairs) >= estimate_floor(params)]


Mapper = Callable[[Callable[[BucketTask], np.ndarray], Iterable[BucketTask]], Iterator[np.ndarray]]


def likely_pairs(
    bands: Iterable[np.ndarray],
    docs: np.ndarray,
    sketch: np.ndarray,
    allowed: Callable[[np.ndarray], np.ndarray],
    params: DedupParams,
    mapper: Mapper,
) -> tuple[np.ndarray, dict[str, int]]:
    """(distinct pairs that pass the allowed rule and the estimate, sorted; counts:
    bucket pairs met over all bands, oversized buckets). `bands` yields each band's
    keys of `docs`."""
    counts = {"bucket_pairs": 0, "oversized_buckets": 0}

    def tasks() -> Iterator[BucketTask]:
        for keys in bands:
            for task in band_buckets(keys, docs, params.max_bucket):
                counts["oversized_buckets"] += task.star
                yield task

    known = np.zeros(0, dtype=np.int64)  # sorted codes of the pairs kept so far
    size = np.int64(docs[-1]) + 1 if len(docs) else np.int64(1)
    for pairs in mapper(bucket_pairs, tasks()):
        counts["bucket_pairs"] += len(pairs)
        codes = pairs[:, 0] * size + pairs[:, 1]
        # A likely pair shares most bands: only its first band pays for the estimate.
        seen = np.searchsorted(known, codes)
        fresh = known[np.minimum(seen, len(known) - 1)] != codes if len(known) else slice(None)
        pairs = pairs[fresh]
        pairs = pairs[allowed(pairs)]
        pairs = estimate_filter(sketch, pairs, params)
        known = merge_sorted(known, pairs[:, 0] * size + pairs[:, 1])
    return np.stack((known // size, known % size), axis=1), counts


def merge_sorted(known: np.ndarray, new: np.ndarray) -> np.ndarray:
    """np.union1d(known, new) for a sorted distinct `known`: only the new codes are
    sorted, and inserted in one pass (union1d sorted all of `known` again for every
    band's pairs: 1-2 s of CPU at 100,000 documents)."""
    new = np.unique(new)
    if len(known):
        at = np.minimum(np.searchsorted(known, new), len(known) - 1)
        new = new[known[at] != new]
    return np.insert(known, np.searchsorted(known, new), new)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted distinct shingle sets (1.0 if both empty)."""
    if len(a) == 0 or len(b) == 0:
        return 1.0 if len(a) == len(b) else 0.0
    both = np.concatenate((a, b))
    both.sort()  # each set has distinct values, so equal neighbours are shared values
    common = int(np.count_nonzero(both[1:] == both[:-1]))
    return common / (len(a) + len(b) - common)


def _gather(
    values: np.ndarray, offsets: np.ndarray, docs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The sets of `docs`, concatenated, each value tagged in its top bits with the
    position of its document in `docs` (so the result is sorted), and the set sizes."""
    starts, sizes = offsets[docs], offsets[docs + 1] - offsets[docs]
    owner = np.repeat(np.arange(len(docs), dtype=np.int64), sizes)
    within = np.arange(len(owner), dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    tagged = (owner.astype(np.uint64) << np.uint64(32)) | values[starts[owner] + within].astype(
        np.uint64
    )
    return tagged, sizes


def common_counts(
    values: np.ndarray, offsets: np.ndarray, pairs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(shared values, left set size, right set size) of every pair: both sides' sets are
    gathered already sorted, so one stable sort is a linear merge, and equal neighbours
    are the shared values."""
    common, left_sizes, right_sizes = (np.zeros(len(pairs), dtype=np.int64) for _ in range(3))
    for start in range(0, len(pairs), _JACCARD_CHUNK):
        chunk = pairs[start : start + _JACCARD_CHUNK]
        part = slice(start, start + len(chunk))
        left, left_sizes[part] = _gather(values, offsets, chunk[:, 0])
        right, right_sizes[part] = _gather(values, offsets, chunk[:, 1])
        merged = np.sort(np.concatenate((left, right)), kind="stable")
        shared = merged[1:][merged[1:] == merged[:-1]] >> np.uint64(32)
        common[part] = np.bincount(shared.astype(np.int64), minlength=len(chunk))
    return common, left_sizes, right_sizes


def figures_agree(
    figure_values: np.ndarray, figure_offsets: np.ndarray, pairs: np.ndarray, params: DedupParams
) -> np.ndarray:
    """DedupParams.figure_overlap for every pair: the share of the smaller figure set
    found in the other reaches it, or either text states fewer than min_figures."""
    common, left, right = common_counts(figure_values, figure_offsets, pairs)
    smaller = np.minimum(left, right)
    return (smaller < params.min_figures) | (common >= params.figure_overlap * smaller)
