"""Per-document features for matching, as pure functions of the texts and parameters.

Two kinds, for the two passes of dedup (core.py):

- the index (`index_features`, every document, computed in worker processes): a key of
  the normalized text, the number of comparison words, the LSH band keys and a one-byte
  sketch of every MinHash value; a few hundred bytes per document, all that is kept in
  memory while the whole input streams by;
- the sets: each document's distinct shingle hashes (computed with the index, kept on
  disk, read back for the documents LSH and the sketch make likely duplicates) and its
  figure hashes (`figure_sets`, computed only for pairs that pass the shingle check),
  on which a match is verified exactly.

Comparison tokens are those of keys.tokens. Each token is hashed (a polynomial hash of
its bytes, vectorized over the whole batch), and a shingle hash combines the hashes of
`shingle_size` consecutive tokens; neither depends on the white space between words,
so no normalized copy of the text is ever built. A set keeps the top 32 bits of each
distinct shingle hash, sorted. MinHash signatures come from rensa (Rust) over those
32-bit values: measured fastest of datasketch, rensa and a numpy MinHash (docs/dedup.md).
"""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass

import numpy as np
import rensa
import xxhash

from .codepoints import bmp_points, without_marks, words_spaced
from .keys import figure_bytes, tokens
from .params import DedupParams

U64 = np.uint64
# Odd multiplier of the byte polynomial (odd, so it is invertible modulo 2**64) and the
# murmur3 64-bit finalizer constants (public domain, MurmurHash3 fmix64).
_BASE = U64(0x100000001B3 * 2 + 1)
_FMIX1, _FMIX2 = U64(0xFF51AFD7ED558CCD), U64(0xC4CEB9FE1A85EC53)
_MIX = U64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, a common multiplicative mixer
_SPACE, _NEWLINE = 32, 10


@dataclass
class IndexFeatures:
    """What the first pass keeps of each document of a batch, in the batch's order."""

    exact: np.ndarray  # uint64 (docs, 2): 128-bit key of the comparison tokens
    word_counts: np.ndarray  # int32, number of comparison tokens
    bands: np.ndarray  # uint32 (docs, bands): one key per LSH band
    sketch: np.ndarray  # uint8 (docs, num_perm): low byte of each MinHash value
    set_values: np.ndarray  # uint32: sorted distinct shingle hashes of each document, joined
    set_offsets: np.ndarray  # int64, len = docs + 1


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


