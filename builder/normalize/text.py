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
# Characters cleaning would change in lines joined by newlines, once NFC: the stray
# ones and every white space character but the space and the newline (those str.split
# and the re module's \s see, all below U+3001). With none of them, and no space doubled
# or at either end of a line, a page has nothing to clean (most have nothing), and
# finding that out is one scan instead of a split and join per line.
_OTHER_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in " \n")
_IRREGULAR = re.compile("[" + _STRAY.pattern[1:-1] + re.escape(_OTHER_SPACES) + "]")
# For ASCII text the same question is asked of the bytes, faster: deleting the printable
# characters and the newline leaves the control characters.
_ASCII_PLAIN = bytes(range(0x20, 0x7F)) + b"\n"


def clean_inline(text: str) -> str:
    """One line of text: entities decoded, NFC, stray controls removed, spaces collapsed."""
    if "&" in text:
        text = html.unescape(text)
    text = _STRAY.sub("", unicodedata.normalize("NFC", text))
    if "\n" in text:  # an entity such as &#10; may have made one: it stays
        return _SPACES.sub(" ", text).strip()
    # Without a newline, splitting at white space and joining with one space is the same
    # as collapsing runs of it and stripping (both use str.isspace), several times faster.
    return " ".join(text.split())


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Clean each paragraph and drop the ones that end up empty.

    Done on all paragraphs at once, one per line: NFC and the removal of stray
    characters never act across a newline, so one call each over the page gives the
    lines their own calls would. Entities are decoded per paragraph (&#10; would make a
    newline that then split one).
    """
    lines = [p.replace("\n", " ") for p in paragraphs]
    joined = "\n".join(lines)
    if "&" in joined:
        cleaned = [clean_inline(line) for line in lines]
        return [p for p in cleaned if p]
    joined = unicodedata.normalize("NFC", joined)
    if _is_clean(joined):
        return [p for p in joined.split("\n") if p]
    joined = _STRAY.sub("", joined)
    collapsed = (" ".join(line.split()) for line in joined.split("\n"))
    return [p for p in collapsed if p]


def _is_clean(joined: str) -> bool:
    """True when NFC lines joined by newlines have nothing to clean (see _IRREGULAR)."""
    if joined.isascii():
        if joined.encode("ascii").translate(None, _ASCII_PLAIN):
            return False  # a control character (tab, CR, form feed, DEL, ...)
    elif _IRREGULAR.search(joined):
        return False
    if joined.startswith(" ") or joined.endswith(" "):
        return False
    # One search instead of three ("  ", " \n", "\n "); an empty line ("\n\n") looks
    # unclean too and only takes the slower path.
    return "  " not in joined.replace("\n", " ")


def join_paragraphs(paragraphs: list[str]) -> str:
    """The record's text form: paragraphs separated by one blank line."""
    return "\n\n".join(paragraphs)


def split_paragraphs(text: str) -> list[str]:
    """Inverse of join_paragraphs, tolerant of extra blank lines."""
    return [p.strip() for p in _BLANK_LINES.split(text) if p.strip()]


def casefold_key(text: str) -> str:
    """A comparison key: NFKC case-folded, white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
