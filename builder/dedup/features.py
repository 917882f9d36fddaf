"""Per-document features for matching: normalized-text key, shingle set, LSH band keys.

Shingles are word n-grams of the comparison tokens (keys.tokens). They are hashed with
a polynomial hash over the normalized bytes, vectorized with numpy over a whole batch,
then mixed with the murmur3 finalizer; the set of a document keeps the top 32 bits of
each distinct hash (sorted), which is what Jaccard similarity is verified on. MinHash
signatures come from rensa (Rust) over those same 32-bit values: measured fastest of
datasketch, rensa and a numpy MinHash (docs/dedup.md). Everything here is a pure
function of the texts and the parameters, so batches can run in any process.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import rensa
import xxhash

from .keys import figure_bytes, normalized_bytes
from .params import DedupParams

U64 = np.uint64
# Odd multiplier of the byte polynomial (odd, so it is invertible modulo 2**64) and the
# murmur3 64-bit finalizer constants (public domain, MurmurHash3 fmix64).
_BASE = U64(0x100000001B3 * 2 + 1)
_FMIX1, _FMIX2 = U64(0xFF51AFD7ED558CCD), U64(0xC4CEB9FE1A85EC53)
_BAND_MUL = U64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, a common multiplicative mixer
_SPACE, _NEWLINE = 32, 10


@dataclass
class BatchFeatures:
    """Features of a batch of documents, in the batch's order."""

    exact_keys: list[bytes]  # 16-byte digest of the normalized text
    word_counts: np.ndarray  # int64, number of comparison tokens
    set_values: np.ndarray  # uint32, each document's sorted distinct shingle hashes, concatenated
    set_offsets: np.ndarray  # int64, len = docs + 1
    signatures: np.ndarray  # uint32, shape (docs, num_perm): MinHash of the shingle set
    figure_values: np.ndarray  # uint32, each document's sorted distinct figure hashes, concatenated
    figure_offsets: np.ndarray  # int64, len = docs + 1


def _inverse_mod_2_64(value: np.uint64) -> np.uint64:
    """Multiplicative inverse of an odd number modulo 2**64 (Newton's iteration)."""
    inverse = value
    with np.errstate(over="ignore"):
        for _ in range(6):
            inverse = inverse * (U64(2) - value * inverse)
    return inverse


class _Powers:
    """BASE**i and BASE**-i modulo 2**64, grown on demand and kept per process."""

    def __init__(self) -> None:
        self.forward = np.ones(1, dtype=U64)
        self.backward = np.ones(1, dtype=U64)

    def upto(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self.forward) < n:
            size = max(n, 2 * len(self.forward))
            with np.errstate(over="ignore"):
                self.forward = np.cumprod(
                    np.concatenate(([U64(1)], np.full(size - 1, _BASE))), dtype=U64
                )
                step = _inverse_mod_2_64(_BASE)
                self.backward = np.cumprod(
                    np.concatenate(([U64(1)], np.full(size - 1, step))), dtype=U64
                )
        return self.forward[:n], self.backward[:n]


_POWERS = _Powers()


