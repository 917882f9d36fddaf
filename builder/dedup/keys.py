"""What makes two records "the same" before any similarity: comparison tokens, the
exact-text key and the URL key.

Tokens are the text NFKD-decomposed, stripped of combining marks (accents, Arabic
harakat) and tatweel, case-folded, and cut into runs of letters and digits; so case,
white space, punctuation and Unicode form never make two copies look different.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from urllib.parse import parse_qsl, urlencode

from .codepoints import TATWEEL, ascii_figures, bmp_points

_WORD = re.compile(r"[^\W_]+")


@functools.cache
def _drop_table() -> dict[int, None]:
    """Combining marks of every plane (about 2,400 code points) plus tatweel."""
    marks = {
        cp: None
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) in ("Mn", "Me")
    }
    marks[ord(TATWEEL)] = None
    return marks


def tokens(text: str) -> list[str]:
    """The comparison words of a text (see the module docstring)."""
    folded = unicodedata.normalize("NFKD", text).translate(_drop_table()).casefold()
    return _WORD.findall(folded)


# A figure: digits, with single dots between digits ("4650.20", "1.2.3"); commas are
# dropped first, so "EGP 4,650" and "EGP 4650" state the same figure.
FIGURE = re.compile(rb"[0-9]+(?:\.[0-9]+)*")


def figure_bytes(text: str) -> bytes:
    """The text as one line of ASCII bytes for finding figures: non-ASCII digits
    (Arabic-Indic, Persian, ...) as their ASCII digit, other non-ASCII characters as '?',
    no commas."""
    # newlines become spaces: features.figure_sets separates the texts of a batch by them
    if text.isascii():
        raw = text.encode("ascii")
    else:
        points = bmp_points(text)
        raw = (
            ascii_figures(points)
            if points is not None
            else text.translate(_digit_table()).encode("ascii", "replace")
        )
    return raw.replace(b",", b"").replace(b"\n", b" ")


@functools.cache
def _digit_table() -> dict[int, str]:
    """Every non-ASCII decimal digit (Arabic-Indic, Persian, ...) to its ASCII digit."""
    return {
        cp: str(unicodedata.digit(chr(cp)))
        for cp in range(128, sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) == "Nd"
    }


def figures(text: str) -> list[str]:
    """The numbers a text states (see FIGURE), in order; features.figure_sets finds the
    same ones for a whole batch at once."""
    return [m.decode("ascii") for m in FIGURE.findall(figure_bytes(text))]


# Host prefixes of the mobile and AMP editions of a site; the article is the same.
EDITION_PREFIXES = ("www.", "m.", "mobile.", "amp.")
# Query parameters that only select the AMP rendering of a page.
AMP_PARAMS = frozenset({"amp", "outputtype", "output"})
AMP_SEGMENT = "amp"


def url_key(source_url: str | None) -> str | None:
    """The article a URL points at, ignoring scheme, default port, edition host and AMP:
    `https://m.site.com/a/amp?amp=1` and `http://www.site.com/a/` share one key.

    Plain string splitting (the URL is already normalized by normalize/urls.py); it is
    run on every record, and urllib's parser is ten times slower.
    """
    if not source_url:
        return None
    rest = source_url.split("://", 1)[-1].split("#", 1)[0]
    rest, _, query = rest.partition("?")
    hostport, _, path = rest.partition("/")
    host = hostport.rsplit("@", 1)[-1].lower()
    if host.endswith((":80", ":443")):
        host = host.rsplit(":", 1)[0]
    for prefix in EDITION_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
            break
    segments = [s for s in path.split("/") if s]
    if segments and segments[-1].lower() == AMP_SEGMENT:
        segments.pop()
    if segments and segments[0].lower() == AMP_SEGMENT:
        segments.pop(0)
    suffix = ""
    if query:
        pairs = sorted(
            (k, v)
            for k, v in parse_qsl(query, keep_blank_values=True)
            if k.lower() not in AMP_PARAMS
        )
        suffix = f"?{urlencode(pairs)}" if pairs else ""
    return f"{host}/{'/'.join(segments)}{suffix}"
