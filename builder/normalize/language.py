"""Language of a record: the page's declaration when it has one, else identified from text."""

from __future__ import annotations

import re
from functools import lru_cache

from .langid_fast import identifier

# A language tag's primary subtag (2-3 letters) and whatever subtags follow it.
_CODE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")
# Tags that name no particular language: undetermined, multiple, uncoded (BCP 47).
_NO_PARTICULAR_LANGUAGE = frozenset({"und", "mul", "mis"})
# Regional varieties given as ISO 639-3 codes, mapped to the macrolanguage that has an
# ISO 639-1 code (ISO 639-3's macrolanguage table). The identifier emits the first ones
# (Egyptian and Moroccan Arabic are what this dataset collects most); a page may declare
# the others. Varieties whose macrolanguage has no 2-letter code keep their own code.
MACROLANGUAGES = {
    "arz": "ar", "ary": "ar", "arb": "ar", "apc": "ar", "ajp": "ar", "acm": "ar",
    "aeb": "ar", "afb": "ar", "apd": "ar", "ayl": "ar",
    "gug": "gn", "uzs": "uz", "uzn": "uz", "fuv": "ff", "yue": "zh", "wuu": "zh",
    "cmn": "zh", "ltg": "lv", "lvs": "lv", "sdh": "ku", "ckb": "ku", "kmr": "ku",
    "zsm": "ms", "pes": "fa", "prs": "fa", "swh": "sw", "ekk": "et", "nob": "no",
    "nno": "no",
}  # fmt: skip


@lru_cache(maxsize=4096)
def language_code(tag: str) -> str | None:
    """A language tag's primary subtag as the record stores it: ISO 639-1 where the
    language has a code there (`eng`, `deu` and the deprecated `iw` read as `en`, `de`,
    `he`), else ISO 639-3; a regional variety as its macrolanguage (`arz` -> `ar`).
    None for a tag that is not a language (`xx`, `english`) or names none (`und`)."""
    import langcodes  # 0.15 s; imported by the first page that needs a code

    match = _CODE.match(tag.strip())
    if not match:
        return None
    code = match.group(1).lower()
    if code in _NO_PARTICULAR_LANGUAGE or not langcodes.tag_is_valid(code):
        return None
    # A 2-letter equivalent replaces a 3-letter or deprecated code; langcodes' other
    # replacements (`tl` -> `fil`) would rename a language that has an ISO 639-1 code.
    mapped = langcodes.get(code).language or code
    code = mapped if len(mapped) == 2 else code
    return MACROLANGUAGES.get(code, code)


def declared_language(raw: str | None) -> str | None:
    """`en-GB`, `ar_EG`, `EN`, `deu` to the record's code; None for anything else."""
    return language_code(raw) if raw else None


# Identification reads at most this many characters of the text: its cost grows with
# every byte (most of a text dump's per-page time at the former 2,000). Measured: the
# label equals the 2,000-character one on every record of the 10,000-page benchmark
# crawl (9,911 records, English and Arabic), the samples and the HTML fixtures at 200
# characters already; 600 keeps three times that, a few sentences of news prose.
SAMPLE_CHARS = 600


def identify_language(text: str) -> str:
    # py3langid's model and answer, computed vectorized (2-3x faster; see langid_fast).
    return identify_languages([text])[0]


def identify_languages(texts: list[str]) -> list[str]:
    """`identify_language` of each text, computed together (cheaper per text)."""
    found = identifier().classify_many([text[:SAMPLE_CHARS] for text in texts])
    # Every class of the model has a valid code (a test walks them all); `zxx`, the
    # model's "no linguistic content" class, is kept: it is a BCP 47 code, documented.
    return [language_code(str(code)) or str(code) for code, _score in found]