def _fmix(values: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        values ^= values >> U64(33)
        values *= _FMIX1
        values ^= values >> U64(33)
        values *= _FMIX2
        values ^= values >> U64(33)
    return values


def _token_bounds(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) byte offsets of every token in the joined batch."""
    blank = (data == _SPACE) | (data == _NEWLINE)
    before = np.concatenate(([True], blank[:-1]))
    after = np.concatenate((blank[1:], [True]))
    return np.flatnonzero(~blank & before), np.flatnonzero(~blank & after) + 1


def _span_hashes(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Position-independent hash of each byte span [start, end) of the joined batch."""
    forward, backward = _POWERS.upto(len(data))
    prefix = np.zeros(len(data) + 1, dtype=U64)
    with np.errstate(over="ignore"):
        np.cumsum(data.astype(U64) * forward, out=prefix[1:])
        return _fmix((prefix[ends] - prefix[starts]) * backward[starts])


def figure_sets(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each text's sorted distinct figure hashes (the figures of keys.figures), found
    for the whole batch at once, and offsets."""
    joined = b"\n".join(figure_bytes(t) for t in texts) + b"\n"
    data = np.frombuffer(joined, dtype=np.uint8)
    digit = (data >= ord("0")) & (data <= ord("9"))
    before = np.concatenate(([False], digit[:-1]))
    after = np.concatenate((digit[1:], [False]))
    inside = digit | ((data == ord(".")) & before & after)  # a dot between two digits
    starts = np.flatnonzero(inside & ~np.concatenate(([False], inside[:-1])))
    ends = np.flatnonzero(inside & ~np.concatenate((inside[1:], [False]))) + 1
    doc = np.searchsorted(np.flatnonzero(data == _NEWLINE), starts)
    # Hash over the figure bytes only (a few percent of the text): same spans, less work.
    position = np.cumsum(inside) - 1
    kept = data[inside]
    hashes = _span_hashes(kept, position[starts], position[ends - 1] + 1)
    return _distinct_sets(hashes, doc, len(texts))


def shingle_hashes(texts: list[bytes], size: int) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, doc) of every word `size`-gram of every normalized text.

    A text with fewer words than `size` has one shingle, the whole text; an empty text
    has none. `doc` is the text's index for each hash.
    """
    joined = b"\n".join(texts) + b"\n"
    data = np.frombuffer(joined, dtype=np.uint8)
    starts, ends = _token_bounds(data)
    newlines = np.flatnonzero(data == _NEWLINE)
    token_doc = np.searchsorted(newlines, starts)
    words = np.bincount(token_doc, minlength=len(texts))
    first = np.concatenate(([0], np.cumsum(words)[:-1]))
    counts = np.where(words >= size, words - size + 1, (words > 0).astype(np.int64))
    doc = np.repeat(np.arange(len(texts)), counts)
    local = np.arange(len(doc)) - np.repeat(np.cumsum(counts) - counts, counts)
    head = first[doc] + local
    tail = np.minimum(head + size - 1, first[doc] + words[doc] - 1)
    return _span_hashes(data, starts[head], ends[tail]), doc


def _distinct_sets(hashes: np.ndarray, doc: np.ndarray, docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Each document's sorted distinct top-32-bit hashes, concatenated, and offsets."""
    keyed = np.sort((doc.astype(U64) << U64(32)) | (hashes >> U64(32)))
    keep = np.concatenate(([True], keyed[1:] != keyed[:-1])) if len(keyed) else np.zeros(0, bool)
    keyed = keyed[keep]
    counts = np.bincount((keyed >> U64(32)).astype(np.int64), minlength=docs)
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    return (keyed & U64(0xFFFFFFFF)).astype(np.uint32), offsets


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per band and document: the band's rows folded and mixed."""
    keys = np.zeros((len(signatures), bands), dtype=U64)
    with np.errstate(over="ignore"):
        for row in range(rows):
            keys = keys * _BAND_MUL + signatures[:, row : bands * rows : rows].astype(U64)
    return _fmix(keys)


def batch_features(texts: list[str], params: DedupParams) -> BatchFeatures:
    """Features of one batch; depends only on the texts and the parameters."""
    normalized = [normalized_bytes(t) for t in texts]
    exact_keys = [xxhash.xxh3_128_digest(n) for n in normalized]
    word_counts = np.array([n.count(b" ") + 1 if n else 0 for n in normalized], dtype=np.int64)
    hashes, doc = shingle_hashes(normalized, params.shingle_size)
    values, offsets = _distinct_sets(hashes, doc, len(texts))
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        values.astype(U64), offsets.astype(U64), params.num_perm, params.seed
    )
    signatures = np.array(matrix.to_rows(), dtype=np.uint32).reshape(len(texts), params.num_perm)
    return BatchFeatures(exact_keys, word_counts, values, offsets, signatures, *figure_sets(texts))
