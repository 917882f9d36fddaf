"""Page metadata with a fallback chain per field: JSON-LD, then <meta>, then the markup.

Title: JSON-LD headline > og/twitter/DC title > <h1> > <title>, with the site name cut
off. Publication: JSON-LD publisher > og:site_name and kin > microdata publisher > what
<title> adds to the headline. URL: <link rel=canonical> > og:url > JSON-LD url.
Language: <html lang> > Content-Language > og:locale > JSON-LD inLanguage.
Dates and authors have their own modules (dates.py, authors.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.etree
from lxml.html import HtmlElement

from ...normalize.language import declared_language
from .authors import find_authors
from .dates import publish_date
from .dom import squash
from .jsonld import JsonLd, Node, node_url, read_jsonld, text_value
from .selectors import LANGUAGE_META, SITE_META, TITLE_META

_SEPARATORS = " |-–—:·•/»«"
_MAX_SITE_WORDS = 8  # what <title> adds to a headline is a site name only when short
_HEADLINE_TAGS = ("h1", "h2", "h3")
# Elements that can show the headline, below <body> in document order. Name tests and
# attributes stepped up to their element are faster in libxml2 than a predicate tested
# on every element.
_HEADLINE_XPATH = lxml.etree.XPath(
    " | ".join(f"descendant::{tag}" for tag in _HEADLINE_TAGS)
    + ' | descendant::*/@itemprop[.="headline"]/.. | descendant::*/@role[.="heading"]/..'
)
_PUBLISHER_NAME_XPATH = lxml.etree.XPath(
    '//@itemprop[.="publisher"]/../descendant::*/@itemprop[.="name"]/..'
)


@dataclass
class Metadata:
    """What the page says about its article, each field None/empty when it says nothing."""

    title: str | None = None
    publication: str | None = None
    publish_date: str | None = None  # YYYY-MM-DD
    url: str | None = None
    language: str | None = None
    authors: list[str] = field(default_factory=list)
    headline: HtmlElement | None = None  # the element showing the title, if found


def meta_index(tree: HtmlElement) -> dict[str, str]:
    """<meta> contents by lower-case property/name/http-equiv; the first of each name wins."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (
            meta.get("property")
            or meta.get("name")
            or meta.get("http-equiv")
            or meta.get("itemprop")
        )
        content = squash(meta.get("content"))
        if key and content:
            found.setdefault(key.strip().lower(), content)
    return found


def _strip_site(title: str, site: str | None) -> str:
    """'Headline | Site', 'Site: Headline' -> 'Headline' when the site name is known."""
    if site and title.casefold() != site.casefold():
        folded, name = title.casefold(), site.casefold()
        if folded.endswith(name):
            return title[: -len(site)].rstrip(_SEPARATORS) or title
        if folded.startswith(name):
            return title[len(site) :].lstrip(_SEPARATORS) or title
    return title


def _first_text(tree: HtmlElement, tag: str) -> str | None:
    element = next(tree.iter(tag), None)
    return squash(element.text_content()) or None if element is not None else None


def _visible_title(title: str, h1: str | None) -> str:
    """The <h1> when a metadata title is that headline plus a section/site trail.

    'Headline - Politics - Egypt - Site' in og:title and <title> is common in portals;
    what readers see as the headline is the <h1>.
    """
    if not h1 or h1 == title or len(h1) < len(title) / 3:
        return title
    if title.startswith(h1) and title[len(h1) : len(h1) + 1] in _SEPARATORS:
        return h1
    if title.endswith(h1) and title[-len(h1) - 1 : -len(h1)] in _SEPARATORS:
        return h1
    return title


def _title(
    tree: HtmlElement, meta: dict[str, str], article: Node | None, site: str | None
) -> str | None:
    h1 = _first_text(tree, "h1")
    candidates = [text_value(article.get("headline") or article.get("name")) if article else None]
    candidates += [meta.get(name) for name in TITLE_META]
    candidates += [h1, _first_text(tree, "title")]
    for candidate in candidates:
        if candidate:
            return _visible_title(_strip_site(candidate, site), h1)
    return None


def find_headline(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The element that shows the title (an <h1>-<h3> or itemprop=headline), else the first <h1>."""
    wanted = squash(title).casefold()
    body = tree.find("body")
    if body is None:
        return None
    if wanted:
        for element in _HEADLINE_XPATH(body):
            if squash(element.text_content()).casefold() == wanted:
                return element
    return next(body.iter("h1"), None)


def _title_affix(tree: HtmlElement, headline: str | None) -> str | None:
    """What <title> adds before or after the headline: the site name in most CMSs."""
    page_title, wanted = _first_text(tree, "title"), squash(headline)
    if not page_title or not wanted or page_title == wanted:
        return None
    if page_title.startswith(wanted):
        rest = page_title[len(wanted) :]
    elif page_title.endswith(wanted):
        rest = page_title[: -len(wanted)]
    else:
        return None
    rest = rest.strip(_SEPARATORS)
    return rest if rest and len(rest.split()) <= _MAX_SITE_WORDS else None


def _site(
    tree: HtmlElement, meta: dict[str, str], jsonld: JsonLd, article: Node | None
) -> str | None:
    publisher = jsonld.resolve(article.get("publisher")) if article else None
    found = text_value(publisher)
    found = found or next((meta[n] for n in SITE_META if meta.get(n)), None)
    if not found:
        names = _PUBLISHER_NAME_XPATH(tree)
        found = squash(names[0].get("content") or names[0].text_content()) if names else None
    if not found:
        node = jsonld.first_of(frozenset({"NewsMediaOrganization", "Organization", "WebSite"}))
        found = text_value(node.get("name")) if node else None
    return found or None


def _absolute(href: str | None, base: str | None) -> str | None:
    """An http(s) URL, relative ones resolved against the page's URL; None otherwise."""
    if not href:
        return None
    try:
        absolute = urljoin(base or "", href.strip())
        parts = urlsplit(absolute)
    except ValueError:
        return None
    return absolute if parts.scheme in ("http", "https") and parts.netloc else None


def _canonical(tree: HtmlElement, meta: dict[str, str], url: str | None) -> str | None:
    """<link rel=canonical> (resolved against og:url or the crawl URL), else og:url."""
    og_url = _absolute(meta.get("og:url"), url)
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            found = _absolute(link.get("href"), og_url or url)
            if found:
                return found
    return og_url


def _language(tree: HtmlElement, meta: dict[str, str], article: Node | None) -> str | None:
    candidates = [
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        tree.get("xml:lang"),
    ]
    candidates += [meta.get(name) for name in LANGUAGE_META]
    candidates.append(text_value(article.get("inLanguage")) if article else None)
    # The first declaration that names a language: `lang="xx"` or `"und"` does not
    # hide a valid og:locale after it.
    return next((code for code in map(declared_language, candidates) if code), None)


def read_metadata(tree: HtmlElement, url: str | None = None) -> Metadata:
    """Every metadata field of the page, each from the best source that has it."""
    meta = meta_index(tree)
    jsonld = read_jsonld(tree)
    canonical = _canonical(tree, meta, url)
    article = jsonld.article(canonical)
    canonical = canonical or _absolute(node_url(article), url)
    site = _site(tree, meta, jsonld, article)
    title = _title(tree, meta, article, site)
    headline = find_headline(tree, title)
    site = site or _title_affix(tree, title)
    return Metadata(
        title=title,
        publication=site,
        publish_date=publish_date(tree, meta, jsonld, article, headline, (canonical, url)),
        url=canonical,
        language=_language(tree, meta, article),
        authors=find_authors(tree, meta, jsonld, article, headline, site),
        headline=headline,
    )
