"""The original publication date of an article page, from the most explicit evidence down.

The chain, first hit wins: a full date in the article's URL; publication `<meta>` names,
then the article's JSON-LD `datePublished` (then `dateCreated`) and the page node's
`datePublished` (a UTC timestamp gives way to the date the page shows, one day apart);
microdata `itemprop=datePublished`, `<time pubdate>`/`.published`, the first `<time>`
after the headline, a visible "Published ..." date in the byline area after the
headline, then one just above it; last, htmldate's search for the original date.
Modified/updated dates are never read, nor dates inside link boxes (related stories,
latest news, comments); a page whose metadata only says when it was modified gets no date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import lxml.etree
from lxml.html import HtmlElement

from ...normalize.dates import LATEST_YEAR, ascii_digits, parse_any_date
from .dom import article_ancestors, class_words, inside_linkbox, squash, tag_of
from .jsonld import JsonLd, Node
from .selectors import (
    ABOVE_HEADLINE_CHARS,
    HEADER_WINDOW_CHARS,
    MODIFIED_META,
    MONTHS,
    NOT_PUBLISHED_CONTEXT,
    PUBLISHED_CONTEXT,
    PUBLISHED_META,
    PUBLISHED_PROPERTIES,
)

_MONTH = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
# Dates as bylines print them: "14 September 2022", "1er février 2024", "12 مارس 2024",
# "16. Oktober 2019", "3 de mayo de 2022", "March 12, 2024", "2024-03-12", "12/03/2024"
# (day first outside the US), and the German short form "23.09.22".
_TEXT_DATES = (
    (
        re.compile(
            rf"(?<!\d)(\d{{1,2}})(?:er|st|nd|rd|th|º)?\.?\s+(?:de\s+)?({_MONTH})\.?,?\s+"
            rf"(?:de\s+)?(\d{{4}})(?!\d)",
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
    # Two digits each, dots only: "23.09.22" is a German date, "1.2.20" a version number.
    (re.compile(r"(?<![\d.])(\d{2})\.(\d{2})\.(\d{2})(?![\d.])"), ("d", "m", "y")),
)
_URL_DATE = re.compile(r"[/_-]((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?:[/_.?#-]|$)")
_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}")
_COMPACT = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})$")
# A time of day in UTC at the end of a timestamp: `Z`, `+00:00`, `+0000`, `GMT`, `UTC`.
_UTC_TIME = re.compile(r"\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:Z|[+-]00:?00|GMT|UTC)\s*$", re.I)
_MAX_VALUE_CHARS = 100
# htmldate accepts dates up to today by default, which would make a build depend on the
# day it runs; the last year the records accept is a fixed bound (the same accuracy on
# the real-web dev sets as today's date).
_HTMLDATE_MAX = f"{LATEST_YEAR}-12-31"  # a date attribute longer than this is not a date
_CONTEXT_CHARS = 30  # text before a date that can say "Updated:" or "Published:"


def _iso(year: int, month: int, day: int) -> str | None:
    return parse_any_date(f"{year:04d}-{month:02d}-{day:02d}")


def _full_year(digits: str) -> int:
    """A two-digit year is this century's up to 69, the last's from 70 (as strptime's %y)."""
    year = int(digits)
    if len(digits) > 2:
        return year
    return 2000 + year if year < 70 else 1900 + year


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
            iso = _iso(_full_year(parts["y"]), month, int(parts["d"])) if month else None
            if iso and not any(abs(match.start() - p) < 4 for p in found):
                found[match.start()] = iso
    return sorted(found.items())


def _raw(value: Any) -> str | None:
    """The string of a date property (the first of a list, a node's `@value`)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value")
    return value if isinstance(value, str) else None


def _structured(value: Any) -> str | None:
    """A machine-readable date value (ISO 8601, `YYYYMMDD`, RFC 2822) to ISO; None otherwise.

    Deliberately not dateutil's free parsing: it fills a missing day or year from
    today's date, which would make the output depend on when the build runs.
    """
    raw = _raw(value)
    if raw is None:
        return None
    text = ascii_digits(raw).strip()
    if _ISO_START.match(text):
        return parse_any_date(text)
    compact = _COMPACT.match(text)
    if compact:
        return _iso(*(int(g) for g in compact.groups()))
    return _first_text_date(text[:_MAX_VALUE_CHARS])


# A date read from metadata, with the text it was read from.
Found = tuple[str, str]


def _from_jsonld(article: Node | None, jsonld: JsonLd) -> Found | None:
    for node, key in (
        (article, "datePublished"),
        (article, "dateCreated"),
        (jsonld.page(), "datePublished"),
    ):
        raw = _raw(node.get(key)) if node else None
        if raw and (found := _structured(raw)):
            return found, raw
    return None


def _from_meta(meta: dict[str, str]) -> Found | None:
    for name in PUBLISHED_META:
        raw = meta.get(name)
        if raw and (found := _structured(raw)):
            return found, raw
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


def _own_texts(element: HtmlElement) -> list[tuple[str, HtmlElement]]:
    """The element's text nodes in document order, each with the element holding it,
    leaving out scripts and styles."""
    found: list[tuple[str, HtmlElement]] = []
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        if node.text and tag_of(node) not in ("script", "style"):
            found.append((node.text, node))
        if node.tail and node is not element:
            parent = node.getparent()
            found.append((node.tail, parent if parent is not None else node))
    return found


def _texts_above(headline: HtmlElement) -> list[str]:
    """The short text nodes just before the headline (nearest first), outside link boxes:
    many sites print the date in a kicker or date line above the <h1>."""
    protected, seen, texts = article_ancestors(headline), 0, []
    node: HtmlElement | None = headline
    while node is not None and tag_of(node) not in ("body", "html"):
        for sibling in node.itersiblings(preceding=True):
            pieces = _own_texts(sibling)
            if sibling.tail:
                parent = sibling.getparent()
                pieces.append((sibling.tail, parent if parent is not None else sibling))
            for raw, holder in reversed(pieces):
                text = squash(raw)
                if not text:
                    continue
                seen += len(text)
                if seen > ABOVE_HEADLINE_CHARS:
                    return texts
                if not inside_linkbox(holder, protected):
                    texts.append(text)
        parent = node.getparent()
        if parent is not None and (text := squash(parent.text)):
            seen += len(text)
            if seen > ABOVE_HEADLINE_CHARS:
                return texts
            texts.append(text)
        node = parent
    return texts


def _window_date(window: str) -> str | None:
    """The date a byline window announces as published, else its first date that is not
    announced as updated/modified."""
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


def _from_visible_text(headline: HtmlElement | None) -> str | None:
    """A date printed near the headline: in the byline area after it, else just above it."""
    if headline is None:
        return None
    return _window_date(" | ".join(_byline_texts(headline))) or _window_date(
        " | ".join(reversed(_texts_above(headline)))
    )


def url_date(url: str | None) -> str | None:
    """A `/YYYY/MM/DD/` (or `-YYYY-MM-DD`) date in an article URL."""
    match = _URL_DATE.search(url or "")
    return _iso(*(int(g) for g in match.groups())) if match else None


def _declares_modified(meta: dict[str, str], article: Node | None) -> bool:
    return bool(article and article.get("dateModified")) or any(
        name in meta for name in MODIFIED_META
    )


def _day_apart(first: str, second: str) -> bool:
    return abs((dt.date.fromisoformat(first) - dt.date.fromisoformat(second)).days) == 1


def publish_date(
    tree: HtmlElement,
    meta: dict[str, str],
    jsonld: JsonLd,
    article: Node | None,
    headline: HtmlElement | None,
    urls: Iterable[str | None],
) -> str | None:
    """The page's first-publication date as `YYYY-MM-DD`, or None when the page has none."""
    urls = [u for u in urls if u]
    # A full date in the article's URL was set when the story was first published and
    # does not move with later edits or re-publications (as htmldate, which reads it first).
    found = next((d for d in map(url_date, urls) if d), None)
    if found:
        return found
    # <meta> before JSON-LD: where the two disagree on the real-web dev sets, the <meta>
    # date is the gold on 9 pages and the JSON-LD one on 2 (SEO plugins write JSON-LD
    # from other fields, and evergreen pages rewrite it when they are re-promoted).
    metadata = _from_meta(meta) or _from_jsonld(article, jsonld)
    if metadata and not _UTC_TIME.search(ascii_digits(metadata[1])):
        return metadata[0]
    visible = _from_elements(tree, headline) or _from_visible_text(headline)
    if metadata:
        # A time in UTC ("...T05:30:59Z") is the publisher's local date only for a
        # publisher on UTC: the date the page shows its readers, one day apart, is the
        # local one (an evening story in the Americas is stamped the next day in UTC).
        found = metadata[0]
        return visible if visible and _day_apart(found, visible) else found
    if visible or _declares_modified(meta, article):
        # htmldate falls back on a modification date (even with original_date); a page
        # whose metadata only says when it was modified gets no date (1 page of 1,527 on
        # the real-web dev sets would have had that date as gold).
        return visible
    return _htmldate(tree, urls[0] if urls else None)


def _htmldate(tree: HtmlElement, url: str | None) -> str | None:
    """htmldate's search for the original date, the last resort when the page has no date
    our chain trusts: it reads date-like class names, free-text dates in any dateparser
    language and the whole page's text (see docs/extraction.md for what it adds and costs).
    """
    import htmldate  # imported by the first page that needs it (87 ms)

    try:
        found = htmldate.find_date(
            tree, extensive_search=True, original_date=True, url=url, max_date=_HTMLDATE_MAX
        )
    except Exception:  # noqa: BLE001 - a heuristic's failure on one page is "no date"
        return None
    return parse_any_date(found) if found else None
