"""LSH banding over MinHash signatures, then verification of the candidate pairs.

Verification, cheapest test first: the publication/date rule (vectorized), the MinHash
estimate (vectorized; only drops pairs far below the threshold), the exact Jaccard
similarity of the shingle sets, and the figures check (DedupParams).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .features import band_keys
from .keys import figures
from .params import DedupParams

# A candidate whose MinHash estimate is more than this many standard deviations below
# the threshold is dropped unverified: a pair exactly at the threshold is lost that way
# with probability about 3e-5 (one-sided normal tail), and most unrelated candidates
# never reach the exact check.
ESTIMATE_SIGMAS = 4.0
_PAIR_CHUNK = 1 << 14  # pairs compared at once when estimating (memory: 10 * chunk * num_perm bytes)
_JACCARD_CHUNK = 1 << 13  # pairs verified at once (memory: about chunk * 2 sets * 8 bytes)


def candidate_pairs(signatures: np.ndarray, docs: np.ndarray, params: DedupParams) -> np.ndarray:
    """Sorted distinct pairs (i, j), i < j, of documents sharing at least one band.

    `signatures[k]` belongs to document `docs[k]` (global indices, ascending).
    """
    keys = band_keys(signatures, *params.banding)
    found: list[np.ndarray] = []
    for band in range(keys.shape[1]):
        found.extend(_band_pairs(keys[:, band], docs))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    size = np.int64(docs[-1]) + 1
    codes = np.sort(pairs[:, 0] * size + pairs[:, 1])  # one int64 per pair: fast to dedupe
    codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))]
    return np.stack((codes // size, codes % size), axis=1)


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


def jaccard_many(values: np.ndarray, offsets: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """jaccard() of every pair at once: both sides' sets are gathered already sorted, so
    one stable sort is a linear merge, and equal neighbours are the shared values."""
    out = np.empty(len(pairs), dtype=np.float64)
    for start in range(0, len(pairs), _JACCARD_CHUNK):
        chunk = pairs[start : start + _JACCARD_CHUNK]
        left, left_sizes = _gather(values, offsets, chunk[:, 0])
        right, right_sizes = _gather(values, offsets, chunk[:, 1])
        merged = np.sort(np.concatenate((left, right)), kind="stable")
        shared = merged[1:][merged[1:] == merged[:-1]] >> np.uint64(32)
        common = np.bincount(shared.astype(np.int64), minlength=len(chunk))
        union = left_sizes + right_sizes - common
        both_empty = union == 0
        out[start : start + len(chunk)] = np.where(both_empty, 1.0, common / np.maximum(union, 1))
    return out


class FigureCheck:
    """DedupParams.figure_overlap, with each text's figures found once, when needed."""

    def __init__(self, text: Callable[[int], str], params: DedupParams) -> None:
        self.text, self.params = text, params
        self.cache: dict[int, frozenset[str]] = {}

    def figures(self, index: int) -> frozenset[str]:
        if index not in self.cache:
            self.cache[index] = frozenset(figures(self.text(index)))
        return self.cache[index]

    def agree(self, i: int, j: int) -> bool:
        if self.params.figure_overlap <= 0:
            return True
        a, b = self.figures(i), self.figures(j)
        if min(len(a), len(b)) < self.params.min_figures:
            return True  # too few figures to tell
        return len(a & b) / min(len(a), len(b)) >= self.params.figure_overlap


def estimate_floor(params: DedupParams) -> float:
    """Lowest MinHash estimate still verified exactly (see ESTIMATE_SIGMAS)."""
    t = params.threshold
    return t - ESTIMATE_SIGMAS * math.sqrt(t * (1 - t) / params.num_perm)


def verify(
    pairs: np.ndarray,
    allowed: np.ndarray,
    signatures: np.ndarray,
    values: np.ndarray,
    offsets: np.ndarray,
    check: FigureCheck,
) -> list[tuple[int, int, float]]:
    """The candidate pairs that are `allowed` (a mask), reach the threshold in exact
    Jaccard similarity and whose figures agree, with their similarity."""
    pairs = pairs[allowed]
    pairs = pairs[estimated_similarity(signatures, pairs) >= estimate_floor(check.params)]
    similarity = jaccard_many(values, offsets, pairs)
    passed = similarity >= check.params.threshold
    return [
        (i, j, sim)
        for (i, j), sim in zip(pairs[passed].tolist(), similarity[passed].tolist(), strict=True)
        if check.agree(i, j)
    ]
