"""Build-wide boilerplate: paragraphs repeated across many records of one dedup run.

Subscription notices, "about us" blurbs, agency disclaimers and live-blog templates are
whole paragraphs that many different stories carry. Two short stories ending with the
same long notice share most of their shingles without being one story, so the
near-duplicate decision (coverage.py) leaves such paragraphs out of its coverage
measures.

Every paragraph (a run of text between blank lines) gets a 64-bit key of its comparison
tokens (keys.tokens: case, accents and punctuation never make two copies differ).
While the index is built, the distinct keys of each record are counted in a count-min
table of fixed size (two rows of 2**22 counters, 32 MB of address space, pages touched
only where keys fall), so memory does not grow with the build; a count can only be
over-estimated, and only when both rows collide with frequent paragraphs. A paragraph
found in `DedupParams.boilerplate_docs` records or more is boilerplate.
"""

from __future__ import annotations

import re

import numpy as np
import xxhash

from .features import comparison_bytes

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
TABLE_BITS = 22
MAX_KEYS = 255  # keys kept per record (the index stores their number in one byte)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a record's text (runs between blank lines), blank ones left out."""
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def paragraph_key(paragraph: str) -> int:
    """64-bit key of a paragraph's comparison tokens (0 when it has none)."""
    normalized = b" ".join(comparison_bytes(paragraph).split())
    return xxhash.xxh3_64_intdigest(normalized) if normalized else 0


def paragraph_keys(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(each text's sorted distinct paragraph keys, at most MAX_KEYS, concatenated;
    offsets)."""
    parts, counts = [], []
    for text in texts:
        keys = sorted({paragraph_key(p) for p in paragraphs(text)} - {0})[:MAX_KEYS]
        parts.append(keys)
        counts.append(len(keys))
    flat = np.fromiter((k for keys in parts for k in keys), dtype=np.uint64, count=sum(counts))
    return flat, np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


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
