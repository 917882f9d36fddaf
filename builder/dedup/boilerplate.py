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

import numpy as np

from .features import _span_hashes

TABLE_BITS = 22
MAX_KEYS = 255  # keys kept per record (the index stores their number in one byte)
BREAK = "\n\n"  # records' paragraphs are separated by one blank line (the schema)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a record's text (split at each blank line), empty ones left out."""
    return [p for p in text.split(BREAK) if p]


def keys_in_order(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(64-bit key of every paragraph of every text, in order; the text it belongs to).

    A key hashes the paragraph's UTF-8 bytes (records' text is normalized already: NFC,
    one space between words; a notice repeats verbatim), all paragraphs of a batch at
    once: a key of the comparison tokens would cost as much as the shingles."""
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    pieces = [e.split(BREAK.encode()) for e in encoded]
    per_text = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    lengths = np.fromiter(
        (len(p) for text in pieces for p in text), dtype=np.int64, count=int(per_text.sum())
    )
    data = np.frombuffer(BREAK.encode().join(encoded) or b"\0", dtype=np.uint8)
    starts = np.concatenate(([0], np.cumsum(lengths + 2)[:-1])).astype(np.int64)
    keys = _span_hashes(data, starts, starts + lengths)
    doc = np.repeat(np.arange(len(texts)), per_text)
    kept = lengths > 0
    return keys[kept], doc[kept]


def paragraph_keys(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(each text's sorted distinct paragraph keys, at most MAX_KEYS, concatenated;
    offsets)."""
    keys, doc = keys_in_order(texts)
    order = np.lexsort((keys, doc))
    keys, doc = keys[order], doc[order]
    fresh = np.ones(len(keys), dtype=bool)
    fresh[1:] = (keys[1:] != keys[:-1]) | (doc[1:] != doc[:-1])
    keys, doc = keys[fresh], doc[fresh]
    counts = np.bincount(doc, minlength=len(texts))
    rank = np.arange(len(keys)) - np.repeat(np.cumsum(counts) - counts, counts)
    keys, doc = keys[rank < MAX_KEYS], doc[rank < MAX_KEYS]
    counts = np.bincount(doc, minlength=len(texts))
    return keys.astype(np.uint64), np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


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
        first, second = self._slots(keys)
        np.add.at(self.table[0], first, 1)
        np.add.at(self.table[1], second, 1)

    def count(self, keys: np.ndarray) -> np.ndarray:
        first, second = self._slots(keys)
        return np.minimum(self.table[0][first], self.table[1][second])

    def frequent(self, keys: np.ndarray, docs: int) -> np.ndarray:
        """Whether each key occurs in `docs` records or more (never, when docs is 0)."""
        if docs <= 0:
            return np.zeros(len(keys), dtype=bool)
        return self.count(keys) >= docs
