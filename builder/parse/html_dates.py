"""The original publication date of an article page, from the most explicit evidence down.

The chain, first hit wins: the article's JSON-LD `datePublished` (then `dateCreated`),
the page node's `datePublished`, publication `<meta>` names, microdata
`itemprop=datePublished`, `<time pubdate>`/`.published`, the first `<time>` after the
headline, a visible "Published ..." date in the byline area, then a date in the URL.
Modified/updated dates are never read, nor dates inside link boxes (related stories,
latest news, comments); a page that only says when it was updated gets no date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import lxml.etree
from lxml.html import HtmlElement

from ..normalize.dates import ascii_digits, parse_any_date
from .html_dom import article_ancestors, class_words, inside_linkbox, squash
from .html_jsonld import JsonLd, Node
from .html_selectors import (
    HEADER_WINDOW_CHARS,
    MONTHS,
    NOT_PUBLISHED_CONTEXT,
    PUBLISHED_CONTEXT,
    PUBLISHED_META,
    PUBLISHED_PROPERTIES,
)

_MONTH = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
# Dates as bylines print them: "14 September 2022", "1er février 2024", "12 مارس 2024",
# "March 12, 2024", "2024-03-12", "12/03/2024" (day first outside the US).
_TEXT_DATES = (
    (
        re.compile(
            rf"(?<!\d)(\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s+({_MONTH})\.?,?\s+(\d{{4}})(?!\d)",
            re.IGNORECASE,
        ),
        ("d", "m", "y"),
    ),
    (
        re.compile(
            rf"(?<![\w])({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)",
            re.IGNORECASE,
        ),
        ("m", "d", "y"),
    ),
    (re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), ("y", "m", "d")),
    (re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)"), ("d", "m", "y")),
)
_URL_DATE = re.compile(r"[/_-]((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?:[/_.?#-]|$)")
_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}")
_COMPACT = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})$")
_MAX_VALUE_CHARS = 100  # a date attribute longer than this is not a date
_CONTEXT_CHARS = 30  # text before a date that can say "Updated:" or "Published:"


def _iso(year: int, month: int, day: int) -> str | None:
    return parse_any_date(f"{year:04d}-{month:02d}-{day:02d}")


def _month(token: str) -> int | None:
    return MONTHS.get(" ".join(token.lower().split()))


def text_dates(text: str) -> list[tuple[int, str]]:
    """Every date written in the text as (position, ISO date), in order of position."""
    text = ascii_digits(text)
    found: dict[int, str] = {}
    for pattern, order in _TEXT_DATES:
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            month = _month(parts["m"]) if not parts["m"].isdigit() else int(parts["m"])
            iso = _iso(int(parts["y"]), month, int(parts["d"])) if month else None
            if iso and not any(abs(match.start() - p) < 4 for p in found):
                found[match.start()] = iso
    return sorted(found.items())


def _structured(value: Any) -> str | None:
    """A machine-readable date value (ISO 8601, `YYYYMMDD`, RFC 2822) to ISO; None otherwise.

    Deliberately not dateutil's free parsing: it fills a missing day or year from
    today's date, which would make the output depend on when the build runs.
    """
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value")
    if not isinstance(value, str):
        return None
    text = ascii_digits(value).strip()
    if _ISO_START.match(text):
        return parse_any_date(text)
    compact = _COMPACT.match(text)
    if compact:
        return _iso(*(int(g) for g in compact.groups()))
    return _first_text_date(text[:_MAX_VALUE_CHARS])


def _from_jsonld(article: Node | None, jsonld: JsonLd) -> str | None:
    for node, key in (
        (article, "datePublished"),
        (article, "dateCreated"),
        (jsonld.page(), "datePublished"),
    ):
        found = _structured(node.get(key)) if node else None
        if found:
            return found
    return None


def _from_meta(meta: dict[str, str]) -> str | None:
    for name in PUBLISHED_META:
        found = _structured(meta.get(name))
        if found:
            return found
    return None


def _element_date(element: HtmlElement) -> str | None:
    for attribute in ("datetime", "content", "title"):
        found = _structured(element.get(attribute))
        if found:
            return found
    return _first_text_date(squash(element.text_content()))


def _first_text_date(text: str) -> str | None:
    dates = text_dates(text)
    return dates[0][1] if dates else None


def _context_says_not_published(element: HtmlElement) -> bool:
    """Whether the element's class or the text just before it says updated/modified."""
    parent = element.getparent()
    before = element.getprevious()
    lead = (before.tail if before is not None else parent.text if parent is not None else "") or ""
    words = (
        " ".join(class_words(element))
        + " "
        + " ".join(class_words(parent) if parent is not None else [])
    )
    return bool(NOT_PUBLISHED_CONTEXT.search(f"{words} {lead[-_CONTEXT_CHARS:]}"))


