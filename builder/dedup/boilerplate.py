"""Build-wide boilerplate: paragraphs repeated across many records of one dedup run.

Subscription notices, "about us" blurbs, agency disclaimers and live-blog templates are
whole paragraphs that many different stories carry. Two short stories ending with the
same long notice share most of their shingles without being one story, so the
near-duplicate decision (coverage.py) leaves such paragraphs out of its coverage
measures.

Every paragraph (text between blank lines) gets a 64-bit key of its bytes.
While the index is built, the distinct keys of each record are counted in a count-min
table of fixed size (two rows of 2**22 counters, 32 MB of address space, pages touched
only where keys fall), so memory does not grow with the build; a count can only be
over-estimated, and only when both rows collide with frequent paragraphs. A paragraph
found in `DedupParams.boilerplate_docs` records or more is boilerplate.
"""

from __future__ import annotations

import itertools

import numpy as np
import xxhash

TABLE_BITS = 22
MAX_KEYS = 255  # keys kept per record (the index stores their number in one byte)
BREAK = "\n\n"  # records' paragraphs are separated by one blank line (the schema)
_BREAK_BYTES = BREAK.encode()
_HASH = xxhash.xxh3_64_intdigest
_EMPTY = _HASH(b"")  # the key an empty paragraph would have: never counted


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a record's text (split at each blank line), empty ones left out."""
    return [p for p in text.split(BREAK) if p]


def _keys(text: str) -> list[int]:
    """The key of each paragraph of a text, in order: xxh3 of its UTF-8 bytes (records'
    text is normalized already: NFC, one space between words; a notice repeats
    verbatim). Measured 3 times faster than hashing a batch's bytes with numpy, and a
    key of the comparison tokens would cost as much as the shingles."""
    data = text.encode("utf-8", "surrogatepass")
    return [_HASH(p) for p in data.split(_BREAK_BYTES) if p]


def keys_in_order(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(the key of every paragraph of every text, in order; the text it belongs to)."""
    per_text = [_keys(t) for t in texts]
    counts = [len(k) for k in per_text]
    keys = np.fromiter(itertools.chain.from_iterable(per_text), dtype=np.uint64, count=sum(counts))
    return keys, np.repeat(np.arange(len(texts)), counts)


def paragraph_keys(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(each text's sorted distinct paragraph keys, at most MAX_KEYS, concatenated;
    offsets). The keys of _keys, hashed by map (no Python loop per paragraph)."""
    per_text = []
    for text in texts:
        keys = set(map(_HASH, text.encode("utf-8", "surrogatepass").split(_BREAK_BYTES)))
        keys.discard(_EMPTY)
        per_text.append(sorted(keys)[:MAX_KEYS])
    counts = [len(k) for k in per_text]
    keys = np.fromiter(itertools.chain.from_iterable(per_text), dtype=np.uint64, count=sum(counts))
    return keys, np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


class ParagraphCounts:
    """In how many records each paragraph key occurs (count-min, never under-counted)."""

    def __init__(self) -> None:
        self.table = np.zeros((2, 1 << TABLE_BITS), dtype=np.uint32)

    @staticmethod
    def _slots(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mask = np.uint64((1 << TABLE_BITS) - 1)
        keys = keys.astype(np.uint64)
        return (keys & mask).astype(np.int64), ((keys >> np.uint64(32)) & mask).astype(np.int64)

    def add(self, keys: np.ndarray) -> None:
        """Count keys (each record's keys distinct already)."""
        for row, slots in enumerate(self._slots(keys)):
            # slots with their counts: a plain indexed add (np.add.at is slow)
            unique, counts = np.unique(slots, return_counts=True)
            self.table[row][unique] += counts.astype(np.uint32)

    def count(self, keys: np.ndarray) -> np.ndarray:
        first, second = self._slots(keys)
        return np.minimum(self.table[0][first], self.table[1][second])

    def frequent(self, keys: np.ndarray, docs: int) -> np.ndarray:
        """Whether each key occurs in `docs` records or more (never, when docs is 0)."""
        if docs <= 0:
            return np.zeros(len(keys), dtype=bool)
        return self.count(keys) >= docs