def _span_hashes(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Position-independent hash of each byte span [start, end) of the joined batch."""
    forward, backward = _POWERS.upto(len(data))
    prefix = np.zeros(len(data) + 1, dtype=U64)
    with np.errstate(over="ignore"):
        # into the prefix directly: no uint64 copy of the bytes, no product array (a
        # third less time than cumsum(data.astype(U64) * forward), the same values)
        np.multiply(data, forward, out=prefix[1:])
        np.cumsum(prefix[1:], out=prefix[1:])
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


def _distinct_sets(hashes: np.ndarray, doc: np.ndarray, docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Each document's sorted distinct top-32-bit hashes, concatenated, and offsets."""
    keyed = np.sort((doc.astype(U64) << U64(32)) | (hashes >> U64(32)))
    keep = np.concatenate(([True], keyed[1:] != keyed[:-1])) if len(keyed) else np.zeros(0, bool)
    keyed = keyed[keep]
    counts = np.bincount((keyed >> U64(32)).astype(np.int64), minlength=docs)
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    return (keyed & U64(0xFFFFFFFF)).astype(np.uint32), offsets


def _ascii_table() -> bytes:
    """Byte table: ASCII letters and digits lower-cased, every other byte a space."""
    table = bytearray(b" " * 256)
    for code in range(128):
        if chr(code).isalnum():
            table[code] = ord(chr(code).lower())
    return bytes(table)


_ASCII_TABLE = _ascii_table()


def comparison_bytes(text: str) -> bytes:
    """The comparison tokens of a text as UTF-8, separated by runs of spaces."""
    if text.isascii():  # same tokens as keys.tokens, without building them one by one
        return text.encode("ascii").translate(_ASCII_TABLE)
    points = bmp_points(unicodedata.normalize("NFKD", text))
    if points is None:  # a character beyond the tables: the defining path
        return " ".join(tokens(text)).encode("utf-8")
    # keys.tokens with per-code-point tables instead of translate and a regex
    folded = bmp_points(without_marks(points).casefold())
    if folded is None:
        return " ".join(tokens(text)).encode("utf-8")
    return words_spaced(folded)


def token_hashes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(hash of every comparison token of every text, in order; tokens per text)."""
    joined = b"\n".join(comparison_bytes(t) for t in texts) + b"\n"
    data = np.frombuffer(joined, dtype=np.uint8)
    blank = (data == _SPACE) | (data == _NEWLINE)
    before = np.concatenate(([True], blank[:-1]))
    after = np.concatenate((blank[1:], [True]))
    starts = np.flatnonzero(~blank & before)
    ends = np.flatnonzero(~blank & after) + 1
    doc = np.searchsorted(np.flatnonzero(data == _NEWLINE), starts)
    return _span_hashes(data, starts, ends), np.bincount(doc, minlength=len(texts))


def shingle_hashes(
    hashes: np.ndarray, words: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, doc) of every `size`-gram of consecutive tokens of every text.

    A text with fewer words than `size` has one shingle, all its words; an empty text
    has none. `doc` is the text's index for each hash.
    """
    first = np.concatenate(([0], np.cumsum(words)[:-1])).astype(np.int64)
    counts = np.where(words >= size, words - size + 1, (words > 0).astype(np.int64))
    doc = np.repeat(np.arange(len(words)), counts)
    head = first[doc] + np.arange(len(doc)) - np.repeat(np.cumsum(counts) - counts, counts)
    last = first[doc] + words[doc] - 1
    combined = hashes[head].copy()
    with np.errstate(over="ignore"):
        for step in range(1, size):
            inside = head + step <= last
            following = hashes[np.minimum(head + step, last)]
            combined = np.where(inside, combined * _MIX + following, combined)
    return _fmix(combined), doc


def exact_keys(hashes: np.ndarray, words: np.ndarray) -> np.ndarray:
    """(docs, 2) uint64: a 128-bit digest of each text's sequence of token hashes, so
    equal for texts with the same comparison tokens."""
    ends = np.cumsum(words)
    raw = hashes.tobytes()
    digests = b"".join(
        xxhash.xxh3_128_digest(raw[8 * int(a) : 8 * int(b)])
        for a, b in zip(ends - words, ends, strict=True)
    )
    return np.frombuffer(digests, dtype=U64).reshape(len(words), 2).copy()


def shingle_sets(texts: list[str], size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(set values, set offsets, tokens per text) of a batch of texts."""
    hashes, words = token_hashes(texts)
    values, offsets = _distinct_sets(*shingle_hashes(hashes, words, size), len(texts))
    return values, offsets, words


def signatures(values: np.ndarray, offsets: np.ndarray, params: DedupParams) -> np.ndarray:
    """(docs, num_perm) uint32 MinHash signatures of the shingle sets."""
    docs = len(offsets) - 1
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        values.astype(U64), offsets.astype(U64), params.num_perm, params.seed
    )
    flat = np.fromiter(
        itertools.chain.from_iterable(matrix.to_rows()),
        dtype=np.uint32,
        count=docs * params.num_perm,
    )
    return flat.reshape(docs, params.num_perm)


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(docs, bands) uint32: each band's rows folded and mixed into one key. 32 bits are
    enough: a chance collision only adds a candidate, which verification drops."""
    keys = np.zeros((len(signatures), bands), dtype=U64)
    with np.errstate(over="ignore"):
        for row in range(rows):
            keys = keys * _MIX + signatures[:, row : bands * rows : rows].astype(U64)
    return (_fmix(keys) >> U64(32)).astype(np.uint32)


def ordered_count(words: np.ndarray, size: int) -> np.ndarray:
    """Shingles of a text of `words` tokens, in order (see shingle_hashes)."""
    words = np.asarray(words, dtype=np.int64)
    return np.where(words >= size, words - size + 1, (words > 0).astype(np.int64))


def minhash_signatures(
    texts: list[str], params: DedupParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shingling and MinHash alone, the ceiling of the first pass (benchmarks time it):
    (signatures, set values, set offsets, token hashes, tokens per text)."""
    hashes, words = token_hashes(texts)
    values, offsets = _distinct_sets(
        *shingle_hashes(hashes, words, params.shingle_size), len(texts)
    )
    return signatures(values, offsets, params), values, offsets, hashes, words


def ordered_shingles(texts: list[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """(every text's shingle values, as in the sets, in text order; offsets)."""
    hashes, words = token_hashes(texts)
    values, _ = shingle_hashes(hashes, words, size)
    counts = ordered_count(words, size)
    return (values >> U64(32)).astype(np.uint32), np.concatenate(([0], np.cumsum(counts)))


def index_features(texts: list[str], params: DedupParams) -> IndexFeatures:
    """The first pass's features of a batch; depends only on the texts and parameters."""
    signature, values, offsets, hashes, words = minhash_signatures(texts, params)
    return IndexFeatures(
        exact=exact_keys(hashes, words),
        word_counts=words.astype(np.int32),
        bands=band_keys(signature, *params.banding),
        sketch=(signature & np.uint32(0xFF)).astype(np.uint8),
        set_values=values,
        set_offsets=offsets,
    )