# Attributes walked and stepped up to their element: faster in libxml2 than testing
# every element's attributes (`//*[@itemprop="..."]`), same elements in the same order.
_PROPERTY_VALUES = " or ".join(f'.="{p}"' for p in PUBLISHED_PROPERTIES)
_PROPERTY_XPATH = lxml.etree.XPath(
    f"//@itemprop[{_PROPERTY_VALUES}]/.. | //@property[{_PROPERTY_VALUES}]/.."
)
_MARKED_XPATH = lxml.etree.XPath(
    '//time[@pubdate] | //time[contains(@class, "published")]'
    ' | //abbr[contains(@class, "published")]'
)
_TIMES_AFTER = lxml.etree.XPath("following::time")
_TEXTS_AFTER = lxml.etree.XPath("following::text()")


def _from_elements(tree: HtmlElement, headline: HtmlElement | None) -> str | None:
    """Microdata/RDFa datePublished, `<time pubdate>` or `.published`, then the first
    `<time>` after the headline."""
    protected = article_ancestors(headline)
    for element in _PROPERTY_XPATH(tree) + _MARKED_XPATH(tree):
        if not inside_linkbox(element, protected) and (found := _element_date(element)):
            return found
    after = _TIMES_AFTER(headline) if headline is not None else list(tree.iter("time"))
    for element in after:
        if inside_linkbox(element, protected) or _context_says_not_published(element):
            continue
        if found := _element_date(element):
            return found
    return None


def _byline_texts(headline: HtmlElement) -> Iterable[str]:
    """Short text nodes following the headline (the byline area), outside link boxes."""
    protected, seen = article_ancestors(headline), 0
    for node in _TEXTS_AFTER(headline):
        text = squash(str(node))
        parent = node.getparent()
        if not text or parent is None or parent.tag in ("script", "style"):
            continue
        seen += len(text)
        if seen > HEADER_WINDOW_CHARS:
            return
        if not inside_linkbox(parent, protected):
            yield text


def _from_visible_text(headline: HtmlElement | None) -> str | None:
    """A date printed near the headline, skipping those announced as updated/modified."""
    if headline is None:
        return None
    window = " | ".join(_byline_texts(headline))
    candidates = []
    for position, iso in text_dates(window):
        lead = window[max(0, position - _CONTEXT_CHARS) : position]
        lead = lead.rsplit("|", 1)[-1]  # context is the same text node only
        if NOT_PUBLISHED_CONTEXT.search(lead):
            continue
        if PUBLISHED_CONTEXT.search(lead):
            return iso
        candidates.append(iso)
    return candidates[0] if candidates else None


def url_date(url: str | None) -> str | None:
    """A `/YYYY/MM/DD/` (or `-YYYY-MM-DD`) date in an article URL."""
    match = _URL_DATE.search(url or "")
    return _iso(*(int(g) for g in match.groups())) if match else None


def publish_date(
    tree: HtmlElement,
    meta: dict[str, str],
    jsonld: JsonLd,
    article: Node | None,
    headline: HtmlElement | None,
    urls: Iterable[str | None],
) -> str | None:
    """The page's first-publication date as `YYYY-MM-DD`, or None when the page has none."""
    found = (
        _from_jsonld(article, jsonld)
        or _from_meta(meta)
        or _from_elements(tree, headline)
        or _from_visible_text(headline)
    )
    if found:
        return found
    return next((d for d in map(url_date, urls) if d), None)
