"""The near-duplicate decision: how much of each document the other covers.

One Jaccard number cannot tell a truncated teaser (a small text inside a large one,
Jaccard about 0.4) from a follow-up that reuses an earlier story's background
paragraphs (Jaccard about 0.4 too, yet a different story). What separates them is how
much of each document is its own. So a pair that LSH proposes is measured by:

- the coverage of each side: the share of its shingles found in the other document;
- without build-wide boilerplate (boilerplate.py): shingles of a paragraph found in
  DedupParams.boilerplate_docs records or more are left out of a document's share
  (its *content*), unless every paragraph of it is that frequent (a wire story printed
  verbatim by many outlets is frequent as a whole; it is then compared whole);

and is one story when one side is contained in the other (its coverage reaches
DedupParams.containment: teasers, re-scrapes, a copy that lost its last paragraph) or
when both coverages reach DedupParams.coverage (edited copies, a new lead: neither side
has a large part of its own). A follow-up or a story quoting a shared statement has a
large part of its own on both sides and is never merged. The figures check and the
one-outlet-one-day rule (lsh.py, core.py) still apply.

The shared passages (runs of consecutive shared shingles) and whether they come in the
same order in both texts are measured for the report and `builder dedup --explain`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .boilerplate import ParagraphCounts, paragraph_key, paragraphs
from .features import shingle_hashes, shingle_sets, token_hashes
from .params import DedupParams


# Shared text in the same order in both texts, at least this share of it: an edited copy
# keeps the order of what it keeps.
IN_ORDER = 0.8


def decide(left: np.ndarray, right: np.ndarray, params: DedupParams) -> np.ndarray:
    """Whether pairs with these coverages are one story on coverage alone (see the
    module docstring); `grey` pairs need their shared passages counted."""
    return (np.maximum(left, right) >= params.containment) | (
        np.minimum(left, right) >= params.coverage
    )


def grey(left: np.ndarray, right: np.ndarray, params: DedupParams) -> np.ndarray:
    """Pairs not one story on coverage, but covered enough on both sides to be an edited
    copy if their shared text is scattered (decide_passages)."""
    return ~decide(left, right, params) & (np.minimum(left, right) >= params.scattered_coverage)


def decide_passages(runs: int, in_order: float, params: DedupParams) -> bool:
    """A grey pair is one story when its shared text is cut into min_passages passages
    or more by edits, in order: an edited copy. Text reused by another story (background
    paragraphs, a quoted statement, a notice) is one or two blocks."""
    return runs >= params.min_passages and in_order >= IN_ORDER


def split_regions(
    raw: np.ndarray, offsets: np.ndarray, key_counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Spill regions (each: its paragraph keys as pairs of uint32, then its shingle set)
    to (set values, set offsets, keys as uint64, key offsets)."""
    sizes = np.diff(offsets)
    key_words = 2 * key_counts.astype(np.int64)
    is_key = np.repeat(
        np.tile(np.array([True, False]), len(sizes)),
        np.stack((key_words, sizes - key_words), axis=1).ravel(),
    )
    keys = np.ascontiguousarray(raw[is_key]).view(np.uint64)
    values = raw[~is_key]
    set_offsets = np.concatenate(([0], np.cumsum(sizes - key_words))).astype(np.int64)
    key_offsets = np.concatenate(([0], np.cumsum(key_counts, dtype=np.int64)))
    return values, set_offsets, keys, key_offsets


@dataclass
class Content:
    """A document's shingles without its boilerplate paragraphs."""

    values: np.ndarray  # sorted distinct shingle values (the whole set when no content)
    ignored: int  # boilerplate paragraphs left out (0 when compared whole)


def content(text: str, full: np.ndarray, counts: ParagraphCounts, params: DedupParams) -> Content:
    """The content of a document whose full shingle set is `full`."""
    parts = paragraphs(text)
    keys = np.array([paragraph_key(p) for p in parts], dtype=np.uint64)
    frequent = counts.frequent(keys, params.boilerplate_docs) & (keys != 0)
    if not frequent.any() or frequent.all():
        return Content(full, 0)
    # Runs of consecutive boilerplate paragraphs are taken whole: the shingles across
    # two paragraphs of one notice are the notice's too.
    runs, run = [], []
    for part, is_frequent in zip(parts, frequent.tolist(), strict=True):
        if is_frequent:
            run.append(part)
        elif run:
            runs.append("\n\n".join(run))
            run = []
    if run:
        runs.append("\n\n".join(run))
    boiler, _, _ = shingle_sets(runs, params.shingle_size)
    kept = np.setdiff1d(full, boiler, assume_unique=False)
    if len(kept) == 0:
        return Content(full, 0)
    return Content(kept, int(frequent.sum()))


