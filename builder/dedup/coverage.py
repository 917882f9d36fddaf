"""The near-duplicate decision: how much of each document the other covers.

One Jaccard number cannot tell a truncated teaser (a small text inside a large one,
Jaccard about 0.4) from a follow-up that reuses an earlier story's background
paragraphs (Jaccard about 0.4 too, yet a different story). What separates them is how
much of each document is its own. So a pair that LSH proposes is measured by:

- the coverage of each side: the share of its shingles found in the other document;
- without build-wide boilerplate (boilerplate.py): when both share a paragraph found in
  DedupParams.boilerplate_docs records or more, the shingles of such paragraphs are
  left out of each side's share (its *content*), unless every paragraph of a side is
  that frequent (a wire story printed verbatim by many outlets is frequent as a whole;
  it is then compared whole). Boilerplate can only keep a pair apart (core.py);

and is one story when (1) one side is contained in the other (its coverage reaches
DedupParams.containment: teasers, re-scrapes, a copy that lost its last paragraph),
(2) both coverages reach DedupParams.coverage (edited copies, a new lead: neither side
has a large part of its own), or (3) both reach DedupParams.scattered_coverage and the
shared text is cut into min_passages passages or more, in order (a heavily edited
copy; see decide_passages). A follow-up or a story quoting a shared statement has a
large part of its own on both sides, in one block, and is never merged. The figures
check and the one-outlet-one-day rule (lsh.py, core.py) still apply.

Passages are counted for the pairs of rule 3 only (their texts read back), and for
`builder dedup --explain`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .boilerplate import ParagraphCounts, keys_in_order, paragraphs
from .features import ordered_shingles, shingle_sets
from .params import DedupParams

# Shared text in the same order in both texts, at least this share of it: an edited copy
# keeps the order of what it keeps.
IN_ORDER = 0.8


RULES = ("contained", "covered", "scattered")  # the report's `rule`, by number (1, 2, 3)
# Per near edge (left, right position), for the report: the coverage of each side, the
# boilerplate paragraphs left out of each, shared passages, share in order, the rule
# number (core.py measures them, resolve.py reports them).
Measures = dict[tuple[int, int], tuple[tuple[float, float], tuple[int, int], int, float, int]]


def rule(left: np.ndarray, right: np.ndarray, params: DedupParams) -> np.ndarray:
    """Which coverage rule makes each pair one story: 1 contained, 2 covered, 0 none
    (module docstring); rule 3, scattered, needs the shared passages (decide_passages)."""
    contained = np.maximum(left, right) >= params.containment
    covered = np.minimum(left, right) >= params.coverage
    return np.where(contained, 1, np.where(covered, 2, 0))


def decide(left: np.ndarray, right: np.ndarray, params: DedupParams) -> np.ndarray:
    """Whether pairs with these coverages are one story on coverage alone; `grey` pairs
    need their shared passages counted."""
    return rule(left, right, params) > 0


def grey(left: np.ndarray, right: np.ndarray, params: DedupParams) -> np.ndarray:
    """Pairs not one story on coverage, but covered enough on both sides to be an edited
    copy if their shared text is scattered (decide_passages)."""
    return ~decide(left, right, params) & (np.minimum(left, right) >= params.scattered_coverage)


def decide_passages(runs: np.ndarray, in_order: np.ndarray, params: DedupParams) -> np.ndarray:
    """A grey pair is one story when its shared text is cut into min_passages passages
    or more by edits, in order: an edited copy. Text reused by another story (background
    paragraphs, a quoted statement, a notice) is one or two blocks."""
    return (runs >= params.min_passages) & (in_order >= IN_ORDER)


@dataclass
class Regions:
    """What the spill holds of some documents (index.IndexBuilder._spill), joined."""

    values: np.ndarray  # sorted distinct shingle values of each document
    offsets: np.ndarray
    keys: np.ndarray  # uint64 sorted distinct paragraph keys of each document
    key_offsets: np.ndarray


def _offsets(sizes: np.ndarray) -> np.ndarray:
    return np.concatenate(([0], np.cumsum(sizes, dtype=np.int64)))


def split_regions(
    raw: np.ndarray, offsets: np.ndarray, key_counts: np.ndarray, set_sizes: np.ndarray
) -> Regions:
    """Spill regions (each: paragraph keys as pairs of uint32, then the shingle set),
    read back joined, to their parts."""
    key_words = 2 * key_counts.astype(np.int64)
    parts = np.stack((key_words, set_sizes.astype(np.int64)), axis=1)
    is_key = np.repeat(np.tile(np.array([True, False]), len(parts)), parts.ravel())
    return Regions(
        values=raw[~is_key],
        offsets=_offsets(set_sizes),
        keys=np.ascontiguousarray(raw[is_key]).view(np.uint64),
        key_offsets=_offsets(key_counts),
    )


def _one_way(
    ordered: np.ndarray, offsets: np.ndarray, pairs: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """(passages, share in order) of the first document of each pair read against the
    second: all pairs at once. A passage is a run of `size` or more consecutive shingles
    found in the other document (2 * size - 1 words: a 4-gram or two that unrelated texts
    share, "according to the ministry", is not one); it is in order when it starts
    later in the other document than the passage before it."""
    docs = len(offsets) - 1
    lengths = np.diff(offsets)
    # Every document's shingles sorted by (document, value), keeping the first position.
    owner_all = np.repeat(np.arange(docs, dtype=np.uint64), lengths)
    keyed = (owner_all << np.uint64(32)) | ordered.astype(np.uint64)
    sort = np.argsort(keyed, kind="stable")
    sorted_keys = keyed[sort]
    position = (np.arange(len(ordered)) - np.repeat(offsets[:-1], lengths))[sort]
    # The first side's shingles, in order, looked up in the second side's.
    a, b = pairs[:, 0], pairs[:, 1]
    counts = lengths[a]
    pair = np.repeat(np.arange(len(pairs)), counts)
    index = np.repeat(offsets[a], counts) + np.arange(int(counts.sum())) - np.repeat(
        _offsets(counts)[:-1], counts
    )
    query = (b[pair].astype(np.uint64) << np.uint64(32)) | ordered[index].astype(np.uint64)
    at = np.minimum(np.searchsorted(sorted_keys, query), max(len(sorted_keys) - 1, 0))
    shared = (sorted_keys[at] == query) if len(sorted_keys) else np.zeros(len(query), bool)
    same = np.concatenate(([False], pair[1:] == pair[:-1]))
    previous = np.concatenate(([False], shared[:-1])) & same
    following = np.concatenate((shared[1:], [False])) & np.concatenate((same[1:], [False]))
    starts = np.flatnonzero(shared & ~previous)
    ends = np.flatnonzero(shared & ~following) + 1
    long = ends - starts >= size
    starts, ends = starts[long], ends[long]
    run_pair = pair[starts]
    runs = np.bincount(run_pair, minlength=len(pairs))
    where = position[at[starts]]
    first = np.concatenate(([True], run_pair[1:] != run_pair[:-1]))
    in_order = first | np.concatenate(([True], where[1:] > where[:-1]))
    length = (ends - starts).astype(np.float64)
    total = np.bincount(run_pair, weights=length, minlength=len(pairs))
    kept = np.bincount(run_pair, weights=length * in_order, minlength=len(pairs))
    return runs, np.where(total > 0, kept / np.maximum(total, 1), 1.0)


def passages_many(
    ordered: np.ndarray, offsets: np.ndarray, pairs: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """(shared passages, share of them in order) of each pair (local document numbers),
    the shorter text read against the longer. Two texts of one length are ordered by
    their first and last shingles, and only when those are equal too are both readings
    made (the lower counts): neither the pair's order nor the input's ever matters."""
    if len(pairs) == 0:
        return np.zeros(0, np.int64), np.zeros(0)
    # Only the documents of these pairs: the lookups sort all their shingles.
    docs, pairs = np.unique(pairs, return_inverse=True)
    pairs = pairs.reshape(-1, 2)
    sizes = np.diff(offsets)[docs]
    take = np.repeat(offsets[docs], sizes) + np.arange(int(sizes.sum())) - np.repeat(
        _offsets(sizes)[:-1], sizes
    )
    ordered, offsets = ordered[take], _offsets(sizes)
    lengths = np.diff(offsets)
    padded = np.concatenate((ordered, [0])).astype(np.int64)  # an empty text reads 0
    first = np.where(lengths > 0, padded[offsets[:-1]], 0)
    last = np.where(lengths > 0, padded[np.maximum(offsets[1:] - 1, 0)], 0)
    a, b = pairs[:, 0], pairs[:, 1]
    key_a = np.stack((lengths[a], first[a], last[a]), axis=1).astype(np.int64)
    key_b = np.stack((lengths[b], first[b], last[b]), axis=1).astype(np.int64)
    differ = key_a != key_b
    column = np.argmax(differ, axis=1)
    tied = ~differ.any(axis=1)
    swap = ~tied & (key_b[np.arange(len(pairs)), column] < key_a[np.arange(len(pairs)), column])
    oriented = np.where(swap[:, None], pairs[:, ::-1], pairs)
    runs, in_order = _one_way(ordered, offsets, oriented, size)
    if tied.any():
        back_runs, back_order = _one_way(ordered, offsets, pairs[tied][:, ::-1], size)
        runs[tied] = np.minimum(runs[tied], back_runs)
        in_order[tied] = np.minimum(in_order[tied], back_order)
    return runs, in_order


def boilerplate_runs(
    parts: list[str], frequent: list[bool]
) -> tuple[list[str], int, bool]:
    """(the runs of consecutive boilerplate paragraphs of a text, joined; how many
    paragraphs they hold; whether the whole text is boilerplate)."""
    runs, run = [], []
    for part, is_frequent in zip(parts, frequent, strict=True):
        if is_frequent:
            run.append(part)
        elif run:
            runs.append("\n\n".join(run))
            run = []
    if run:
        runs.append("\n\n".join(run))
    return runs, sum(frequent), all(frequent)


def contents(
    texts: list[str], fulls: list[np.ndarray], counts: ParagraphCounts, params: DedupParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The content of each text whose full shingle set is given: its shingles but those
    of its runs of boilerplate paragraphs (the shingles across two paragraphs of one
    notice are the notice's too); the whole set when nothing or everything is
    boilerplate. (sets joined, offsets, boilerplate paragraphs left out of each); all
    texts' paragraphs are keyed, their runs shingled and removed, at once."""
    keys, doc = keys_in_order(texts)
    frequent = counts.frequent(keys, params.boilerplate_docs).tolist()
    bounds = np.searchsorted(doc, np.arange(len(texts) + 1)).tolist()
    found = [
        boilerplate_runs(paragraphs(t), frequent[bounds[k] : bounds[k + 1]])
        for k, t in enumerate(texts)
    ]
    partial = np.array([bool(runs) and not whole for runs, _, whole in found], dtype=bool)
    used = [parts if use else [] for (parts, _, _), use in zip(found, partial, strict=True)]
    runs = [run for parts in used for run in parts]
    owner = np.repeat(np.arange(len(texts)), [len(parts) for parts in used])
    values, offsets, _ = shingle_sets(runs, params.shingle_size)
    boiler = (np.repeat(owner, np.diff(offsets)).astype(np.uint64) << np.uint64(32)) | values
    sizes = np.array([len(f) for f in fulls], dtype=np.int64)
    full = np.concatenate(fulls) if fulls else np.zeros(0, np.uint32)
    text_of = np.repeat(np.arange(len(texts)), sizes)
    drop = np.isin((text_of.astype(np.uint64) << np.uint64(32)) | full, boiler)
    left = np.bincount(text_of[~drop], minlength=len(texts))
    keep_all = ~partial | (left == 0)  # nothing, or only, boilerplate: compared whole
    drop &= ~keep_all[text_of]
    kept_sizes = np.bincount(text_of[~drop], minlength=len(texts))
    ignored = np.where(keep_all, 0, [n for _, n, _ in found]).astype(np.int64)
    return full[~drop], _offsets(kept_sizes), ignored


