"""Text normalization: NFC, entities, control characters, white space, paragraphs."""

from __future__ import annotations

import html
import re
import unicodedata

# Control and format characters that only ever appear as crawl debris. Tab and newline
# are kept for paragraph splitting; the zero-width joiner/non-joiner (U+200C/D) stay
# because Persian and Indic scripts need them; the BOM and soft hyphen go.
_STRAY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff\ufffe]")
_SPACES = re.compile(r"[^\S\n]+")  # any white space except newline, incl. NBSP
_BLANK_LINES = re.compile(r"\n\s*\n")


def clean_inline(text: str) -> str:
    """One line of text: entities decoded, NFC, stray controls removed, spaces collapsed."""
    if "&" in text:
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    text = _STRAY.sub("", text)
    return _SPACES.sub(" ", text).strip()


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Clean each paragraph and drop the ones that end up empty."""
    cleaned = (clean_inline(p.replace("\n", " ")) for p in paragraphs)
    return [p for p in cleaned if p]


def join_paragraphs(paragraphs: list[str]) -> str:
    """The record's text form: paragraphs separated by one blank line."""
    return "\n\n".join(paragraphs)


def split_paragraphs(text: str) -> list[str]:
    """Inverse of join_paragraphs, tolerant of extra blank lines."""
    return [p.strip() for p in _BLANK_LINES.split(text) if p.strip()]


def casefold_key(text: str) -> str:
    """A comparison key: NFKC case-folded, white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