def covered_share(values: np.ndarray, other: np.ndarray) -> float:
    """Share of the sorted distinct `values` found in the sorted `other`."""
    if len(values) == 0:
        return 0.0
    found = np.searchsorted(other, values)
    found = np.minimum(found, max(len(other) - 1, 0))
    return float(np.count_nonzero(other[found] == values) / len(values)) if len(other) else 0.0


def ordered_shingles(text: str, size: int) -> np.ndarray:
    """A text's shingle values (top 32 bits, as in the sets) in text order."""
    hashes, words = token_hashes([text])
    values, _ = shingle_hashes(hashes, words, size)
    return (values >> np.uint64(32)).astype(np.uint32)


def passages(text_a: str, text_b: str, size: int) -> tuple[int, float]:
    """(passages: runs of `size` or more consecutive shingles of the shorter text found
    in the other; share of their shingles in runs that come in the same order in the
    other). Symmetric: the shorter text (fewer shingles, then the smaller text) is read
    against the longer whichever is given first."""
    a, b = ordered_shingles(text_a, size), ordered_shingles(text_b, size)
    if (len(b), text_b) < (len(a), text_a):
        a, b = b, a
    if len(a) == 0 or len(b) == 0:
        return 0, 1.0
    order = np.argsort(b, kind="stable")
    sorted_b = b[order]
    at = np.minimum(np.searchsorted(sorted_b, a), len(b) - 1)
    shared = sorted_b[at] == a
    if not shared.any():
        return 0, 1.0
    starts = np.flatnonzero(shared & ~np.concatenate(([False], shared[:-1])))
    ends = np.flatnonzero(shared & ~np.concatenate((shared[1:], [False]))) + 1
    # A passage is `size` shingles or more (2 * size - 1 words): a 4-gram or two that
    # unrelated texts share ("according to the ministry") is not a passage.
    long = ends - starts >= size
    starts, ends = starts[long], ends[long]
    if len(starts) == 0:
        return 0, 1.0
    where_in_b = order[at[starts]]  # first occurrence in b of each run's first shingle
    in_order = np.concatenate(([True], where_in_b[1:] > where_in_b[:-1]))
    lengths = ends - starts
    return len(starts), float(lengths[in_order].sum() / lengths.sum())


@dataclass
class Comparison:
    """Everything the decision looks at for two documents (`builder dedup --explain`)."""

    words: tuple[int, int]
    shingles: tuple[int, int]
    similarity: float
    coverage: tuple[float, float]
    boilerplate_paragraphs: tuple[int, int]
    shared_passages: int
    in_order: float
    one_story: bool


def compare(
    text_a: str,
    text_b: str,
    counts: ParagraphCounts,
    params: DedupParams,
    sets: Callable[[list[str]], tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None,
) -> Comparison:
    """The measures of the decision for two texts, as the dedup run takes them."""
    values, offsets, words = (sets or (lambda t: shingle_sets(t, params.shingle_size)))(
        [text_a, text_b]
    )
    full_a, full_b = values[offsets[0] : offsets[1]], values[offsets[1] : offsets[2]]
    both = len(np.intersect1d(full_a, full_b))
    union = len(full_a) + len(full_b) - both
    content_a, content_b = (
        content(text_a, full_a, counts, params),
        content(text_b, full_b, counts, params),
    )
    coverage = (covered_share(content_a.values, full_b), covered_share(content_b.values, full_a))
    runs, in_order = passages(text_a, text_b, params.shingle_size)
    left, right = np.array([coverage[0]]), np.array([coverage[1]])
    one = bool(decide(left, right, params)[0]) or (
        bool(grey(left, right, params)[0]) and decide_passages(runs, in_order, params)
    )
    return Comparison(
        words=(int(words[0]), int(words[1])),
        shingles=(len(full_a), len(full_b)),
        similarity=both / union if union else 1.0,
        coverage=coverage,
        boilerplate_paragraphs=(content_a.ignored, content_b.ignored),
        shared_passages=runs,
        in_order=in_order,
        one_story=one,
    )