def covered_share(values: np.ndarray, other: np.ndarray) -> float:
    """Share of the sorted distinct `values` found in the sorted `other`."""
    if len(values) == 0 or len(other) == 0:
        return 0.0
    found = np.minimum(np.searchsorted(other, values), len(other) - 1)
    return float(np.count_nonzero(other[found] == values) / len(values))


def passages(text_a: str, text_b: str, size: int) -> tuple[int, float]:
    """passages_many for two texts."""
    ordered, offsets = ordered_shingles([text_a, text_b], size)
    runs, in_order = passages_many(ordered, offsets, np.array([[0, 1]]), size)
    return int(runs[0]), float(in_order[0])


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


def _share_boilerplate(
    text_a: str, text_b: str, counts: ParagraphCounts, params: DedupParams
) -> bool:
    """Whether the two texts hold a boilerplate paragraph in common."""
    keys, doc = keys_in_order([text_a, text_b])
    frequent = counts.frequent(keys, params.boilerplate_docs)
    first, second = (set(keys[frequent & (doc == k)].tolist()) for k in (0, 1))
    return bool(first & second)


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
    coverage = (covered_share(full_a, full_b), covered_share(full_b, full_a))
    ignored = np.zeros(2, dtype=np.int64)
    whole_a, whole_b = np.array([coverage[0]]), np.array([coverage[1]])
    likely = bool(decide(whole_a, whole_b, params)[0] or grey(whole_a, whole_b, params)[0])
    if likely and _share_boilerplate(text_a, text_b, counts, params):
        # as the run (core._Run._verify_chunk): measured again without boilerplate
        values_c, offsets_c, ignored = contents([text_a, text_b], [full_a, full_b], counts, params)
        content_a, content_b = values_c[offsets_c[0] : offsets_c[1]], values_c[offsets_c[1] :]
        coverage = (covered_share(content_a, full_b), covered_share(content_b, full_a))
    runs, in_order = passages(text_a, text_b, params.shingle_size)
    left, right = np.array([coverage[0]]), np.array([coverage[1]])
    one = bool(decide(left, right, params)[0]) or bool(
        grey(left, right, params)[0] and decide_passages(np.array(runs), np.array(in_order), params)
    )
    return Comparison(
        words=(int(words[0]), int(words[1])),
        shingles=(len(full_a), len(full_b)),
        similarity=both / union if union else 1.0,
        coverage=coverage,
        boilerplate_paragraphs=(int(ignored[0]), int(ignored[1])),
        shared_passages=runs,
        in_order=in_order,
        one_story=one,
    )
