"""Language of a record: the page's declaration when it has one, else identified from text."""

from __future__ import annotations

import re

from .langid_fast import identifier

_CODE = re.compile(r"^([A-Za-z]{2})(?:[-_][A-Za-z0-9]+)*$")
# Identification reads at most this many characters of the text: its cost grows with
# every byte (most of a text dump's per-page time at the former 2,000). Measured: the
# label equals the 2,000-character one on every record of the 10,000-page benchmark
# crawl (9,911 records, English and Arabic), the samples and the HTML fixtures at 200
# characters already; 600 keeps three times that, a few sentences of news prose.
SAMPLE_CHARS = 600


def declared_language(raw: str | None) -> str | None:
    """`en-GB`, `ar_EG`, `EN` to the ISO 639-1 code; None for anything else."""
    if not raw:
        return None
    match = _CODE.match(raw.strip())
    return match.group(1).lower() if match else None


def identify_language(text: str) -> str:
    # py3langid's model and answer, computed vectorized (2-3x faster; see langid_fast).
    return identify_languages([text])[0]


def identify_languages(texts: list[str]) -> list[str]:
    """`identify_language` of each text, computed together (cheaper per text)."""
    found = identifier().classify_many([text[:SAMPLE_CHARS] for text in texts])
    return [str(code) for code, _score in found]
