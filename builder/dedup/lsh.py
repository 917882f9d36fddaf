"""LSH banding over MinHash signatures, then verification of the candidate pairs.

Verification, cheapest test first: the publication/date rule (vectorized), the MinHash
estimate (vectorized; only drops pairs far below the threshold), the exact Jaccard
similarity of the shingle sets, and the figures check (DedupParams).
"""

from __future__ import annotations

import math

import numpy as np

from .features import BatchFeatures, band_keys
from .params import DedupParams

# A candidate whose MinHash estimate is more than this many standard deviations below
# the threshold is dropped unverified: a pair exactly at the threshold is lost that way
# with probability about 3e-5 (one-sided normal tail), and most unrelated candidates
# never reach the exact check.
ESTIMATE_SIGMAS = 4.0
_PAIR_CHUNK = (
    1 << 14
)  # pairs compared at once when estimating (memory: 10 * chunk * num_perm bytes)
# Permutations of the first, rough estimate: its floor is lower (wider deviation), but
# comparing a quarter of the permutations is a quarter of the work.
PREFILTER_PERM = 64
_MERGE_BANDS = 8  # bands whose pairs are collected before repeats are dropped
_JACCARD_CHUNK = 1 << 13  # pairs verified at once (memory: about chunk * 2 sets * 8 bytes)


def candidate_pairs(signatures: np.ndarray, docs: np.ndarray, params: DedupParams) -> np.ndarray:
    """Sorted distinct pairs (i, j), i < j, of documents sharing at least one band.

    `signatures[k]` belongs to document `docs[k]` (global indices, ascending).
    """
    keys = band_keys(signatures, *params.banding)
    if len(docs) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    size = np.int64(docs[-1]) + 1
    codes = [np.zeros(0, dtype=np.int64)]  # one int64 per pair (i * size + j): half the memory
    for band in range(keys.shape[1]):
        codes.extend(p[:, 0] * size + p[:, 1] for p in _band_pairs(keys[:, band], docs))
        if band % _MERGE_BANDS == _MERGE_BANDS - 1:  # drop repeats as we go: bounded memory
            codes = [_distinct(np.concatenate(codes))]
    merged = _distinct(np.concatenate(codes))
    return np.stack((merged // size, merged % size), axis=1)


def _distinct(codes: np.ndarray) -> np.ndarray:
    codes = np.sort(codes)
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))] if len(codes) else codes


def _band_pairs(keys: np.ndarray, docs: np.ndarray) -> list[np.ndarray]:
    """All pairs inside every bucket of one band, by bucket size (vectorized per size)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    boundaries = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1], [True])))
    sizes = np.diff(boundaries)
    out = []
    for size in np.unique(sizes[sizes > 1]):
        starts = boundaries[:-1][sizes == size]
        members = docs[order[starts[:, None] + np.arange(size)]]  # (buckets, size), ascending
        left, right = np.triu_indices(int(size), k=1)
        out.append(np.stack((members[:, left].ravel(), members[:, right].ravel()), axis=1))
    return out


def estimated_similarity(signatures: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """MinHash estimate of each pair's Jaccard similarity (share of equal positions);
    `signatures` is indexed by global document index."""
    out = np.empty(len(pairs), dtype=np.float64)
    for start in range(0, len(pairs), _PAIR_CHUNK):
        chunk = pairs[start : start + _PAIR_CHUNK]
        out[start : start + len(chunk)] = (signatures[chunk[:, 0]] == signatures[chunk[:, 1]]).mean(
            axis=1
        )
    return out


def jaccard(values: np.ndarray, offsets: np.ndarray, i: int, j: int) -> float:
    """Jaccard similarity of two documents' sorted distinct shingle sets (1.0 if both empty)."""
    a = values[offsets[i] : offsets[i + 1]]
    b = values[offsets[j] : offsets[j + 1]]
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


def _common_counts(
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


def jaccard_many(values: np.ndarray, offsets: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """jaccard() of every pair at once."""
    common, left, right = _common_counts(values, offsets, pairs)
    union = left + right - common
    return np.where(union == 0, 1.0, common / np.maximum(union, 1))


def figures_agree(features: BatchFeatures, pairs: np.ndarray, params: DedupParams) -> np.ndarray:
    """DedupParams.figure_overlap for every pair: the share of the smaller figure set
    found in the other reaches it, or either text states fewer than min_figures."""
    if params.figure_overlap <= 0:
        return np.ones(len(pairs), dtype=bool)
    common, left, right = _common_counts(features.figure_values, features.figure_offsets, pairs)
    smaller = np.minimum(left, right)
    return (smaller < params.min_figures) | (common >= params.figure_overlap * smaller)


def estimate_floor(params: DedupParams, perms: int | None = None) -> float:
    """Lowest MinHash estimate over `perms` permutations still verified (ESTIMATE_SIGMAS)."""
    t = params.threshold
    return t - ESTIMATE_SIGMAS * math.sqrt(t * (1 - t) / (perms or params.num_perm))


def _estimate_filter(signatures: np.ndarray, pairs: np.ndarray, params: DedupParams) -> np.ndarray:
    """The pairs whose MinHash estimate is not far below the threshold: first on the
    first PREFILTER_PERM permutations (most unrelated candidates stop there, at a
    fraction of the cost), then on all of them."""
    if params.num_perm > PREFILTER_PERM:
        rough = estimated_similarity(signatures[:, :PREFILTER_PERM], pairs)
        pairs = pairs[rough >= estimate_floor(params, PREFILTER_PERM)]
    return pairs[estimated_similarity(signatures, pairs) >= estimate_floor(params)]


def verify(
    pairs: np.ndarray, allowed: np.ndarray, features: BatchFeatures, params: DedupParams
) -> list[tuple[int, int, float]]:
    """The candidate pairs that are `allowed` (a mask), reach the threshold in exact
    Jaccard similarity and whose figures agree, with their similarity."""
    pairs = _estimate_filter(features.signatures, pairs[allowed], params)
    similarity = jaccard_many(features.set_values, features.set_offsets, pairs)
    passed = similarity >= params.threshold
    pairs, similarity = pairs[passed], similarity[passed]
    agree = figures_agree(features, pairs, params)
    return list(zip(*pairs[agree].T.tolist(), similarity[agree].tolist(), strict=True))
