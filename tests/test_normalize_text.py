"""Text normalization: NFC, entities, stray controls, white space; paragraph breaks kept."""

from __future__ import annotations

import html
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.normalize.text import (
    casefold_key,
    clean_inline,
    clean_paragraphs,
    join_paragraphs,
    split_paragraphs,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Egypt\u00a0opens   new\tplant  ", "Egypt opens new plant"),  # NBSP, runs, tabs, ends
        ("Q&amp;A: Cairo&#39;s spice &quot;souk&quot;", 'Q&A: Cairo\'s spice "souk"'),  # entities
        ("Caf\u0065\u0301 Riche", "Caf\u00e9 Riche"),  # decomposed e + acute -> NFC
        ("house\u200bholds pres\u00adsure\x07 \ufeffend", "households pressure end"),  # debris
        ("line\x0cfeed and C1\x85control", "linefeed and C1control"),
        (
            "\u0645\u062d\u0627\u0641\u0638\u200c\u0627\u0644\u062c\u064a\u0632\u0629",
            "\u0645\u062d\u0627\u0641\u0638\u200c\u0627\u0644\u062c\u064a\u0632\u0629",
        ),  # ZWNJ kept
        ("AT&T &amp; &unknown; R&D", "AT&T & &unknown; R&D"),  # bare ampersands are text
        (
            "\u0623\u0647\u0644\u0627\u064b \u00a0 \u0648\u0633\u0647\u0644\u0627\u064b",
            "\u0623\u0647\u0644\u0627\u064b \u0648\u0633\u0647\u0644\u0627\u064b",
        ),
    ],
)
def test_clean_inline(raw: str, expected: str) -> None:
    assert clean_inline(raw) == expected


def test_clean_inline_output_is_nfc_and_idempotent() -> None:
    raw = "A\u0301rabe  &amp;  e\u0301te\u0301\u200b"
    once = clean_inline(raw)
    assert unicodedata.is_normalized("NFC", once)
    assert clean_inline(once) == once


def test_paragraphs_are_cleaned_and_empty_ones_dropped() -> None:
    paragraphs = [
        "  First\u00a0 paragraph ",
        "\x07\u200b",
        "Second\nline of the same paragraph",
        "   ",
    ]
    assert clean_paragraphs(paragraphs) == ["First paragraph", "Second line of the same paragraph"]


def test_paragraph_breaks_survive_a_round_trip() -> None:
    paragraphs = ["One.", "Two has  spaces.", "Three."]
    text = join_paragraphs(clean_paragraphs(paragraphs))
    assert text == "One.\n\nTwo has spaces.\n\nThree."
    assert split_paragraphs(text) == ["One.", "Two has spaces.", "Three."]
    assert split_paragraphs("One.\n \n\n\nTwo.\n") == ["One.", "Two."]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ahram Online", "  AHRAM\u00a0online "),
        ("\uff21hram", "ahram"),  # fullwidth letters fold (NFKC)
        ("Stra\u00dfe", "STRASSE"),
    ],
)
def test_casefold_key_equates_spellings(a: str, b: str) -> None:
    assert casefold_key(a) == casefold_key(b)


# Characters that make each step of the cleaning act: entities, combining marks that
# compose, stray controls, every kind of white space, newlines, Arabic and plain letters.
_TRICKY = st.sampled_from(
    list("ab \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000\u200b\u00ad\ufeffe\u0301\u0327")
    + ["&amp;", "&#10;", "&#x85;", "&", "\u0645", "\u064b", "\u1100\u1161", "\uff21"]
)
_LINE = st.lists(_TRICKY, max_size=12).map("".join)
_STRAY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff\ufffe]")


def _reference_inline(text: str) -> str:
    """clean_inline as first written: unescape, NFC, strip debris, collapse, strip."""
    text = html.unescape(text) if "&" in text else text
    text = _STRAY.sub("", unicodedata.normalize("NFC", text))
    return re.sub(r"[^\S\n]+", " ", text).strip()


@settings(max_examples=400, deadline=None)
@given(_LINE)
def test_clean_inline_equals_its_definition(text: str) -> None:
    assert clean_inline(text) == _reference_inline(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE, max_size=6))
def test_cleaning_paragraphs_together_equals_cleaning_each(paragraphs: list[str]) -> None:
    """The page-at-once path gives exactly the paragraphs of one cleaning per paragraph."""
    expected = [p for p in (_reference_inline(p.replace("\n", " ")) for p in paragraphs) if p]
    assert clean_paragraphs(paragraphs) == expected


def test_entity_newline_inside_a_paragraph_does_not_split_it() -> None:
    assert clean_paragraphs(["one&#10;two", "three"]) == ["one\ntwo", "three"]
