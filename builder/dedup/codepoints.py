"""Per-code-point tables for the non-ASCII paths of keys.tokens and keys.figure_bytes.

`str.translate` with a dict looks each character up in Python (about 0.15 us each: a
quarter of a millisecond per Arabic article), and so does a regex with a large class.
These tables answer for every code point of the Basic Multilingual Plane at once over a
text's UTF-32 array, with the same results (tests/test_dedup_keys.py compares them with
the definitions in keys.py); a text with a character beyond it (an emoji, a rare
script) takes the defining path. Built on first use, once per process (about 0.1 s).
"""

from __future__ import annotations

import functools
import unicodedata

import numpy as np

TATWEEL = "\u0640"  # Arabic elongation: drawn, never spelled
_BMP = 0x10000
_SPACE, _QUESTION = 32, ord("?")


@functools.cache
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(combining mark or tatweel?, letter or digit?, the ASCII digit a digit stands for)."""
    chars = [chr(cp) for cp in range(_BMP)]
    categories = [unicodedata.category(c) for c in chars]
    dropped = np.array([c in ("Mn", "Me") for c in categories], dtype=bool)
    dropped[ord(TATWEEL)] = True
    word = np.array([c.isalnum() for c in chars], dtype=bool)
    digits = np.arange(_BMP, dtype=np.uint32)
    for cp in range(128, _BMP):
        if categories[cp] == "Nd":
            digits[cp] = ord("0") + unicodedata.digit(chars[cp])
    return dropped, word, digits


def bmp_points(text: str) -> np.ndarray | None:
    """The text's code points, or None if one is beyond the BMP (no table for it)."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return points if not len(points) or int(points.max()) < _BMP else None


def without_marks(points: np.ndarray) -> str:
    """The text without combining marks (Mn, Me) and tatweel."""
    return points[~_tables()[0][points]].tobytes().decode("utf-32-le")


def words_spaced(points: np.ndarray) -> bytes:
    """UTF-8 of the text with every character that is not a letter or digit (what the
    regex [^\\W_] does not match) made a space."""
    spaced = points.copy()
    spaced[~_tables()[1][points]] = _SPACE
    return spaced.tobytes().decode("utf-32-le").encode("utf-8")


def ascii_figures(points: np.ndarray) -> bytes:
    """One ASCII byte per character: digits of any script as their ASCII digit, other
    non-ASCII characters as '?'."""
    mapped = _tables()[2][points]
    mapped[mapped > 127] = _QUESTION
    return mapped.astype(np.uint8).tobytes()
